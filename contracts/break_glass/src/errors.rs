/// Every way a break_glass message can refuse. A refused call changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// Wrong caller for this message (e.g. ending someone else's grant, disputing as non-patient).
    NotAuthorized,
    NotOwner,
    NotPendingOwner,
    Paused,
    PauseUnchanged,
    NotAuthority,
    /// The caller (or the account named) is not a registered responder.
    NotResponder,
    ResponderSuspended,
    /// Reinstating a responder who is not suspended.
    ResponderNotSuspended,
    AlreadyRegistered,
    PatientOptedOut,
    /// Empty categories or bits outside the defined categories.
    InvalidCategories,
    /// Categories outside what the patient lets break-glass open.
    CategoriesNotAllowed,
    /// The responder already holds the policy's maximum of active grants.
    ActiveGrantLimit,
    /// The responder reached the policy's maximum of grants in the last 24 hours.
    DailyGrantLimit,
    UnknownGrant,
    GrantNotActive,
    /// The responder already holds an active grant for this patient.
    GrantAlreadyActive,
    /// A responder breaking the glass on their own record.
    SelfAccess,
    /// The responder of a grant cannot review it.
    SelfReview,
    /// A disputed grant must be re-reviewed by another authority than the first reviewer.
    SameReviewer,
    AlreadyReviewed,
    ReviewNotOverdue,
    AlreadyFlagged,
    /// Only a grant reviewed as justified can be disputed.
    NotDisputable,
    AlreadyDisputed,
    InvalidPolicy,
    ZeroHash,
    UpgradeFailed,
    /// The setting already has the requested value (nothing to change, nothing to audit).
    Unchanged,
}

pub type Result<T> = core::result::Result<T, Error>;

carechain_shared::impl_from_admin_error!(Error);
