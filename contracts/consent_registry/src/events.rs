//! The audit trail. Topics are the patient and the counter-party, so a patient's wallet and an
//! accessor's compliance tooling can each subscribe to what concerns them. Research requests
//! and answers are research_registry's events.

use carechain_shared::{
    AccessDecision, ConsentId, DataCategories, DenyRuleId, Hash32, Purpose, PurposeSet, StudyId, Timestamp,
};
use ink::primitives::AccountId;

/// A consent was granted by the patient or a delegate, directly or by answering a research request.
#[ink::event]
pub struct ConsentGranted {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub accessor: AccountId,
    pub consent_id: ConsentId,
    pub categories: DataCategories,
    pub purposes: PurposeSet,
    pub valid_from: Timestamp,
    pub valid_until: Timestamp,
    pub document_hash: Hash32,
    pub granted_by: AccountId,
    pub study_id: Option<StudyId>,
}

/// A consent was revoked: by the patient or a delegate, or because the delegate who granted it
/// was removed or its appointment shortened (`revoked_by` is then the patient).
#[ink::event]
pub struct ConsentRevoked {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub accessor: AccountId,
    pub consent_id: ConsentId,
    pub revoked_by: AccountId,
}

/// A deny rule was added; it wins over every consent while in force.
#[ink::event]
pub struct DenyRuleAdded {
    #[ink(topic)]
    pub patient: AccountId,
    pub rule_id: DenyRuleId,
    pub accessor: Option<AccountId>,
    pub categories: DataCategories,
    pub purposes: PurposeSet,
    pub valid_from: Timestamp,
    pub valid_until: Timestamp,
    pub added_by: AccountId,
}

/// A deny rule was lifted by the patient (or by the delegate that created it).
#[ink::event]
pub struct DenyRuleRemoved {
    #[ink(topic)]
    pub patient: AccountId,
    pub rule_id: DenyRuleId,
    pub removed_by: AccountId,
}

/// The patient appointed a delegate, or moved an appointment's expiry.
#[ink::event]
pub struct DelegateAppointed {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub delegate: AccountId,
    pub expires_at: Timestamp,
}

/// The patient removed a delegate; consents the delegate granted were revoked with it.
#[ink::event]
pub struct DelegateRemoved {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub delegate: AccountId,
}

/// A custodian is about to serve (or was refused) data: emitted for permitted *and* denied attempts.
#[ink::event]
pub struct AccessRecorded {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub accessor: AccountId,
    pub custodian: AccountId,
    pub categories: DataCategories,
    pub purpose: Purpose,
    pub decision: AccessDecision,
}

/// The owner registered (`active`) or removed a data custodian allowed to record accesses.
#[ink::event]
pub struct CustodianChanged {
    #[ink(topic)]
    pub custodian: AccountId,
    pub active: bool,
}

/// Storage of the patient's that can never apply again was freed.
#[ink::event]
pub struct Purged {
    #[ink(topic)]
    pub patient: AccountId,
    pub consents: u32,
    pub deny_rules: u32,
    pub delegates: u32,
}
