/// Every way a pharma_ledger message can refuse. A refused call changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    NotOwner,
    NotPendingOwner,
    Paused,
    PauseUnchanged,
    /// The caller is not a registered trading partner.
    NotPartner,
    PartnerSuspended,
    AlreadyPartner,
    /// The caller's partner role may not do this (e.g. only dispensers dispense).
    WrongRole,
    /// Only the GTIN's owner (or, for recalls, the regulator) may do this.
    NotGtinOwner,
    /// A GTIN with characters other than 14 digits.
    InvalidGtin,
    BadCheckDigit,
    GtinTaken,
    UnknownGtin,
    /// Serial at this index of the batch is empty, longer than 20, or outside GS1 set 82.
    InvalidSerial(u32),
    /// Serial at this index repeats an earlier one of the batch or an existing pack.
    DuplicateSerial(u32),
    InvalidLot,
    /// Not a valid YYMMDD expiry date.
    InvalidExpiry,
    /// The lot exists with another expiry date.
    LotExpiryMismatch,
    /// No packs, or more than the batch limit.
    InvalidBatch,
    UnknownPack,
    /// The lot or expiry given does not match the pack's identifier.
    IdentifierMismatch,
    PackNotActive,
    NotInTransit,
    PackInTransit,
    NotUndoable,
    NotCustodian,
    NotPendingRecipient,
    DifferentActor,
    UndoWindowPassed,
    Quarantined,
    Recalled,
    Expired,
    Illegitimate,
    NotSuspect,
    AlreadyRecalled,
    /// The recipient is not an active partner, or is the sender.
    InvalidRecipient,
    ZeroHash,
    /// No record_anchor is wired to anchor the transaction statement.
    AnchorNotWired,
    /// The wired record_anchor did not answer (not a contract, wrong contract, trapped).
    AnchorUnavailable,
    /// record_anchor refused the statement (e.g. the same statement hash anchored before).
    AnchorRefused,
    /// Clearing a peer address that is not set.
    NotWired,
    UpgradeFailed,
    /// The setting already has the requested value.
    Unchanged,
}

pub type Result<T> = core::result::Result<T, Error>;

carechain_shared::impl_from_admin_error!(Error);
