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
    use crate::data::{self, GtinRecord, Lot, NoMatch, Partner, PartnerRole, TransferKind, Verification};
    pub use crate::data::{LotId, PackId};
    use crate::errors::{Error, Result};
    use crate::events::*;
    use crate::gs1::{self, Gtin};
    use crate::pack::{Action, Context, DecommissionReason, Pack, ShipmentId, Transition};
    use carechain_shared::collections::next_id;
    use carechain_shared::peer::{self, Peer, Reply};
    use carechain_shared::traits::RecordAnchoring;
    use carechain_shared::{Admin, AnchorId, Hash32, ZERO_HASH};
    use carechain_shared::{AdminError, Administration, Wiring};
    use ink::codegen::TraitCallBuilder;
    use ink::prelude::vec::Vec;
    use ink::storage::{traits::ManualKey, Lazy, Mapping};

    /// `admin` and `last_shipment` live in the contract's root cell, which ink! reads before
    /// every message anyway: the pause and regulator checks and the next shipment id cost no
    /// storage access of their own (each ≈ 10 kB of proof on a node). Every other field has a
    /// fixed `ManualKey`; a later version may change the root only with a migration.
    #[ink(storage)]
    pub struct PharmaLedger {
        admin: Admin,
        record_anchor: Lazy<Option<Peer>, ManualKey<0xF000_0002>>,
        last_shipment: ShipmentId,
        partners: Mapping<AccountId, Partner, ManualKey<0xF000_0010>>,
        /// GTIN directory: who owns each product code, as the regulator assigned it.
        gtins: Mapping<Gtin, GtinRecord, ManualKey<0xF000_0011>>,
        /// Per (GTIN, lot): expiry and recall flag, so a recall is one write.
        lots: Mapping<LotId, Lot, ManualKey<0xF000_0012>>,
        /// Open claims: (GTIN, claimant) → evidence hash. Keyed per claimant, so no claim
        /// blocks another.
        gtin_claims: Mapping<(Gtin, AccountId), Hash32, ManualKey<0xF000_0013>>,
        packs: Mapping<PackId, Pack, ManualKey<0xF000_0020>>,
    }

    // A contract comes into being through its constructor only, never through `Default`.
    #[allow(clippy::new_without_default)]
    impl PharmaLedger {
        /// The deployer becomes owner (the regulator). The record_anchor peer is wired (and its
        /// code pinned) with `Wiring::set_peer` once it is deployed.
        #[ink(constructor)]
        pub fn new() -> Self {
            Self {
                admin: Admin::new(Self::env().caller()),
                record_anchor: Lazy::new(),
                last_shipment: 0,
                partners: Mapping::new(),
                gtins: Mapping::new(),
                lots: Mapping::new(),
                gtin_claims: Mapping::new(),
                packs: Mapping::new(),
            }
        }

        // ----- regulator ----------------------------------------------------------------

        /// Registers a trading partner with the hash of its GLN / licence record (regulator only).
        #[ink(message)]
        pub fn register_partner(&mut self, partner: AccountId, role: PartnerRole, licence_hash: Hash32) -> Result<()> {
            self.ensure_regulator()?;
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

        /// Suspends or reinstates a partner; a suspended partner can do nothing (regulator only).
        #[ink(message)]
        pub fn set_partner_suspended(&mut self, partner: AccountId, suspended: bool) -> Result<()> {
            self.ensure_regulator()?;
            let mut record = self.partners.get(partner).ok_or(Error::NotPartner)?;
            if record.suspended == suspended {
                return Err(Error::Unchanged);
            }
            record.suspended = suspended;
            self.partners.insert(partner, &record);
            self.env().emit_event(PartnerSuspensionChanged { partner, suspended });
            Ok(())
        }

        /// Approves a partner's claim: the GTIN becomes theirs as a new holding, if no one holds
        /// it (regulator only). A GTIN whose holding was revoked may be approved to a new
        /// claimant, or to the same one again; the revoked holding's packs stay withdrawn.
        #[ink(message)]
        pub fn approve_gtin_claim(&mut self, gtin: Gtin, claimant: AccountId) -> Result<()> {
            self.ensure_regulator()?;
            if !self.gtin_claims.contains((gtin, claimant)) {
                return Err(Error::UnknownClaim);
            }
            let previous = self.gtins.get(gtin);
            let record = GtinRecord::approve(previous, claimant)?;
            self.ensure_gtin_owner_candidate(claimant)?;
            self.gtin_claims.remove((gtin, claimant));
            self.gtins.insert(gtin, &record);
            self.env().emit_event(GtinAssigned {
                owner: claimant,
                gtin,
                holding: record.holding,
                previous_owner: previous.map(|r| r.owner),
                transfer: None,
            });
            Ok(())
        }

        /// Rejects a GTIN claim: by the regulator, or withdrawn by the claimant itself.
        #[ink(message)]
        pub fn reject_gtin_claim(&mut self, gtin: Gtin, claimant: AccountId) -> Result<()> {
            let by = self.env().caller();
            if by != claimant {
                self.ensure_regulator()?;
            }
            if self.gtin_claims.take((gtin, claimant)).is_none() {
                return Err(Error::UnknownClaim);
            }
            self.env().emit_event(GtinClaimRejected { claimant, gtin, by });
            Ok(())
        }

        /// Moves a GTIN to another manufacturer or repackager as a new holding, saying what
        /// becomes of the current holder's packs: `Sale` (a brand sale) keeps them genuine,
        /// `Squat` (to the rightful owner after a squat) revokes the current holding, so they
        /// verify as withdrawn. A revoked holding is never sold. Packs keep their history
        /// (regulator only).
        #[ink(message)]
        pub fn transfer_gtin(&mut self, gtin: Gtin, new_owner: AccountId, kind: TransferKind) -> Result<()> {
            self.ensure_regulator()?;
            let previous = self.gtins.get(gtin).ok_or(Error::UnknownGtin)?;
            let record = previous.transfer(new_owner, kind)?;
            self.ensure_gtin_owner_candidate(new_owner)?;
            self.gtins.insert(gtin, &record);
            if kind == TransferKind::Squat && !previous.is_revoked() {
                self.env().emit_event(GtinRevoked { gtin, holding: previous.holding });
            }
            self.env().emit_event(GtinAssigned {
                owner: new_owner,
                gtin,
                holding: record.holding,
                previous_owner: Some(previous.owner),
                transfer: Some(kind),
            });
            Ok(())
        }

        /// Revokes holding `holding` of the GTIN — the current one (nothing more is
        /// commissioned under it), or an earlier one found out later, such as a squatter that
        /// sold the GTIN on. Every pack commissioned under it verifies as withdrawn and cannot be
        /// supplied, whatever is done with the GTIN later; their history stays (regulator only).
        #[ink(message)]
        pub fn revoke_gtin(&mut self, gtin: Gtin, holding: u32) -> Result<()> {
            self.ensure_regulator()?;
            let mut record = self.gtins.get(gtin).ok_or(Error::UnknownGtin)?;
            record.revoke(holding)?;
            self.gtins.insert(gtin, &record);
            self.env().emit_event(GtinRevoked { gtin, holding });
            Ok(())
        }

        /// Where revoking a holding was itself the mistake: declares one named lot of it genuine
        /// again, on record (`LotRestored`); the holding's other lots stay withdrawn (regulator
        /// only).
        #[ink(message)]
        pub fn restore_lot(&mut self, gtin: Gtin, lot: Vec<u8>) -> Result<()> {
            self.ensure_regulator()?;
            let record = self.gtins.get(gtin).ok_or(Error::UnknownGtin)?;
            let key = (gtin, lot.clone());
            let mut lot_record = self.lots.get(&key).ok_or(Error::InvalidLot)?;
            if !record.withdraws(&lot_record) {
                return Err(Error::NotWithdrawn);
            }
            lot_record.restored = true;
            self.lots.insert(&key, &lot_record);
            self.env().emit_event(LotRestored {
                commissioner: lot_record.commissioner,
                gtin,
                lot,
                holding: lot_record.holding,
            });
            Ok(())
        }

        /// Lifts a suspect pack's quarantine (regulator only).
        #[ink(message)]
        pub fn clear_suspect(&mut self, gtin: Gtin, serial: Vec<u8>) -> Result<()> {
            self.resolve_suspect(gtin, serial, false)
        }

        /// Confirms a suspect pack illegitimate: final, the pack can never move (regulator only).
        #[ink(message)]
        pub fn confirm_illegitimate(&mut self, gtin: Gtin, serial: Vec<u8>) -> Result<()> {
            self.resolve_suspect(gtin, serial, true)
        }

        // ----- manufacturers ------------------------------------------------------------

        /// A manufacturer or repackager claims a GTIN with the hash of its GS1 licence
        /// evidence. The claim takes effect only when the regulator approves it, so claiming a
        /// brand's GTIN first gains nothing. Refused while paused.
        #[ink(message)]
        pub fn claim_gtin(&mut self, gtin: Gtin, evidence_hash: Hash32) -> Result<()> {
            self.ensure_running()?;
            let (claimant, partner) = self.ensure_partner()?;
            if !partner.role.owns_gtins() {
                return Err(Error::WrongRole);
            }
            data::check_gtin(&gtin)?;
            if evidence_hash == ZERO_HASH {
                return Err(Error::ZeroHash);
            }
            let owns = self.gtins.get(gtin).is_some_and(|r| r.owner == claimant && !r.is_revoked());
            if owns || self.gtin_claims.contains((gtin, claimant)) {
                return Err(Error::AlreadyClaimed);
            }
            self.gtin_claims.insert((gtin, claimant), &evidence_hash);
            self.env().emit_event(GtinClaimed { claimant, gtin, evidence_hash });
            Ok(())
        }

        /// Commissions up to `MAX_COMMISSION` serials of one (GTIN, lot, expiry), all or
        /// nothing: a bad or duplicate serial refuses the call with its index. Only the holder
        /// of a GTIN the regulator assigned and did not revoke; the lot records who
        /// commissioned it under which holding, so a lot is only ever added to by that same
        /// holding. Refused while paused.
        #[ink(message)]
        pub fn commission(&mut self, gtin: Gtin, lot: Vec<u8>, expiry: u32, serials: Vec<Vec<u8>>) -> Result<u32> {
            self.ensure_running()?;
            let (manufacturer, _) = self.ensure_partner()?;
            let record = self.gtins.get(gtin).ok_or(Error::UnknownGtin)?;
            record.ensure_commissionable_by(manufacturer)?;
            let now = self.env().block_timestamp();
            let expires_at = data::validate_commission(&lot, expiry, &serials, now)?;
            let lot_key = (gtin, lot.clone());
            match self.lots.get(&lot_key) {
                Some(existing) => existing.admits(manufacturer, record.holding, expiry)?,
                None => {
                    let new_lot = Lot {
                        expiry,
                        expires_at,
                        recalled: false,
                        commissioner: manufacturer,
                        holding: record.holding,
                        restored: false,
                    };
                    self.lots.insert(&lot_key, &new_lot);
                }
            }
            let pack = Pack::commissioned(manufacturer, lot.clone(), expiry, now);
            for (i, serial) in serials.iter().enumerate() {
                // The write itself tells whether the serial existed: one storage access per
                // serial instead of a check and a write (each ≈ 10 kB of proof on a node). A
                // duplicate refuses the call, and a refused message's writes are all reverted.
                if self.packs.insert((gtin, serial.clone()), &pack).is_some() {
                    return Err(Error::DuplicateSerial(u32::try_from(i).unwrap_or(u32::MAX)));
                }
            }
            let count = u32::try_from(serials.len()).unwrap_or(u32::MAX);
            self.env().emit_event(PacksCommissioned { manufacturer, gtin, lot, expiry, serials });
            Ok(count)
        }

        /// The partner that commissioned a lot, or the regulator, recalls the whole lot in one
        /// write: every pack of it verifies as recalled and can no longer be shipped, dispensed
        /// or undone. A recall is final, so no one else's word — not a later holder's of the
        /// GTIN, not a revoked one's — takes another partner's lot off the market. Works while
        /// paused.
        #[ink(message)]
        pub fn recall_lot(&mut self, gtin: Gtin, lot: Vec<u8>) -> Result<()> {
            let caller = self.env().caller();
            let key = (gtin, lot.clone());
            let mut lot_record = self.lots.get(&key).ok_or(Error::InvalidLot)?;
            if caller != self.admin.owner {
                let (partner, _) = self.ensure_partner()?;
                lot_record.ensure_recallable_by(partner)?;
            }
            if lot_record.recalled {
                return Err(Error::AlreadyRecalled);
            }
            lot_record.recalled = true;
            self.lots.insert(&key, &lot_record);
            self.env().emit_event(LotRecalled { by: caller, gtin, lot });
            Ok(())
        }

        // ----- custody ------------------------------------------------------------------

        /// The custodian ships up to `MAX_CUSTODY_BATCH` packs to an active partner as one
        /// shipment; the transaction statement's hash is anchored in record_anchor on the
        /// shipper's behalf (keyed by shipper, so no one can block it by anchoring it first).
        /// Returns the shipment id. Refused while paused.
        #[ink(message)]
        pub fn ship(&mut self, packs: Vec<PackId>, to: AccountId, statement_hash: Hash32) -> Result<ShipmentId> {
            self.ensure_running()?;
            let (from, _) = self.ensure_partner()?;
            if statement_hash == ZERO_HASH {
                return Err(Error::ZeroHash);
            }
            if to == from || self.partners.get(to).is_none_or(|p| p.suspended) {
                return Err(Error::InvalidRecipient);
            }
            let mut moved = self.apply_to_batch(&packs, from, Action::Ship, Context::default())?;
            let mut last = self.last_shipment;
            let shipment_id = next_id(&mut last)?;
            for (_, pack) in moved.packs.iter_mut() {
                pack.set_transit(to, shipment_id);
            }
            let anchor_id = self.anchor_statement(statement_hash, from)?;
            self.store_batch(moved);
            self.last_shipment = last;
            self.env().emit_event(PacksShipped { from, to, shipment_id, packs, statement_hash, anchor_id });
            Ok(shipment_id)
        }

        /// The recipient takes custody of packs of `shipment_id` (all or some of them).
        /// Refused while paused.
        #[ink(message)]
        pub fn receive(&mut self, shipment_id: ShipmentId, packs: Vec<PackId>) -> Result<()> {
            self.ensure_running()?;
            self.settle(shipment_id, packs, Action::Receive)
        }

        /// The recipient refuses packs of `shipment_id`; they return to the sender's custody.
        /// Works while paused: like a cancellation, it only takes packs out of transit.
        #[ink(message)]
        pub fn reject(&mut self, shipment_id: ShipmentId, packs: Vec<PackId>) -> Result<()> {
            self.settle(shipment_id, packs, Action::Reject)
        }

        /// Unreceived packs of `shipment_id` go back to their sender: by the sender once the
        /// shipment is `SHIPMENT_CANCEL_DELAY` old, or by the regulator at any time (e.g. the
        /// recipient was suspended). Works while paused.
        #[ink(message)]
        pub fn cancel_shipment(&mut self, shipment_id: ShipmentId, packs: Vec<PackId>) -> Result<()> {
            let caller = self.env().caller();
            let by_regulator = caller == self.admin.owner;
            if !by_regulator {
                self.ensure_partner()?;
            }
            let ctx = Context { shipment: Some(shipment_id), by_regulator, ..Context::default() };
            let moved = self.apply_to_batch(&packs, caller, Action::Cancel, ctx)?;
            // A pack in transit stays its sender's until received: cancelling returns it there.
            let returned_to = moved.first_custodian;
            self.store_batch(moved);
            self.env().emit_event(ShipmentCancelled { by: caller, returned_to, shipment_id, packs });
            Ok(())
        }

        // ----- dispensing and decommissioning --------------------------------------------

        /// A dispenser holding custody supplies a pack, after the full identifier (GTIN,
        /// serial, lot, expiry) matched. An already-decommissioned pack raises an alert
        /// instead: the call succeeds so the alert is on record, and the pack does not change.
        /// Refused while paused.
        #[ink(message)]
        pub fn dispense(&mut self, gtin: Gtin, serial: Vec<u8>, lot: Vec<u8>, expiry: u32) -> Result<Transition> {
            self.ensure_running()?;
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
        /// are final). An already-decommissioned pack raises an alert instead. Works while paused.
        #[ink(message)]
        pub fn decommission(&mut self, gtin: Gtin, serial: Vec<u8>, reason: DecommissionReason) -> Result<Transition> {
            let (actor, _) = self.ensure_partner()?;
            let pack = self.load_pack(gtin, &serial)?;
            self.act_on_one(gtin, serial, pack, actor, Action::Decommission(reason))
        }

        /// Reverts a dispense (or a sample, free sample or lock) within 10 days, by the same
        /// actor — never for an expired, recalled, withdrawn or quarantined pack (EMVS).
        /// Refused while paused.
        #[ink(message)]
        pub fn undo(&mut self, gtin: Gtin, serial: Vec<u8>) -> Result<Transition> {
            self.ensure_running()?;
            let (actor, _) = self.ensure_partner()?;
            let pack = self.load_pack(gtin, &serial)?;
            self.act_on_one(gtin, serial, pack, actor, Action::Undo)
        }

        /// Any active partner, or the regulator, quarantines a pack it suspects (in any state,
        /// in transit too), with the hash of its evidence. Works while paused.
        #[ink(message)]
        pub fn flag_suspect(&mut self, gtin: Gtin, serial: Vec<u8>, evidence_hash: Hash32) -> Result<()> {
            let reporter = self.env().caller();
            if reporter != self.admin.owner {
                self.ensure_partner()?;
            }
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
        /// reason, and the expired / recalled / withdrawn / suspect / decommissioned flags.
        /// Read only.
        #[ink(message)]
        pub fn verify(&self, gtin: Gtin, serial: Vec<u8>, lot: Vec<u8>, expiry: u32) -> Verification {
            if data::check_gtin(&gtin).is_err()
                || gs1::validate_code(&serial).is_err()
                || gs1::validate_code(&lot).is_err()
            {
                return Verification::no_match(NoMatch::InvalidIdentifier);
            }
            let Some(product) = self.gtins.get(gtin) else {
                return Verification::no_match(NoMatch::UnknownProduct);
            };
            let Some(pack) = self.packs.get((gtin, serial)) else {
                return Verification::no_match(NoMatch::UnknownSerial);
            };
            let lot_record = self.lots.get((gtin, pack.lot.clone()));
            let custodian_role = self.partners.get(pack.custodian).map(|p| p.role);
            let now = self.env().block_timestamp();
            data::verify(&pack, &lot, expiry, lot_record.as_ref(), &product, custodian_role, now)
        }

        /// One pack's full record.
        #[ink(message)]
        pub fn pack(&self, gtin: Gtin, serial: Vec<u8>) -> Option<Pack> {
            self.packs.get((gtin, serial))
        }

        /// A trading partner's record.
        #[ink(message)]
        pub fn partner(&self, account: AccountId) -> Option<Partner> {
            self.partners.get(account)
        }

        /// Who holds a GTIN, under which holding, and which of its holdings were revoked.
        #[ink(message)]
        pub fn gtin(&self, gtin: Gtin) -> Option<GtinRecord> {
            self.gtins.get(gtin)
        }

        /// The evidence hash of `claimant`'s open claim on a GTIN, if any.
        #[ink(message)]
        pub fn gtin_claim(&self, gtin: Gtin, claimant: AccountId) -> Option<Hash32> {
            self.gtin_claims.get((gtin, claimant))
        }

        /// A lot's expiry, recall flag and provenance (commissioner, holding, restored).
        #[ink(message)]
        pub fn lot(&self, gtin: Gtin, lot: Vec<u8>) -> Option<Lot> {
            self.lots.get((gtin, lot))
        }

        // ----- admin --------------------------------------------------------------------

        /// Exists only in the second build the e2e upgrade scenario installs over the first
        /// (feature `upgrade-probe`), so the scenario can tell which code is answering.
        #[cfg(feature = "upgrade-probe")]
        #[ink(message)]
        pub fn upgrade_probe(&self) -> u32 {
            2
        }

        // ----- internals ----------------------------------------------------------------

        fn ensure_regulator(&self) -> Result<()> {
            Ok(self.admin.ensure_owner(self.env().caller())?)
        }

        /// Refuses while paused: for what moves packs into supply or creates records.
        fn ensure_running(&self) -> Result<()> {
            Ok(self.admin.ensure_running()?)
        }

        /// The caller is a registered, unsuspended partner.
        fn ensure_partner(&self) -> Result<(AccountId, Partner)> {
            let caller = self.env().caller();
            let partner = self.partners.get(caller).ok_or(Error::NotPartner)?;
            if partner.suspended {
                return Err(Error::PartnerSuspended);
            }
            Ok((caller, partner))
        }

        /// A GTIN may only go to an active manufacturer or repackager.
        fn ensure_gtin_owner_candidate(&self, account: AccountId) -> Result<()> {
            let partner = self.partners.get(account).ok_or(Error::NotPartner)?;
            if partner.suspended {
                return Err(Error::PartnerSuspended);
            }
            if !partner.role.owns_gtins() {
                return Err(Error::WrongRole);
            }
            Ok(())
        }

        fn load_pack(&self, gtin: Gtin, serial: &[u8]) -> Result<Pack> {
            self.packs.get((gtin, serial.to_vec())).ok_or(Error::UnknownPack)
        }

        /// What the pack's lot and GTIN records say about it now. `seen` keeps the last lot and
        /// GTIN records this call read, so a batch listed lot by lot reads each once (every read
        /// is ≈ 10 kB of proof on a node).
        fn context(&self, gtin: Gtin, pack: &Pack, base: Context, seen: &mut Seen) -> Context {
            let now = self.env().block_timestamp();
            let lot = match &seen.lot {
                Some((g, l, lot)) if *g == gtin && *l == pack.lot => *lot,
                _ => {
                    let lot = self.lots.get((gtin, pack.lot.clone()));
                    seen.lot = Some((gtin, pack.lot.clone(), lot));
                    lot
                }
            };
            let product = match seen.gtin {
                Some((g, product)) if g == gtin => product,
                _ => {
                    let product = self.gtins.get(gtin);
                    seen.gtin = Some((gtin, product));
                    product
                }
            };
            let data::LotFlags { recalled, expired, withdrawn } =
                data::LotFlags::of(product.as_ref(), lot.as_ref(), now);
            Context { now, recalled, expired, withdrawn, ..base }
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
            let ctx = self.context(gtin, &pack, Context::default(), &mut Seen::default());
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
        fn apply_to_batch(&self, packs: &[PackId], actor: AccountId, action: Action, base: Context) -> Result<Moved> {
            data::validate_custody_batch(packs.len())?;
            let (mut moved, mut first_custodian) = (Vec::with_capacity(packs.len()), None);
            let mut seen = Seen::default();
            for (i, id) in packs.iter().enumerate() {
                if packs.iter().take(i).any(|earlier| earlier == id) {
                    return Err(Error::InvalidBatch);
                }
                let mut pack = self.load_pack(id.0, &id.1)?;
                first_custodian.get_or_insert(pack.custodian);
                let ctx = self.context(id.0, &pack, base, &mut seen);
                if pack.apply(actor, action, ctx)? == Transition::Alert {
                    return Err(Error::PackNotActive);
                }
                moved.push((id.clone(), pack));
            }
            // validate_custody_batch refused an empty batch.
            Ok(Moved { first_custodian: first_custodian.ok_or(Error::InvalidBatch)?, packs: moved })
        }

        fn store_batch(&mut self, moved: Moved) {
            for (id, pack) in moved.packs {
                self.packs.insert(id, &pack);
            }
        }

        fn settle(&mut self, shipment_id: ShipmentId, packs: Vec<PackId>, action: Action) -> Result<()> {
            let (by, _) = self.ensure_partner()?;
            let base = Context { shipment: Some(shipment_id), ..Context::default() };
            let moved = self.apply_to_batch(&packs, by, action, base)?;
            // The sender is the custodian of every pack of the shipment until it is received.
            let from = moved.first_custodian;
            self.store_batch(moved);
            self.env().emit_event(PacksReceived { by, from, shipment_id, packs, accepted: action == Action::Receive });
            Ok(())
        }

        fn resolve_suspect(&mut self, gtin: Gtin, serial: Vec<u8>, illegitimate: bool) -> Result<()> {
            self.ensure_regulator()?;
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

        /// Anchors the shipment's transaction statement, subject-less, for the shipper. Only
        /// the pinned record_anchor code is asked, within its call limits; a refusal arrives
        /// reverted and is believed only as a refusal.
        fn anchor_statement(&self, statement_hash: Hash32, shipper: AccountId) -> Result<AnchorId> {
            let peer = self.peer().ok_or(Error::AnchorNotWired)?;
            let mut anchor: ink::contract_ref!(RecordAnchoring) = peer.address.into();
            let params = anchor.call_mut().anchor_document(statement_hash, shipper).params();
            match peer::call(&peer, &params, peer::DOCUMENT_ANCHOR) {
                Ok(Reply::Returned(Ok(id))) => Ok(id),
                Ok(Reply::Reverted(Err(_)) | Reply::Returned(Err(_))) => Err(Error::AnchorRefused),
                Ok(Reply::Reverted(Ok(_))) | Err(_) => Err(Error::AnchorUnavailable),
            }
        }
    }

    /// The last lot and GTIN records one call read: (GTIN, lot, record) and (GTIN, record).
    #[derive(Default)]
    struct Seen {
        lot: Option<(Gtin, Vec<u8>, Option<Lot>)>,
        gtin: Option<(Gtin, Option<GtinRecord>)>,
    }

    /// A custody batch after its action, in memory until stored; `first_custodian` is who held
    /// the first pack before it (the sender, for a shipment being settled or cancelled).
    struct Moved {
        first_custodian: AccountId,
        packs: Vec<(PackId, Pack)>,
    }

    impl Administration for PharmaLedger {
        /// The owner (the regulator), the proposed owner (until it accepts) and the pause flag.
        #[ink(message)]
        fn admin(&self) -> Admin {
            self.admin.clone()
        }

        /// Step one of an ownership transfer: names the successor (owner only).
        #[ink(message)]
        fn transfer_ownership(&mut self, new_owner: AccountId) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::transfer_ownership(&mut self.admin, new_owner)
        }

        /// Step two of an ownership transfer (the proposed owner only).
        #[ink(message)]
        fn accept_ownership(&mut self) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::accept_ownership(&mut self.admin)
        }

        /// Pauses or resumes what moves packs into supply; recalls, decommissioning, flags and cancellations keep working (owner only).
        #[ink(message)]
        fn set_paused(&mut self, paused: bool) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::set_paused(&mut self.admin, paused)
        }

        /// Replaces this contract's code, keeping its storage (owner only).
        #[ink(message)]
        fn set_code_hash(&mut self, code_hash: Hash) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::set_code_hash(&self.admin, code_hash)
        }
    }

    impl Wiring for PharmaLedger {
        /// The wired record_anchor and the code hash pinned for it.
        #[ink(message)]
        fn peer(&self) -> Option<Peer> {
            self.record_anchor.get().flatten()
        }

        /// Wires (or with `None`, unwires) the record_anchor that anchors transaction statements, with the code hash the owner means to trust (it must be the code there now: `PeerCodeMismatch`; never this contract: `PeerIsSelf`). If that code changes, shipping answers `AnchorUnavailable` until re-wired (owner only).
        #[ink(message)]
        fn set_peer(&mut self, peer: Option<Peer>) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::set_peer(&self.admin, &mut self.record_anchor, peer)
        }
    }
}

#[cfg(test)]
mod tests;
