//! record_anchor: tamper evidence for off-chain records.
//!
//! Issuers anchor the SHA-256 of a salted canonical record, singly (with version chains and
//! FHIR-style entered-in-error) or as the RFC 6962 Merkle root of any number of records in one
//! call, and anyone verifies — a single hash by lookup, a batch member by an inclusion proof
//! checked on chain. Anchoring someone else's patient record requires the consent_registry's
//! permission. The rules live in [`data`].
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod data;
pub mod events;

pub use carechain_shared::AnchoringError as Error;
pub use data::Result;

// ink!'s generated dispatcher contains `panic!`s attributed to our items; our own code is
// still held to unwrap_used, expect_used, indexing_slicing and arithmetic_side_effects.
#[ink::contract]
#[allow(clippy::panic)]
pub mod record_anchor {
    use crate::data::{self, Anchor, AnchorKey, AnchorStatus, Batch, Result};
    use crate::events::{BatchAnchored, EnteredInError, RecordAnchored};
    use crate::Error;
    use carechain_shared::collections::next_id;
    use carechain_shared::peer::{self, Peer, Reply};
    use carechain_shared::rfc6962::InkSha256;
    use carechain_shared::traits::{ConsentCheck, RecordAnchoring};
    use carechain_shared::{
        AccessDecision, Admin, AnchorId, BatchId, BatchSummary, DataCategories, DenyReason, Hash32, Purpose,
    };
    use carechain_shared::{AdminError, Administration, Wiring};
    use ink::codegen::TraitCallBuilder;
    use ink::prelude::vec::Vec;
    use ink::storage::{traits::ManualKey, Lazy, Mapping};

    #[derive(Debug, Clone, Default)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct Counters {
        pub anchor: AnchorId,
        pub batch: BatchId,
    }

    /// What a new anchor is, before it has an id.
    struct NewAnchor {
        content_hash: Hash32,
        issuer: AccountId,
        on_behalf_of: Option<AccountId>,
        patient: Option<AccountId>,
        category: DataCategories,
        supersedes: Option<AnchorId>,
    }

    /// `admin` and `counters` live in the contract's root cell, which ink! reads before every
    /// message anyway: the pause and owner checks and the next ids cost no storage access of
    /// their own (each ≈ 10 kB of proof on a node). Every other field has a fixed `ManualKey`;
    /// a later version may change the root only with a migration.
    #[ink(storage)]
    pub struct RecordAnchor {
        admin: Admin,
        registry: Lazy<Option<Peer>, ManualKey<0xA000_0002>>,
        counters: Counters,
        anchors: Mapping<AnchorId, Anchor, ManualKey<0xA000_0010>>,
        /// (issuer, party acted for, content hash) → anchor: per issuer, never first-come.
        by_key: Mapping<AnchorKey, AnchorId, ManualKey<0xA000_0011>>,
        batches: Mapping<BatchId, Batch, ManualKey<0xA000_0020>>,
        /// (issuer, root) → batch: per issuer, never first-come.
        batch_by_root: Mapping<(AccountId, Hash32), BatchId, ManualKey<0xA000_0021>>,
    }

    // A contract comes into being through its constructor only, never through `Default`.
    #[allow(clippy::new_without_default)]
    impl RecordAnchor {
        /// The deployer becomes owner. The consent_registry peer is wired (and its code pinned)
        /// with `Wiring::set_peer` once it is deployed.
        #[ink(constructor)]
        pub fn new() -> Self {
            Self {
                admin: Admin::new(Self::env().caller()),
                registry: Lazy::new(),
                counters: Counters::default(),
                anchors: Mapping::new(),
                by_key: Mapping::new(),
                batches: Mapping::new(),
                batch_by_root: Mapping::new(),
            }
        }

        /// Anchors one record's content hash in the caller's name. With a patient other than the
        /// caller, the consent_registry must permit the caller that category (for treatment, or
        /// under an emergency grant) — except for the record's first issuer continuing its own
        /// record within its first categories. `supersedes` makes it the next version of a
        /// record's latest version (current or entered-in-error), which that version's issuer,
        /// the record's first issuer or its patient may do. Another issuer's anchor of the same
        /// hash never blocks it. Refused while paused.
        #[ink(message)]
        pub fn anchor_record(
            &mut self,
            content_hash: Hash32,
            patient: Option<AccountId>,
            category: DataCategories,
            supersedes: Option<AnchorId>,
        ) -> Result<AnchorId> {
            self.admin.ensure_running()?;
            let issuer = self.env().caller();
            self.insert(NewAnchor { content_hash, issuer, on_behalf_of: None, patient, category, supersedes })
        }

        /// The issuer retracts its anchor (FHIR entered-in-error). It stays visible. Works while
        /// paused: retracting a wrong record protects the patient.
        #[ink(message)]
        pub fn mark_entered_in_error(&mut self, anchor_id: AnchorId, reason_hash: Hash32) -> Result<()> {
            let mut anchor = self.anchors.get(anchor_id).ok_or(Error::UnknownAnchor)?;
            anchor.mark_entered_in_error(self.env().caller(), reason_hash)?;
            self.anchors.insert(anchor_id, &anchor);
            self.env().emit_event(EnteredInError { issuer: anchor.issuer, anchor_id, reason_hash });
            Ok(())
        }

        /// Anchors the RFC 6962 root of `leaf_count` record hashes in one call, in the
        /// caller's name (another issuer's batch with the same root is a different batch).
        /// Refused while paused.
        #[ink(message)]
        pub fn anchor_batch(&mut self, root: Hash32, leaf_count: u64, metadata_hash: Hash32) -> Result<BatchId> {
            self.admin.ensure_running()?;
            data::validate_batch(&root, leaf_count)?;
            let issuer = self.env().caller();
            let mut counters = self.counters.clone();
            let id = next_id(&mut counters.batch)?;
            // The write is the existence check (one storage access instead of two, ≈ 10 kB of
            // proof on a node): an issuer's root anchored before refuses the call, and the
            // runtime reverts a refused message's writes.
            if self.batch_by_root.insert((issuer, root), &id).is_some() {
                return Err(Error::AlreadyAnchored);
            }
            let batch = Batch {
                issuer,
                root,
                leaf_count,
                metadata_hash,
                anchored_at: self.env().block_timestamp(),
                block_number: self.env().block_number(),
            };
            self.batches.insert(id, &batch);
            self.counters = counters;
            self.env().emit_event(BatchAnchored { issuer, batch_id: id, root, leaf_count, metadata_hash });
            Ok(id)
        }

        // ----- reads --------------------------------------------------------------------

        /// `issuer`'s anchor of a content hash (patient, category, when, status, superseded-by),
        /// or `None`. `on_behalf_of` is `None` for what an issuer anchored in its own name, and
        /// the party a contract issuer acted for otherwise (e.g. pharma_ledger for a shipper).
        /// Ask about the issuer you expect — a record is only as trustworthy as who anchored it.
        /// Answered even while paused.
        #[ink(message)]
        pub fn verify(
            &self,
            issuer: AccountId,
            on_behalf_of: Option<AccountId>,
            content_hash: Hash32,
        ) -> Option<Anchor> {
            self.anchors.get(self.by_key.get((issuer, on_behalf_of, content_hash))?)
        }

        /// One anchor by id. A record's versions link both ways (`supersedes`,
        /// `superseded_by`): a reader walks them from any version, one anchor at a time.
        #[ink(message)]
        pub fn anchor(&self, anchor_id: AnchorId) -> Option<Anchor> {
            self.anchors.get(anchor_id)
        }

        /// One batch by id.
        #[ink(message)]
        pub fn batch(&self, batch_id: BatchId) -> Option<BatchSummary> {
            let b = self.batches.get(batch_id)?;
            Some(BatchSummary {
                batch_id,
                issuer: b.issuer,
                root: b.root,
                leaf_count: b.leaf_count,
                metadata_hash: b.metadata_hash,
                anchored_at: b.anchored_at,
            })
        }

        /// `issuer`'s batch with this root, if it anchored one.
        #[ink(message)]
        pub fn batch_of(&self, issuer: AccountId, root: Hash32) -> Option<BatchSummary> {
            self.batch(self.batch_by_root.get((issuer, root))?)
        }

        // ----- admin --------------------------------------------------------------------

        /// Exists only in the second build the e2e upgrade scenario installs over the first
        /// (feature `upgrade-probe`), so the scenario can tell which code is answering.
        #[cfg(feature = "upgrade-probe")]
        #[ink(message)]
        pub fn upgrade_probe(&self) -> u32 {
            2
        }

        // ----- internals ----------------------------------------------------------------

        /// Validates, checks the superseded version and consent, then writes — the key first,
        /// as its own existence check. So a duplicate is refused as `AlreadyAnchored` only
        /// after those checks pass (a re-anchor whose consent has since been revoked is
        /// `ConsentRefused`; `verify` says whether the earlier anchor stands), and the runtime
        /// reverts the refused call's writes.
        fn insert(&mut self, new: NewAnchor) -> Result<AnchorId> {
            data::validate_content(&new.content_hash, new.patient, new.category)?;
            let key = (new.issuer, new.on_behalf_of, new.content_hash);
            let previous = match new.supersedes {
                Some(old_id) => {
                    let old = self.anchors.get(old_id).ok_or(Error::UnknownAnchor)?;
                    old.check_supersede(new.issuer, new.patient)?;
                    Some(old)
                }
                None => None,
            };
            if let Some(patient) =
                new.patient.filter(|_| data::needs_consent(new.issuer, new.patient, new.category, previous.as_ref()))
            {
                self.ensure_consent(new.issuer, patient, new.category)?;
            }
            let mut counters = self.counters.clone();
            let id = next_id(&mut counters.anchor)?;
            // The write is the existence check (one storage access instead of two, ≈ 10 kB of
            // proof on a node): a key anchored before refuses the call, and the runtime reverts
            // a refused message's writes — this one and none before it, as it is the first.
            if self.by_key.insert(key, &id).is_some() {
                return Err(Error::AlreadyAnchored);
            }
            let record_issuer = previous.as_ref().map_or(new.issuer, |p| p.record_issuer);
            let record_category = previous.as_ref().map_or(new.category, |p| p.record_category);
            let anchor = Anchor {
                id,
                content_hash: new.content_hash,
                issuer: new.issuer,
                on_behalf_of: new.on_behalf_of,
                patient: new.patient,
                category: new.category,
                block_number: self.env().block_number(),
                timestamp: self.env().block_timestamp(),
                status: AnchorStatus::Current,
                supersedes: new.supersedes,
                superseded_by: None,
                error_reason_hash: None,
                record_issuer,
                record_category,
            };
            if let Some(mut old) = previous {
                old.mark_superseded(id);
                self.anchors.insert(old.id, &old);
            }
            self.anchors.insert(id, &anchor);
            self.counters = counters;
            self.env().emit_event(RecordAnchored {
                issuer: new.issuer,
                patient: new.patient,
                anchor_id: id,
                content_hash: new.content_hash,
                category: new.category,
                supersedes: new.supersedes,
                on_behalf_of: new.on_behalf_of,
            });
            Ok(id)
        }

        /// Asks the registry whether `issuer` may handle `patient`'s `category` data: for
        /// treatment, or failing a consent, under an emergency grant (the registry decides).
        /// Only the pinned registry code is asked, within its call limits, and only an answer
        /// it returned without reverting counts.
        fn ensure_consent(&self, issuer: AccountId, patient: AccountId, category: DataCategories) -> Result<()> {
            let peer = self.peer().ok_or(Error::RegistryNotWired)?;
            let registry: ink::contract_ref!(ConsentCheck) = peer.address.into();
            let ask = |purpose| {
                let params = registry.call().check_access(patient, issuer, category, purpose).params();
                peer::call(&peer, &params, peer::CONSENT_CHECK)
                    .and_then(Reply::returned)
                    .map_err(|_| Error::RegistryUnavailable)
            };
            let decision = match ask(Purpose::Treatment)? {
                AccessDecision::Denied(DenyReason::NoConsent) => ask(Purpose::EmergencyTreatment)?,
                other => other,
            };
            if decision.is_permitted() {
                Ok(())
            } else {
                Err(Error::ConsentRefused)
            }
        }
    }

    impl Administration for RecordAnchor {
        /// The owner, the proposed owner (until it accepts) and the pause flag.
        #[ink(message)]
        fn admin(&self) -> Admin {
            self.admin.clone()
        }

        /// Step one of an ownership transfer: names the successor (owner only).
        #[ink(message)]
        fn transfer_ownership(&mut self, new_owner: AccountId) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::transfer_ownership(&mut self.admin, new_owner)
        }

        /// Step two of an ownership transfer (the proposed owner only).
        #[ink(message)]
        fn accept_ownership(&mut self) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::accept_ownership(&mut self.admin)
        }

        /// Pauses or resumes anchoring; retracting an anchor keeps working (owner only).
        #[ink(message)]
        fn set_paused(&mut self, paused: bool) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::set_paused(&mut self.admin, paused)
        }

        /// Replaces this contract's code, keeping its storage; pharma_ledger must then re-pin it (owner only).
        #[ink(message)]
        fn set_code_hash(&mut self, code_hash: Hash) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::set_code_hash(&self.admin, code_hash)
        }
    }

    impl Wiring for RecordAnchor {
        /// The wired consent_registry and the code hash pinned for it.
        #[ink(message)]
        fn peer(&self) -> Option<Peer> {
            self.registry.get().flatten()
        }

        /// Wires (or with `None`, unwires) the consent_registry asked before anchoring a record about a patient, with the code hash the owner means to trust (it must be the code there now: `PeerCodeMismatch`; never this contract: `PeerIsSelf`). If that code changes, such anchors answer `RegistryUnavailable` until re-wired (owner only).
        #[ink(message)]
        fn set_peer(&mut self, peer: Option<Peer>) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::set_peer(&self.admin, &mut self.registry, peer)
        }
    }

    impl RecordAnchoring for RecordAnchor {
        /// Anchors a document about no patient for `on_behalf_of`; the caller (typically a
        /// contract such as pharma_ledger) is recorded as issuer. Keyed by (caller,
        /// `on_behalf_of`, hash), so neither another issuer nor another party can block it.
        /// Refused while paused.
        #[ink(message)]
        fn anchor_document(&mut self, content_hash: Hash32, on_behalf_of: AccountId) -> Result<AnchorId> {
            self.admin.ensure_running()?;
            let issuer = self.env().caller();
            self.insert(NewAnchor {
                content_hash,
                issuer,
                on_behalf_of: Some(on_behalf_of),
                patient: None,
                category: DataCategories::NONE,
                supersedes: None,
            })
        }

        /// Read only; answered even while paused.
        #[ink(message)]
        fn verify_inclusion(
            &self,
            batch_id: BatchId,
            leaf_data: Hash32,
            index: u64,
            audit_path: Vec<Hash32>,
        ) -> Result<BatchSummary> {
            let batch = self.batches.get(batch_id).ok_or(Error::UnknownBatch)?;
            batch.check_inclusion::<InkSha256>(batch_id, &leaf_data, index, &audit_path)
        }
    }
}

#[cfg(test)]
mod tests;
