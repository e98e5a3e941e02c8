//! The pack lifecycle (EU FMD / EMVS states, DSCSA custody) as pure state logic.
//!
//! [`next`] is the whole state machine as one table over (status, action). [`Pack::apply`]
//! adds who may act and the pack-level conditions (quarantine, recall, product withdrawal,
//! expiry, the 10-day undo window, the shipment a receipt answers). A dispense or decommission
//! of an already-decommissioned pack is not an error but an *alert* — a possible falsified
//! clone — which the contract records while the pack stays as is.
//!
//! EMVS undo: only by the actor who made the change, within 10 days, never for a pack that is
//! expired, recalled, withdrawn (its holding of the GTIN revoked) or quarantined, and never out of
//! destroyed, stolen or exported (those states are final).

use crate::errors::Error;
use carechain_shared::{Hash32, Timestamp, MS_PER_DAY};

/// A shipment: the packs one `ship` call moved, so receipts and cancellations name it.
pub type ShipmentId = u64;
use ink::prelude::vec::Vec;
use ink::primitives::AccountId;

/// EMVS: an undo is accepted only within 10 days, and only from the actor who decommissioned.
pub const UNDO_WINDOW: Timestamp = 10 * MS_PER_DAY;
/// A shipment its recipient has neither received nor rejected may be cancelled by its sender
/// after this long (the regulator may cancel at any time).
pub const SHIPMENT_CANCEL_DELAY: Timestamp = 14 * MS_PER_DAY;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum PackStatus {
    /// Commissioned and available in the supply chain.
    Active,
    /// Shipped, awaiting the recipient's receipt or rejection.
    InTransit,
    /// Supplied to the patient (EMVS "supplied").
    Dispensed,
    Destroyed,
    Stolen,
    Exported,
    Sample,
    FreeSample,
    Locked,
}

impl PackStatus {
    pub const ALL: [PackStatus; 9] = [
        PackStatus::Active,
        PackStatus::InTransit,
        PackStatus::Dispensed,
        PackStatus::Destroyed,
        PackStatus::Stolen,
        PackStatus::Exported,
        PackStatus::Sample,
        PackStatus::FreeSample,
        PackStatus::Locked,
    ];

    pub const fn is_decommissioned(self) -> bool {
        !matches!(self, PackStatus::Active | PackStatus::InTransit)
    }

    /// States nothing leads out of.
    pub const fn is_final(self) -> bool {
        matches!(self, PackStatus::Destroyed | PackStatus::Stolen | PackStatus::Exported)
    }
}

/// Why a custodian takes a pack out of the supply chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum DecommissionReason {
    Destroyed,
    Stolen,
    Exported,
    Sample,
    FreeSample,
    Locked,
}

impl DecommissionReason {
    pub const ALL: [DecommissionReason; 6] = [
        DecommissionReason::Destroyed,
        DecommissionReason::Stolen,
        DecommissionReason::Exported,
        DecommissionReason::Sample,
        DecommissionReason::FreeSample,
        DecommissionReason::Locked,
    ];

    pub const fn status(self) -> PackStatus {
        match self {
            DecommissionReason::Destroyed => PackStatus::Destroyed,
            DecommissionReason::Stolen => PackStatus::Stolen,
            DecommissionReason::Exported => PackStatus::Exported,
            DecommissionReason::Sample => PackStatus::Sample,
            DecommissionReason::FreeSample => PackStatus::FreeSample,
            DecommissionReason::Locked => PackStatus::Locked,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Action {
    Ship,
    Receive,
    Reject,
    Dispense,
    Decommission(DecommissionReason),
    Undo,
    /// An unreceived shipment goes back to its sender (the sender after the delay, or the regulator).
    Cancel,
}

impl Action {
    pub const ALL: [Action; 12] = [
        Action::Ship,
        Action::Receive,
        Action::Reject,
        Action::Dispense,
        Action::Decommission(DecommissionReason::Destroyed),
        Action::Decommission(DecommissionReason::Stolen),
        Action::Decommission(DecommissionReason::Exported),
        Action::Decommission(DecommissionReason::Sample),
        Action::Decommission(DecommissionReason::FreeSample),
        Action::Decommission(DecommissionReason::Locked),
        Action::Undo,
        Action::Cancel,
    ];

    /// Actions that put a pack (back) into supply: refused for quarantined, recalled,
    /// withdrawn or expired packs.
    pub const fn supplies(self) -> bool {
        matches!(self, Action::Ship | Action::Dispense | Action::Undo)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Transition {
    To(PackStatus),
    /// Dispensing or decommissioning an already-decommissioned pack: record an alert, change nothing.
    Alert,
}

/// The state machine, as one table.
pub fn next(status: PackStatus, action: Action) -> Result<Transition, Error> {
    use Action as A;
    use PackStatus as S;
    match (status, action) {
        (S::Active, A::Ship) => Ok(Transition::To(S::InTransit)),
        (S::InTransit, A::Receive | A::Reject | A::Cancel) => Ok(Transition::To(S::Active)),
        (S::Active, A::Dispense) => Ok(Transition::To(S::Dispensed)),
        (S::Active, A::Decommission(reason)) => Ok(Transition::To(reason.status())),
        (S::InTransit, A::Dispense | A::Decommission(_)) => Err(Error::PackInTransit),
        (s, A::Dispense | A::Decommission(_)) if s.is_decommissioned() => Ok(Transition::Alert),
        (S::Dispensed | S::Sample | S::FreeSample | S::Locked, A::Undo) => Ok(Transition::To(S::Active)),
        (_, A::Undo) => Err(Error::NotUndoable),
        (_, A::Ship) => Err(Error::PackNotActive),
        (_, A::Receive | A::Reject | A::Cancel) => Err(Error::NotInTransit),
        // Unreachable: every (status, Dispense | Decommission) pair is matched above.
        (_, A::Dispense | A::Decommission(_)) => Err(Error::PackNotActive),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Pack {
    /// Batch/lot (AI 10) and expiry (AI 17, YYMMDD) as commissioned.
    pub lot: Vec<u8>,
    pub expiry: u32,
    pub status: PackStatus,
    /// Who holds the pack; while in transit, still the sender.
    pub custodian: AccountId,
    /// While in transit: the recipient and the shipment.
    pub transit: Option<Transit>,
    /// Who made the last status change, and when: the undo rule needs both.
    pub last_actor: AccountId,
    pub last_change_at: Timestamp,
    /// Flagged suspect (DSCSA): quarantined until the regulator clears it.
    pub suspect_evidence: Option<Hash32>,
    /// Confirmed illegitimate by the regulator: final.
    pub illegitimate: bool,
}

/// Where a pack in transit is going, and in which shipment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Transit {
    pub to: AccountId,
    pub shipment: ShipmentId,
}

/// What the contract knows about the pack's surroundings when an action is tried.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    pub now: Timestamp,
    pub recalled: bool,
    pub expired: bool,
    /// The holding of the GTIN the pack was commissioned under was revoked by the regulator,
    /// and its lot not restored (EMVS "withdrawn").
    pub withdrawn: bool,
    /// The shipment a receive, reject or cancel names.
    pub shipment: Option<ShipmentId>,
    /// The regulator is acting (only for cancelling a shipment).
    pub by_regulator: bool,
}

impl Pack {
    pub fn commissioned(manufacturer: AccountId, lot: Vec<u8>, expiry: u32, now: Timestamp) -> Self {
        Self {
            lot,
            expiry,
            status: PackStatus::Active,
            custodian: manufacturer,
            transit: None,
            last_actor: manufacturer,
            last_change_at: now,
            suspect_evidence: None,
            illegitimate: false,
        }
    }

    /// Tries `action` by `actor`. On `Ok(To(..))` the pack has changed; on `Ok(Alert)` and on
    /// any error it is untouched. Role checks (e.g. only dispensers dispense) are the shell's.
    pub fn apply(&mut self, actor: AccountId, action: Action, ctx: Context) -> Result<Transition, Error> {
        if self.illegitimate {
            return Err(Error::Illegitimate);
        }
        let transition = next(self.status, action)?;
        let Transition::To(status) = transition else { return Ok(Transition::Alert) };
        match action {
            Action::Ship | Action::Dispense | Action::Decommission(_) if actor != self.custodian => {
                return Err(Error::NotCustodian)
            }
            Action::Receive | Action::Reject if self.transit.map(|t| t.to) != Some(actor) => {
                return Err(Error::NotPendingRecipient)
            }
            Action::Cancel if !ctx.by_regulator && actor != self.custodian => return Err(Error::NotCustodian),
            Action::Cancel
                if !ctx.by_regulator && ctx.now < self.last_change_at.saturating_add(SHIPMENT_CANCEL_DELAY) =>
            {
                return Err(Error::ShipmentNotOverdue)
            }
            Action::Undo if actor != self.last_actor => return Err(Error::DifferentActor),
            Action::Undo if ctx.now >= self.last_change_at.saturating_add(UNDO_WINDOW) => {
                return Err(Error::UndoWindowPassed)
            }
            _ => {}
        }
        if matches!(action, Action::Receive | Action::Reject | Action::Cancel)
            && self.transit.map(|t| t.shipment) != ctx.shipment
        {
            return Err(Error::NotInShipment);
        }
        if action.supplies() {
            if self.suspect_evidence.is_some() {
                return Err(Error::Quarantined);
            }
            if ctx.recalled {
                return Err(Error::Recalled);
            }
            if ctx.withdrawn {
                return Err(Error::Withdrawn);
            }
            if ctx.expired {
                return Err(Error::Expired);
            }
        }
        self.status = status;
        self.last_actor = actor;
        self.last_change_at = ctx.now;
        if action == Action::Receive {
            self.custodian = actor;
        }
        if matches!(action, Action::Receive | Action::Reject | Action::Cancel) {
            self.transit = None;
        }
        Ok(transition)
    }

    /// Ship names the recipient and the shipment; call after a successful `apply(Ship)`.
    pub fn set_transit(&mut self, to: AccountId, shipment: ShipmentId) {
        self.transit = Some(Transit { to, shipment });
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use PackStatus as S;

    fn acct(b: u8) -> AccountId {
        AccountId::from([b; 32])
    }

    /// The expected answer for every (status, action) pair, written out independently of `next`.
    fn expected(status: PackStatus, action: Action) -> Result<Transition, Error> {
        let decommissioned = !matches!(status, S::Active | S::InTransit);
        Ok(match action {
            Action::Ship if status == S::Active => Transition::To(S::InTransit),
            Action::Ship => return Err(Error::PackNotActive),
            Action::Receive | Action::Reject if status == S::InTransit => Transition::To(S::Active),
            Action::Receive | Action::Reject => return Err(Error::NotInTransit),
            Action::Dispense | Action::Decommission(_) if status == S::InTransit => return Err(Error::PackInTransit),
            Action::Dispense | Action::Decommission(_) if decommissioned => Transition::Alert,
            Action::Dispense => Transition::To(S::Dispensed),
            Action::Decommission(r) => Transition::To(r.status()),
            Action::Undo if matches!(status, S::Dispensed | S::Sample | S::FreeSample | S::Locked) => {
                Transition::To(S::Active)
            }
            Action::Undo => return Err(Error::NotUndoable),
            Action::Cancel if status == S::InTransit => Transition::To(S::Active),
            Action::Cancel => return Err(Error::NotInTransit),
        })
    }

    #[test]
    fn transition_table_covers_every_pair() {
        let mut pairs = 0;
        for status in PackStatus::ALL {
            for action in Action::ALL {
                assert_eq!(next(status, action), expected(status, action), "{status:?} × {action:?}");
                pairs += 1;
            }
        }
        assert_eq!(pairs, 9 * 12);
    }

    #[test]
    fn final_states_only_raise_alerts() {
        for status in PackStatus::ALL.into_iter().filter(|s| s.is_final()) {
            for action in Action::ALL {
                assert!(
                    !matches!(next(status, action), Ok(Transition::To(_))),
                    "{status:?} × {action:?} left a final state"
                );
            }
        }
    }

    fn ctx(now: Timestamp) -> Context {
        Context { now, ..Context::default() }
    }

    fn in_shipment(now: Timestamp, shipment: ShipmentId) -> Context {
        Context { now, shipment: Some(shipment), ..Context::default() }
    }

    #[test]
    fn custody_rules() {
        let mut p = Pack::commissioned(acct(1), b"L1".to_vec(), 271231, 0);
        assert_eq!(p.apply(acct(2), Action::Ship, ctx(1)), Err(Error::NotCustodian));
        assert_eq!(p.apply(acct(1), Action::Ship, ctx(1)), Ok(Transition::To(S::InTransit)));
        p.set_transit(acct(2), 7);
        assert_eq!(p.apply(acct(3), Action::Receive, in_shipment(2, 7)), Err(Error::NotPendingRecipient));
        assert_eq!(p.apply(acct(2), Action::Receive, in_shipment(2, 8)), Err(Error::NotInShipment));
        let mut rejected = p.clone();
        assert_eq!(rejected.apply(acct(2), Action::Reject, in_shipment(2, 7)), Ok(Transition::To(S::Active)));
        assert_eq!((rejected.custodian, rejected.transit), (acct(1), None), "returned to sender");
        assert_eq!(p.apply(acct(2), Action::Receive, in_shipment(2, 7)), Ok(Transition::To(S::Active)));
        assert_eq!((p.custodian, p.transit), (acct(2), None));
    }

    #[test]
    fn an_unreceived_shipment_can_be_cancelled_after_the_delay_or_by_the_regulator() {
        let mut p = Pack::commissioned(acct(1), b"L1".to_vec(), 271231, 0);
        p.apply(acct(1), Action::Ship, ctx(100)).unwrap();
        p.set_transit(acct(2), 7);
        let due = 100 + SHIPMENT_CANCEL_DELAY;
        assert_eq!(p.clone().apply(acct(1), Action::Cancel, in_shipment(due - 1, 7)), Err(Error::ShipmentNotOverdue));
        assert_eq!(
            p.clone().apply(acct(2), Action::Cancel, in_shipment(due, 7)),
            Err(Error::NotCustodian),
            "the recipient rejects instead"
        );
        assert_eq!(p.clone().apply(acct(1), Action::Cancel, in_shipment(due, 8)), Err(Error::NotInShipment));
        let regulator = Context { by_regulator: true, ..in_shipment(101, 7) };
        let mut returned = p.clone();
        assert_eq!(returned.apply(acct(9), Action::Cancel, regulator), Ok(Transition::To(S::Active)));
        assert_eq!((returned.custodian, returned.transit), (acct(1), None));
        // Recalled or suspect packs can be cancelled too: the sender gets them back to destroy.
        let mut recalled = p.clone();
        let late = Context { recalled: true, ..in_shipment(due, 7) };
        assert_eq!(recalled.apply(acct(1), Action::Cancel, late), Ok(Transition::To(S::Active)));
    }

    #[test]
    fn quarantine_recall_and_expiry_block_ship_and_dispense() {
        let p = Pack::commissioned(acct(1), b"L1".to_vec(), 271231, 0);
        let suspect = Pack { suspect_evidence: Some([1; 32]), ..p.clone() };
        for action in [Action::Ship, Action::Dispense] {
            assert_eq!(suspect.clone().apply(acct(1), action, ctx(1)), Err(Error::Quarantined));
            assert_eq!(p.clone().apply(acct(1), action, Context { recalled: true, ..ctx(1) }), Err(Error::Recalled));
            assert_eq!(p.clone().apply(acct(1), action, Context { withdrawn: true, ..ctx(1) }), Err(Error::Withdrawn));
            assert_eq!(p.clone().apply(acct(1), action, Context { expired: true, ..ctx(1) }), Err(Error::Expired));
        }
        // A suspect or recalled pack can still be destroyed by its custodian.
        let mut s = suspect.clone();
        assert_eq!(
            s.apply(acct(1), Action::Decommission(DecommissionReason::Destroyed), Context { recalled: true, ..ctx(1) }),
            Ok(Transition::To(S::Destroyed))
        );
        let mut bad = Pack { illegitimate: true, ..p };
        assert_eq!(
            bad.apply(acct(1), Action::Decommission(DecommissionReason::Destroyed), ctx(1)),
            Err(Error::Illegitimate)
        );
    }

    #[test]
    fn undo_within_ten_days_by_the_same_actor() {
        let mut p = Pack::commissioned(acct(1), b"L1".to_vec(), 271231, 0);
        p.apply(acct(1), Action::Dispense, ctx(100)).unwrap();
        assert_eq!(p.clone().apply(acct(2), Action::Undo, ctx(101)), Err(Error::DifferentActor));
        assert_eq!(p.clone().apply(acct(1), Action::Undo, ctx(100 + UNDO_WINDOW)), Err(Error::UndoWindowPassed));
        assert_eq!(p.apply(acct(1), Action::Undo, ctx(100 + UNDO_WINDOW - 1)), Ok(Transition::To(S::Active)));
        // EMVS: never undone once expired, recalled, withdrawn or quarantined.
        let mut d = p.clone();
        d.apply(acct(1), Action::Dispense, ctx(100)).unwrap();
        for (blocked, err) in [
            (Context { expired: true, ..ctx(101) }, Error::Expired),
            (Context { recalled: true, ..ctx(101) }, Error::Recalled),
            (Context { withdrawn: true, ..ctx(101) }, Error::Withdrawn),
        ] {
            assert_eq!(d.clone().apply(acct(1), Action::Undo, blocked), Err(err));
        }
        let suspect = Pack { suspect_evidence: Some([1; 32]), ..d.clone() };
        assert_eq!(suspect.clone().apply(acct(1), Action::Undo, ctx(101)), Err(Error::Quarantined));
        // …and never out of a final state.
        let mut destroyed = Pack::commissioned(acct(1), b"L1".to_vec(), 271231, 0);
        destroyed.apply(acct(1), Action::Decommission(DecommissionReason::Destroyed), ctx(100)).unwrap();
        assert_eq!(destroyed.apply(acct(1), Action::Undo, ctx(101)), Err(Error::NotUndoable));
        // A clone dispensed again raises an alert and changes nothing.
        p.apply(acct(1), Action::Dispense, ctx(200)).unwrap();
        let before = p.clone();
        assert_eq!(p.apply(acct(9), Action::Dispense, ctx(300)), Ok(Transition::Alert));
        assert_eq!(p, before);
    }

    fn arb_action() -> impl Strategy<Value = Action> {
        proptest::sample::select(Action::ALL.to_vec())
    }

    proptest! {
        /// No sequence of actions by accounts that are neither custodian, pending recipient nor
        /// the last actor changes a pack; alerts never change it either.
        #[test]
        fn outsiders_never_change_a_pack(
            setup in proptest::collection::vec((arb_action(), 1u8..4), 0..12),
            attempts in proptest::collection::vec((arb_action(), 10u8..20, 0u64..SHIPMENT_CANCEL_DELAY), 1..20),
        ) {
            let mut p = Pack::commissioned(acct(1), b"L1".to_vec(), 271231, 0);
            let mut now = 0;
            for (action, who) in setup {
                now += 1;
                let shipment = p.transit.map(|t| t.shipment);
                if p.apply(acct(who), action, Context { shipment, ..ctx(now) }) == Ok(Transition::To(S::InTransit)) {
                    p.set_transit(acct(who % 3 + 1), now);
                }
            }
            for (action, outsider, dt) in attempts {
                let before = p.clone();
                let shipment = p.transit.map(|t| t.shipment);
                let r = p.apply(acct(outsider), action, Context { shipment, ..ctx(now + dt * 10) });
                prop_assert!(matches!(r, Err(_) | Ok(Transition::Alert)), "{:?} by an outsider gave {:?}", action, r);
                prop_assert_eq!(&p, &before);
            }
        }

        /// Once in a final state, no action by anyone leaves it.
        #[test]
        fn final_state_is_never_left(
            reason in proptest::sample::select(vec![DecommissionReason::Destroyed, DecommissionReason::Stolen, DecommissionReason::Exported]),
            attempts in proptest::collection::vec((arb_action(), 1u8..4, 0u64..UNDO_WINDOW * 2), 1..30),
        ) {
            let mut p = Pack::commissioned(acct(1), b"L1".to_vec(), 271231, 0);
            p.apply(acct(1), Action::Decommission(reason), ctx(1)).unwrap();
            for (action, who, t) in attempts {
                let _ = p.apply(acct(who), action, Context { by_regulator: who == 1, ..ctx(1 + t) });
                prop_assert_eq!(p.status, reason.status());
            }
        }
    }
}
