use carechain_shared::collections::{CapacityReached, CounterOverflow};
use carechain_shared::PeriodError;

/// Every way a consent_registry message can refuse. A refused call changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// The caller is neither the patient nor an active delegate, nor the role the message needs.
    NotAuthorized,
    /// The caller is not the contract's owner.
    NotOwner,
    /// The contract is paused: nothing that creates access or new records works until it
    /// resumes (revoking, denying and other narrowing actions still do).
    Paused,
    /// No consent has this id.
    UnknownConsent,
    /// The patient has no deny rule with this id.
    UnknownDenyRule,
    /// No study has this id.
    UnknownStudy,
    /// The patient's inbox holds no request of this study.
    UnknownRequest,
    /// The caller has not appointed this delegate.
    UnknownDelegate,
    /// The consent is already revoked.
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
    /// A 32-byte document, protocol or approval hash of all zeroes.
    ZeroHash,
    /// A bounded per-key list is full: revoke, remove or `purge_expired` first.
    CapacityReached,
    /// The request passed its time to live and can no longer be answered.
    RequestExpired,
    /// The study already has a live request in this patient's inbox.
    AlreadyRequested,
    /// The study has ended.
    StudyEnded,
    /// A batch with no patients, more than the batch limit, or a patient twice.
    InvalidBatch,
    /// The setting already has the requested value (nothing to change, nothing to audit).
    Unchanged,
    /// A delegate's consent must end no later than the delegation itself.
    ExceedsDelegation,
    /// A delegate lifts only deny rules or blocks it created, and never one that binds it.
    DelegateCannotLift,
    /// The caller is not an ethics approver appointed by the owner.
    NotEthicsApprover,
    /// The study has no ethics approval in force (proposed or suspended).
    StudyNotApproved,
    /// The caller would judge its own case (an approver approving its own study).
    ConflictOfInterest,
    /// The patient denied this study recently; it may ask again after the policy's cool-down.
    CoolingDown,
    /// The researcher already holds its policy share of this patient's pending requests.
    ResearcherShareReached,
    /// The patient blocked this researcher.
    ResearcherBlocked,
    /// A research policy outside the bounds `ResearchPolicy::validate` documents.
    InvalidPolicy,
    /// An id counter reached its maximum.
    CounterOverflow,
}

pub type Result<T> = core::result::Result<T, Error>;

carechain_shared::impl_admin_refusals!(Error);

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

impl From<CounterOverflow> for Error {
    fn from(_: CounterOverflow) -> Self {
        Error::CounterOverflow
    }
}
