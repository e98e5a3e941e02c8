/// Every way a pharma_ledger message can refuse. A refused call changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// The caller is not the contract's owner (the regulator).
    NotOwner,
    /// The ledger is paused: no claims, commissioning, shipping, receiving, dispensing or undo
    /// until it resumes (recalls, suspect flags, decommissioning, rejections and cancellations
    /// still work).
    Paused,
    /// The caller is not a registered trading partner.
    NotPartner,
    /// The partner is suspended by the regulator.
    PartnerSuspended,
    /// The account is a registered partner already.
    AlreadyPartner,
    /// The caller's partner role may not do this (e.g. only dispensers dispense).
    WrongRole,
    /// Only the GTIN's holder may do this (commission it).
    NotGtinOwner,
    /// Only the partner that commissioned the lot, or the regulator, recalls it.
    NotCommissioner,
    /// A GTIN with characters other than 14 digits, or the reserved all-zero GTIN.
    InvalidGtin,
    /// The GTIN's check digit is wrong.
    BadCheckDigit,
    /// Another partner owns this GTIN: the regulator transfers it instead.
    GtinTaken,
    /// No partner owns this GTIN.
    UnknownGtin,
    /// The regulator revoked the GTIN's current holding: nothing more can be commissioned under
    /// it, and a revoked holding cannot be sold (a transfer says `Squat`; restore lots instead).
    GtinRevoked,
    /// The GTIN has changed hands `MAX_HOLDINGS` times, the most the ledger keeps a verdict for.
    TooManyHoldings,
    /// No holding of the GTIN has this number (holdings are numbered from 1 in the order the
    /// regulator assigned them).
    UnknownHolding,
    /// The lot was commissioned by another partner, or under an earlier holding of the GTIN:
    /// a lot's packs share one provenance, so these serials need a lot code of their own.
    LotTaken,
    /// The partner has no open claim on this GTIN.
    UnknownClaim,
    /// The partner already has an open claim on this GTIN (or owns it).
    AlreadyClaimed,
    /// Serial at this index of the batch is empty, longer than 20, or outside GS1 set 82.
    InvalidSerial(u32),
    /// Serial at this index repeats an earlier one of the batch or an existing pack.
    DuplicateSerial(u32),
    /// A batch/lot code that is empty, longer than 20, or outside GS1 set 82.
    InvalidLot,
    /// Not a valid YYMMDD expiry date.
    InvalidExpiry,
    /// The lot exists with another expiry date.
    LotExpiryMismatch,
    /// No packs, more than the batch limit, or a pack twice.
    InvalidBatch,
    /// No pack has this GTIN and serial.
    UnknownPack,
    /// The lot or expiry given does not match the pack's identifier.
    IdentifierMismatch,
    /// Only an active (not shipped, not decommissioned) pack can be shipped.
    PackNotActive,
    /// The pack is not in transit.
    NotInTransit,
    /// A pack in transit can only be received, rejected or cancelled.
    PackInTransit,
    /// Only a dispensed, sample, free-sample or locked pack can be undone.
    NotUndoable,
    /// The caller does not hold the pack.
    NotCustodian,
    /// The caller is not the recipient of the pack's shipment.
    NotPendingRecipient,
    /// An undo must be made by the actor of the change it reverts.
    DifferentActor,
    /// The 10-day undo window has passed.
    UndoWindowPassed,
    /// The pack is suspect and quarantined until the regulator clears it.
    Quarantined,
    /// The pack's lot is recalled.
    Recalled,
    /// EMVS "withdrawn": the holding of the GTIN the pack was commissioned under was revoked
    /// (a squat, or a product withdrawn) and its lot was not restored: it cannot be supplied.
    Withdrawn,
    /// The pack's expiry date has passed.
    Expired,
    /// The regulator confirmed the pack illegitimate: it can never move again.
    Illegitimate,
    /// The pack is not flagged suspect.
    NotSuspect,
    /// The lot is recalled already.
    AlreadyRecalled,
    /// The lot's holding was not revoked, or the lot was restored already: nothing to restore.
    NotWithdrawn,
    /// The recipient is not an active partner, or is the sender.
    InvalidRecipient,
    /// The pack is not part of the shipment named.
    NotInShipment,
    /// The sender may cancel an unreceived shipment only after the cancellation delay.
    ShipmentNotOverdue,
    /// An evidence, licence or statement hash of all zeroes.
    ZeroHash,
    /// No record_anchor is wired to anchor the transaction statement.
    AnchorNotWired,
    /// The wired record_anchor gave no answer that can be trusted (not a contract, code
    /// changed since it was pinned, trapped, out of its call limits, or an undecodable reply).
    AnchorUnavailable,
    /// record_anchor refused the statement (e.g. this shipper anchored the same statement before).
    AnchorRefused,
    /// The setting already has the requested value.
    Unchanged,
    /// The shipment id counter reached its maximum.
    CounterOverflow,
}

pub type Result<T> = core::result::Result<T, Error>;

carechain_shared::impl_admin_refusals!(Error);

impl From<carechain_shared::collections::CounterOverflow> for Error {
    fn from(_: carechain_shared::collections::CounterOverflow) -> Self {
        Error::CounterOverflow
    }
}
