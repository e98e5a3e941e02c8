//! Trading partners, lots, commissioning input and the verify answer, as pure logic.

use crate::errors::{Error, Result};
use crate::gs1::{self, Gs1Error, Gtin};
use crate::pack::{Pack, PackStatus};
use carechain_shared::{Hash32, Timestamp};
use ink::prelude::vec::Vec;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Lot {
    pub expiry: u32,
    pub recalled: bool,
}

pub fn check_gtin(gtin: &Gtin) -> Result<()> {
    gs1::validate_gtin(gtin).map_err(|e| match e {
        Gs1Error::BadCheckDigit => Error::BadCheckDigit,
        _ => Error::InvalidGtin,
    })
}

/// Lot, expiry and every serial of a commissioning batch, checked before anything is stored.
/// Errors name the offending serial's index.
pub fn validate_commission(lot: &[u8], expiry: u32, serials: &[Vec<u8>]) -> Result<()> {
    gs1::validate_code(lot).map_err(|_| Error::InvalidLot)?;
    gs1::expiry_end(expiry).map_err(|_| Error::InvalidExpiry)?;
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
    Ok(())
}

pub fn validate_custody_batch(len: usize) -> Result<()> {
    if len == 0 || len > MAX_CUSTODY_BATCH {
        Err(Error::InvalidBatch)
    } else {
        Ok(())
    }
}

/// Whether the pack's expiry has passed at `now` (a malformed stored date counts as expired).
pub fn is_expired(expiry: u32, now: Timestamp) -> bool {
    gs1::expiry_end(expiry).map_or(true, |end| now >= end)
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
    recalled: bool,
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
        expired: is_expired(pack.expiry, now),
        recalled,
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
    use ink::primitives::AccountId;

    #[test]
    fn commission_validation_names_the_offending_index() {
        let ok = vec![b"A1".to_vec(), b"A2".to_vec()];
        assert_eq!(validate_commission(b"LOT1", 271231, &ok), Ok(()));
        assert_eq!(validate_commission(b"", 271231, &ok), Err(Error::InvalidLot));
        assert_eq!(validate_commission(b"LOT 1", 271231, &ok), Err(Error::InvalidLot));
        assert_eq!(validate_commission(b"LOT1", 271331, &ok), Err(Error::InvalidExpiry));
        assert_eq!(validate_commission(b"LOT1", 271231, &[]), Err(Error::InvalidBatch));
        assert_eq!(
            validate_commission(b"LOT1", 271231, &vec![b"A".to_vec(); MAX_COMMISSION + 1]),
            Err(Error::InvalidBatch)
        );
        let bad = vec![b"A1".to_vec(), b"A2".to_vec(), b"A#3".to_vec()];
        assert_eq!(validate_commission(b"LOT1", 271231, &bad), Err(Error::InvalidSerial(2)));
        let long = vec![b"A1".to_vec(), vec![b'9'; 21]];
        assert_eq!(validate_commission(b"LOT1", 271231, &long), Err(Error::InvalidSerial(1)));
        let dup = vec![b"A1".to_vec(), b"A2".to_vec(), b"A3".to_vec(), b"A2".to_vec()];
        assert_eq!(validate_commission(b"LOT1", 271231, &dup), Err(Error::DuplicateSerial(3)));
    }

    #[test]
    fn gtin_errors() {
        assert_eq!(check_gtin(b"09506000134352"), Ok(()));
        assert_eq!(check_gtin(b"09506000134353"), Err(Error::BadCheckDigit));
        assert_eq!(check_gtin(b"0950600013435X"), Err(Error::InvalidGtin));
    }

    #[test]
    fn verify_reports_mismatch_and_flags() {
        let now = 1_767_225_600_000; // 2026-01-01
        let pack = Pack::commissioned(AccountId::from([1; 32]), b"L1".to_vec(), 271231, 0);
        let v = verify(&pack, b"L1", 271231, false, Some(PartnerRole::Manufacturer), now);
        assert!(v.verified && v.no_match.is_none() && !v.expired && !v.decommissioned);
        assert_eq!(v.status, Some(PackStatus::Active));
        assert_eq!(verify(&pack, b"L2", 271231, false, None, now).no_match, Some(NoMatch::LotMismatch));
        assert_eq!(verify(&pack, b"L1", 271230, false, None, now).no_match, Some(NoMatch::ExpiryMismatch));
        assert!(verify(&pack, b"L1", 271231, true, None, now).recalled);
        let old = Pack::commissioned(AccountId::from([1; 32]), b"L1".to_vec(), 251130, 0);
        assert!(verify(&old, b"L1", 251130, false, None, now).expired);
        assert!(is_expired(999999, now), "a malformed date is treated as expired");
    }
}
