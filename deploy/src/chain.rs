//! What the deployer needs from a chain, whichever it is: the in-process runtime (`embedded`)
//! or a node over RPC (`live`). Deployment, wiring and verification are written once against
//! this trait, so the embedded tests exercise the same code that deploys to a live chain.

use crate::error::{DeployError, Result};
use ink::primitives::AccountId;
use scale::{Decode, Encode};

pub type CodeHash = [u8; 32];

/// What a call costs: weight consumed and storage deposit (positive: charged; negative: refunded).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cost {
    pub ref_time: u64,
    pub proof_size: u64,
    pub deposit: i128,
}

/// The outcome of a step: its value, what it cost, and the block it landed in (0 for a dry run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt<T> {
    pub value: T,
    pub cost: Cost,
    pub block: u64,
}

/// Code to instantiate: uploaded with the instantiation (only for estimates) or already on chain.
#[derive(Debug, Clone, Copy)]
pub enum Code<'a> {
    Upload(&'a [u8]),
    Existing(CodeHash),
}

pub trait Chain {
    /// `embedded` or the node URL.
    fn endpoint(&self) -> String;
    fn genesis_hash(&mut self) -> Result<[u8; 32]>;
    /// The account that signs every step.
    fn signer(&self) -> AccountId;
    fn free_balance(&mut self, who: AccountId) -> Result<u128>;
    /// The code a contract account runs, or `None` if the account is not a contract.
    fn code_hash_of(&mut self, contract: AccountId) -> Result<Option<CodeHash>>;
    /// A dry run of instantiating: nothing is stored.
    fn estimate_instantiate(&mut self, code: Code<'_>, input: &[u8], salt: &[u8]) -> Result<Receipt<AccountId>>;
    fn upload(&mut self, step: &str, wasm: &[u8]) -> Result<Receipt<CodeHash>>;
    fn instantiate(&mut self, step: &str, code_hash: CodeHash, input: &[u8], salt: &[u8])
        -> Result<Receipt<AccountId>>;
    /// A dry run of a message: its raw output (ink!'s `MessageResult` encoding), whether it
    /// reverted, and its cost.
    fn query(&mut self, contract: AccountId, input: &[u8]) -> Result<(Receipt<Vec<u8>>, bool)>;
    /// Submits a message. A message that would revert changes nothing and comes back with
    /// `true` and its (error) output.
    fn submit(&mut self, step: &str, contract: AccountId, input: &[u8]) -> Result<(Receipt<Vec<u8>>, bool)>;
}

pub use crate::call::{code_hash, constructor_input, Constructor, Message};
use crate::call::{message_input, OutputError};

fn decode_output<R: Decode>(step: &str, bytes: &[u8]) -> Result<R> {
    crate::call::decode_output(bytes).map_err(|e| DeployError::Rejected {
        step: step.to_string(),
        reason: match e {
            OutputError::Lang(lang) => {
                format!("the contract did not accept the message ({lang}); is it the right contract?")
            }
            OutputError::Decode(_) => {
                "the answer does not decode as this suite's type; is it the right contract?".into()
            }
        },
    })
}

/// A contract event as a chain recorded it: the contract that emitted it, its topics (the first
/// is the event's signature) and its SCALE-encoded data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emitted {
    pub contract: AccountId,
    pub topics: Vec<[u8; 32]>,
    pub data: Vec<u8>,
}

impl Emitted {
    /// The event as `E`, if its data decodes as one.
    pub fn decode<E: Decode>(&self) -> Option<E> {
        E::decode(&mut &self.data[..]).ok()
    }

    /// Whether its signature topic is `E`'s (an anonymous `E` has none and matches any).
    pub fn is<E: ink::env::Event>(&self) -> bool {
        E::SIGNATURE_TOPIC.is_none_or(|sig| self.topics.first() == Some(&sig))
    }
}

/// The events of type `E` among `events`, in order; other event types are skipped by their
/// signature topic, not by whether their bytes happen to decode.
pub fn events_of<E: Decode + ink::env::Event>(events: &[Emitted]) -> Vec<E> {
    events.iter().filter(|e| e.is::<E>()).filter_map(Emitted::decode::<E>).collect()
}

/// An ink! account id as the runtime's.
pub fn runtime_account(a: &AccountId) -> ink_sandbox::AccountId32 {
    ink_sandbox::AccountId32::new(*AsRef::<[u8; 32]>::as_ref(a))
}

/// A runtime account id as ink!'s.
pub fn ink_account(a: &ink_sandbox::AccountId32) -> AccountId {
    AccountId::from(*AsRef::<[u8; 32]>::as_ref(a))
}

/// Reads through a dry run. A reverted read is returned as its (error) value.
pub fn read<Args: Encode + Clone, R: Decode>(
    chain: &mut dyn Chain,
    step: &str,
    msg: &Message<Args, R>,
) -> Result<(R, Cost)> {
    let (contract, input) = message_input(msg);
    let (receipt, _) = chain.query(contract, &input)?;
    Ok((decode_output(step, &receipt.value)?, receipt.cost))
}

/// Submits a message and returns its decoded answer; a refusal is `Rejected` with the
/// contract's own error.
pub fn send<Args: Encode + Clone, R: Decode + core::fmt::Debug>(
    chain: &mut dyn Chain,
    step: &str,
    msg: &Message<Args, R>,
) -> Result<Receipt<R>> {
    let receipt = try_send(chain, step, msg)?;
    if receipt.block == 0 {
        return Err(DeployError::Rejected {
            step: step.to_string(),
            reason: format!("the contract answered {:?}", receipt.value),
        });
    }
    Ok(receipt)
}

/// Submits a message and returns its decoded answer, also when the contract refused it (then
/// nothing changed and the receipt's block is 0).
pub fn try_send<Args: Encode + Clone, R: Decode>(
    chain: &mut dyn Chain,
    step: &str,
    msg: &Message<Args, R>,
) -> Result<Receipt<R>> {
    let (contract, input) = message_input(msg);
    let (receipt, reverted) = chain.submit(step, contract, &input)?;
    let value = decode_output::<R>(step, &receipt.value)?;
    Ok(Receipt { value, cost: receipt.cost, block: if reverted { 0 } else { receipt.block } })
}

pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(2 + bytes.len() * 2);
    s.push_str("0x");
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

pub fn parse_hash(s: &str) -> Option<[u8; 32]> {
    let digits = s.strip_prefix("0x")?;
    if digits.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(digits.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// SS58 (generic prefix 42), what polkadot.js and every wallet show.
pub fn ss58(account: &AccountId) -> String {
    use ink_sandbox::Ss58Codec;
    runtime_account(account).to_ss58check()
}

pub fn parse_ss58(s: &str) -> Option<AccountId> {
    use ink_sandbox::Ss58Codec;
    Some(ink_account(&ink_sandbox::AccountId32::from_ss58check(s).ok()?))
}

/// A storage deposit as a signed amount: positive charged, negative refunded.
pub fn deposit(d: &ink_sandbox::pallet_contracts::StorageDeposit<u128>) -> i128 {
    match d {
        ink_sandbox::pallet_contracts::StorageDeposit::Charge(x) => i128::try_from(*x).unwrap_or(i128::MAX),
        // Saturates both ways: a refund beyond i128 is the most negative amount, not a charge.
        ink_sandbox::pallet_contracts::StorageDeposit::Refund(x) => i128::try_from(*x).map(|x| -x).unwrap_or(i128::MIN),
    }
}

/// What a pallet-contracts call or instantiation reports it cost.
pub fn cost_of<R, E>(r: &ink_sandbox::pallet_contracts::ContractResult<R, u128, E>) -> Cost {
    Cost {
        ref_time: r.gas_consumed.ref_time(),
        proof_size: r.gas_consumed.proof_size(),
        deposit: deposit(&r.storage_deposit),
    }
}

/// `1.234 G` for weights, as the benchmark report prints them.
pub fn giga(ref_time: u64) -> String {
    format!("{}.{:03} G", ref_time / 1_000_000_000, (ref_time / 1_000_000) % 1_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_round_trip_through_hex_and_bad_hex_is_refused() {
        let h = [0xAB; 32];
        assert_eq!(parse_hash(&hex(&h)), Some(h));
        assert_eq!(parse_hash("ab"), None);
        assert_eq!(parse_hash(&hex(&h).replace("0x", "")), None);
        assert_eq!(parse_hash(&format!("0x{}", "zz".repeat(32))), None);
    }

    #[test]
    fn accounts_round_trip_through_ss58() {
        let a = AccountId::from([7; 32]);
        let text = ss58(&a);
        assert!(text.starts_with('5'), "generic prefix 42 addresses start with 5: {text}");
        assert_eq!(parse_ss58(&text), Some(a));
        assert_eq!(parse_ss58("5notanaddress"), None);
    }

    #[test]
    fn weights_print_in_giga() {
        assert_eq!(giga(2_876_543_210), "2.876 G");
        assert_eq!(giga(5_000_000), "0.005 G");
    }
}
