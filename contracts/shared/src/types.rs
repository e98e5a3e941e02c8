//! Domain vocabulary shared by all contracts.

use ink::primitives::AccountId;

/// A SHA-256 digest of something kept off chain (a signed consent form, a record, a review).
pub type Hash32 = [u8; 32];
/// Milliseconds since the Unix epoch, as pallet-timestamp reports block time.
pub type Timestamp = u64;
pub type ConsentId = u64;
pub type DenyRuleId = u64;
pub type StudyId = u64;
pub type RequestId = u64;
pub type GrantId = u64;
pub type AnchorId = u64;
pub type BatchId = u64;

pub const MS_PER_MINUTE: Timestamp = 60_000;
pub const MS_PER_HOUR: Timestamp = 3_600_000;
pub const MS_PER_DAY: Timestamp = 86_400_000;

/// A hash of all zeroes is what an uninitialised buffer looks like, never a real digest.
pub const ZERO_HASH: Hash32 = [0u8; 32];

/// HL7 v3 PurposeOfUse: why an accessor wants the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Purpose {
    /// TREAT
    Treatment,
    /// ETREAT: the only purpose break-glass grants can satisfy.
    EmergencyTreatment,
    /// HRESCH
    Research,
    /// HPAYMT
    Payment,
    /// HOPERAT
    Operations,
    /// PUBHLTH
    PublicHealth,
}

impl Purpose {
    pub const ALL: [Purpose; 6] = [
        Purpose::Treatment,
        Purpose::EmergencyTreatment,
        Purpose::Research,
        Purpose::Payment,
        Purpose::Operations,
        Purpose::PublicHealth,
    ];

    /// The HL7 v3 ActReason code, for off-chain audit exports.
    pub const fn hl7_code(self) -> &'static str {
        match self {
            Purpose::Treatment => "TREAT",
            Purpose::EmergencyTreatment => "ETREAT",
            Purpose::Research => "HRESCH",
            Purpose::Payment => "HPAYMT",
            Purpose::Operations => "HOPERAT",
            Purpose::PublicHealth => "PUBHLTH",
        }
    }

    const fn bit(self) -> u8 {
        match self {
            Purpose::Treatment => 1,
            Purpose::EmergencyTreatment => 1 << 1,
            Purpose::Research => 1 << 2,
            Purpose::Payment => 1 << 3,
            Purpose::Operations => 1 << 4,
            Purpose::PublicHealth => 1 << 5,
        }
    }
}

/// A set of purposes, as a bitmask so a consent stores it in one byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct PurposeSet(pub u8);

impl PurposeSet {
    pub const EMPTY: PurposeSet = PurposeSet(0);
    pub const ALL: PurposeSet = PurposeSet(0b0011_1111);

    pub const fn of(purpose: Purpose) -> Self {
        PurposeSet(purpose.bit())
    }
    pub const fn with(self, purpose: Purpose) -> Self {
        PurposeSet(self.0 | purpose.bit())
    }
    pub const fn contains(self, purpose: Purpose) -> bool {
        self.0 & purpose.bit() != 0
    }
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// No bit outside the six defined purposes: unknown bits are bad input, not "future purposes".
    pub const fn is_valid(self) -> bool {
        self.0 & !Self::ALL.0 == 0
    }
}

/// Data categories as a bitmask: one consent, deny rule or grant covers several at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct DataCategories(pub u16);

impl DataCategories {
    pub const NONE: Self = Self(0);
    pub const DEMOGRAPHICS: Self = Self(1);
    pub const ALLERGIES: Self = Self(1 << 1);
    pub const MEDICATIONS: Self = Self(1 << 2);
    pub const PROBLEMS: Self = Self(1 << 3);
    pub const LAB_RESULTS: Self = Self(1 << 4);
    pub const IMAGING: Self = Self(1 << 5);
    pub const IMMUNIZATIONS: Self = Self(1 << 6);
    pub const CLINICAL_NOTES: Self = Self(1 << 7);
    pub const MENTAL_HEALTH: Self = Self(1 << 8);
    pub const SUBSTANCE_USE: Self = Self(1 << 9);
    pub const SEXUAL_REPRODUCTIVE: Self = Self(1 << 10);
    pub const GENOMICS: Self = Self(1 << 11);
    pub const EMERGENCY_SUMMARY: Self = Self(1 << 12);
    pub const ALL: Self = Self(0x1FFF);
    /// Categories that carry extra legal protection (42 CFR Part 2, GDPR art. 9 special
    /// categories): consent UIs should ask for them separately, never behind "all".
    pub const SENSITIVE: Self =
        Self(Self::MENTAL_HEALTH.0 | Self::SUBSTANCE_USE.0 | Self::SEXUAL_REPRODUCTIVE.0 | Self::GENOMICS.0);

    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
    pub const fn intersection(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }
    /// Every category of `other` is in `self`.
    pub const fn contains_all(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub const fn is_valid(self) -> bool {
        self.0 & !Self::ALL.0 == 0
    }
    /// Non-empty and only defined bits: what every message that takes categories demands.
    pub const fn is_valid_nonempty(self) -> bool {
        !self.is_empty() && self.is_valid()
    }
}

/// Why an access check said no. Each reason points the caller at what would change the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum DenyReason {
    /// Empty categories, or bits outside the defined categories.
    InvalidRequest,
    /// No active consent covers every requested category for this purpose now.
    NoConsent,
    /// An active deny rule of the patient matches; deny always wins.
    DeniedByRule(DenyRuleId),
    /// Emergency treatment: break_glass has no active grant covering the categories.
    NoEmergencyGrant,
    /// Emergency treatment: the registry has no break_glass contract wired.
    BreakGlassNotWired,
    /// Emergency treatment: the wired break_glass contract gave no answer that can be trusted
    /// (not a contract, code changed since it was pinned, trapped, out of its call limits,
    /// reverted, or an undecodable reply).
    BreakGlassUnavailable,
}

/// The answer of the consent check: the grounds on which access is permitted, or why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum AccessDecision {
    /// Permitted by this consent, in force now and covering every requested category.
    PermittedByConsent(ConsentId),
    /// Permitted for emergency treatment by this active break-glass grant.
    PermittedByEmergencyGrant(GrantId),
    /// Refused, and why.
    Denied(DenyReason),
}

impl AccessDecision {
    pub const fn is_permitted(&self) -> bool {
        !matches!(self, AccessDecision::Denied(_))
    }
}

/// What an inclusion check returns: the anchored batch the proof was checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct BatchSummary {
    pub batch_id: BatchId,
    pub issuer: AccountId,
    pub root: Hash32,
    pub leaf_count: u64,
    pub metadata_hash: Hash32,
    pub anchored_at: Timestamp,
}

/// Every way record_anchor refuses, for dApps and for contracts calling it through
/// `RecordAnchoring` alike. A refused call changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum AnchoringError {
    /// A content hash, batch root or reason hash of all zeroes.
    ZeroHash,
    /// The caller already anchored this content hash (for this party) or this batch root.
    /// Anchors are kept per issuer: another issuer's anchor of the same hash never blocks you.
    AlreadyAnchored,
    /// No anchor has this id.
    UnknownAnchor,
    /// No batch has this id.
    UnknownBatch,
    /// Only the record's issuers or its patient may supersede; only the issuer of an anchor
    /// may mark it entered-in-error.
    NotAuthorized,
    /// Superseding a version that a newer version already supersedes: only the latest
    /// version of a record (current or entered-in-error) can be superseded.
    NotCurrent,
    /// The anchor is already marked entered-in-error.
    AlreadyEnteredInError,
    /// A new version must concern the same patient as the anchor it supersedes.
    PatientMismatch,
    /// Empty or undefined category bits on a record about a patient.
    InvalidCategories,
    /// consent_registry answered that the caller may not handle this patient's data.
    ConsentRefused,
    /// No consent_registry is wired, so a patient's consent cannot be checked.
    RegistryNotWired,
    /// The wired consent_registry gave no answer that can be trusted (not a contract, code
    /// changed since it was pinned, trapped, out of its call limits, reverted, or an
    /// undecodable reply).
    RegistryUnavailable,
    /// A batch of zero leaves.
    EmptyBatch,
    /// The leaf index is not below the batch's leaf count.
    IndexOutOfRange,
    /// An audit path longer than the batch's tree can have.
    PathTooLong,
    /// The audit path does not lead from the leaf to the batch root.
    BadProof,
    /// The caller is not the contract's owner.
    NotOwner,
    /// Anchoring is paused (retracting an anchor still works).
    Paused,
    /// An id counter reached its maximum.
    CounterOverflow,
}

crate::impl_admin_refusals!(AnchoringError);

impl From<crate::rfc6962::ProofError> for AnchoringError {
    fn from(e: crate::rfc6962::ProofError) -> Self {
        match e {
            crate::rfc6962::ProofError::IndexOutOfRange => AnchoringError::IndexOutOfRange,
            crate::rfc6962::ProofError::PathTooLong => AnchoringError::PathTooLong,
            crate::rfc6962::ProofError::BadProof => AnchoringError::BadProof,
        }
    }
}

impl From<crate::collections::CounterOverflow> for AnchoringError {
    fn from(_: crate::collections::CounterOverflow) -> Self {
        AnchoringError::CounterOverflow
    }
}

// ----- research consents (research_registry → consent_registry) ------------------------------

/// Who is acting for a patient: the patient, or a delegate whose appointment runs until
/// `expires_at` (and whose grants must end by then). Answered by consent_registry, which holds
/// the delegations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Actor {
    Patient,
    Delegate { account: AccountId, expires_at: Timestamp },
}

/// A delegate tried to lift a rule or block it did not create, or one that binds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DelegateCannotLift;

impl Actor {
    /// The account acting.
    pub const fn account(self, patient: AccountId) -> AccountId {
        match self {
            Actor::Patient => patient,
            Actor::Delegate { account, .. } => account,
        }
    }

    /// Ends `until` no later than this actor's authority.
    pub fn cap(self, until: Timestamp) -> Timestamp {
        match self {
            Actor::Patient => until,
            Actor::Delegate { expires_at, .. } => until.min(expires_at),
        }
    }

    /// A patient lifts any of their rules; a delegate only one it created that does not bind it.
    pub fn may_lift(self, created_by: AccountId, binds_actor: bool) -> Result<(), DelegateCannotLift> {
        match self {
            Actor::Patient => Ok(()),
            Actor::Delegate { account, .. } if created_by == account && !binds_actor => Ok(()),
            Actor::Delegate { .. } => Err(DelegateCannotLift),
        }
    }
}

/// What a study's research consent covers: research purpose only, the study's categories,
/// until the study ends (or the acting delegate's appointment does, if sooner).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct ResearchTerms {
    pub study_id: StudyId,
    pub researcher: AccountId,
    pub categories: DataCategories,
    pub ends_at: Timestamp,
}

/// Why consent_registry refused to create a research consent (`ResearchConsents`);
/// research_registry reports each under its own variant of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum GrantRefusal {
    /// The caller is not the research contract the registry's owner wired (address and code),
    /// or the acting account is neither the patient nor an active delegate.
    NotAuthorized,
    /// The registry is paused.
    Paused,
    /// The researcher is the patient or the acting delegate.
    GrantToSelf,
    /// A consent-form hash of all zeroes.
    ZeroHash,
    /// The study (or the delegation) has already ended.
    InvalidPeriod,
    /// The study's categories are empty or undefined.
    InvalidCategories,
    /// The patient's consent lists are full: revoke or purge first.
    CapacityReached,
    /// An id counter reached its maximum.
    CounterOverflow,
}
