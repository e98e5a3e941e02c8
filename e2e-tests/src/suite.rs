//! The deployed suite: the five contracts instantiated in dependency order and wired by
//! address, exactly as on a live chain.

use crate::{account, Chain, Outcome};
use break_glass::break_glass::BreakGlassRef;
use carechain_shared::Wiring as _;
use carechain_shared::{ConsentId, DataCategories, StudyId, Timestamp, MS_PER_DAY};
use consent_registry::consent_registry::ConsentRegistryRef;
use ink::primitives::{AccountId, Hash};
use pharma_ledger::pharma_ledger::{PharmaLedger, PharmaLedgerRef};
use record_anchor::record_anchor::RecordAnchorRef;
use research_registry::research_registry::ResearchRegistryRef;

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
/// A patient's delegate (guardian, proxy).
pub const DELEGATE: u8 = 14;
/// The drug-supply cast of [`Suite::supply_chain`].
pub const BRAND: u8 = 20;
pub const WHOLESALER: u8 = 21;
pub const PHARMACY: u8 = 22;
/// A repackager that claims brands' GTINs.
pub const SQUATTER: u8 = 24;
/// A wholesaler that sits on shipments and ships first.
pub const ROGUE_PARTNER: u8 = 25;

use carechain::fixtures::{lab_for_treatment, RESPONDER_CREDENTIAL, RESPONDER_ORGANISATION};
pub use carechain::fixtures::{lot, serial, EXPIRY, GTIN};
pub use carechain::suite::Addresses;

/// The largest policy cell a patient can have, which `scripts/bench` and the node tier weigh a
/// check against: `MAX_DENY_RULES_PER_PATIENT` lab/treatment rules naming other accessors (none
/// hits), and `MAX_CONSENTS_PER_PATIENT` treatment consents, `MAX_ACTIVE_CONSENTS_PER_PAIR` per
/// accessor, of which only the last covers lab results — so a permitted lab check for
/// `permitted` decodes all of it.
pub struct FullPolicy {
    /// Each deny rule's accessor.
    pub denied: Vec<AccountId>,
    /// Each consent's accessor, categories and document hash, in grant order.
    pub grants: Vec<(AccountId, DataCategories, [u8; 32])>,
    pub permitted: AccountId,
}

pub fn full_policy() -> FullPolicy {
    use consent_registry::data::{MAX_ACTIVE_CONSENTS_PER_PAIR, MAX_CONSENTS_PER_PATIENT, MAX_DENY_RULES_PER_PATIENT};
    let denied = (0..MAX_DENY_RULES_PER_PATIENT).map(|n| AccountId::from([200 + n as u8; 32])).collect();
    let grants: Vec<_> = (0..MAX_CONSENTS_PER_PATIENT)
        .map(|n| {
            let accessor = AccountId::from([100 + (n / MAX_ACTIVE_CONSENTS_PER_PAIR) as u8; 32]);
            let last = n + 1 == MAX_CONSENTS_PER_PATIENT;
            let categories = if last { DataCategories::LAB_RESULTS } else { DataCategories::MEDICATIONS };
            (accessor, categories, [1 + (n % MAX_ACTIVE_CONSENTS_PER_PAIR) as u8; 32])
        })
        .collect();
    let permitted = grants.last().map_or(AccountId::from([0; 32]), |g| g.0);
    FullPolicy { denied, grants, permitted }
}

pub struct Suite {
    pub chain: Chain,
    pub at: Addresses,
}

impl Suite {
    /// break_glass, consent_registry, research_registry, record_anchor and pharma_ledger
    /// deployed in dependency order, then each wired to (and pinning the code of) its peer and
    /// the registry trusting research_registry, all owned by `OWNER`, with two authorities
    /// (`AUTHORITY` registered `RESPONDER`), one registered custodian, and an ethics approver.
    pub fn deploy(mut chain: Chain) -> Self {
        let owner = account(OWNER);
        let break_glass = chain.deploy("break_glass", owner, BreakGlassRef::with_default_policy());
        let registry = chain.deploy("consent_registry", owner, ConsentRegistryRef::new());
        let research = chain.deploy("research_registry", owner, ResearchRegistryRef::new());
        let record_anchor = chain.deploy("record_anchor", owner, RecordAnchorRef::new());
        let pharma_ledger = chain.deploy("pharma_ledger", owner, PharmaLedgerRef::new());
        let mut s = Self { chain, at: Addresses { break_glass, registry, research, record_anchor, pharma_ledger } };
        s.wire();
        let mut bg = s.at.bg();
        s.chain.call(owner, &bg.set_authority(account(AUTHORITY), true)).ok().expect("set authority");
        s.chain.call(owner, &bg.set_authority(account(AUTHORITY2), true)).ok().expect("set authority");
        s.chain
            .call(
                account(AUTHORITY),
                &bg.register_responder(account(RESPONDER), RESPONDER_CREDENTIAL, RESPONDER_ORGANISATION),
            )
            .ok()
            .expect("register responder");
        let mut reg = s.at.reg();
        s.chain.call(owner, &reg.set_custodian(account(CUSTODIAN), true)).ok().expect("set custodian");
        let mut res = s.at.res();
        s.chain.call(owner, &res.set_ethics_approver(account(ETHICS), true)).ok().expect("set ethics approver");
        s
    }

    /// Wires (re-pins) every hop to the code its peer runs now, and the registry's trust in
    /// research_registry, as the owner.
    pub fn wire(&mut self) {
        let owner = account(OWNER);
        let at = self.at;
        let chain = &mut self.chain;
        let (bg, reg, res, ra) = (
            chain.peer(at.break_glass),
            chain.peer(at.registry),
            chain.peer(at.research),
            chain.peer(at.record_anchor),
        );
        self.chain.call(owner, &at.reg().set_peer(Some(bg))).ok().expect("wire break_glass");
        self.chain.call(owner, &at.res().set_peer(Some(reg))).ok().expect("wire research to registry");
        self.chain.call(owner, &at.reg().set_research_registry(Some(res))).ok().expect("trust research");
        self.chain.call(owner, &at.anchor().set_peer(Some(reg))).ok().expect("wire registry");
        self.chain.call(owner, &at.ledger().set_peer(Some(ra))).ok().expect("wire record_anchor");
    }

    /// A study of `researcher` for `categories` until `ends_at`, approved by `ETHICS`.
    pub fn approved_study(&mut self, researcher: u8, categories: DataCategories, ends_at: Timestamp) -> StudyId {
        let mut res = self.at.res();
        let id = self
            .chain
            .call(account(researcher), &res.register_study([researcher; 32], categories, ends_at))
            .ok()
            .expect("register study");
        self.chain.call(account(ETHICS), &res.approve_study(id, [0xEC; 32])).ok().expect("approve study");
        id
    }

    /// The drug-supply cast: BRAND (manufacturer) holds GTIN with packs 0..10 of `lot()`;
    /// WHOLESALER, PHARMACY (dispenser), SQUATTER (repackager) and ROGUE_PARTNER (wholesaler)
    /// are registered partners. Returns pharma_ledger's call builder.
    pub fn supply_chain(&mut self) -> <PharmaLedger as ink::codegen::ContractCallBuilder>::Type {
        use pharma_ledger::data::PartnerRole;
        let mut pl = self.at.ledger();
        for (who, role) in [
            (BRAND, PartnerRole::Manufacturer),
            (WHOLESALER, PartnerRole::Wholesaler),
            (PHARMACY, PartnerRole::Dispenser),
            (SQUATTER, PartnerRole::Repackager),
            (ROGUE_PARTNER, PartnerRole::Wholesaler),
        ] {
            self.chain.call(account(OWNER), &pl.register_partner(account(who), role, [who; 32])).ok().expect("partner");
        }
        self.assign_gtin(account(BRAND), GTIN);
        self.chain
            .call(account(BRAND), &pl.commission(GTIN, lot(), EXPIRY, (0..10).map(serial).collect()))
            .ok()
            .expect("commission");
        pl
    }

    /// `check_access(patient, accessor, categories, purpose)`, read as a dApp reads it.
    pub fn check(
        &mut self,
        patient: u8,
        accessor: u8,
        categories: DataCategories,
        purpose: carechain_shared::Purpose,
    ) -> carechain_shared::AccessDecision {
        use carechain_shared::traits::ConsentCheck;
        let reg = self.at.reg();
        self.chain.read(&reg.check_access(account(patient), account(accessor), categories, purpose))
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
        let grant = lab_for_treatment(
            self.at.registry,
            account(patient),
            account(accessor),
            now,
            now.saturating_add(365 * MS_PER_DAY),
        );
        self.chain.call(account(patient), &grant)
    }
}

impl Suite {
    /// The storage root of each of the five contracts, in dependency order.
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
    Hash::from(carechain::call::code_hash(wasm))
}
