//! The audit trail. Topics are the patient and the counter-party, so a patient's wallet and an
//! accessor's compliance tooling can each subscribe to what concerns them.

use crate::data::RequestStatus;
use carechain_shared::{
    AccessDecision, ConsentId, DataCategories, DenyRuleId, Hash32, Purpose, PurposeSet, RequestId, StudyId, Timestamp,
};
use ink::primitives::AccountId;

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

#[ink::event]
pub struct ConsentRevoked {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub accessor: AccountId,
    pub consent_id: ConsentId,
    pub revoked_by: AccountId,
}

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

#[ink::event]
pub struct DenyRuleRemoved {
    #[ink(topic)]
    pub patient: AccountId,
    pub rule_id: DenyRuleId,
    pub removed_by: AccountId,
}

#[ink::event]
pub struct DelegateAppointed {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub delegate: AccountId,
    pub expires_at: Timestamp,
}

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

#[ink::event]
pub struct CustodianChanged {
    #[ink(topic)]
    pub custodian: AccountId,
    pub active: bool,
}

#[ink::event]
pub struct StudyRegistered {
    #[ink(topic)]
    pub researcher: AccountId,
    pub study_id: StudyId,
    pub protocol_hash: Hash32,
    pub ethics_approval_hash: Hash32,
    pub categories: DataCategories,
    pub ends_at: Timestamp,
}

#[ink::event]
pub struct AccessRequested {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub researcher: AccountId,
    pub request_id: RequestId,
    pub study_id: StudyId,
    pub expires_at: Timestamp,
}

/// A request left the pending state: approved, denied or withdrawn.
#[ink::event]
pub struct RequestClosed {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub researcher: AccountId,
    pub request_id: RequestId,
    pub status: RequestStatus,
    pub closed_by: AccountId,
}

#[ink::event]
pub struct Purged {
    #[ink(topic)]
    pub patient: AccountId,
    pub consents: u32,
    pub deny_rules: u32,
    pub delegates: u32,
    pub requests: u32,
}
