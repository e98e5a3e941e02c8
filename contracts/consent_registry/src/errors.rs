use carechain_shared::{collections::CapacityReached, PeriodError};

/// Every way a consent_registry message can refuse. A refused call changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// The caller is neither the patient nor an active delegate, nor the role the message needs.
    NotAuthorized,
    NotOwner,
    NotPendingOwner,
    Paused,
    PauseUnchanged,
    UnknownConsent,
    UnknownDenyRule,
    UnknownStudy,
    UnknownRequest,
    UnknownDelegate,
    AlreadyRevoked,
    /// `until <= from`.
    InvalidPeriod,
    /// The period ends at or before the current block time.
    PeriodInPast,
    /// Longer than the maximum this kind of period may last.
    PeriodTooLong,
    /// An empty category set, or bits outside the defined categories.
    InvalidCategories,
    /// An empty purpose set, or bits outside the defined purposes.
    InvalidPurposes,
    /// A consent or delegation naming the patient (or the delegate granting) as its own grantee.
    GrantToSelf,
    /// A 32-byte document or protocol hash of all zeroes.
    ZeroHash,
    /// A bounded per-key list is full: revoke, remove or `purge_expired` first.
    CapacityReached,
    RequestNotPending,
    RequestExpired,
    /// The study already has a pending request for this patient.
    AlreadyRequested,
    StudyEnded,
    /// A batch with no patients or more than the batch limit.
    InvalidBatch,
    /// Clearing a peer address that is not set.
    NotWired,
    /// `set_code_hash` was refused by the runtime (unknown code hash).
    UpgradeFailed,
    /// The setting already has the requested value (nothing to change, nothing to audit).
    Unchanged,
}

pub type Result<T> = core::result::Result<T, Error>;

carechain_shared::impl_from_admin_error!(Error);

impl From<PeriodError> for Error {
    fn from(e: PeriodError) -> Self {
        match e {
            PeriodError::Empty => Error::InvalidPeriod,
            PeriodError::InPast => Error::PeriodInPast,
            PeriodError::TooLong => Error::PeriodTooLong,
        }
    }
}

impl From<CapacityReached> for Error {
    fn from(_: CapacityReached) -> Self {
        Error::CapacityReached
    }
}
