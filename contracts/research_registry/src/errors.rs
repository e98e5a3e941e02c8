use carechain_shared::GrantRefusal;

/// Every way a research_registry message can refuse. A refused call changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// The caller is neither the patient nor an active delegate, nor the role the message needs.
    NotAuthorized,
    /// The caller is not the contract's owner.
    NotOwner,
    /// The contract (or the consent_registry creating the consent) is paused: nothing that
    /// creates access or new records works until it resumes (denying, blocking, withdrawing
    /// and suspending still do).
    Paused,
    /// No study has this id.
    UnknownStudy,
    /// The patient's inbox holds no request of this study.
    UnknownRequest,
    /// `until <= from`, or the study or delegation has already ended.
    InvalidPeriod,
    /// The period ends at or before the current block time.
    PeriodInPast,
    /// Longer than the maximum a study may last.
    PeriodTooLong,
    /// An empty category set, or bits outside the defined categories.
    InvalidCategories,
    /// The researcher is the patient or the delegate answering for them.
    GrantToSelf,
    /// A 32-byte protocol, approval or consent-form hash of all zeroes.
    ZeroHash,
    /// A bounded per-patient list (here or the patient's consents in the registry) is full.
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
    /// A delegate lifts only blocks it created.
    DelegateCannotLift,
    /// The account placing or lifting a block is the researcher it names: a block binds that
    /// account, which can neither place nor lift it.
    SelfBlock,
    /// The caller is not an ethics approver appointed by the owner.
    NotEthicsApprover,
    /// The study has no ethics approval in force (proposed or suspended).
    StudyNotApproved,
    /// The caller would judge its own case (an approver approving its own study).
    ConflictOfInterest,
    /// The study's last request to this patient ended unapproved (denied, withdrawn, lapsed or
    /// dropped by a block) within the policy's cool-down; it may ask again after it.
    CoolingDown,
    /// The researcher already holds its policy share of this patient's pending requests.
    ResearcherShareReached,
    /// The patient blocked this researcher.
    ResearcherBlocked,
    /// A research policy outside the bounds `ResearchPolicy::validate` documents.
    InvalidPolicy,
    /// An id counter reached its maximum.
    CounterOverflow,
    /// No consent_registry is wired, so a delegate's authority cannot be checked and no research
    /// consent can be created (a patient acting for themself needs no registry to deny or block).
    RegistryNotWired,
    /// The wired consent_registry gave no answer that can be trusted (not a contract, code
    /// changed since it was pinned, trapped, out of its call limits, or an undecodable reply).
    RegistryUnavailable,
}

pub type Result<T> = core::result::Result<T, Error>;

carechain_shared::impl_admin_refusals!(Error);

carechain_shared::impl_helper_refusals!(Error);

/// consent_registry's refusal to create the consent, under the variant of the same name.
impl From<GrantRefusal> for Error {
    fn from(r: GrantRefusal) -> Self {
        match r {
            GrantRefusal::NotAuthorized => Error::NotAuthorized,
            GrantRefusal::Paused => Error::Paused,
            GrantRefusal::GrantToSelf => Error::GrantToSelf,
            GrantRefusal::ZeroHash => Error::ZeroHash,
            GrantRefusal::InvalidPeriod => Error::InvalidPeriod,
            GrantRefusal::InvalidCategories => Error::InvalidCategories,
            GrantRefusal::CapacityReached => Error::CapacityReached,
            GrantRefusal::CounterOverflow => Error::CounterOverflow,
        }
    }
}
