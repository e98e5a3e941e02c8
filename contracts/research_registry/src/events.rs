//! The research audit trail. Research requests carry no patient at all: a request is only the
//! researcher's question, and publishing it against the patient would link them to a
//! condition-specific study before they answered (docs/threat-model.md). The consent an answer
//! creates is consent_registry's `ConsentGranted`, with the study id.

use crate::data::{RequestOutcome, ResearchPolicy};
use carechain_shared::{DataCategories, Hash32, StudyId, Timestamp};
use ink::primitives::AccountId;

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

/// The patient (or a delegate) blocked a researcher: its pending requests were withdrawn (their
/// studies cool down) and it cannot ask again until unblocked. Emitted again, with `by` the
/// patient, when the patient makes a delegate's block its own.
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

/// Lapsed requests and ended cool-downs of the patient's inbox were freed.
#[ink::event]
pub struct InboxPurged {
    #[ink(topic)]
    pub patient: AccountId,
    pub requests: u32,
}
