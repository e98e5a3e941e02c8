//! Calling a wired peer contract without trusting it more than its pinned code.
//!
//! A peer is trusted by address *and* by the code hash its owner pinned when wiring it: if the
//! code at that address changes (the peer's owner ran `set_code_hash`, or a hostile contract
//! was wired), the caller stops trusting it until its own owner re-wires (re-pins) it. Every
//! call carries an explicit ref_time and proof-size limit, so a peer that burns gas fails alone.
//!
//! ink!'s `try_invoke` decodes the output of a *reverted* call as an answer, so a hostile peer
//! could revert with the encoding of "permitted". [`call`] therefore makes the call itself and
//! reports whether the callee reverted; callers grant nothing on a reverted reply. A reply that
//! does not decode exactly as the message's return type is [`PeerError::Undecodable`]. A reply
//! larger than [`MAX_REPLY`] makes pallet-contracts trap the *caller* (`OutputBufferTooSmall`):
//! that fails closed (nothing permitted, nothing stored) and only pinned code can send it.

use ink::env::call::{Call, CallParams};
use ink::env::DefaultEnvironment as Env;
use ink::primitives::{AccountId, Hash};
use ink::scale::{Decode, Encode};

/// A wired peer: where it is and the code its owner pinned when wiring it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Peer {
    pub address: AccountId,
    pub code_hash: Hash,
}

/// The most one call to a peer may cost. A legitimate answer must always fit — a limit too
/// tight would make emergency access fail closed — and a runaway peer must fail alone. Proof
/// size is set from substrate-contracts-node figures (benchmarks/node-vs-sandbox.md: the node
/// charges 1.7–3x the sandbox's proof, each code load about the code's size + 20 KB), ref_time
/// from the sandbox's (which charges 1.5–4x the node's); both with about 3x headroom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub ref_time: u64,
    pub proof_size: u64,
}

/// consent_registry → break_glass `active_emergency_grant` (sandbox ≈ 1.8 G, 40 KB; node proof
/// ≈ 80 KB).
pub const EMERGENCY_LOOKUP: Limits = Limits { ref_time: 5_000_000_000, proof_size: 256 * 1024 };
/// record_anchor → consent_registry `check_access`, including the registry's own call to
/// break_glass (sandbox ≈ 3.2 G, 77 KB on the emergency path; node proof ≈ 140 KB).
pub const CONSENT_CHECK: Limits = Limits { ref_time: 12_000_000_000, proof_size: 512 * 1024 };
/// pharma_ledger → record_anchor `anchor_document` (sandbox ≈ 2.9 G, 55 KB; node proof of the
/// whole shipment ≈ 260 KB).
pub const DOCUMENT_ANCHOR: Limits = Limits { ref_time: 8_000_000_000, proof_size: 512 * 1024 };

/// research_registry → consent_registry `acting_for` (one delegation list read).
pub const DELEGATE_LOOKUP: Limits = Limits { ref_time: 5_000_000_000, proof_size: 256 * 1024 };
/// research_registry → consent_registry `grant_research_consent` (delegations, the patient's
/// policy cell and consent list; three writes and an event).
pub const RESEARCH_GRANT: Limits = Limits { ref_time: 8_000_000_000, proof_size: 512 * 1024 };

/// Largest reply read from a peer. Every carechain trait message answers in under 200 bytes.
pub const MAX_REPLY: usize = 1024;

/// Why a peer gave no answer that may be trusted. Callers map every variant to their typed
/// "unavailable" error, never to a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerError {
    /// No contract lives at the wired address.
    NotContract,
    /// The code at the wired address is not the code pinned at wiring.
    CodeChanged,
    /// The call trapped, ran out of its limits, or could not be made.
    Failed,
    /// The reply is not exactly an encoding of the message's return type.
    Undecodable,
}

/// A peer's answer, and whether the peer reverted while giving it. ink! reverts when a message
/// returns `Err`, so a reverted reply is only ever believed as a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply<R> {
    Returned(R),
    Reverted(R),
}

impl<R> Reply<R> {
    /// The answer of a call that completed; a reverted reply counts as no answer.
    pub fn returned(self) -> Result<R, PeerError> {
        match self {
            Reply::Returned(r) => Ok(r),
            Reply::Reverted(_) => Err(PeerError::Failed),
        }
    }
}

/// The code hash at `address`, or `None` when no contract lives there.
pub fn code_hash_at(address: &AccountId) -> Option<Hash> {
    #[cfg(target_arch = "wasm32")]
    {
        ink::env::code_hash::<Env>(address).ok()
    }
    // The off-chain test engine has no code hashes: nothing off chain is a contract.
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = address;
        None
    }
}

/// Whether `peer` may be pinned by the contract at `own`: another contract, running exactly the
/// code hash the owner stated. A contract wired to itself would re-enter itself on every call
/// through the hop, and the runtime traps the caller of a re-entering call.
pub fn check_pin(peer: &Peer, own: &AccountId) -> Result<(), crate::AdminError> {
    use crate::AdminError;
    if peer.address == *own {
        return Err(AdminError::PeerIsSelf);
    }
    match code_hash_at(&peer.address) {
        None => Err(AdminError::PeerNotContract),
        Some(found) if found != peer.code_hash => Err(AdminError::PeerCodeMismatch),
        Some(_) => Ok(()),
    }
}

/// Calls `peer` with the message `params` describes (built with the trait's `contract_ref!`
/// builder, so the selector and arguments come from the trait definition), within `limits`.
pub fn call<Args: Encode, R: Decode>(
    peer: &Peer,
    params: &CallParams<Env, Call<Env>, Args, R>,
    limits: Limits,
) -> Result<Reply<R>, PeerError> {
    match code_hash_at(&peer.address) {
        None => return Err(PeerError::NotContract),
        Some(found) if found != peer.code_hash => return Err(PeerError::CodeChanged),
        Some(_) => {}
    }
    let (reverted, output) = raw_call(&peer.address, &params.exec_input().encode(), limits)?;
    decode_reply::<R>(reverted, &output)
}

/// Decodes an ink! message reply (`Result<R, LangError>`), demanding every byte be used.
pub fn decode_reply<R: Decode>(reverted: bool, output: &[u8]) -> Result<Reply<R>, PeerError> {
    let decoded = <Result<R, ink::LangError> as ink::scale::DecodeAll>::decode_all(&mut &output[..])
        .map_err(|_| PeerError::Undecodable)?;
    let value = decoded.map_err(|_| PeerError::Undecodable)?;
    Ok(if reverted { Reply::Reverted(value) } else { Reply::Returned(value) })
}

#[cfg(target_arch = "wasm32")]
fn raw_call(callee: &AccountId, input: &[u8], limits: Limits) -> Result<(bool, ink::prelude::vec::Vec<u8>), PeerError> {
    use pallet_contracts_uapi::{CallFlags, HostFn, HostFnImpl, ReturnErrorCode};
    let mut buffer = ink::prelude::vec![0u8; MAX_REPLY];
    let value = 0u128.to_le_bytes();
    let mut output: &mut [u8] = &mut buffer[..];
    let reverted = match HostFnImpl::call_v2(
        CallFlags::empty(),
        callee.as_ref(),
        limits.ref_time,
        limits.proof_size,
        None,
        &value,
        input,
        Some(&mut output),
    ) {
        Ok(()) => false,
        Err(ReturnErrorCode::CalleeReverted) => true,
        Err(_) => return Err(PeerError::Failed),
    };
    let len = output.len();
    buffer.truncate(len);
    Ok((reverted, buffer))
}

// Off chain there are no peers to call; `call` has already answered `NotContract`.
#[cfg(not(target_arch = "wasm32"))]
fn raw_call(
    _callee: &AccountId,
    _input: &[u8],
    _limits: Limits,
) -> Result<(bool, ink::prelude::vec::Vec<u8>), PeerError> {
    Err(PeerError::Failed)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::types::{AccessDecision, AnchoringError};
    use ink::prelude::vec::Vec;

    fn reply<T: Encode>(v: T) -> Vec<u8> {
        Ok::<T, ink::LangError>(v).encode()
    }

    #[test]
    fn a_reverted_permit_is_never_an_answer() {
        let forged = reply(AccessDecision::PermittedByConsent(1));
        let r = decode_reply::<AccessDecision>(true, &forged).unwrap();
        assert_eq!(r, Reply::Reverted(AccessDecision::PermittedByConsent(1)));
        assert_eq!(r.returned(), Err(PeerError::Failed));
        assert_eq!(
            decode_reply::<AccessDecision>(false, &forged).unwrap().returned(),
            Ok(AccessDecision::PermittedByConsent(1))
        );
    }

    #[test]
    fn extra_missing_or_foreign_bytes_are_undecodable() {
        let mut long = reply(Some(7u64));
        long.push(0);
        assert_eq!(decode_reply::<Option<u64>>(false, &long), Err(PeerError::Undecodable));
        assert_eq!(decode_reply::<Option<u64>>(false, &[0, 1, 7]), Err(PeerError::Undecodable));
        assert_eq!(decode_reply::<Option<u64>>(false, &[]), Err(PeerError::Undecodable));
        let lang = Err::<Option<u64>, _>(ink::LangError::CouldNotReadInput).encode();
        assert_eq!(decode_reply::<Option<u64>>(true, &lang), Err(PeerError::Undecodable));
    }

    #[test]
    fn a_typed_refusal_arrives_reverted() {
        let refused = reply(Err::<u64, _>(AnchoringError::AlreadyAnchored));
        assert_eq!(
            decode_reply::<Result<u64, AnchoringError>>(true, &refused),
            Ok(Reply::Reverted(Err(AnchoringError::AlreadyAnchored)))
        );
    }

    #[test]
    fn a_pin_names_another_contract_running_the_stated_code() {
        use crate::AdminError;
        let own = AccountId::from([1; 32]);
        let peer = |b: u8| Peer { address: AccountId::from([b; 32]), code_hash: Hash::from([7; 32]) };
        assert_eq!(check_pin(&peer(1), &own), Err(AdminError::PeerIsSelf));
        // Off chain nothing is a contract; on chain the stated hash is compared (e2e tests).
        assert_eq!(check_pin(&peer(2), &own), Err(AdminError::PeerNotContract));
    }
}
