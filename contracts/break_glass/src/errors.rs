/// Every way a break_glass message can refuse. A refused call changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// Wrong caller for this message (e.g. ending someone else's grant, disputing as non-patient).
    NotAuthorized,
    /// The caller is not the contract's owner.
    NotOwner,
    /// The contract is paused: no new grants, responders or reinstatements until it resumes
    /// (ending, reviewing and suspending still work).
    Paused,
    /// The caller is not an authority appointed by the owner.
    NotAuthority,
    /// The caller (or the account named) is not a registered responder.
    NotResponder,
    /// The responder is suspended.
    ResponderSuspended,
    /// Reinstating a responder who is not suspended.
    ResponderNotSuspended,
    /// The responder is registered already.
    AlreadyRegistered,
    /// The patient opted out of break-glass access.
    PatientOptedOut,
    /// Empty categories or bits outside the defined categories.
    InvalidCategories,
    /// Categories outside what the patient lets break-glass open.
    CategoriesNotAllowed,
    /// The responder already holds the policy's maximum of active grants.
    ActiveGrantLimit,
    /// The responder reached the policy's maximum of grants in the last 24 hours.
    DailyGrantLimit,
    /// No grant has this id.
    UnknownGrant,
    /// The grant has ended or expired.
    GrantNotActive,
    /// The responder already holds an active grant for this patient.
    GrantAlreadyActive,
    /// A responder breaking the glass on their own record.
    SelfAccess,
    /// The responder of a grant cannot review it.
    SelfReview,
    /// A disputed grant must be re-reviewed by another authority than the first reviewer.
    SameReviewer,
    /// The grant's review is already recorded.
    AlreadyReviewed,
    /// The grant's review is not overdue (yet, or any more).
    ReviewNotOverdue,
    /// The overdue review was flagged already.
    AlreadyFlagged,
    /// Only a grant reviewed as justified can be disputed.
    NotDisputable,
    /// A grant can be disputed once.
    AlreadyDisputed,
    /// A policy outside the bounds `Policy::validate` documents.
    InvalidPolicy,
    /// A credential, organisation, justification or review hash of all zeroes.
    ZeroHash,
    /// The setting already has the requested value (nothing to change, nothing to audit).
    Unchanged,
    /// No account is both authority and responder: the account already holds the other role.
    RoleConflict,
    /// The authority that registered a responder (or the responder itself) may not review its
    /// grants or reinstate it.
    ConflictOfInterest,
    /// The grant id counter or the review queue reached its maximum.
    CounterOverflow,
}

pub type Result<T> = core::result::Result<T, Error>;

carechain_shared::impl_admin_refusals!(Error);

impl From<carechain_shared::collections::CounterOverflow> for Error {
    fn from(_: carechain_shared::collections::CounterOverflow) -> Self {
        Error::CounterOverflow
    }
}
