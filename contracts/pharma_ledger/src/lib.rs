//! pharma_ledger: serialized drug packs from commissioning to dispensing (EU FMD / EMVS,
//! US DSCSA, GS1).
//!
//! The regulator (owner) registers trading partners; manufacturers register their GTINs and
//! commission serials; custodians ship (the transaction statement is anchored in
//! record_anchor), recipients receive or reject; dispensers dispense; custodians
//! decommission; anyone verifies a pack. The state machine is one table in [`pack`]; GS1
//! checks are in [`gs1`]; the rest of the rules in [`data`].
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod data;
pub mod errors;
pub mod events;
pub mod gs1;
pub mod pack;

pub use errors::{Error, Result};

// ink!'s generated dispatcher contains `panic!`s attributed to our items; our own code is
// still held to unwrap_used, expect_used, indexing_slicing and arithmetic_side_effects.
#[ink::contract]
#[allow(clippy::panic)]
pub mod pharma_ledger {
    use crate::data::{self, Lot, NoMatch, Partner, PartnerRole, Verification};
    use crate::errors::{Error, Result};
    use crate::events::*;
    use crate::gs1::{self, Gtin};
    use crate::pack::{Action, Context, DecommissionReason, Pack, Transition};
    use carechain_shared::events::{
        CodeUpgraded, OwnershipTransferStarted, OwnershipTransferred, PauseChanged, PeerWired,
    };
    use carechain_shared::traits::RecordAnchoring;
    use carechain_shared::{Admin, AnchorId, Hash32, ZERO_HASH};
    use ink::codegen::TraitCallBuilder;
    use ink::prelude::vec::Vec;
    use ink::storage::{traits::ManualKey, Lazy, Mapping};

    /// A pack's key: GTIN-14 and serial (AI 21).
    pub type PackId = (Gtin, Vec<u8>);
    /// A lot's key: GTIN-14 and batch/lot (AI 10).
    pub type LotId = (Gtin, Vec<u8>);

    #[ink(storage)]
    pub struct PharmaLedger {
        admin: Lazy<Admin, ManualKey<0xF000_0001>>,
        record_anchor: Lazy<Option<AccountId>, ManualKey<0xF000_0002>>,
        partners: Mapping<AccountId, Partner, ManualKey<0xF000_0010>>,
        /// GTIN directory: who owns each product code.
        gtins: Mapping<Gtin, AccountId, ManualKey<0xF000_0011>>,
        /// Per (GTIN, lot): expiry and recall flag, so a recall is one write.
        lots: Mapping<LotId, Lot, ManualKey<0xF000_0012>>,
        packs: Mapping<PackId, Pack, ManualKey<0xF000_0020>>,
    }

    impl PharmaLedger {
        /// The deployer becomes owner (the regulator); `record_anchor` may be wired now or later.
        #[ink(constructor)]
        pub fn new(record_anchor: Option<AccountId>) -> Self {
            let mut this = Self {
                admin: Lazy::new(),
                record_anchor: Lazy::new(),
                partners: Mapping::new(),
                gtins: Mapping::new(),
                lots: Mapping::new(),
                packs: Mapping::new(),
            };
            this.admin.set(&Admin::new(Self::env().caller()));
            this.record_anchor.set(&record_anchor);
            this
        }

        // ----- regulator ----------------------------------------------------------------

        #[ink(message)]
        pub fn register_partner(&mut self, partner: AccountId, role: PartnerRole, licence_hash: Hash32) -> Result<()> {
            self.load_admin().ensure_owner(self.env().caller())?;
            if licence_hash == ZERO_HASH {
                return Err(Error::ZeroHash);
            }
            if self.partners.contains(partner) {
                return Err(Error::AlreadyPartner);
            }
            self.partners.insert(partner, &Partner { role, licence_hash, suspended: false });
            self.env().emit_event(PartnerRegistered { partner, role, licence_hash });
            Ok(())
        }

        /// A suspended partner can do nothing until reinstated.
        #[ink(message)]
        pub fn set_partner_suspended(&mut self, partner: AccountId, suspended: bool) -> Result<()> {
            self.load_admin().ensure_owner(self.env().caller())?;
            let mut record = self.partners.get(partner).ok_or(Error::NotPartner)?;
            if record.suspended == suspended {
                return Err(Error::Unchanged);
            }
            record.suspended = suspended;
            self.partners.insert(partner, &record);
            self.env().emit_event(PartnerSuspensionChanged { partner, suspended });
            Ok(())
        }

        /// The regulator lifts a suspect pack's quarantine.
        #[ink(message)]
        pub fn clear_suspect(&mut self, gtin: Gtin, serial: Vec<u8>) -> Result<()> {
            self.resolve_suspect(gtin, serial, false)
        }

        /// The regulator confirms a suspect pack illegitimate: final, the pack can never move.
        #[ink(message)]
        pub fn confirm_illegitimate(&mut self, gtin: Gtin, serial: Vec<u8>) -> Result<()> {
            self.resolve_suspect(gtin, serial, true)
        }

        // ----- manufacturers ------------------------------------------------------------

        /// A manufacturer (or repackager) claims a GTIN; each GTIN has one owner.
        #[ink(message)]
        pub fn register_gtin(&mut self, gtin: Gtin) -> Result<()> {
            let (owner, partner) = self.ensure_partner()?;
            if !partner.role.owns_gtins() {
                return Err(Error::WrongRole);
            }
            data::check_gtin(&gtin)?;
            if self.gtins.contains(gtin) {
                return Err(Error::GtinTaken);
            }
            self.gtins.insert(gtin, &owner);
            self.env().emit_event(GtinRegistered { owner, gtin });
            Ok(())
        }

        /// Commissions up to `MAX_COMMISSION` serials of one (GTIN, lot, expiry), all or
        /// nothing: a bad or duplicate serial refuses the call with its index.
        #[ink(message)]
        pub fn commission(&mut self, gtin: Gtin, lot: Vec<u8>, expiry: u32, serials: Vec<Vec<u8>>) -> Result<u32> {
            let (manufacturer, _) = self.ensure_partner()?;
            if self.gtins.get(gtin).ok_or(Error::UnknownGtin)? != manufacturer {
                return Err(Error::NotGtinOwner);
            }
            data::validate_commission(&lot, expiry, &serials)?;
            let lot_key = (gtin, lot.clone());
            let existing_lot = self.lots.get(&lot_key);
            match existing_lot {
                Some(l) if l.expiry != expiry => return Err(Error::LotExpiryMismatch),
                Some(l) if l.recalled => return Err(Error::Recalled),
                _ => {}
            }
            for (i, serial) in serials.iter().enumerate() {
                if self.packs.contains((gtin, serial.clone())) {
                    return Err(Error::DuplicateSerial(u32::try_from(i).unwrap_or(u32::MAX)));
                }
            }
            if existing_lot.is_none() {
                self.lots.insert(&lot_key, &Lot { expiry, recalled: false });
            }
            let now = self.env().block_timestamp();
            let count = u32::try_from(serials.len()).unwrap_or(u32::MAX);
            for serial in serials {
                self.packs.insert((gtin, serial), &Pack::commissioned(manufacturer, lot.clone(), expiry, now));
            }
            self.env().emit_event(BatchCommissioned { manufacturer, gtin, lot, expiry, count });
            Ok(count)
        }

        /// The GTIN's owner or the regulator recalls a whole lot in one write: every pack of it
        /// verifies as recalled and can no longer be shipped or dispensed.
        #[ink(message)]
        pub fn recall_lot(&mut self, gtin: Gtin, lot: Vec<u8>) -> Result<()> {
            let admin = self.load_admin();
            admin.ensure_running()?;
            let caller = self.env().caller();
            let owner = self.gtins.get(gtin).ok_or(Error::UnknownGtin)?;
            if caller != admin.owner {
                let (partner, _) = self.ensure_partner()?;
                if partner != owner {
                    return Err(Error::NotGtinOwner);
                }
            }
            let key = (gtin, lot.clone());
            let mut record = self.lots.get(&key).ok_or(Error::InvalidLot)?;
            if record.recalled {
                return Err(Error::AlreadyRecalled);
            }
            record.recalled = true;
            self.lots.insert(&key, &record);
            self.env().emit_event(LotRecalled { by: caller, gtin, lot });
            Ok(())
        }

        // ----- custody ------------------------------------------------------------------

        /// The custodian ships up to `MAX_CUSTODY_BATCH` packs to an active partner; the
        /// transaction statement's hash is anchored in record_anchor on the shipper's behalf.
        #[ink(message)]
        pub fn ship(&mut self, packs: Vec<PackId>, to: AccountId, statement_hash: Hash32) -> Result<AnchorId> {
            let (from, _) = self.ensure_partner()?;
            if statement_hash == ZERO_HASH {
                return Err(Error::ZeroHash);
            }
            if to == from || self.partners.get(to).is_none_or(|p| p.suspended) {
                return Err(Error::InvalidRecipient);
            }
            let mut moved = self.apply_to_batch(&packs, from, Action::Ship)?;
            for (_, pack) in moved.iter_mut() {
                pack.set_recipient(to);
            }
            let anchor_id = self.anchor_statement(statement_hash, from)?;
            let count = self.store_batch(moved);
            self.env().emit_event(PacksShipped { from, to, count, statement_hash, anchor_id });
            Ok(anchor_id)
        }

        /// The pending recipient takes custody of shipped packs.
        #[ink(message)]
        pub fn receive(&mut self, packs: Vec<PackId>) -> Result<()> {
            self.settle(packs, Action::Receive)
        }

        /// The pending recipient refuses shipped packs; they return to the sender's custody.
        #[ink(message)]
        pub fn reject(&mut self, packs: Vec<PackId>) -> Result<()> {
            self.settle(packs, Action::Reject)
        }

        // ----- dispensing and decommissioning --------------------------------------------

        /// A dispenser holding custody supplies a pack, after the full identifier (GTIN,
        /// serial, lot, expiry) matched. An already-decommissioned pack raises an alert
        /// instead: the call succeeds so the alert is on record, and the pack does not change.
        #[ink(message)]
        pub fn dispense(&mut self, gtin: Gtin, serial: Vec<u8>, lot: Vec<u8>, expiry: u32) -> Result<Transition> {
            let (dispenser, partner) = self.ensure_partner()?;
            if partner.role != PartnerRole::Dispenser {
                return Err(Error::WrongRole);
            }
            let pack = self.load_pack(gtin, &serial)?;
            if pack.lot != lot || pack.expiry != expiry {
                return Err(Error::IdentifierMismatch);
            }
            self.act_on_one(gtin, serial, pack, dispenser, Action::Dispense)
        }

        /// The custodian takes a pack out of the supply chain (destroyed, stolen and exported
        /// are final). An already-decommissioned pack raises an alert instead.
        #[ink(message)]
        pub fn decommission(&mut self, gtin: Gtin, serial: Vec<u8>, reason: DecommissionReason) -> Result<Transition> {
            let (actor, _) = self.ensure_partner()?;
            let pack = self.load_pack(gtin, &serial)?;
            self.act_on_one(gtin, serial, pack, actor, Action::Decommission(reason))
        }

        /// Reverts a dispense (or a sample, free sample or lock) within 10 days, by the same actor.
        #[ink(message)]
        pub fn undo(&mut self, gtin: Gtin, serial: Vec<u8>) -> Result<Transition> {
            let (actor, _) = self.ensure_partner()?;
            let pack = self.load_pack(gtin, &serial)?;
            self.act_on_one(gtin, serial, pack, actor, Action::Undo)
        }

        /// Any active partner quarantines a pack it suspects, with the hash of its evidence.
        #[ink(message)]
        pub fn flag_suspect(&mut self, gtin: Gtin, serial: Vec<u8>, evidence_hash: Hash32) -> Result<()> {
            let (reporter, _) = self.ensure_partner()?;
            if evidence_hash == ZERO_HASH {
                return Err(Error::ZeroHash);
            }
            let mut pack = self.load_pack(gtin, &serial)?;
            if pack.illegitimate {
                return Err(Error::Illegitimate);
            }
            if pack.suspect_evidence.is_some() {
                return Err(Error::Quarantined);
            }
            pack.suspect_evidence = Some(evidence_hash);
            self.packs.insert((gtin, serial.clone()), &pack);
            self.env().emit_event(SuspectFlagged { reporter, gtin, serial, evidence_hash });
            Ok(())
        }

        // ----- reads --------------------------------------------------------------------

        /// Anyone (or any contract) checks a scanned identifier: verified or the no-match
        /// reason, and the expired / recalled / suspect / decommissioned flags. Read only.
        #[ink(message)]
        pub fn verify(&self, gtin: Gtin, serial: Vec<u8>, lot: Vec<u8>, expiry: u32) -> Verification {
            if data::check_gtin(&gtin).is_err()
                || gs1::validate_code(&serial).is_err()
                || gs1::validate_code(&lot).is_err()
            {
                return Verification::no_match(NoMatch::InvalidIdentifier);
            }
            if !self.gtins.contains(gtin) {
                return Verification::no_match(NoMatch::UnknownProduct);
            }
            let Some(pack) = self.packs.get((gtin, serial)) else {
                return Verification::no_match(NoMatch::UnknownSerial);
            };
            let recalled = self.lots.get((gtin, pack.lot.clone())).is_some_and(|l| l.recalled);
            let custodian_role = self.partners.get(pack.custodian).map(|p| p.role);
            data::verify(&pack, &lot, expiry, recalled, custodian_role, self.env().block_timestamp())
        }

        #[ink(message)]
        pub fn pack(&self, gtin: Gtin, serial: Vec<u8>) -> Option<Pack> {
            self.packs.get((gtin, serial))
        }

        #[ink(message)]
        pub fn partner(&self, account: AccountId) -> Option<Partner> {
            self.partners.get(account)
        }

        #[ink(message)]
        pub fn gtin_owner(&self, gtin: Gtin) -> Option<AccountId> {
            self.gtins.get(gtin)
        }

        #[ink(message)]
        pub fn lot(&self, gtin: Gtin, lot: Vec<u8>) -> Option<Lot> {
            self.lots.get((gtin, lot))
        }

        #[ink(message)]
        pub fn record_anchor(&self) -> Option<AccountId> {
            self.record_anchor.get().flatten()
        }

        #[ink(message)]
        pub fn admin(&self) -> Admin {
            self.load_admin()
        }

        // ----- admin --------------------------------------------------------------------

        #[ink(message)]
        pub fn transfer_ownership(&mut self, new_owner: AccountId) -> Result<()> {
            let mut admin = self.load_admin();
            admin.propose_owner(self.env().caller(), new_owner)?;
            self.admin.set(&admin);
            self.env().emit_event(OwnershipTransferStarted { owner: admin.owner, pending_owner: new_owner });
            Ok(())
        }

        #[ink(message)]
        pub fn accept_ownership(&mut self) -> Result<()> {
            let mut admin = self.load_admin();
            let previous_owner = admin.accept_owner(self.env().caller())?;
            self.admin.set(&admin);
            self.env().emit_event(OwnershipTransferred { previous_owner, new_owner: admin.owner });
            Ok(())
        }

        #[ink(message)]
        pub fn set_paused(&mut self, paused: bool) -> Result<()> {
            let mut admin = self.load_admin();
            admin.set_paused(self.env().caller(), paused)?;
            self.admin.set(&admin);
            self.env().emit_event(PauseChanged { paused });
            Ok(())
        }

        /// Wires (or with `None`, unwires) the record_anchor that anchors transaction statements.
        #[ink(message)]
        pub fn set_record_anchor(&mut self, record_anchor: Option<AccountId>) -> Result<()> {
            self.load_admin().ensure_owner(self.env().caller())?;
            if record_anchor.is_none() && self.record_anchor().is_none() {
                return Err(Error::NotWired);
            }
            self.record_anchor.set(&record_anchor);
            self.env().emit_event(PeerWired { peer: record_anchor });
            Ok(())
        }

        #[ink(message)]
        pub fn set_code_hash(&mut self, code_hash: Hash) -> Result<()> {
            self.load_admin().ensure_owner(self.env().caller())?;
            self.env().set_code_hash(&code_hash).map_err(|_| Error::UpgradeFailed)?;
            self.env().emit_event(CodeUpgraded { code_hash });
            Ok(())
        }

        /// Exists only in the second build the e2e upgrade scenario installs over the first
        /// (feature `upgrade-probe`), so the scenario can tell which code is answering.
        #[cfg(feature = "upgrade-probe")]
        #[ink(message)]
        pub fn upgrade_probe(&self) -> u32 {
            2
        }

        // ----- internals ----------------------------------------------------------------

        fn load_admin(&self) -> Admin {
            // Set in the constructor and never removed; the fallback is unreachable on chain.
            self.admin.get().unwrap_or_else(|| Admin::new(AccountId::from([0u8; 32])))
        }

        /// Not paused, and the caller is a registered, unsuspended partner.
        fn ensure_partner(&self) -> Result<(AccountId, Partner)> {
            self.load_admin().ensure_running()?;
            let caller = self.env().caller();
            let partner = self.partners.get(caller).ok_or(Error::NotPartner)?;
            if partner.suspended {
                return Err(Error::PartnerSuspended);
            }
            Ok((caller, partner))
        }

        fn load_pack(&self, gtin: Gtin, serial: &[u8]) -> Result<Pack> {
            self.packs.get((gtin, serial.to_vec())).ok_or(Error::UnknownPack)
        }

        fn context(&self, gtin: Gtin, pack: &Pack) -> Context {
            let now = self.env().block_timestamp();
            Context {
                now,
                recalled: self.lots.get((gtin, pack.lot.clone())).is_some_and(|l| l.recalled),
                expired: data::is_expired(pack.expiry, now),
            }
        }

        /// Applies one action to one pack; stores and emits a change, or emits the alert.
        fn act_on_one(
            &mut self,
            gtin: Gtin,
            serial: Vec<u8>,
            mut pack: Pack,
            actor: AccountId,
            action: Action,
        ) -> Result<Transition> {
            let from = pack.status;
            let ctx = self.context(gtin, &pack);
            let transition = pack.apply(actor, action, ctx)?;
            match transition {
                Transition::Alert => {
                    self.env().emit_event(FalsificationAlert {
                        reporter: actor,
                        gtin,
                        serial,
                        status: from,
                        attempted: action,
                    });
                }
                Transition::To(to) => {
                    self.packs.insert((gtin, serial.clone()), &pack);
                    self.env().emit_event(PackStatusChanged { actor, gtin, serial, from, to });
                }
            }
            Ok(transition)
        }

        /// Applies `action` to every pack of a custody batch in memory; any refusal refuses all.
        fn apply_to_batch(&self, packs: &[PackId], actor: AccountId, action: Action) -> Result<Vec<(PackId, Pack)>> {
            data::validate_custody_batch(packs.len())?;
            let mut out = Vec::with_capacity(packs.len());
            for (i, id) in packs.iter().enumerate() {
                if packs.iter().take(i).any(|earlier| earlier == id) {
                    return Err(Error::InvalidBatch);
                }
                let mut pack = self.load_pack(id.0, &id.1)?;
                let ctx = self.context(id.0, &pack);
                if pack.apply(actor, action, ctx)? == Transition::Alert {
                    return Err(Error::PackNotActive);
                }
                out.push((id.clone(), pack));
            }
            Ok(out)
        }

        fn store_batch(&mut self, moved: Vec<(PackId, Pack)>) -> u32 {
            let count = u32::try_from(moved.len()).unwrap_or(u32::MAX);
            for (id, pack) in moved {
                self.packs.insert(id, &pack);
            }
            count
        }

        fn settle(&mut self, packs: Vec<PackId>, action: Action) -> Result<()> {
            let (by, _) = self.ensure_partner()?;
            let moved = self.apply_to_batch(&packs, by, action)?;
            let count = self.store_batch(moved);
            self.env().emit_event(PacksReceived { by, count, accepted: action == Action::Receive });
            Ok(())
        }

        fn resolve_suspect(&mut self, gtin: Gtin, serial: Vec<u8>, illegitimate: bool) -> Result<()> {
            let admin = self.load_admin();
            admin.ensure_owner(self.env().caller())?;
            admin.ensure_running()?;
            let mut pack = self.load_pack(gtin, &serial)?;
            if pack.illegitimate {
                return Err(Error::Illegitimate);
            }
            if pack.suspect_evidence.is_none() {
                return Err(Error::NotSuspect);
            }
            if illegitimate {
                pack.illegitimate = true;
            } else {
                pack.suspect_evidence = None;
            }
            self.packs.insert((gtin, serial.clone()), &pack);
            self.env().emit_event(SuspectResolved { gtin, serial, illegitimate });
            Ok(())
        }

        /// Anchors the shipment's transaction statement, subject-less, for the shipper.
        /// Never traps, whatever the wired address holds.
        fn anchor_statement(&self, statement_hash: Hash32, shipper: AccountId) -> Result<AnchorId> {
            let address = self.record_anchor().ok_or(Error::AnchorNotWired)?;
            let mut anchor: ink::contract_ref!(RecordAnchoring) = address.into();
            match anchor.call_mut().anchor_document(statement_hash, shipper).try_invoke() {
                Ok(Ok(Ok(id))) => Ok(id),
                Ok(Ok(Err(_))) => Err(Error::AnchorRefused),
                _ => Err(Error::AnchorUnavailable),
            }
        }
    }
}

#[cfg(test)]
mod tests;
