//! The deployed suite: the four contracts instantiated in dependency order and wired by
//! address, exactly as on a live chain.

use crate::{account, builder, Chain, Outcome};
use break_glass::break_glass::{BreakGlass, BreakGlassRef};
use carechain_shared::Wiring as _;
use carechain_shared::{ConsentId, DataCategories, Purpose, PurposeSet, StudyId, Timestamp, MS_PER_DAY};
use consent_registry::consent_registry::{ConsentRegistry, ConsentRegistryRef};
use ink::primitives::{AccountId, Hash};
use pharma_ledger::pharma_ledger::{PharmaLedger, PharmaLedgerRef};
use record_anchor::record_anchor::{RecordAnchor, RecordAnchorRef};

pub const OWNER: u8 = 1;
pub const PATIENT: u8 = 2;
pub const PROVIDER: u8 = 3;
pub const CUSTODIAN: u8 = 4;
pub const RESPONDER: u8 = 5;
pub const AUTHORITY: u8 = 6;
pub const AUTHORITY2: u8 = 7;
pub const RESEARCHER: u8 = 8;
pub const PATIENT2: u8 = 9;
pub const PATIENT3: u8 = 10;
pub const STRANGER: u8 = 11;
/// Appointed by the owner to approve studies (a research ethics committee).
pub const ETHICS: u8 = 12;

/// Where the four contracts of one deployment are, and the typed call builder of each —
/// the same for the sandbox suite and the node suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wiring {
    pub break_glass: AccountId,
    pub registry: AccountId,
    pub record_anchor: AccountId,
    pub pharma_ledger: AccountId,
}

impl Wiring {
    pub fn reg(&self) -> <ConsentRegistry as ink::codegen::ContractCallBuilder>::Type {
        builder::<ConsentRegistry>(self.registry)
    }

    pub fn bg(&self) -> <BreakGlass as ink::codegen::ContractCallBuilder>::Type {
        builder::<BreakGlass>(self.break_glass)
    }

    pub fn anchor(&self) -> <RecordAnchor as ink::codegen::ContractCallBuilder>::Type {
        builder::<RecordAnchor>(self.record_anchor)
    }

    pub fn ledger(&self) -> <PharmaLedger as ink::codegen::ContractCallBuilder>::Type {
        builder::<PharmaLedger>(self.pharma_ledger)
    }

    /// In dependency order, by contract name.
    pub fn contracts(&self) -> [(&'static str, AccountId); 4] {
        [
            ("break_glass", self.break_glass),
            ("consent_registry", self.registry),
            ("record_anchor", self.record_anchor),
            ("pharma_ledger", self.pharma_ledger),
        ]
    }
}

/// The drug pack the pharma scenarios follow: a GS1 example GTIN, one lot, and an expiry
/// (YYMMDD) in force both at the sandbox's T0 and on a live node's clock.
pub const GTIN: [u8; 14] = *b"09506000134352";
pub const EXPIRY: u32 = 301231;

pub fn lot() -> Vec<u8> {
    b"LOT-7".to_vec()
}

pub fn serial(n: u32) -> Vec<u8> {
    format!("PK{n:06}").into_bytes()
}

pub struct Suite {
    pub chain: Chain,
    pub at: Wiring,
}

impl Suite {
    /// break_glass, consent_registry, record_anchor and pharma_ledger deployed in dependency
    /// order, then each wired to (and pinning the code of) its peer, all owned by `OWNER`, with
    /// two authorities (`AUTHORITY` registered `RESPONDER`), one registered custodian, and an
    /// ethics approver.
    pub fn deploy(mut chain: Chain) -> Self {
        let owner = account(OWNER);
        let break_glass = chain.deploy("break_glass", owner, BreakGlassRef::with_default_policy());
        let registry = chain.deploy("consent_registry", owner, ConsentRegistryRef::new());
        let record_anchor = chain.deploy("record_anchor", owner, RecordAnchorRef::new());
        let pharma_ledger = chain.deploy("pharma_ledger", owner, PharmaLedgerRef::new());
        let mut s = Self { chain, at: Wiring { break_glass, registry, record_anchor, pharma_ledger } };
        s.wire();
        let mut bg = s.at.bg();
        s.chain.call(owner, &bg.set_authority(account(AUTHORITY), true)).ok().expect("set authority");
        s.chain.call(owner, &bg.set_authority(account(AUTHORITY2), true)).ok().expect("set authority");
        s.chain
            .call(account(AUTHORITY), &bg.register_responder(account(RESPONDER), [0xC1; 32], [0x0A; 32]))
            .ok()
            .expect("register responder");
        let mut reg = s.at.reg();
        s.chain.call(owner, &reg.set_custodian(account(CUSTODIAN), true)).ok().expect("set custodian");
        s.chain.call(owner, &reg.set_ethics_approver(account(ETHICS), true)).ok().expect("set ethics approver");
        s
    }

    /// Wires (re-pins) every hop to the code its peer runs now, as the owner.
    pub fn wire(&mut self) {
        let owner = account(OWNER);
        let at = self.at;
        self.chain.call(owner, &at.reg().set_peer(Some(at.break_glass))).ok().expect("wire break_glass");
        self.chain.call(owner, &at.anchor().set_peer(Some(at.registry))).ok().expect("wire registry");
        self.chain.call(owner, &at.ledger().set_peer(Some(at.record_anchor))).ok().expect("wire record_anchor");
    }

    /// A study of `researcher` for `categories` until `ends_at`, approved by `ETHICS`.
    pub fn approved_study(&mut self, researcher: u8, categories: DataCategories, ends_at: Timestamp) -> StudyId {
        let mut reg = self.at.reg();
        let id = self
            .chain
            .call(account(researcher), &reg.register_study([researcher; 32], categories, ends_at))
            .ok()
            .expect("register study");
        self.chain.call(account(ETHICS), &reg.approve_study(id, [0xEC; 32])).ok().expect("approve study");
        id
    }

    /// `manufacturer` claims `gtin` and the regulator (`OWNER`) approves the claim.
    pub fn assign_gtin(&mut self, manufacturer: AccountId, gtin: [u8; 14]) {
        let mut pl = self.at.ledger();
        self.chain.call(manufacturer, &pl.claim_gtin(gtin, [0x61; 32])).ok().expect("claim gtin");
        self.chain.call(account(OWNER), &pl.approve_gtin_claim(gtin, manufacturer)).ok().expect("approve gtin");
    }

    pub fn new() -> Self {
        Self::deploy(Chain::new())
    }

    /// The consent most scenarios start from: `patient` grants `accessor` lab results for
    /// treatment, from now for a year.
    pub fn grant_lab_for_treatment(
        &mut self,
        patient: u8,
        accessor: u8,
    ) -> Outcome<consent_registry::Result<ConsentId>> {
        let now = self.chain.now();
        let grant = self.at.reg().grant_consent(
            account(patient),
            account(accessor),
            DataCategories::LAB_RESULTS,
            PurposeSet::of(Purpose::Treatment),
            now,
            now.saturating_add(365 * MS_PER_DAY),
            [0xD0; 32],
        );
        self.chain.call(account(patient), &grant)
    }
}

impl Suite {
    /// The storage root of each of the four contracts, in dependency order.
    pub fn roots(&mut self) -> Vec<Vec<u8>> {
        self.at.contracts().into_iter().map(|(_, a)| self.chain.storage_root(a)).collect()
    }

    /// Calls `msg` as `who` and asserts the attack failed the way a refusal must: the typed
    /// error `expected`, the call reverted, no event, and no contract's storage changed.
    pub fn assert_refused<Args, T, E>(&mut self, who: AccountId, msg: &crate::Msg<Args, Result<T, E>>, expected: E)
    where
        Args: scale::Encode + Clone,
        T: scale::Decode + core::fmt::Debug,
        E: scale::Decode + core::fmt::Debug + PartialEq,
    {
        let before = self.roots();
        let out = self.chain.call(who, msg);
        assert!(out.reverted, "a refused call must revert: {:?}", out.value);
        assert!(out.events.is_empty(), "a refused call emitted {} events", out.events.len());
        match out.value {
            Ok(Err(e)) => assert_eq!(e, expected),
            other => panic!("expected Err({expected:?}), got {other:?}"),
        }
        assert_eq!(self.roots(), before, "a refused call changed storage");
    }
}

impl Default for Suite {
    fn default() -> Self {
        Self::new()
    }
}

/// pallet-contracts' code hash (BLAKE2-256 of the Wasm).
pub fn code_hash(wasm: &[u8]) -> Hash {
    Hash::from(carechain_shared::client::code_hash(wasm))
}
