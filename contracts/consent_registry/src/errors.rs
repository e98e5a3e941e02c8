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
    /// The setting already has the requested value (nothing to change, nothing to audit).
    Unchanged,
    /// A delegate's consent must end no later than the delegation itself.
    ExceedsDelegation,
    /// A delegate lifts only deny rules it created, and never one that binds it.
    DelegateCannotLift,
    /// An id counter reached its maximum.
    CounterOverflow,
}

pub type Result<T> = core::result::Result<T, Error>;

carechain_shared::impl_admin_refusals!(Error);

carechain_shared::impl_helper_refusals!(Error);

/// How a refused research grant is reported to research_registry (`ResearchConsents`).
impl From<Error> for carechain_shared::GrantRefusal {
    fn from(e: Error) -> Self {
        use carechain_shared::GrantRefusal as R;
        match e {
            Error::Paused => R::Paused,
            Error::GrantToSelf => R::GrantToSelf,
            Error::ZeroHash => R::ZeroHash,
            Error::InvalidPeriod | Error::PeriodInPast | Error::PeriodTooLong | Error::ExceedsDelegation => {
                R::InvalidPeriod
            }
            Error::InvalidCategories => R::InvalidCategories,
            Error::CapacityReached => R::CapacityReached,
            Error::CounterOverflow => R::CounterOverflow,
            _ => R::NotAuthorized,
        }
    }
}
