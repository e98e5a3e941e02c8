//! The deployed suite: the four contracts instantiated in dependency order and wired by
//! address, exactly as on a live chain.

use crate::{account, builder, Chain, Outcome};
use break_glass::break_glass::{BreakGlass, BreakGlassRef};
use carechain_shared::{ConsentId, DataCategories, Purpose, PurposeSet, MS_PER_DAY};
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
    /// break_glass → consent_registry (wired to break_glass) → record_anchor (wired to the
    /// registry) → pharma_ledger,
    /// all owned by `OWNER`, with one authority and one registered responder, and one
    /// registered custodian.
    pub fn deploy(mut chain: Chain) -> Self {
        let owner = account(OWNER);
        let break_glass = chain.deploy("break_glass", owner, BreakGlassRef::with_default_policy());
        let registry = chain.deploy("consent_registry", owner, ConsentRegistryRef::new(Some(break_glass)));
        let record_anchor = chain.deploy("record_anchor", owner, RecordAnchorRef::new(Some(registry)));
        let pharma_ledger = chain.deploy("pharma_ledger", owner, PharmaLedgerRef::new(Some(record_anchor)));
        let mut s = Self { chain, at: Wiring { break_glass, registry, record_anchor, pharma_ledger } };
        let mut bg = s.at.bg();
        s.chain.call(owner, &bg.set_authority(account(AUTHORITY), true)).ok().expect("set authority");
        s.chain.call(owner, &bg.set_authority(account(AUTHORITY2), true)).ok().expect("set authority");
        s.chain
            .call(account(AUTHORITY), &bg.register_responder(account(RESPONDER), [0xC1; 32], [0x0A; 32]))
            .ok()
            .expect("register responder");
        let mut reg = s.at.reg();
        s.chain.call(owner, &reg.set_custodian(account(CUSTODIAN), true)).ok().expect("set custodian");
        s
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

impl Default for Suite {
    fn default() -> Self {
        Self::new()
    }
}

/// pallet-contracts' code hash (BLAKE2-256 of the Wasm).
pub fn code_hash(wasm: &[u8]) -> Hash {
    Hash::from(carechain_shared::client::code_hash(wasm))
}
