//! A stateful random test over the deployed suite: random sequences of messages from random
//! roles (three in four from the role the message is meant for, so that sequences get far),
//! each on a fresh copy of the same staffed suite, with these invariants checked after every
//! step:
//!
//! 1. a refused call changed nothing (reverted, no event, every contract's storage root as before);
//! 2. deny always wins (a deny rule in force that hits a probe means `DeniedByRule`);
//! 3. no permit without grounds (a permit names a consent or an active grant that covers it);
//! 4. every decision `record_access` returns is on record as an `AccessRecorded` event;
//! 5. a final pack state is never left, and only the custodian, the recipient of its shipment or
//!    the regulator moves a pack;
//! 6. counters never decrease: every new id is above every id seen before;
//! 7. a pack verifies genuine (verified, not withdrawn) exactly when the partner that
//!    commissioned it held the regulator-approved GTIN then and that holding was never revoked
//!    — or the regulator restored its lot — checked against a model of the GTIN directory's
//!    messages (claim, approve, reject, transfer, revoke, restore) after every step that can
//!    change it.
//!
//! `CARECHAIN_STATEFUL_CASES` sets the number of sequences (default 500, 30 steps each). A
//! failure prints the minimal sequence and its seed, and proptest keeps the seed in
//! `tests/stateful.proptest-regressions`, replayed first on every later run.

use break_glass::data::ResponderStatus;
use carechain_e2e::suite::*;
use carechain_e2e::{account, Msg, Outcome};
use carechain_shared::traits::ConsentCheck;
use carechain_shared::Administration;
use carechain_shared::*;
use consent_registry::events::AccessRecorded;
use ink::primitives::AccountId;
use pharma_ledger::data::{PackId, PartnerRole, TransferKind};
use pharma_ledger::pack::{DecommissionReason, Pack, PackStatus};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};
use std::cell::RefCell;

const BRAND: u8 = 20;
const WHOLESALER: u8 = 21;
const PHARMACY: u8 = 22;
/// A repackager that claims the brand's GTIN: the regulator may approve it by mistake.
const SQUATTER: u8 = 24;
const DELEGATE: u8 = 14;
const STEPS: usize = 30;

/// Everyone a step may come from.
const ACTORS: [u8; 16] = [
    OWNER, PATIENT, PATIENT2, PROVIDER, CUSTODIAN, RESPONDER, AUTHORITY, AUTHORITY2, RESEARCHER, STRANGER, ETHICS,
    DELEGATE, BRAND, WHOLESALER, PHARMACY, SQUATTER,
];
const PATIENTS: [u8; 2] = [PATIENT, PATIENT2];
const ACCESSORS: [u8; 4] = [PROVIDER, RESPONDER, RESEARCHER, STRANGER];
const CATEGORIES: [DataCategories; 3] = [
    DataCategories::LAB_RESULTS,
    DataCategories::EMERGENCY_SUMMARY,
    DataCategories(DataCategories::LAB_RESULTS.0 | DataCategories::MENTAL_HEALTH.0),
];
const PURPOSES: [Purpose; 3] = [Purpose::Treatment, Purpose::EmergencyTreatment, Purpose::Research];
const PARTNERS: [u8; 3] = [BRAND, WHOLESALER, PHARMACY];
/// The partners that may hold GTINs.
const MAKERS: [u8; 2] = [BRAND, SQUATTER];
/// Packs the staffed suite starts with (the brand's, of `lot()`).
const STAFFED_PACKS: u32 = 8;
/// Serials a sequence may have commissioned: the staffed packs, then those `Commission` adds.
const PACKS: u32 = 16;
fn lot_name(k: usize) -> Vec<u8> {
    if k == 0 {
        lot()
    } else {
        b"LOT-S".to_vec()
    }
}

#[derive(Debug, Clone)]
enum Op {
    Grant {
        patient: usize,
        accessor: usize,
        cats: usize,
        purpose: usize,
        days: u64,
    },
    Revoke {
        nth: usize,
    },
    Deny {
        patient: usize,
        accessor: Option<usize>,
        cats: usize,
        purpose: usize,
    },
    Lift {
        patient: usize,
        nth: usize,
    },
    Appoint {
        days: u64,
    },
    Dismiss,
    Record {
        patient: usize,
        accessor: usize,
        cats: usize,
        purpose: usize,
    },
    Break {
        patient: usize,
        cats: usize,
    },
    EndGrant {
        nth: usize,
    },
    Review {
        nth: usize,
        justified: bool,
    },
    Suspend,
    Reinstate,
    Request {
        patient: usize,
    },
    Answer {
        patient: usize,
        approve: bool,
    },
    Block {
        patient: usize,
    },
    Anchor {
        patient: Option<usize>,
        hash: u8,
    },
    Retract {
        nth: usize,
    },
    Ship {
        packs: Vec<u32>,
        to: usize,
    },
    Receive {
        nth: usize,
        pack: u32,
        accept: bool,
    },
    Cancel {
        nth: usize,
        pack: u32,
    },
    Dispense {
        pack: u32,
    },
    Decommission {
        pack: u32,
        reason: usize,
    },
    Undo {
        pack: u32,
    },
    Flag {
        pack: u32,
    },
    Resolve {
        pack: u32,
        illegitimate: bool,
    },
    Recall,
    Claim {
        who: usize,
    },
    Approve {
        who: usize,
    },
    RejectClaim {
        who: usize,
    },
    Transfer {
        to: usize,
        squat: bool,
    },
    /// Revokes the holding `back` before the current one (0: the current one).
    RevokeGtin {
        back: u32,
    },
    Restore {
        lot: usize,
    },
    Commission {
        lot: usize,
        count: u32,
    },
    Advance {
        hours: u64,
    },
    Pause {
        contract: usize,
        paused: bool,
    },
}

impl Op {
    /// The role the message is meant for.
    fn natural(&self) -> u8 {
        match self {
            Op::Grant { patient, .. } | Op::Deny { patient, .. } | Op::Lift { patient, .. } => PATIENTS[*patient],
            Op::Revoke { .. } | Op::Appoint { .. } | Op::Dismiss => PATIENT,
            Op::Answer { patient, .. } | Op::Block { patient } => PATIENTS[*patient],
            Op::Record { .. } => CUSTODIAN,
            Op::Break { .. } | Op::EndGrant { .. } => RESPONDER,
            Op::Review { .. } | Op::Reinstate => AUTHORITY2,
            Op::Suspend => AUTHORITY,
            Op::Request { .. } => RESEARCHER,
            Op::Anchor { .. } | Op::Retract { .. } => PROVIDER,
            Op::Ship { .. } | Op::Recall | Op::Cancel { .. } => BRAND,
            Op::Receive { .. } => WHOLESALER,
            Op::Dispense { .. } | Op::Decommission { .. } | Op::Undo { .. } => PHARMACY,
            Op::Flag { .. } => WHOLESALER,
            Op::Resolve { .. } | Op::Pause { .. } | Op::Advance { .. } => OWNER,
            Op::Claim { who } => MAKERS[*who],
            Op::Approve { .. }
            | Op::RejectClaim { .. }
            | Op::Transfer { .. }
            | Op::RevokeGtin { .. }
            | Op::Restore { .. } => OWNER,
            // The current holder, chosen in `run_step`.
            Op::Commission { .. } => BRAND,
        }
    }
}

fn arb_op() -> impl Strategy<Value = Op> {
    let p = 0..PATIENTS.len();
    let acc = 0..ACCESSORS.len();
    let c = 0..CATEGORIES.len();
    let u = 0..PURPOSES.len();
    let pk = 0..PACKS;
    prop_oneof![
        12 => (p.clone(), acc.clone(), c.clone(), u.clone(), 1u64..400).prop_map(|(patient, accessor, cats, purpose, days)| Op::Grant { patient, accessor, cats, purpose, days }),
        4 => (0usize..6).prop_map(|nth| Op::Revoke { nth }),
        8 => (p.clone(), proptest::option::of(acc.clone()), c.clone(), u.clone()).prop_map(|(patient, accessor, cats, purpose)| Op::Deny { patient, accessor, cats, purpose }),
        4 => (p.clone(), 0usize..4).prop_map(|(patient, nth)| Op::Lift { patient, nth }),
        4 => (1u64..60).prop_map(|days| Op::Appoint { days }),
        4 => Just(Op::Dismiss),
        12 => (p.clone(), acc.clone(), c.clone(), u.clone()).prop_map(|(patient, accessor, cats, purpose)| Op::Record { patient, accessor, cats, purpose }),
        8 => (p.clone(), c.clone()).prop_map(|(patient, cats)| Op::Break { patient, cats }),
        4 => (0usize..4).prop_map(|nth| Op::EndGrant { nth }),
        4 => (0usize..4, any::<bool>()).prop_map(|(nth, justified)| Op::Review { nth, justified }),
        4 => Just(Op::Suspend),
        4 => Just(Op::Reinstate),
        8 => p.clone().prop_map(|patient| Op::Request { patient }),
        8 => (p.clone(), any::<bool>()).prop_map(|(patient, approve)| Op::Answer { patient, approve }),
        4 => p.clone().prop_map(|patient| Op::Block { patient }),
        4 => (proptest::option::of(p.clone()), 0u8..4).prop_map(|(patient, hash)| Op::Anchor { patient, hash }),
        4 => (0usize..4).prop_map(|nth| Op::Retract { nth }),
        8 => (proptest::collection::vec(pk.clone(), 1..3), 0..PARTNERS.len()).prop_map(|(packs, to)| Op::Ship { packs, to }),
        12 => (0usize..4, pk.clone(), proptest::bool::weighted(0.8)).prop_map(|(nth, pack, accept)| Op::Receive { nth, pack, accept }),
        4 => (0usize..4, pk.clone()).prop_map(|(nth, pack)| Op::Cancel { nth, pack }),
        8 => pk.clone().prop_map(|pack| Op::Dispense { pack }),
        4 => (pk.clone(), 0usize..6).prop_map(|(pack, reason)| Op::Decommission { pack, reason }),
        4 => pk.clone().prop_map(|pack| Op::Undo { pack }),
        2 => pk.clone().prop_map(|pack| Op::Flag { pack }),
        4 => (pk.clone(), any::<bool>()).prop_map(|(pack, illegitimate)| Op::Resolve { pack, illegitimate }),
        1 => Just(Op::Recall),
        3 => (0..MAKERS.len()).prop_map(|who| Op::Claim { who }),
        4 => (0..MAKERS.len()).prop_map(|who| Op::Approve { who }),
        1 => (0..MAKERS.len()).prop_map(|who| Op::RejectClaim { who }),
        3 => (0..MAKERS.len(), any::<bool>()).prop_map(|(to, squat)| Op::Transfer { to, squat }),
        3 => prop_oneof![3 => Just(0u32), 1 => 1u32..3].prop_map(|back| Op::RevokeGtin { back }),
        2 => (0usize..2).prop_map(|lot| Op::Restore { lot }),
        3 => (0usize..2, 1u32..3).prop_map(|(lot, count)| Op::Commission { lot, count }),
        8 => (1u64..24 * 20).prop_map(|hours| Op::Advance { hours }),
        2 => (0usize..4, any::<bool>()).prop_map(|(contract, paused)| Op::Pause { contract, paused }),
    ]
}

/// One step: the message, and whether it comes from its natural role or from `ACTORS[i]`.
fn arb_step() -> impl Strategy<Value = (Op, Option<usize>)> {
    (arb_op(), proptest::option::weighted(0.25, 0..ACTORS.len()))
}

/// What the regulator's word makes of the GTIN, from the directory calls that succeeded — the
/// model invariant 7 holds the ledger's `verify` to: holdings are numbered from 1 in the order
/// they were assigned, and each pack remembers the holding and lot it was commissioned under.
#[derive(Clone)]
struct Directory {
    /// The current holder and holding.
    holder: (u8, u32),
    revoked: std::collections::BTreeSet<u32>,
    restored: std::collections::BTreeSet<Vec<u8>>,
    /// Per serial number: (commissioner, holding, lot).
    provenance: std::collections::BTreeMap<u32, (u8, u32, Vec<u8>)>,
}

impl Directory {
    /// The staffed suite: the brand holds the GTIN (holding 1) and made the first packs.
    fn staffed() -> Self {
        let provenance = (0..STAFFED_PACKS).map(|n| (n, (BRAND, 1, lot()))).collect();
        Self { holder: (BRAND, 1), revoked: Default::default(), restored: Default::default(), provenance }
    }

    fn assign(&mut self, to: u8) {
        self.holder = (to, self.holder.1 + 1);
    }

    fn genuine(&self, n: u32) -> Option<bool> {
        let (_, holding, lot) = self.provenance.get(&n)?;
        Some(!self.revoked.contains(holding) || self.restored.contains(lot))
    }
}

/// Ids the sequence has seen, so steps can name earlier records and counters can be checked.
#[derive(Default)]
struct Seen {
    consents: Vec<ConsentId>,
    grants: Vec<GrantId>,
    anchors: Vec<AnchorId>,
    shipments: Vec<u64>,
    max: [u64; 4],
}

impl Seen {
    /// Invariant 6: a new id of counter `k` is above every id of it seen before.
    fn fresh(&mut self, k: usize, id: u64) -> Result<(), TestCaseError> {
        prop_assert!(id > self.max[k], "counter {} went from {} to {}", k, self.max[k], id);
        self.max[k] = id;
        Ok(())
    }
}

fn nth<T: Copy>(v: &[T], n: usize) -> Option<T> {
    (!v.is_empty()).then(|| v[n % v.len()])
}

fn pack_id(n: u32) -> PackId {
    (GTIN, serial(n))
}

thread_local! {
    /// Whether the step's call was refused (`None`: the step made no call).
    static LAST: RefCell<Option<bool>> = const { RefCell::new(None) };
    /// (accepted, refused) calls per message over the whole run, printed at the end so a run
    /// shows what it exercised.
    static TALLY: RefCell<std::collections::BTreeMap<String, (u32, u32)>> = RefCell::new(Default::default());
}

fn note(refused: bool) {
    LAST.with(|l| *l.borrow_mut() = Some(refused));
}

fn tally(op: &Op) {
    let Some(refused) = LAST.with(|l| l.borrow_mut().take()) else { return };
    let name: String = format!("{op:?}").chars().take_while(|c| c.is_alphanumeric()).collect();
    TALLY.with(|t| {
        let mut t = t.borrow_mut();
        let e = t.entry(name).or_default();
        if refused {
            e.1 += 1;
        } else {
            e.0 += 1;
        }
    });
}

/// One sequence's world: the suite, the contracts' storage roots as of the last step, a mirror
/// of the packs (refreshed after every step that touches them), and the ids seen so far.
struct World<'a> {
    s: &'a mut Suite,
    roots: Vec<Vec<u8>>,
    packs: Vec<Option<Pack>>,
    seen: Seen,
    directory: Directory,
}

impl World<'_> {
    /// Runs a message and checks invariant 1 if it was refused: reverted, no event, and every
    /// contract's storage root as before.
    fn exec<Args, T, E>(&mut self, who: u8, msg: &Msg<Args, Result<T, E>>) -> Result<Option<T>, TestCaseError>
    where
        Args: scale::Encode + Clone,
        T: scale::Decode + core::fmt::Debug,
        E: scale::Decode + core::fmt::Debug,
    {
        let out: Outcome<Result<T, E>> = self.s.chain.call(account(who), msg);
        let events = out.events.len();
        let dispatch_failed = out.value.is_err();
        let value = match out.value {
            Ok(Ok(v)) if !out.reverted => Some(v),
            _ => None,
        };
        note(value.is_none());
        let roots = self.s.roots();
        if value.is_none() {
            prop_assert!(out.reverted || dispatch_failed, "a refusal must revert");
            prop_assert_eq!(events, 0, "a refused call emitted events");
            prop_assert_eq!(&roots, &self.roots, "a refused call changed storage");
        }
        self.roots = roots;
        Ok(value)
    }

    /// Packs in a state `keep` accepts, or every pack when none is.
    fn packs_where(&self, keep: impl Fn(&Pack) -> bool) -> Vec<u32> {
        let fit: Vec<u32> = (0..PACKS).filter(|n| self.packs[*n as usize].as_ref().is_some_and(&keep)).collect();
        if fit.is_empty() {
            (0..PACKS).collect()
        } else {
            fit
        }
    }

    fn pack(&self, n: u32) -> Option<&Pack> {
        self.packs[n as usize].as_ref()
    }

    /// The lot a pack was commissioned in (`lot()` for one that was not).
    fn lot_of(&self, n: u32) -> Vec<u8> {
        self.pack(n).map_or_else(lot, |p| p.lot.clone())
    }

    /// Invariant 7 for every commissioned pack.
    fn check_provenance(&mut self) -> Result<(), TestCaseError> {
        let pl = self.s.at.ledger();
        for n in 0..PACKS {
            let Some(expected) = self.directory.genuine(n) else { continue };
            let lot = self.directory.provenance[&n].2.clone();
            let v = self.s.chain.read(&pl.verify(GTIN, serial(n), lot, EXPIRY));
            prop_assert!(v.verified, "pack {} no longer matches its identifier: {:?}", n, v);
            prop_assert_eq!(
                !v.withdrawn,
                expected,
                "pack {} ({:?}) verifies {} against the directory's history (revoked holdings {:?}, restored lots {:?})",
                n,
                self.directory.provenance[&n],
                if v.withdrawn { "withdrawn" } else { "genuine" },
                self.directory.revoked,
                self.directory.restored
            );
        }
        Ok(())
    }

    /// Invariant 5 for the packs a step touched, then refreshes the mirror.
    fn check_packs(&mut self, caller: u8, touched: &[u32]) -> Result<(), TestCaseError> {
        for n in touched {
            let pl = self.s.at.ledger();
            let new = self.s.chain.read(&pl.pack(GTIN, serial(*n)));
            let (Some(old), Some(new)) = (self.packs[*n as usize].clone(), new) else { continue };
            if old.illegitimate {
                prop_assert_eq!(
                    (new.status, new.custodian, new.illegitimate),
                    (old.status, old.custodian, old.illegitimate),
                    "pack {} changed after it was confirmed illegitimate",
                    n
                );
            }
            // A final pack keeps its status and custodian, but the regulator may still confirm
            // it illegitimate: a destroyed or dispensed pack's serial turning up again is the
            // EMVS "already decommissioned" alert, and a verdict that only narrows is never
            // blocked.
            if old.status.is_final() {
                prop_assert_eq!(
                    (new.status, new.custodian),
                    (old.status, old.custodian),
                    "pack {} left a final state",
                    n
                );
            }
            if (new.status, new.custodian, new.transit) != (old.status, old.custodian, old.transit) {
                let who = account(caller);
                prop_assert!(
                    who == old.custodian || old.transit.is_some_and(|t| t.to == who) || caller == OWNER,
                    "pack {} moved by {}, neither its custodian, its recipient nor the regulator",
                    n,
                    caller
                );
            }
            self.packs[*n as usize] = Some(new);
        }
        Ok(())
    }
}

fn who_is(a: AccountId) -> u8 {
    AsRef::<[u8; 32]>::as_ref(&a)[0]
}

/// Invariants 2 and 3 for one probe.
fn check_decision(
    s: &mut Suite,
    patient: AccountId,
    accessor: AccountId,
    cats: DataCategories,
    purpose: Purpose,
    decision: AccessDecision,
) -> Result<(), TestCaseError> {
    let now = s.chain.now();
    let (reg, bg) = (s.at.reg(), s.at.bg());
    let rules = s.chain.read(&reg.deny_rules_of(patient, 0, 32));
    let hitting: Vec<u64> = rules
        .iter()
        .filter(|r| {
            r.period.from <= now
                && now < r.period.until
                && r.accessor.is_none_or(|x| x == accessor)
                && r.purposes.contains(purpose)
                && r.categories.intersects(cats)
        })
        .map(|r| r.id)
        .collect();
    if !hitting.is_empty() {
        prop_assert!(
            matches!(decision, AccessDecision::Denied(DenyReason::DeniedByRule(id)) if hitting.contains(&id)),
            "deny rules {:?} hit but the decision was {:?}",
            hitting,
            decision
        );
    }
    match decision {
        AccessDecision::PermittedByConsent(id) => {
            let c = s.chain.read(&reg.consent(id));
            prop_assert!(
                c.as_ref().is_some_and(|c| c.patient == patient
                    && c.accessor == accessor
                    && c.revoked_at.is_none()
                    && c.period.from <= now
                    && now < c.period.until
                    && c.categories.contains_all(cats)
                    && c.purposes.contains(purpose)),
                "permit by consent {} is not grounded: {:?}",
                id,
                c
            );
        }
        AccessDecision::PermittedByEmergencyGrant(id) => {
            prop_assert_eq!(purpose, Purpose::EmergencyTreatment);
            let g = s.chain.read(&bg.grant(id));
            prop_assert!(
                g.as_ref().is_some_and(|g| g.patient == patient
                    && g.responder == accessor
                    && g.ended_at.is_none()
                    && now < g.expires_at
                    && g.categories.contains_all(cats)),
                "permit by grant {} is not grounded: {:?}",
                id,
                g
            );
        }
        AccessDecision::Denied(_) => {}
    }
    Ok(())
}

/// The suite staffed for the sequences: two consents, patients letting break-glass open every
/// probed category, an approved study, four supply-chain partners (one a would-be squatter with
/// an open claim on the GTIN), and eight packs at the brand, which holds the GTIN.
fn staffed() -> (Suite, u64, StudyId) {
    let mut s = Suite::new();
    let now = s.chain.now();
    s.grant_lab_for_treatment(PATIENT, PROVIDER).ok().expect("grant");
    s.grant_lab_for_treatment(PATIENT2, RESEARCHER).ok().expect("grant");
    let mut bg = s.at.bg();
    let open = CATEGORIES.iter().fold(DataCategories::NONE, |all, c| all.union(*c));
    for p in PATIENTS {
        s.chain.call(account(p), &bg.set_emergency_preferences(open, false)).ok().expect("preferences");
    }
    let study = s.approved_study(RESEARCHER, DataCategories::LAB_RESULTS, now + 365 * MS_PER_DAY);
    let mut pl = s.at.ledger();
    for (who, role) in [
        (BRAND, PartnerRole::Manufacturer),
        (WHOLESALER, PartnerRole::Wholesaler),
        (PHARMACY, PartnerRole::Dispenser),
        (SQUATTER, PartnerRole::Repackager),
    ] {
        s.chain.call(account(OWNER), &pl.register_partner(account(who), role, [who; 32])).ok().expect("partner");
    }
    s.assign_gtin(account(BRAND), GTIN);
    s.chain
        .call(account(BRAND), &pl.commission(GTIN, lot(), EXPIRY, (0..STAFFED_PACKS).map(serial).collect()))
        .ok()
        .expect("c");
    // The squatter's claim waits: one revocation away from a mistaken approval.
    s.chain.call(account(SQUATTER), &pl.claim_gtin(GTIN, [SQUATTER; 32])).ok().expect("claim");
    let now = s.chain.now();
    (s, now, study)
}

/// Runs one step. `who` is the caller chosen at random, or `None` for the role the message is
/// meant for — for pack messages, the party the chosen pack is waiting on.
fn run_step(w: &mut World, study: StudyId, i: usize, op: &Op, who: Option<u8>) -> Result<(), TestCaseError> {
    let now = w.s.chain.now();
    let (mut reg, mut bg, mut ra, mut pl) = (w.s.at.reg(), w.s.at.bg(), w.s.at.anchor(), w.s.at.ledger());
    let mut res = w.s.at.res();
    let day = MS_PER_DAY;
    let natural = who.unwrap_or_else(|| op.natural());
    match op {
        Op::Grant { patient, accessor, cats, purpose, days } => {
            let msg = reg.grant_consent(
                account(PATIENTS[*patient]),
                account(ACCESSORS[*accessor]),
                CATEGORIES[*cats],
                PurposeSet::of(PURPOSES[*purpose]),
                now,
                now + days * day,
                [7; 32],
            );
            if let Some(id) = w.exec(natural, &msg)? {
                w.seen.fresh(0, id)?;
                w.seen.consents.push(id);
            }
        }
        Op::Revoke { nth: n } => {
            if let Some(id) = nth(&w.seen.consents, *n) {
                w.exec(natural, &reg.revoke_consent(id))?;
            }
        }
        Op::Deny { patient, accessor, cats, purpose } => {
            let msg = reg.add_deny_rule(
                account(PATIENTS[*patient]),
                accessor.map(|x| account(ACCESSORS[x])),
                CATEGORIES[*cats],
                PurposeSet::of(PURPOSES[*purpose]),
                now,
                now + 30 * day,
            );
            w.exec(natural, &msg)?;
        }
        Op::Lift { patient, nth: n } => {
            let rules = w.s.chain.read(&reg.deny_rules_of(account(PATIENTS[*patient]), 0, 32));
            if let Some(rule) = nth(&rules.iter().map(|r| r.id).collect::<Vec<_>>(), *n) {
                w.exec(natural, &reg.remove_deny_rule(account(PATIENTS[*patient]), rule))?;
            }
        }
        Op::Appoint { days } => {
            w.exec(natural, &reg.appoint_delegate(account(DELEGATE), now + days * day))?;
        }
        Op::Dismiss => {
            w.exec(natural, &reg.remove_delegate(account(DELEGATE)))?;
        }
        Op::Record { patient, accessor, cats, purpose } => {
            let (p, a, c, u) =
                (account(PATIENTS[*patient]), account(ACCESSORS[*accessor]), CATEGORIES[*cats], PURPOSES[*purpose]);
            let out = w.s.chain.call(account(natural), &reg.record_access(p, a, c, u));
            note(out.reverted);
            match out.value {
                Ok(Ok(decision)) => {
                    // Invariant 4: the decision returned is the decision on record.
                    let recorded = out.events_of::<AccessRecorded>();
                    prop_assert_eq!(recorded.len(), 1);
                    prop_assert_eq!(recorded[0].decision, decision);
                    prop_assert_eq!((recorded[0].patient, recorded[0].accessor), (p, a));
                    check_decision(w.s, p, a, c, u, decision)?;
                }
                _ => prop_assert!(out.reverted && out.events.is_empty(), "a refused record_access left a trace"),
            }
        }
        Op::Break { patient, cats } => {
            let msg = bg.break_glass(account(PATIENTS[*patient]), CATEGORIES[*cats], [9; 32]);
            if let Some(id) = w.exec(natural, &msg)? {
                w.seen.fresh(1, id)?;
                w.seen.grants.push(id);
            }
        }
        Op::EndGrant { nth: n } => {
            if let Some(id) = nth(&w.seen.grants, *n) {
                w.exec(natural, &bg.end_grant(id))?;
            }
        }
        Op::Review { nth: n, justified } => {
            if let Some(id) = nth(&w.seen.grants, *n) {
                w.exec(natural, &bg.review_grant(id, *justified, [8; 32]))?;
            }
        }
        Op::Suspend => {
            w.exec(natural, &bg.suspend_responder(account(RESPONDER)))?;
        }
        Op::Reinstate => {
            if w.exec(natural, &bg.reinstate_responder(account(RESPONDER)))?.is_some() {
                let r = w.s.chain.read(&bg.responder(account(RESPONDER))).expect("responder");
                prop_assert_eq!(r.status, ResponderStatus::Active);
                prop_assert!(natural != AUTHORITY && natural != RESPONDER, "reinstated by its registrar or itself");
            }
        }
        Op::Request { patient } => {
            w.exec(natural, &res.request_access(study, account(PATIENTS[*patient])))?;
        }
        Op::Answer { patient, approve } => {
            let p = account(PATIENTS[*patient]);
            if *approve {
                if let Some(id) = w.exec(natural, &res.approve_request(p, study, [6; 32]))? {
                    w.seen.fresh(0, id)?;
                    w.seen.consents.push(id);
                }
            } else {
                w.exec(natural, &res.deny_request(p, study))?;
            }
        }
        Op::Block { patient } => {
            w.exec(natural, &res.block_researcher(account(PATIENTS[*patient]), account(RESEARCHER)))?;
        }
        Op::Anchor { patient, hash } => {
            let p = patient.map(|x| account(PATIENTS[x]));
            let cat = if p.is_some() { DataCategories::LAB_RESULTS } else { DataCategories::NONE };
            if let Some(id) = w.exec(natural, &ra.anchor_record([hash + 1; 32], p, cat, None))? {
                w.seen.fresh(2, id)?;
                w.seen.anchors.push(id);
            }
        }
        Op::Retract { nth: n } => {
            if let Some(id) = nth(&w.seen.anchors, *n) {
                w.exec(natural, &ra.mark_entered_in_error(id, [5; 32]))?;
            }
        }
        Op::Ship { packs, to } => {
            // Active packs of one holder, shipped by that holder.
            let active = w.packs_where(|p| p.status == PackStatus::Active);
            let first = active[packs[0] as usize % active.len()];
            let holder = w.pack(first).map(|p| p.custodian);
            let mut chosen: Vec<u32> = vec![first];
            for k in &packs[1..] {
                let n = active[*k as usize % active.len()];
                if !chosen.contains(&n) && w.pack(n).map(|p| p.custodian) == holder {
                    chosen.push(n);
                }
            }
            let caller = who.unwrap_or_else(|| holder.map_or(BRAND, who_is));
            let ids: Vec<PackId> = chosen.iter().map(|n| pack_id(*n)).collect();
            let statement = [(i as u8).wrapping_add(0x40); 32];
            // Never to the holder itself (that refusal is the unit tests' business).
            let to =
                (0..PARTNERS.len()).map(|k| PARTNERS[(to + k) % PARTNERS.len()]).find(|p| Some(account(*p)) != holder);
            if let Some(id) = w.exec(caller, &pl.ship(ids, account(to.unwrap_or(WHOLESALER)), statement))? {
                w.seen.fresh(3, id)?;
                w.seen.shipments.push(id);
            }
            return w.check_packs(caller, &chosen);
        }
        Op::Receive { nth: k, pack, accept } => {
            let moving = w.packs_where(|p| p.transit.is_some());
            let n = moving[*pack as usize % moving.len()];
            let transit = w.pack(n).and_then(|p| p.transit);
            let shipment = transit.map(|t| t.shipment).or_else(|| nth(&w.seen.shipments, *k)).unwrap_or(1);
            let caller = who.unwrap_or_else(|| transit.map_or(WHOLESALER, |t| who_is(t.to)));
            let msg =
                if *accept { pl.receive(shipment, vec![pack_id(n)]) } else { pl.reject(shipment, vec![pack_id(n)]) };
            w.exec(caller, &msg)?;
            return w.check_packs(caller, &[n]);
        }
        Op::Cancel { nth: k, pack } => {
            let moving = w.packs_where(|p| p.transit.is_some());
            let n = moving[*pack as usize % moving.len()];
            let p = w.pack(n).cloned();
            let shipment =
                p.as_ref().and_then(|p| p.transit).map(|t| t.shipment).or_else(|| nth(&w.seen.shipments, *k));
            // The sender after the delay, or the regulator at any time.
            let caller = who.unwrap_or(if *k % 2 == 0 { OWNER } else { p.map_or(BRAND, |p| who_is(p.custodian)) });
            w.exec(caller, &pl.cancel_shipment(shipment.unwrap_or(1), vec![pack_id(n)]))?;
            return w.check_packs(caller, &[n]);
        }
        Op::Dispense { pack } => {
            let at_pharmacy = w.packs_where(|p| p.custodian == account(PHARMACY) && p.transit.is_none());
            let n = at_pharmacy[*pack as usize % at_pharmacy.len()];
            let caller = who.unwrap_or(PHARMACY);
            w.exec(caller, &pl.dispense(GTIN, serial(n), w.lot_of(n), EXPIRY))?;
            return w.check_packs(caller, &[n]);
        }
        Op::Decommission { pack, reason } => {
            let n = *pack % PACKS;
            let caller = who.unwrap_or_else(|| w.pack(n).map_or(BRAND, |p| who_is(p.custodian)));
            w.exec(caller, &pl.decommission(GTIN, serial(n), DecommissionReason::ALL[*reason]))?;
            return w.check_packs(caller, &[n]);
        }
        Op::Undo { pack } => {
            let undoable = w.packs_where(|p| p.status.is_decommissioned() && !p.status.is_final());
            let n = undoable[*pack as usize % undoable.len()];
            let caller = who.unwrap_or_else(|| w.pack(n).map_or(PHARMACY, |p| who_is(p.last_actor)));
            w.exec(caller, &pl.undo(GTIN, serial(n)))?;
            return w.check_packs(caller, &[n]);
        }
        Op::Flag { pack } => {
            let n = *pack % PACKS;
            w.exec(natural, &pl.flag_suspect(GTIN, serial(n), [4; 32]))?;
            return w.check_packs(natural, &[n]);
        }
        Op::Resolve { pack, illegitimate } => {
            let suspect = w.packs_where(|p| p.suspect_evidence.is_some());
            let n = suspect[*pack as usize % suspect.len()];
            let msg = if *illegitimate {
                pl.confirm_illegitimate(GTIN, serial(n))
            } else {
                pl.clear_suspect(GTIN, serial(n))
            };
            w.exec(natural, &msg)?;
            return w.check_packs(natural, &[n]);
        }
        Op::Recall => {
            w.exec(natural, &pl.recall_lot(GTIN, lot()))?;
        }
        Op::Claim { who: k } => {
            w.exec(natural, &pl.claim_gtin(GTIN, [MAKERS[*k]; 32]))?;
        }
        Op::Approve { who: k } => {
            if w.exec(natural, &pl.approve_gtin_claim(GTIN, account(MAKERS[*k])))?.is_some() {
                prop_assert!(
                    w.directory.revoked.contains(&w.directory.holder.1),
                    "a GTIN held by an unrevoked holding was approved to another claim"
                );
                w.directory.assign(MAKERS[*k]);
            }
            return w.check_provenance();
        }
        Op::RejectClaim { who: k } => {
            w.exec(natural, &pl.reject_gtin_claim(GTIN, account(MAKERS[*k])))?;
        }
        Op::Transfer { to, squat } => {
            let kind = if *squat { TransferKind::Squat } else { TransferKind::Sale };
            if w.exec(natural, &pl.transfer_gtin(GTIN, account(MAKERS[*to]), kind))?.is_some() {
                let current = w.directory.holder.1;
                prop_assert!(*squat || !w.directory.revoked.contains(&current), "a revoked holding was sold");
                if *squat {
                    w.directory.revoked.insert(current);
                }
                w.directory.assign(MAKERS[*to]);
            }
            return w.check_provenance();
        }
        Op::RevokeGtin { back } => {
            let holding = w.directory.holder.1.saturating_sub(*back);
            if w.exec(natural, &pl.revoke_gtin(GTIN, holding))?.is_some() {
                prop_assert!(holding >= 1, "holding {} was revoked", holding);
                w.directory.revoked.insert(holding);
            }
            return w.check_provenance();
        }
        Op::Restore { lot: k } => {
            if w.exec(natural, &pl.restore_lot(GTIN, lot_name(*k)))?.is_some() {
                w.directory.restored.insert(lot_name(*k));
            }
            return w.check_provenance();
        }
        Op::Commission { lot: k, count } => {
            let first = (0..PACKS).find(|n| !w.directory.provenance.contains_key(n)).unwrap_or(PACKS);
            let serials: Vec<u32> = (first..(first + count).min(PACKS)).collect();
            if serials.is_empty() {
                return Ok(());
            }
            let caller = who.unwrap_or(w.directory.holder.0);
            let msg = pl.commission(GTIN, lot_name(*k), EXPIRY, serials.iter().map(|n| serial(*n)).collect());
            if w.exec(caller, &msg)?.is_some() {
                let (holder, holding) = w.directory.holder;
                prop_assert!(
                    caller == holder && !w.directory.revoked.contains(&holding),
                    "{} commissioned while {} held holding {} (revoked: {:?})",
                    caller,
                    holder,
                    holding,
                    w.directory.revoked
                );
                for n in &serials {
                    w.directory.provenance.insert(*n, (caller, holding, lot_name(*k)));
                    w.packs[*n as usize] = w.s.chain.read(&pl.pack(GTIN, serial(*n)));
                }
            }
            return w.check_provenance();
        }
        Op::Advance { hours } => {
            w.s.chain.advance(hours * 3_600_000);
        }
        Op::Pause { contract, paused } => {
            match contract {
                0 => w.exec(natural, &reg.set_paused(*paused))?,
                1 => w.exec(natural, &bg.set_paused(*paused))?,
                2 => w.exec(natural, &ra.set_paused(*paused))?,
                _ => w.exec(natural, &pl.set_paused(*paused))?,
            };
        }
    }
    // A probe that rotates through patients, accessors, categories and purposes.
    let (p, a, c, u) = (
        account(PATIENTS[i % PATIENTS.len()]),
        account(ACCESSORS[i % ACCESSORS.len()]),
        CATEGORIES[i % CATEGORIES.len()],
        PURPOSES[(i / 2) % PURPOSES.len()],
    );
    let decision = w.s.chain.read(&reg.check_access(p, a, c, u));
    check_decision(w.s, p, a, c, u, decision)
}

#[test]
fn random_sequences_keep_every_invariant() {
    let cases = std::env::var("CARECHAIN_STATEFUL_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(500);
    let (mut suite, start, study) = staffed();
    let snapshot = suite.chain.snapshot();
    let roots = suite.roots();
    let packs: Vec<Option<Pack>> = (0..PACKS)
        .map(|n| {
            let pl = suite.at.ledger();
            suite.chain.read(&pl.pack(GTIN, serial(n)))
        })
        .collect();
    let directory = Directory::staffed();
    let suite = RefCell::new(suite);
    let config = Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("tests/stateful.proptest-regressions"))),
        // Shrinking replays whole sequences; a few hundred tries find a short one.
        max_shrink_iters: 400,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&proptest::collection::vec(arb_step(), STEPS), |steps| {
        let mut s = suite.borrow_mut();
        s.chain.restore(snapshot.clone(), start);
        let mut world = World {
            s: &mut s,
            roots: roots.clone(),
            packs: packs.clone(),
            seen: Seen::default(),
            directory: directory.clone(),
        };
        for (i, (op, who)) in steps.iter().enumerate() {
            run_step(&mut world, study, i, op, who.map(|k| ACTORS[k]))?;
            tally(op);
        }
        Ok(())
    });
    TALLY.with(|t| {
        let t = t.borrow();
        let (ok, no) = t.values().fold((0, 0), |(a, b), (x, y)| (a + x, b + y));
        println!("{cases} sequences of {STEPS} steps: {ok} calls accepted, {no} refused");
        for (msg, (ok, no)) in t.iter() {
            println!("  {msg:<14} accepted {ok:>6}  refused {no:>6}");
        }
    });
    if let Err(e) = result {
        panic!("{e}\n(the failing seed is kept in e2e-tests/tests/stateful.proptest-regressions)");
    }
}
