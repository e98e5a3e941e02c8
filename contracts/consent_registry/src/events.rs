//! The audit trail. Topics are the patient and the counter-party, so a patient's wallet and an
//! accessor's compliance tooling can each subscribe to what concerns them — except research
//! requests, which carry no patient at all: a request is only the researcher's question, and
//! publishing it against the patient would link them to a condition-specific study before they
//! answered (docs/threat-model.md).

use crate::data::{RequestOutcome, ResearchPolicy};
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

/// The owner appointed (`active`) or removed an ethics approver (research ethics committee).
#[ink::event]
pub struct EthicsApproverChanged {
    #[ink(topic)]
    pub approver: AccountId,
    pub active: bool,
}

/// The owner changed how research requests behave.
#[ink::event]
pub struct ResearchPolicyChanged {
    pub policy: ResearchPolicy,
}

/// A researcher proposed a study; it may ask patients only once an ethics approver approves it.
#[ink::event]
pub struct StudyRegistered {
    #[ink(topic)]
    pub researcher: AccountId,
    pub study_id: StudyId,
    pub protocol_hash: Hash32,
    pub categories: DataCategories,
    pub ends_at: Timestamp,
}

/// An ethics approver approved (or re-approved) a study; the approval record stays off chain.
#[ink::event]
pub struct StudyApproved {
    #[ink(topic)]
    pub researcher: AccountId,
    #[ink(topic)]
    pub approver: AccountId,
    pub study_id: StudyId,
    pub approval_hash: Hash32,
}

/// A study was suspended by an ethics approver or its researcher: no requests, answers or joins.
#[ink::event]
pub struct StudySuspended {
    #[ink(topic)]
    pub researcher: AccountId,
    pub study_id: StudyId,
    pub by: AccountId,
}

/// A researcher asked `count` patients to join a study. Deliberately without the patients:
/// each finds its requests with `pending_requests_of`.
#[ink::event]
pub struct AccessRequested {
    #[ink(topic)]
    pub researcher: AccountId,
    pub study_id: StudyId,
    pub count: u32,
    pub expires_at: Timestamp,
}

/// A request left a patient's inbox: approved, denied or withdrawn. The patient is data, not a
/// topic: whoever signed the answer is public anyway, but no one can subscribe to a patient's
/// research answers.
#[ink::event]
pub struct RequestClosed {
    #[ink(topic)]
    pub researcher: AccountId,
    pub study_id: StudyId,
    pub patient: AccountId,
    pub outcome: RequestOutcome,
    pub closed_by: AccountId,
}

/// The patient (or a delegate) blocked a researcher: its pending requests were withdrawn and it
/// cannot ask again until unblocked.
#[ink::event]
pub struct ResearcherBlocked {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub researcher: AccountId,
    pub withdrawn_requests: u32,
    pub by: AccountId,
}

/// The patient (or the delegate that blocked) lifted a researcher block.
#[ink::event]
pub struct ResearcherUnblocked {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub researcher: AccountId,
    pub by: AccountId,
}

/// Storage of the patient's that can never apply again was freed.
#[ink::event]
pub struct Purged {
    #[ink(topic)]
    pub patient: AccountId,
    pub consents: u32,
    pub deny_rules: u32,
    pub delegates: u32,
    pub requests: u32,
}
