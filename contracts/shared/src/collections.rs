//! Bounded collections. Every per-key list in carechain has a hard cap, so no message's cost
//! grows with history and no key's storage grows without limit.

use ink::prelude::vec::Vec;
use ink::primitives::AccountId;
use ink::storage::{traits::StorageKey, Mapping};

/// Returned when a bounded list is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapacityReached;

/// An id counter passed its maximum (never in practice: u64 ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CounterOverflow;

/// Advances an id counter and returns the new id; ids start at 1 and never repeat.
pub fn next_id(counter: &mut u64) -> Result<u64, CounterOverflow> {
    *counter = counter.checked_add(1).ok_or(CounterOverflow)?;
    Ok(*counter)
}

/// Adds `account` to (`active`) or removes it from a role set (custodians, authorities, …).
/// Returns false, writing nothing, when it already is so — the caller refuses such a no-op.
pub fn set_member<K: StorageKey>(set: &mut Mapping<AccountId, (), K>, account: AccountId, active: bool) -> bool {
    if set.contains(account) == active {
        return false;
    }
    if active {
        set.insert(account, &());
    } else {
        set.remove(account);
    }
    true
}

/// Largest page any paginated getter returns, whatever `limit` the caller asks for.
pub const MAX_PAGE: u32 = 32;

pub fn push_bounded<T>(list: &mut Vec<T>, item: T, cap: usize) -> Result<(), CapacityReached> {
    if list.len() >= cap {
        return Err(CapacityReached);
    }
    list.push(item);
    Ok(())
}

/// Removes the first element matching `pred`, keeping the order of the rest (pages stay stable).
pub fn remove_first<T>(list: &mut Vec<T>, pred: impl Fn(&T) -> bool) -> Option<T> {
    let pos = list.iter().position(pred)?;
    Some(list.remove(pos))
}

/// `items[offset .. offset + min(limit, MAX_PAGE)]`, clamped to the list.
pub fn page<T: Clone>(items: &[T], offset: u32, limit: u32) -> Vec<T> {
    let start = usize::try_from(offset).unwrap_or(usize::MAX).min(items.len());
    let take = usize::try_from(limit.min(MAX_PAGE)).unwrap_or(0);
    items.iter().skip(start).take(take).cloned().collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use ink::prelude::vec;

    #[test]
    fn push_stops_at_cap() {
        let mut v = vec![1, 2];
        assert_eq!(push_bounded(&mut v, 3, 3), Ok(()));
        assert_eq!(push_bounded(&mut v, 4, 3), Err(CapacityReached));
        assert_eq!(v, vec![1, 2, 3]);
    }

    #[test]
    fn ids_start_at_one_and_stop_at_the_end() {
        let mut c = 0;
        assert_eq!(next_id(&mut c), Ok(1));
        assert_eq!(next_id(&mut c), Ok(2));
        let mut last = u64::MAX;
        assert_eq!(next_id(&mut last), Err(CounterOverflow));
        assert_eq!(last, u64::MAX, "a refused increment leaves the counter");
    }

    #[test]
    fn remove_keeps_order() {
        let mut v = vec![1, 2, 3, 2];
        assert_eq!(remove_first(&mut v, |x| *x == 2), Some(2));
        assert_eq!(v, vec![1, 3, 2]);
        assert_eq!(remove_first(&mut v, |x| *x == 9), None);
    }

    #[test]
    fn page_clamps() {
        let v: Vec<u32> = (0..100).collect();
        assert_eq!(page(&v, 0, 3), vec![0, 1, 2]);
        assert_eq!(page(&v, 98, 10), vec![98, 99]);
        assert!(page(&v, 500, 10).is_empty());
        assert_eq!(page(&v, 0, 1000).len(), MAX_PAGE as usize);
        assert!(page(&v, 0, 0).is_empty());
    }
}
