//! `carechain audit`: an index of every carechain event, and the questions auditors ask of it —
//! the HIPAA accounting of disclosures (45 CFR 164.528), a patient's consent history, emergency
//! accesses and their review, a pack's custody history, every anchor of a record.
//!
//! Events come from a chain (the embedded chain's log here; a node's finalized blocks) as
//! [`events::ChainEvent`]s; only those emitted at an address the manifest names, under a
//! signature topic of that contract, are stored. Each is kept as its raw SCALE data with the
//! keys it is found by, and decoded again, with the contracts' own types, when a query reads it.

pub mod events;
pub mod fhir;
pub mod query;
pub mod report;
pub mod serve;
pub mod store;

use crate::chain::{parse_hash, parse_ss58};
use crate::error::{DeployError, Result};
use crate::manifest::Manifest;
use events::ChainEvent;
use ink::primitives::AccountId;
use std::collections::BTreeMap;
use store::{AuditStore, Binding, NewEvent};

/// The deployment a manifest describes, as a store binds to it.
pub fn binding(m: &Manifest) -> Result<Binding> {
    let invalid = |reason: String| DeployError::ManifestInvalid { path: m.network.clone(), reason };
    let genesis_hash = parse_hash(&m.genesis_hash).ok_or_else(|| invalid("genesis_hash is not a 0x hash".into()))?;
    let contracts = m
        .contracts
        .iter()
        .map(|c| {
            let address = parse_ss58(&c.address).ok_or_else(|| invalid(format!("{}: bad address", c.name)))?;
            Ok((c.name.clone(), *AsRef::<[u8; 32]>::as_ref(&address), c.block))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Binding { genesis_hash, contracts })
}

/// What one indexing pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexReport {
    /// Blocks committed (those with carechain events; the cursor passes the others).
    pub blocks: u64,
    /// Events stored for the first time.
    pub stored: u64,
    /// Carechain events already in the store (a resumed or repeated pass).
    pub already_indexed: u64,
    /// Events of contracts the manifest does not name.
    pub foreign: u64,
    /// Events at a suite address whose signature is not one of that contract's, or whose data
    /// does not decode as the event it claims to be: not stored (a contract upgraded to events
    /// this tool does not know; update the tool and re-index).
    pub unknown: u64,
}

/// Picks the carechain events out of one block's contract events.
pub fn carechain_events(binding: &Binding, events: &[ChainEvent], report: &mut IndexReport) -> Vec<NewEvent> {
    let mut out = Vec::new();
    for ev in events {
        let contract = binding.contracts.iter().find(|(_, a, _)| AsRef::<[u8; 32]>::as_ref(&ev.emitted.contract) == a);
        let Some((contract, _, _)) = contract else {
            report.foreign = report.foreign.saturating_add(1);
            continue;
        };
        let known = ev.emitted.topics.first().and_then(|sig| events::event_name(contract, sig)).and_then(|name| {
            let subjects = events::subjects(name, &ev.emitted.data)?;
            Some(NewEvent {
                index: ev.index,
                extrinsic: ev.extrinsic,
                time_ms: ev.time_ms,
                contract: contract.clone(),
                name,
                data: ev.emitted.data.clone(),
                subjects,
            })
        });
        match known {
            Some(e) => out.push(e),
            None => report.unknown = report.unknown.saturating_add(1),
        }
    }
    out
}

/// Indexes `events` (any order; e.g. the embedded chain's whole log) from the store's cursor on,
/// one block per transaction. Blocks before the cursor were indexed already and are skipped.
pub fn index(store: &mut dyn AuditStore, binding: &Binding, events: &[ChainEvent]) -> Result<IndexReport> {
    store.bind(binding)?;
    let from = store.next_block()?;
    let mut by_block: BTreeMap<u64, Vec<ChainEvent>> = BTreeMap::new();
    for ev in events.iter().filter(|e| e.block >= from) {
        by_block.entry(ev.block).or_default().push(ev.clone());
    }
    let mut report = IndexReport::default();
    for (block, evs) in by_block {
        index_block(store, binding, block, &evs, &mut report)?;
    }
    Ok(report)
}

/// Indexes one block of a chain followed block by block (`audit index --url`): its carechain
/// events, and the cursor past it even when it has none, in one transaction. Returns how many
/// events were new.
pub fn index_block(
    store: &mut dyn AuditStore,
    binding: &Binding,
    block: u64,
    events: &[ChainEvent],
    report: &mut IndexReport,
) -> Result<u64> {
    let new = carechain_events(binding, events, report);
    let wanted = u64::try_from(new.len()).unwrap_or(u64::MAX);
    let stored = u64::try_from(store.commit_block(block, &new)?).unwrap_or(u64::MAX);
    report.blocks = report.blocks.saturating_add(1);
    report.stored = report.stored.saturating_add(stored);
    report.already_indexed = report.already_indexed.saturating_add(wanted.saturating_sub(stored));
    Ok(stored)
}

/// When `audit index --follow` tries a node that stopped answering again: after 1 s, then
/// twice as long each time up to a minute, back to 1 s once a pass succeeds — so a follower
/// outlives a node restart or a dropped connection. But a pass that fails at the same block
/// right after each reconnection, `MAX_FAILED_PASSES` times in a row, is the node's answer
/// (an error it repeats), not a lost connection: the follower gives up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reconnect {
    waits: u32,
    /// The first block not yet indexed when the last pass failed, and how many passes in a row
    /// failed there.
    failing: Option<(u64, u32)>,
}

impl Reconnect {
    /// The longest wait between attempts.
    pub const MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(60);
    /// Failed passes in a row at one block before giving up.
    pub const MAX_FAILED_PASSES: u32 = 5;

    /// The wait before the next attempt to connect.
    pub fn next_wait(&mut self) -> std::time::Duration {
        let wait = std::time::Duration::from_secs(1u64 << self.waits.min(6)).min(Self::MAX_WAIT);
        self.waits = self.waits.saturating_add(1);
        wait
    }

    /// A pass indexed up to the finalized head: start over.
    pub fn pass_succeeded(&mut self) {
        *self = Self::default();
    }

    /// A pass failed with `block` the first one not yet indexed: whether to reconnect (`true`)
    /// or give up (`false`).
    pub fn pass_failed(&mut self, block: u64) -> bool {
        let times = match self.failing {
            Some((at, n)) if at == block => n.saturating_add(1),
            _ => 1,
        };
        self.failing = Some((block, times));
        times <= Self::MAX_FAILED_PASSES
    }
}

/// The account an `--patient` argument names (SS58, or 0x and 64 hex digits).
pub fn parse_account(s: &str) -> Option<AccountId> {
    parse_ss58(s).or_else(|| parse_hash(s).map(AccountId::from))
}

#[cfg(test)]
mod tests {
    use super::Reconnect;
    use std::time::Duration;

    #[test]
    fn a_follower_waits_longer_after_each_failure_up_to_a_minute_and_starts_over_after_a_pass() {
        let mut r = Reconnect::default();
        let waits: Vec<u64> = (0..9).map(|_| r.next_wait().as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        r.pass_succeeded();
        assert_eq!(r.next_wait(), Duration::from_secs(1));
        let mut long = Reconnect { waits: u32::MAX, failing: None };
        assert_eq!((long.next_wait(), long.next_wait()), (Reconnect::MAX_WAIT, Reconnect::MAX_WAIT));
    }

    #[test]
    fn a_pass_that_keeps_failing_at_one_block_is_given_up_but_progress_starts_the_count_over() {
        let mut r = Reconnect::default();
        for _ in 0..Reconnect::MAX_FAILED_PASSES {
            assert!(r.pass_failed(100), "reconnect");
        }
        assert!(!r.pass_failed(100), "the sixth failure at block 100 is the node's answer");
        let mut r = Reconnect::default();
        for block in 100..120 {
            assert!(r.pass_failed(block), "each pass got further: a flaky connection, keep going");
        }
        for _ in 0..Reconnect::MAX_FAILED_PASSES {
            assert!(r.pass_failed(200));
        }
        r.pass_succeeded();
        assert!(r.pass_failed(200), "a successful pass starts the count over");
    }
}
