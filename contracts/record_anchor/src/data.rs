//! Anchors as pure state logic: what may be anchored, who may supersede or retract, and
//! inclusion checks against an anchored batch root. No storage, no environment.
//!
//! A record's versions form one chain, linked both ways (`supersedes`, `superseded_by`); its
//! *latest* version is the one nothing supersedes. The latest version is the record's current
//! version, unless its issuer marked it *entered-in-error* (FHIR status; it stays visible,
//! nothing is deleted): then the record has no current version until a new version supersedes
//! the retracted one. Only the latest version can be superseded, retracted or not, and this
//! version's issuer, the record's first issuer and its patient always may — so whoever retracts
//! what, the record's first issuer can always extend its own chain. An earlier version never
//! becomes current again by itself (as in IHE XDS, deprecating a replacement does not re-approve
//! the original): whoever restores its content anchors it as the next version.
//!
//! Anchors and batch roots are keyed by who anchored them ([`AnchorKey`]): the same hash
//! anchored by two issuers is two anchors, so no one watching the transaction pool can take an
//! issuer's hash first, retract it, or block the issuer from anchoring it.

use carechain_shared::rfc6962::{self, Sha256};
use carechain_shared::{
    AnchorId, AnchoringError as Error, BatchId, BatchSummary, DataCategories, Hash32, Timestamp, ZERO_HASH,
};
use ink::primitives::AccountId;

pub type Result<T> = core::result::Result<T, Error>;

/// What an anchor is looked up by: its issuer, the party a contract issuer acted for (`None`
/// for an issuer anchoring in its own name), and the content hash.
pub type AnchorKey = (AccountId, Option<AccountId>, Hash32);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum AnchorStatus {
    /// The latest version of its record, not retracted.
    Current,
    /// A newer version supersedes it.
    Superseded,
    /// Its issuer retracted it (FHIR entered-in-error); if it is the latest version, the record
    /// has no current version until the next one supersedes it.
    EnteredInError,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Anchor {
    pub id: AnchorId,
    /// SHA-256 of the salted canonical record, never the record.
    pub content_hash: Hash32,
    /// The caller that anchored it: an account, or a contract anchoring for a partner.
    pub issuer: AccountId,
    pub on_behalf_of: Option<AccountId>,
    pub patient: Option<AccountId>,
    /// `NONE` for documents that concern no patient.
    pub category: DataCategories,
    pub block_number: u32,
    pub timestamp: Timestamp,
    pub status: AnchorStatus,
    pub supersedes: Option<AnchorId>,
    pub superseded_by: Option<AnchorId>,
    pub error_reason_hash: Option<Hash32>,
    /// The issuer of the first version: the record's custodian, who may always anchor its
    /// next version, whoever anchored the current one.
    pub record_issuer: AccountId,
    /// The categories of the first version: within them, the record's first issuer continues
    /// its own record without asking for consent again.
    pub record_category: DataCategories,
}

impl Anchor {
    pub fn key(&self) -> AnchorKey {
        (self.issuer, self.on_behalf_of, self.content_hash)
    }
}

pub fn validate_content(content_hash: &Hash32, patient: Option<AccountId>, category: DataCategories) -> Result<()> {
    if *content_hash == ZERO_HASH {
        return Err(Error::ZeroHash);
    }
    let categories_ok = match patient {
        Some(_) => category.is_valid_nonempty(),
        None => category.is_valid(),
    };
    if categories_ok {
        Ok(())
    } else {
        Err(Error::InvalidCategories)
    }
}

/// Whether `caller` must show consent to anchor a record of `category` about `patient`
/// (superseding `previous`, if any): only when there is a patient and the caller is someone
/// else — and not when the caller continues a record it first anchored itself, within that
/// record's first categories. That record's existence is public already, and a custodian must
/// be able to correct its own record whatever the patient's consent says now: a patient who
/// retracts an amendment and revokes the consent (or lets it lapse) never locks the record's
/// first issuer out of it.
pub fn needs_consent(
    caller: AccountId,
    patient: Option<AccountId>,
    category: DataCategories,
    previous: Option<&Anchor>,
) -> bool {
    let continues_own_record =
        previous.is_some_and(|p| p.record_issuer == caller && p.record_category.contains_all(category));
    patient.is_some_and(|p| p != caller) && !continues_own_record
}

impl Anchor {
    /// May `caller` anchor a new version about `patient` after this one? Only the latest version
    /// of a record is superseded — current or entered-in-error — and this version's issuer, the
    /// record's first issuer and the record's patient may: neither a patient's amendment nor its
    /// retraction locks the custodian out of its own record.
    pub fn check_supersede(&self, caller: AccountId, patient: Option<AccountId>) -> Result<()> {
        if caller != self.issuer && caller != self.record_issuer && Some(caller) != self.patient {
            return Err(Error::NotAuthorized);
        }
        if self.superseded_by.is_some() {
            return Err(Error::NotCurrent);
        }
        if patient != self.patient {
            return Err(Error::PatientMismatch);
        }
        Ok(())
    }

    /// Links the next version; a retracted version stays entered-in-error.
    pub fn mark_superseded(&mut self, by: AnchorId) {
        if self.status == AnchorStatus::Current {
            self.status = AnchorStatus::Superseded;
        }
        self.superseded_by = Some(by);
    }

    /// The issuer retracts the anchor; it stays readable with that status.
    pub fn mark_entered_in_error(&mut self, caller: AccountId, reason_hash: Hash32) -> Result<()> {
        if caller != self.issuer {
            return Err(Error::NotAuthorized);
        }
        if self.status == AnchorStatus::EnteredInError {
            return Err(Error::AlreadyEnteredInError);
        }
        if reason_hash == ZERO_HASH {
            return Err(Error::ZeroHash);
        }
        self.status = AnchorStatus::EnteredInError;
        self.error_reason_hash = Some(reason_hash);
        Ok(())
    }
}

/// A batch root and how many leaves its tree has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Batch {
    pub issuer: AccountId,
    pub root: Hash32,
    pub leaf_count: u64,
    pub metadata_hash: Hash32,
    pub anchored_at: Timestamp,
    pub block_number: u32,
}

pub fn validate_batch(root: &Hash32, leaf_count: u64) -> Result<()> {
    if *root == ZERO_HASH {
        return Err(Error::ZeroHash);
    }
    if leaf_count == 0 {
        return Err(Error::EmptyBatch);
    }
    Ok(())
}

impl Batch {
    /// Checks that `leaf_data` is leaf `index` of this batch, against the leaf count stored at
    /// anchoring time (an RFC 6962 proof does not bind the tree size by itself).
    pub fn check_inclusion<H: Sha256>(
        &self,
        batch_id: BatchId,
        leaf_data: &Hash32,
        index: u64,
        audit_path: &[Hash32],
    ) -> Result<BatchSummary> {
        rfc6962::verify_inclusion::<H>(leaf_data, index, self.leaf_count, audit_path, &self.root)?;
        Ok(BatchSummary {
            batch_id,
            issuer: self.issuer,
            root: self.root,
            leaf_count: self.leaf_count,
            metadata_hash: self.metadata_hash,
            anchored_at: self.anchored_at,
        })
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]
mod tests {
    use super::*;
    use carechain_shared::rfc6962::{InkSha256, MerkleTree};
    use proptest::prelude::*;

    fn acct(b: u8) -> AccountId {
        AccountId::from([b; 32])
    }

    fn anchor(issuer: u8, patient: Option<u8>) -> Anchor {
        Anchor {
            id: 1,
            content_hash: [1; 32],
            issuer: acct(issuer),
            on_behalf_of: None,
            patient: patient.map(acct),
            category: DataCategories::LAB_RESULTS,
            block_number: 1,
            timestamp: 1,
            status: AnchorStatus::Current,
            supersedes: None,
            superseded_by: None,
            error_reason_hash: None,
            record_issuer: acct(issuer),
            record_category: DataCategories::LAB_RESULTS,
        }
    }

    #[test]
    fn content_validation() {
        assert_eq!(validate_content(&ZERO_HASH, None, DataCategories::NONE), Err(Error::ZeroHash));
        assert_eq!(validate_content(&[1; 32], None, DataCategories::NONE), Ok(()));
        assert_eq!(validate_content(&[1; 32], Some(acct(2)), DataCategories::NONE), Err(Error::InvalidCategories));
        assert_eq!(validate_content(&[1; 32], Some(acct(2)), DataCategories(1 << 15)), Err(Error::InvalidCategories));
        assert_eq!(validate_content(&[1; 32], None, DataCategories(1 << 15)), Err(Error::InvalidCategories));
        assert_eq!(validate_content(&[1; 32], Some(acct(2)), DataCategories::IMAGING), Ok(()));
    }

    #[test]
    fn consent_needed_only_for_someone_elses_record() {
        let lab = DataCategories::LAB_RESULTS;
        assert!(!needs_consent(acct(1), None, DataCategories::NONE, None));
        assert!(!needs_consent(acct(1), Some(acct(1)), lab, None));
        assert!(needs_consent(acct(1), Some(acct(2)), lab, None));
        // The record's first issuer continuing its own record, within its first categories: no
        // consent asked again; another issuer, or more categories, are asked as ever.
        let v2 = Anchor { issuer: acct(2), id: 2, ..anchor(1, Some(2)) };
        assert!(!needs_consent(acct(1), Some(acct(2)), lab, Some(&v2)));
        assert!(needs_consent(acct(1), Some(acct(2)), lab.union(DataCategories::GENOMICS), Some(&v2)));
        assert!(needs_consent(acct(3), Some(acct(2)), lab, Some(&v2)));
    }

    #[test]
    fn supersede_rules() {
        let a = anchor(1, Some(2));
        assert_eq!(a.check_supersede(acct(1), Some(acct(2))), Ok(()), "issuer");
        assert_eq!(a.check_supersede(acct(2), Some(acct(2))), Ok(()), "patient");
        assert_eq!(a.check_supersede(acct(3), Some(acct(2))), Err(Error::NotAuthorized));
        assert_eq!(a.check_supersede(acct(1), Some(acct(4))), Err(Error::PatientMismatch));
        assert_eq!(a.check_supersede(acct(1), None), Err(Error::PatientMismatch));
        // The patient's amendment does not lock the hospital out of the next version.
        let amended = Anchor { issuer: acct(2), id: 2, ..a.clone() };
        assert_eq!(amended.check_supersede(acct(1), Some(acct(2))), Ok(()), "the record's first issuer");
        assert_eq!(amended.check_supersede(acct(3), Some(acct(2))), Err(Error::NotAuthorized));
        let mut old = a.clone();
        old.mark_superseded(9);
        assert_eq!((old.status, old.superseded_by), (AnchorStatus::Superseded, Some(9)));
        assert_eq!(old.check_supersede(acct(1), Some(acct(2))), Err(Error::NotCurrent));
    }

    #[test]
    fn entered_in_error_by_issuer_once() {
        let mut a = anchor(1, Some(2));
        assert_eq!(a.mark_entered_in_error(acct(2), [5; 32]), Err(Error::NotAuthorized), "not even the patient");
        assert_eq!(a.mark_entered_in_error(acct(1), ZERO_HASH), Err(Error::ZeroHash));
        assert_eq!(a.mark_entered_in_error(acct(1), [5; 32]), Ok(()));
        assert_eq!((a.status, a.error_reason_hash), (AnchorStatus::EnteredInError, Some([5; 32])));
        assert_eq!(a.mark_entered_in_error(acct(1), [6; 32]), Err(Error::AlreadyEnteredInError));
    }

    /// Issue 27, item 2: the patient supersedes the hospital's v1 with v2, then retracts v2. The
    /// record has no current version, and the hospital extends its chain from v2, the latest
    /// version; v1 (superseded) stays closed, and the retraction stays on record.
    #[test]
    fn the_latest_version_is_superseded_even_when_retracted() {
        let mut v1 = anchor(1, Some(2));
        let mut v2 = Anchor { id: 2, issuer: acct(2), supersedes: Some(1), ..v1.clone() };
        v1.mark_superseded(2);
        v2.mark_entered_in_error(acct(2), [5; 32]).unwrap();
        assert_eq!(v1.check_supersede(acct(1), Some(acct(2))), Err(Error::NotCurrent), "not the latest");
        assert_eq!(v2.check_supersede(acct(1), Some(acct(2))), Ok(()), "the record's first issuer");
        assert_eq!(v2.check_supersede(acct(2), Some(acct(2))), Ok(()), "the patient");
        assert_eq!(v2.check_supersede(acct(3), Some(acct(2))), Err(Error::NotAuthorized));
        v2.mark_superseded(3);
        assert_eq!((v2.status, v2.superseded_by), (AnchorStatus::EnteredInError, Some(3)), "still retracted");
        assert_eq!(v2.check_supersede(acct(1), Some(acct(2))), Err(Error::NotCurrent));
        // Even a record whose only version its issuer retracted can be continued.
        let mut only = anchor(1, Some(2));
        only.mark_entered_in_error(acct(1), [5; 32]).unwrap();
        assert_eq!(only.check_supersede(acct(1), Some(acct(2))), Ok(()));
    }

    #[test]
    fn batch_validation() {
        assert_eq!(validate_batch(&ZERO_HASH, 1), Err(Error::ZeroHash));
        assert_eq!(validate_batch(&[1; 32], 0), Err(Error::EmptyBatch));
        assert_eq!(validate_batch(&[1; 32], u64::MAX), Ok(()));
    }

    fn leaves(n: usize, seed: u8) -> Vec<Hash32> {
        (0..n).map(|i| InkSha256::digest(&[(i % 251) as u8, (i / 251) as u8, seed])).collect()
    }

    fn batch_of(tree: &MerkleTree<InkSha256>) -> Batch {
        Batch {
            issuer: acct(1),
            root: tree.root(),
            leaf_count: tree.leaf_count(),
            metadata_hash: [3; 32],
            anchored_at: 7,
            block_number: 2,
        }
    }

    #[test]
    fn inclusion_errors_map_to_typed_errors() {
        let d = leaves(5, 0);
        let tree = MerkleTree::<InkSha256>::from_leaf_data(&d).unwrap();
        let b = batch_of(&tree);
        let path = tree.audit_path(4).unwrap();
        let ok = b.check_inclusion::<InkSha256>(3, &d[4], 4, &path).unwrap();
        assert_eq!((ok.batch_id, ok.leaf_count, ok.root), (3, 5, tree.root()));
        assert_eq!(b.check_inclusion::<InkSha256>(3, &d[4], 5, &path), Err(Error::IndexOutOfRange));
        assert_eq!(b.check_inclusion::<InkSha256>(3, &d[4], 4, &[[0; 32]; 4]), Err(Error::PathTooLong));
        assert_eq!(b.check_inclusion::<InkSha256>(3, &d[3], 4, &path), Err(Error::BadProof));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        /// Random trees: every leaf verifies against the stored batch; a flipped bit anywhere
        /// in the proof, or another leaf's data, does not.
        #[test]
        fn inclusion_proofs(n in 1usize..600, seed in any::<u8>(), bit in 0usize..256) {
            let d = leaves(n, seed);
            let tree = MerkleTree::<InkSha256>::from_leaf_data(&d).unwrap();
            let b = batch_of(&tree);
            for (i, leaf) in d.iter().enumerate() {
                let path = tree.audit_path(i as u64).unwrap();
                prop_assert!(b.check_inclusion::<InkSha256>(1, leaf, i as u64, &path).is_ok());
                let mut bad_leaf = *leaf;
                bad_leaf[bit / 8] ^= 1 << (bit % 8);
                prop_assert_eq!(b.check_inclusion::<InkSha256>(1, &bad_leaf, i as u64, &path), Err(Error::BadProof));
                if let Some(step) = path.first() {
                    let mut bad_path = path.clone();
                    bad_path[0] = { let mut s = *step; s[bit / 8] ^= 1 << (bit % 8); s };
                    prop_assert_eq!(b.check_inclusion::<InkSha256>(1, leaf, i as u64, &bad_path), Err(Error::BadProof));
                }
            }
        }
    }
}
