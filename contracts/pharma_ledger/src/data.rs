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

/// Who owns a product code. A GTIN is assigned only by the regulator (approving a partner's
/// claim, or transferring it); a revoked GTIN stays on record, its packs keep their history,
/// but it can no longer be commissioned and its packs verify as withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct GtinRecord {
    pub owner: AccountId,
    pub revoked: bool,
}

impl GtinRecord {
    /// May `partner` commission this GTIN?
    pub fn ensure_commissionable_by(&self, partner: AccountId) -> Result<()> {
        if self.revoked {
            return Err(Error::GtinRevoked);
        }
        if self.owner != partner {
            return Err(Error::NotGtinOwner);
        }
        Ok(())
    }
}

/// A lot as first commissioned: its expiry (YYMMDD, and the instant it passes, resolved once
/// with the GS1 century rule) and whether it is recalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Lot {
    pub expiry: u32,
    pub expires_at: Timestamp,
    pub recalled: bool,
}

impl Lot {
    pub const fn is_expired(&self, now: Timestamp) -> bool {
        now >= self.expires_at
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
    /// The product's GTIN was revoked by the regulator (EMVS "withdrawn"): do not supply.
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
    withdrawn: bool,
    custodian_role: Option<PartnerRole>,
    now: Timestamp,
) -> Verification {
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
        // A pack without its lot record cannot be dated: report it expired, never fresh.
        expired: lot_record.is_none_or(|l| l.is_expired(now)),
        recalled: lot_record.is_some_and(|l| l.recalled),
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

    #[test]
    fn only_the_owner_of_a_live_gtin_commissions() {
        let r = GtinRecord { owner: AccountId::from([1; 32]), revoked: false };
        assert_eq!(r.ensure_commissionable_by(AccountId::from([1; 32])), Ok(()));
        assert_eq!(r.ensure_commissionable_by(AccountId::from([2; 32])), Err(Error::NotGtinOwner));
        let revoked = GtinRecord { revoked: true, ..r };
        assert_eq!(revoked.ensure_commissionable_by(AccountId::from([1; 32])), Err(Error::GtinRevoked));
    }

    #[test]
    fn verify_reports_mismatch_and_flags() {
        let pack = Pack::commissioned(AccountId::from([1; 32]), b"L1".to_vec(), 271231, 0);
        let lot = Lot { expiry: 271231, expires_at: gs1::expiry_end(271231, NOW).unwrap(), recalled: false };
        let v = verify(&pack, b"L1", 271231, Some(&lot), false, Some(PartnerRole::Manufacturer), NOW);
        assert!(v.verified && v.no_match.is_none() && !v.expired && !v.decommissioned && !v.withdrawn);
        assert_eq!(v.status, Some(PackStatus::Active));
        assert_eq!(verify(&pack, b"L2", 271231, Some(&lot), false, None, NOW).no_match, Some(NoMatch::LotMismatch));
        assert_eq!(verify(&pack, b"L1", 271230, Some(&lot), false, None, NOW).no_match, Some(NoMatch::ExpiryMismatch));
        let recalled = Lot { recalled: true, ..lot };
        assert!(verify(&pack, b"L1", 271231, Some(&recalled), false, None, NOW).recalled);
        assert!(verify(&pack, b"L1", 271231, Some(&lot), true, None, NOW).withdrawn);
        assert!(verify(&pack, b"L1", 271231, Some(&lot), false, None, lot.expires_at).expired);
        assert!(verify(&pack, b"L1", 271231, None, false, None, NOW).expired, "no lot record: never fresh");
    }
}
