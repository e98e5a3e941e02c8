//! Trading partners, the GTIN directory, lots, commissioning input and the verify answer, as
//! pure logic.

use crate::errors::{Error, Result};
use crate::gs1::{self, Gs1Error, Gtin};
use crate::pack::{Pack, PackStatus};
use carechain_shared::{Hash32, Timestamp};
use ink::prelude::vec::Vec;
use ink::primitives::AccountId;

/// A pack's key: GTIN-14 and serial (AI 21).
pub type PackId = (Gtin, Vec<u8>);
/// A lot's key: GTIN-14 and batch/lot (AI 10).
pub type LotId = (Gtin, Vec<u8>);

/// Serials one `commission` call takes: all or nothing, within one call's input and weight.
pub const MAX_COMMISSION: usize = 250;
/// Packs one ship/receive/reject call moves.
pub const MAX_CUSTODY_BATCH: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum PartnerRole {
    Manufacturer,
    Wholesaler,
    Dispenser,
    Repackager,
}

impl PartnerRole {
    /// Manufacturers and repackagers put their own GTINs on packs.
    pub const fn owns_gtins(self) -> bool {
        matches!(self, PartnerRole::Manufacturer | PartnerRole::Repackager)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Partner {
    pub role: PartnerRole,
    /// Hash of the GLN / licence record the regulator checked.
    pub licence_hash: Hash32,
    pub suspended: bool,
}

/// GTIN holdings one product code may have over its life: every approval or transfer starts a
/// new one, and the regulator's verdict on each (revoked or not) is one bit of [`GtinRecord`].
pub const MAX_HOLDINGS: u32 = 64;

/// Who holds a product code, and the regulator's verdict on every holding it has had.
///
/// A GTIN is held only by the regulator's word (approving a partner's claim, or transferring
/// it). Each assignment starts a new numbered *holding*; a lot records the holding it was
/// commissioned under, so a pack is genuine exactly when the party that commissioned it held
/// the GTIN then and that holding was never revoked (or the regulator restored the lot). What
/// the regulator later does with the GTIN — transfer it, approve another claim, re-approve the
/// same partner — starts another holding and never turns a revoked holding's packs genuine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct GtinRecord {
    /// The current holder (after a revocation, the holder whose holding was revoked).
    pub owner: AccountId,
    /// The current holding's number: 1 for the first assignment, one more for each after it.
    pub holding: u32,
    /// Bit `h - 1` is set when holding `h` was revoked: its packs verify as withdrawn.
    pub revoked_holdings: u64,
}

/// What a transfer says about the packs the previous holder commissioned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum TransferKind {
    /// The previous holder held the GTIN rightfully (e.g. a brand sale): its packs stay genuine.
    /// A revoked holding cannot be sold (`GtinRevoked`); restore its lots one by one instead.
    Sale,
    /// The previous holder never should have held it (a squat): its holding is revoked, and
    /// every pack it commissioned verifies as withdrawn and cannot be supplied.
    Squat,
}

impl GtinRecord {
    /// The first holding of a GTIN, by `owner`.
    pub const fn first(owner: AccountId) -> Self {
        Self { owner, holding: 1, revoked_holdings: 0 }
    }

    /// Holding `holding`'s bit; holdings are numbered 1..=`MAX_HOLDINGS`.
    const fn bit(holding: u32) -> Option<u64> {
        match holding.checked_sub(1) {
            Some(shift) if shift < MAX_HOLDINGS => Some(1u64 << shift),
            _ => None,
        }
    }

    /// Whether holding `holding` of this GTIN was revoked. A number that was never a holding
    /// counts as revoked: no provenance, no genuine pack.
    pub const fn was_revoked(&self, holding: u32) -> bool {
        match Self::bit(holding) {
            Some(bit) => self.revoked_holdings & bit != 0,
            None => true,
        }
    }

    /// Whether the current holding is revoked (no one may commission the GTIN).
    pub const fn is_revoked(&self) -> bool {
        self.was_revoked(self.holding)
    }

    /// Whether `lot`'s packs are withdrawn: the holding it was commissioned under was revoked,
    /// and the regulator did not restore the lot.
    pub const fn withdraws(&self, lot: &Lot) -> bool {
        self.was_revoked(lot.holding) && !lot.restored
    }

    /// May `partner` commission this GTIN?
    pub fn ensure_commissionable_by(&self, partner: AccountId) -> Result<()> {
        if self.is_revoked() {
            return Err(Error::GtinRevoked);
        }
        if self.owner != partner {
            return Err(Error::NotGtinOwner);
        }
        Ok(())
    }

    /// Revokes holding `holding` — the current one, or an earlier one found out later (a
    /// squatter that sold the GTIN on); `UnknownHolding` for a number never assigned,
    /// `Unchanged` if it is revoked already.
    pub fn revoke(&mut self, holding: u32) -> Result<()> {
        let bit = match Self::bit(holding) {
            Some(bit) if holding <= self.holding => bit,
            _ => return Err(Error::UnknownHolding),
        };
        if self.revoked_holdings & bit != 0 {
            return Err(Error::Unchanged);
        }
        self.revoked_holdings |= bit;
        Ok(())
    }

    /// The regulator approves `claimant`'s claim: a new holding, if no one holds the GTIN.
    pub fn approve(record: Option<Self>, claimant: AccountId) -> Result<Self> {
        match record {
            None => Ok(Self::first(claimant)),
            Some(r) if !r.is_revoked() => Err(Error::GtinTaken),
            Some(r) => r.next_holding(claimant),
        }
    }

    /// The regulator moves the GTIN to `new_owner`, saying what becomes of the current holder's
    /// packs: a sale keeps them genuine, a squat revokes the current holding first.
    pub fn transfer(mut self, new_owner: AccountId, kind: TransferKind) -> Result<Self> {
        if self.owner == new_owner && !self.is_revoked() {
            return Err(Error::Unchanged);
        }
        match kind {
            TransferKind::Sale if self.is_revoked() => return Err(Error::GtinRevoked),
            TransferKind::Sale => {}
            TransferKind::Squat => {
                if let Some(bit) = Self::bit(self.holding) {
                    self.revoked_holdings |= bit;
                }
            }
        }
        self.next_holding(new_owner)
    }

    fn next_holding(self, owner: AccountId) -> Result<Self> {
        let holding = self.holding.checked_add(1).filter(|h| *h <= MAX_HOLDINGS).ok_or(Error::TooManyHoldings)?;
        Ok(Self { owner, holding, revoked_holdings: self.revoked_holdings })
    }
}

/// What a pack's lot and GTIN records say about supplying it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LotFlags {
    pub recalled: bool,
    pub expired: bool,
    /// The holding the lot was commissioned under was revoked, and the lot not restored.
    pub withdrawn: bool,
}

impl LotFlags {
    /// A pack whose lot or GTIN record is missing can be neither dated nor traced to a
    /// holding: it counts as expired and withdrawn, never as fresh or genuine.
    pub fn of(product: Option<&GtinRecord>, lot: Option<&Lot>, now: Timestamp) -> Self {
        Self {
            recalled: lot.is_some_and(|l| l.recalled),
            expired: lot.is_none_or(|l| l.is_expired(now)),
            withdrawn: match (product, lot) {
                (Some(product), Some(lot)) => product.withdraws(lot),
                _ => true,
            },
        }
    }
}

/// A lot as first commissioned: who commissioned it under which holding of its GTIN, its expiry
/// (YYMMDD, and the instant it passes, resolved once with the GS1 century rule), whether it is
/// recalled, and whether the regulator restored it after its holding was revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Lot {
    pub expiry: u32,
    pub expires_at: Timestamp,
    pub recalled: bool,
    /// The partner that commissioned every pack of the lot.
    pub commissioner: AccountId,
    /// The holding of the GTIN it commissioned them under.
    pub holding: u32,
    /// The regulator declared the lot genuine after revoking its holding (`LotRestored`): the
    /// revocation was the mistake, not the lot.
    pub restored: bool,
}

impl Lot {
    pub const fn is_expired(&self, now: Timestamp) -> bool {
        now >= self.expires_at
    }

    /// May `partner` recall this lot? Only its commissioner: a recall is final, so no one
    /// else's word — a later holder's of the GTIN, a revoked one's — takes another partner's
    /// lot off the market (the regulator, who may recall any lot, is the shell's to admit).
    pub fn ensure_recallable_by(&self, partner: AccountId) -> Result<()> {
        if partner == self.commissioner {
            Ok(())
        } else {
            Err(Error::NotCommissioner)
        }
    }

    /// Whether `commissioner`, holding `holding` of the GTIN, may add packs of `expiry` to this
    /// lot: only the party that commissioned it, under the same holding, with the same expiry,
    /// and not after a recall. A lot's packs therefore always share one provenance.
    pub fn admits(&self, commissioner: AccountId, holding: u32, expiry: u32) -> Result<()> {
        if self.commissioner != commissioner || self.holding != holding {
            return Err(Error::LotTaken);
        }
        if self.expiry != expiry {
            return Err(Error::LotExpiryMismatch);
        }
        if self.recalled {
            return Err(Error::Recalled);
        }
        Ok(())
    }
}

pub fn check_gtin(gtin: &Gtin) -> Result<()> {
    gs1::validate_gtin(gtin).map_err(|e| match e {
        Gs1Error::BadCheckDigit => Error::BadCheckDigit,
        _ => Error::InvalidGtin,
    })
}

/// Lot, expiry and every serial of a commissioning batch, checked before anything is stored.
/// Errors name the offending serial's index. Returns when the lot expires.
pub fn validate_commission(lot: &[u8], expiry: u32, serials: &[Vec<u8>], now: Timestamp) -> Result<Timestamp> {
    gs1::validate_code(lot).map_err(|_| Error::InvalidLot)?;
    let expires_at = gs1::expiry_end(expiry, now).map_err(|_| Error::InvalidExpiry)?;
    if serials.is_empty() || serials.len() > MAX_COMMISSION {
        return Err(Error::InvalidBatch);
    }
    for (i, serial) in serials.iter().enumerate() {
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        gs1::validate_code(serial).map_err(|_| Error::InvalidSerial(index))?;
        if serials.iter().take(i).any(|earlier| earlier == serial) {
            return Err(Error::DuplicateSerial(index));
        }
    }
    Ok(expires_at)
}

pub fn validate_custody_batch(len: usize) -> Result<()> {
    if len == 0 || len > MAX_CUSTODY_BATCH {
        Err(Error::InvalidBatch)
    } else {
        Ok(())
    }
}

/// Why a scanned identifier matched no pack (GS1 Lightweight Messaging verify response).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum NoMatch {
    /// Not a well-formed GTIN-14, serial or lot.
    InvalidIdentifier,
    UnknownProduct,
    UnknownSerial,
    LotMismatch,
    ExpiryMismatch,
}

/// The answer to "is this pack genuine, and may it be supplied?".
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct Verification {
    /// The full identifier matches a commissioned pack.
    pub verified: bool,
    pub no_match: Option<NoMatch>,
    pub status: Option<PackStatus>,
    pub custodian_role: Option<PartnerRole>,
    pub expired: bool,
    pub recalled: bool,
    /// EMVS "withdrawn": the holding of the GTIN the pack was commissioned under was revoked
    /// by the regulator (a squat, or the product withdrawn) and its lot was not restored. The
    /// pack is not the genuine product of the GTIN's holder: do not supply.
    pub withdrawn: bool,
    pub suspect: bool,
    pub illegitimate: bool,
    /// Dispensed or otherwise taken out of the supply chain.
    pub decommissioned: bool,
}

impl Verification {
    pub const fn no_match(reason: NoMatch) -> Self {
        Self {
            verified: false,
            no_match: Some(reason),
            status: None,
            custodian_role: None,
            expired: false,
            recalled: false,
            withdrawn: false,
            suspect: false,
            illegitimate: false,
            decommissioned: false,
        }
    }
}

/// Compares a scanned identifier with what was commissioned and reports the flags.
pub fn verify(
    pack: &Pack,
    lot: &[u8],
    expiry: u32,
    lot_record: Option<&Lot>,
    product: &GtinRecord,
    custodian_role: Option<PartnerRole>,
    now: Timestamp,
) -> Verification {
    let LotFlags { recalled, expired, withdrawn } = LotFlags::of(Some(product), lot_record, now);
    let mismatch = if pack.lot != lot {
        Some(NoMatch::LotMismatch)
    } else if pack.expiry != expiry {
        Some(NoMatch::ExpiryMismatch)
    } else {
        None
    };
    Verification {
        verified: mismatch.is_none(),
        no_match: mismatch,
        status: Some(pack.status),
        custodian_role,
        expired,
        recalled,
        withdrawn,
        suspect: pack.suspect_evidence.is_some(),
        illegitimate: pack.illegitimate,
        decommissioned: pack.status.is_decommissioned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use ink::prelude::vec;

    const NOW: Timestamp = 1_767_225_600_000; // 2026-01-01

    #[test]
    fn commission_validation_names_the_offending_index() {
        let ok = vec![b"A1".to_vec(), b"A2".to_vec()];
        assert_eq!(
            validate_commission(b"LOT1", 271231, &ok, NOW),
            gs1::expiry_end(271231, NOW).map_err(|_| Error::InvalidExpiry)
        );
        assert_eq!(validate_commission(b"", 271231, &ok, NOW), Err(Error::InvalidLot));
        assert_eq!(validate_commission(b"LOT 1", 271231, &ok, NOW), Err(Error::InvalidLot));
        assert_eq!(validate_commission(b"LOT1", 271331, &ok, NOW), Err(Error::InvalidExpiry));
        assert_eq!(validate_commission(b"LOT1", 271231, &[], NOW), Err(Error::InvalidBatch));
        assert_eq!(
            validate_commission(b"LOT1", 271231, &vec![b"A".to_vec(); MAX_COMMISSION + 1], NOW),
            Err(Error::InvalidBatch)
        );
        let bad = vec![b"A1".to_vec(), b"A2".to_vec(), b"A#3".to_vec()];
        assert_eq!(validate_commission(b"LOT1", 271231, &bad, NOW), Err(Error::InvalidSerial(2)));
        let long = vec![b"A1".to_vec(), vec![b'9'; 21]];
        assert_eq!(validate_commission(b"LOT1", 271231, &long, NOW), Err(Error::InvalidSerial(1)));
        let dup = vec![b"A1".to_vec(), b"A2".to_vec(), b"A3".to_vec(), b"A2".to_vec()];
        assert_eq!(validate_commission(b"LOT1", 271231, &dup, NOW), Err(Error::DuplicateSerial(3)));
    }

    #[test]
    fn gtin_errors() {
        assert_eq!(check_gtin(b"09506000134352"), Ok(()));
        assert_eq!(check_gtin(b"09506000134353"), Err(Error::BadCheckDigit));
        assert_eq!(check_gtin(b"0950600013435X"), Err(Error::InvalidGtin));
        assert_eq!(check_gtin(b"00000000000000"), Err(Error::InvalidGtin), "reserved");
    }

    fn acct(b: u8) -> AccountId {
        AccountId::from([b; 32])
    }

    fn lot_of(commissioner: u8, holding: u32) -> Lot {
        Lot {
            expiry: 271231,
            expires_at: gs1::expiry_end(271231, NOW).unwrap(),
            recalled: false,
            commissioner: acct(commissioner),
            holding,
            restored: false,
        }
    }

    #[test]
    fn only_the_holder_of_a_live_holding_commissions() {
        let r = GtinRecord::first(acct(1));
        assert_eq!(r.ensure_commissionable_by(acct(1)), Ok(()));
        assert_eq!(r.ensure_commissionable_by(acct(2)), Err(Error::NotGtinOwner));
        let mut revoked = r;
        revoked.revoke(1).unwrap();
        assert_eq!(revoked.revoke(1), Err(Error::Unchanged));
        assert_eq!(revoked.revoke(2), Err(Error::UnknownHolding));
        assert_eq!(revoked.revoke(0), Err(Error::UnknownHolding));
        assert_eq!(revoked.ensure_commissionable_by(acct(1)), Err(Error::GtinRevoked));
    }

    /// Issue 27, item 1: a squatter's holding is revoked, then the GTIN goes to the brand —
    /// by a transfer or by approving the brand's claim, or back to the squatter by re-approval.
    /// The squatter's lot stays withdrawn whatever follows; only an explicit restore lifts it.
    #[test]
    fn nothing_done_with_the_gtin_later_makes_a_revoked_holdings_packs_genuine() {
        let squat = lot_of(6, 1);
        let mut r = GtinRecord::first(acct(6));
        assert!(!r.withdraws(&squat));
        r.revoke(1).unwrap();
        assert!(r.withdraws(&squat));
        for next in [
            r.transfer(acct(1), TransferKind::Squat).unwrap(),
            GtinRecord::approve(Some(r), acct(1)).unwrap(),
            GtinRecord::approve(Some(r), acct(6)).unwrap(),
        ] {
            assert_eq!(next.holding, 2);
            assert!(!next.is_revoked());
            assert!(next.withdraws(&squat), "holding 1 stays revoked");
            assert!(!next.withdraws(&lot_of(AsRef::<[u8; 32]>::as_ref(&next.owner)[0], 2)));
        }
        assert_eq!(r.transfer(acct(1), TransferKind::Sale), Err(Error::GtinRevoked), "a revoked holding is not sold");
        assert!(!r.withdraws(&Lot { restored: true, ..squat }), "restored by the regulator");
        // An unrevoked squat found out by the transfer itself.
        let live = GtinRecord::first(acct(6));
        let moved = live.transfer(acct(1), TransferKind::Squat).unwrap();
        assert!(moved.withdraws(&squat) && !moved.was_revoked(2));
        // A sale keeps the seller's packs genuine — until the seller is found out: an earlier
        // holding is revoked by its number, the buyer's packs untouched.
        let sold = GtinRecord::first(acct(1)).transfer(acct(7), TransferKind::Sale).unwrap();
        assert!(!sold.withdraws(&lot_of(1, 1)));
        assert_eq!((sold.owner, sold.holding), (acct(7), 2));
        let mut found_out = sold;
        found_out.revoke(1).unwrap();
        assert!(found_out.withdraws(&lot_of(1, 1)) && !found_out.withdraws(&lot_of(7, 2)));
        assert!(!found_out.is_revoked(), "the buyer's holding stands");
        // The directory's other refusals.
        assert_eq!(GtinRecord::approve(Some(sold), acct(9)), Err(Error::GtinTaken));
        assert_eq!(sold.transfer(acct(7), TransferKind::Sale), Err(Error::Unchanged));
        assert!(sold.was_revoked(0) && sold.was_revoked(MAX_HOLDINGS + 1), "never a holding: revoked");
    }

    #[test]
    fn a_gtin_changes_hands_at_most_max_holdings_times() {
        let mut r = GtinRecord::first(acct(1));
        for h in 2..=MAX_HOLDINGS {
            r = r.transfer(acct(u8::try_from(h % 2).unwrap() + 2), TransferKind::Squat).unwrap();
            assert_eq!(r.holding, h);
        }
        assert_eq!(r.transfer(acct(9), TransferKind::Sale), Err(Error::TooManyHoldings));
        r.revoke(MAX_HOLDINGS).unwrap();
        assert_eq!(GtinRecord::approve(Some(r), acct(9)), Err(Error::TooManyHoldings));
        assert_eq!(r.revoked_holdings, u64::MAX, "every holding was revoked, the last one included");
    }

    #[test]
    fn a_lot_keeps_one_provenance() {
        let l = lot_of(1, 2);
        assert_eq!(l.admits(acct(1), 2, 271231), Ok(()));
        assert_eq!(l.admits(acct(2), 2, 271231), Err(Error::LotTaken), "another partner");
        assert_eq!(l.admits(acct(1), 3, 271231), Err(Error::LotTaken), "a later holding of the same partner");
        assert_eq!(l.admits(acct(1), 2, 281231), Err(Error::LotExpiryMismatch));
        assert_eq!(Lot { recalled: true, ..l }.admits(acct(1), 2, 271231), Err(Error::Recalled));
        assert_eq!(l.ensure_recallable_by(acct(1)), Ok(()));
        assert_eq!(l.ensure_recallable_by(acct(2)), Err(Error::NotCommissioner), "not even the GTIN's holder");
    }

    #[test]
    fn verify_reports_mismatch_and_flags() {
        let pack = Pack::commissioned(acct(1), b"L1".to_vec(), 271231, 0);
        let lot = lot_of(1, 1);
        let product = GtinRecord::first(acct(1));
        let v = verify(&pack, b"L1", 271231, Some(&lot), &product, Some(PartnerRole::Manufacturer), NOW);
        assert!(v.verified && v.no_match.is_none() && !v.expired && !v.decommissioned && !v.withdrawn);
        assert_eq!(v.status, Some(PackStatus::Active));
        assert_eq!(verify(&pack, b"L2", 271231, Some(&lot), &product, None, NOW).no_match, Some(NoMatch::LotMismatch));
        assert_eq!(
            verify(&pack, b"L1", 271230, Some(&lot), &product, None, NOW).no_match,
            Some(NoMatch::ExpiryMismatch)
        );
        let recalled = Lot { recalled: true, ..lot };
        assert!(verify(&pack, b"L1", 271231, Some(&recalled), &product, None, NOW).recalled);
        let mut revoked = product;
        revoked.revoke(1).unwrap();
        assert!(verify(&pack, b"L1", 271231, Some(&lot), &revoked, None, NOW).withdrawn);
        assert!(verify(&pack, b"L1", 271231, Some(&lot), &product, None, lot.expires_at).expired);
        let orphan = verify(&pack, b"L1", 271231, None, &product, None, NOW);
        assert!(orphan.expired && orphan.withdrawn, "no lot record: never fresh, never genuine");
    }
}
