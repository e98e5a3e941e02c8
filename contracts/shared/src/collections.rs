//! Bounded collections. Every per-key list in carechain has a hard cap, so no message's cost
//! grows with history and no key's storage grows without limit.

use ink::prelude::vec::Vec;
use ink::primitives::{AccountId, Key};
use ink::scale::{Encode, EncodeLike, Error as CodecError, Input, Output};
use ink::storage::traits::{AutoKey, Packed, Storable, StorableHint, StorageKey};
use ink::storage::{Lazy, Mapping};

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

/// How many items a bounded list dropped; lists are capped far below `u32::MAX`.
pub fn dropped(before: usize, after: usize) -> u32 {
    u32::try_from(before.saturating_sub(after)).unwrap_or(u32::MAX)
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

/// An unordered set of ids in storage with O(1) add, remove and length, paginated by slot: a
/// work queue whose members leave in any order (break_glass's grants awaiting review).
///
/// Three cells under the caller's fixed keys: the length (`KL`), slot → id (`KS`) and id →
/// slot (`KI`). Removing swaps the last id into the freed slot, so slots `0..len` are always
/// exactly the members and a removed member's cells are freed at once. Like `Lazy` and
/// `Mapping`, the value itself encodes to nothing: a field of this type in a contract's
/// storage struct keeps the keys it is given, whatever its position.
#[derive(Debug)]
#[cfg_attr(feature = "std", derive(ink::scale_info::TypeInfo))]
#[cfg_attr(feature = "std", scale_info(crate = ink::scale_info))]
pub struct SwapQueue<T: Packed, KL: StorageKey, KS: StorageKey, KI: StorageKey> {
    len: Lazy<u32, KL>,
    slots: Mapping<u32, T, KS>,
    slot_of: Mapping<T, u32, KI>,
}

impl<T, KL, KS, KI> Default for SwapQueue<T, KL, KS, KI>
where
    T: Packed,
    KL: StorageKey,
    KS: StorageKey,
    KI: StorageKey,
{
    fn default() -> Self {
        Self { len: Lazy::new(), slots: Mapping::new(), slot_of: Mapping::new() }
    }
}

impl<T, KL, KS, KI> SwapQueue<T, KL, KS, KI>
where
    T: Packed + Encode + EncodeLike + Copy + PartialEq,
    KL: StorageKey,
    KS: StorageKey,
    KI: StorageKey,
{
    pub fn new() -> Self {
        Self::default()
    }

    /// How many members there are.
    pub fn len(&self) -> u32 {
        self.len.get_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn contains(&self, id: T) -> bool {
        self.slot_of.contains(id)
    }

    /// Adds `id` at the end; a member already present is left where it is (returns `Ok(false)`).
    pub fn push(&mut self, id: T) -> Result<bool, CounterOverflow> {
        if self.contains(id) {
            return Ok(false);
        }
        let slot = self.len();
        let len = slot.checked_add(1).ok_or(CounterOverflow)?;
        self.slots.insert(slot, &id);
        self.slot_of.insert(id, &slot);
        self.len.set(&len);
        Ok(true)
    }

    /// Removes `id`, moving the last member into its slot; false (writing nothing) when absent.
    pub fn remove(&mut self, id: T) -> bool {
        let Some(slot) = self.slot_of.take(id) else { return false };
        let Some(last) = self.len().checked_sub(1) else { return false };
        if slot != last {
            if let Some(moved) = self.slots.get(last) {
                self.slots.insert(slot, &moved);
                self.slot_of.insert(moved, &slot);
            }
        }
        self.slots.remove(last);
        self.len.set(&last);
        true
    }

    /// Members in slots `offset .. offset + min(limit, MAX_PAGE)`. Slot order is not insertion
    /// order once a member has left; a page read while members leave may skip or repeat one.
    pub fn page(&self, offset: u32, limit: u32) -> impl Iterator<Item = T> + '_ {
        let end = offset.saturating_add(limit.min(MAX_PAGE)).min(self.len());
        (offset..end).filter_map(|slot| self.slots.get(slot))
    }
}

impl<T, KL: StorageKey, KS: StorageKey, KI: StorageKey> Storable for SwapQueue<T, KL, KS, KI>
where
    T: Packed,
{
    fn encode<O: Output + ?Sized>(&self, _dest: &mut O) {}

    fn decode<I: Input>(_input: &mut I) -> Result<Self, CodecError> {
        Ok(Self::default())
    }

    fn encoded_size(&self) -> usize {
        0
    }
}

/// Keeps its own keys wherever it sits in a storage struct (it never takes a derived one).
impl<T, KL: StorageKey, KS: StorageKey, KI: StorageKey, Parent: StorageKey> StorableHint<Parent>
    for SwapQueue<T, KL, KS, KI>
where
    T: Packed,
{
    type Type = Self;
    type PreferredKey = AutoKey;
}

impl<T: Packed, KL: StorageKey, KS: StorageKey, KI: StorageKey> StorageKey for SwapQueue<T, KL, KS, KI> {
    const KEY: Key = KL::KEY;
}

#[cfg(feature = "std")]
const _: () = {
    use ink::metadata::layout::{FieldLayout, Layout, StructLayout};
    use ink::storage::traits::StorageLayout;

    impl<T, KL, KS, KI> StorageLayout for SwapQueue<T, KL, KS, KI>
    where
        T: Packed + StorageLayout + ink::scale_info::TypeInfo + 'static,
        KL: StorageKey + ink::scale_info::TypeInfo + 'static,
        KS: StorageKey + ink::scale_info::TypeInfo + 'static,
        KI: StorageKey + ink::scale_info::TypeInfo + 'static,
    {
        fn layout(key: &Key) -> Layout {
            Layout::Struct(StructLayout::new(
                "SwapQueue",
                [
                    FieldLayout::new("len", <Lazy<u32, KL> as StorageLayout>::layout(key)),
                    FieldLayout::new("slots", <Mapping<u32, T, KS> as StorageLayout>::layout(key)),
                    FieldLayout::new("slot_of", <Mapping<T, u32, KI> as StorageLayout>::layout(key)),
                ],
            ))
        }
    }
};

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

    type Queue = SwapQueue<
        u64,
        ink::storage::traits::ManualKey<1>,
        ink::storage::traits::ManualKey<2>,
        ink::storage::traits::ManualKey<3>,
    >;

    /// Runs `f` on an empty off-chain storage.
    fn fresh(f: impl FnOnce()) {
        ink::env::test::run_test::<ink::env::DefaultEnvironment, _>(|_| {
            f();
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn queue_swaps_the_last_member_into_a_freed_slot() {
        fresh(|| {
            let mut q = Queue::new();
            for id in [10, 20, 30] {
                assert_eq!(q.push(id), Ok(true));
            }
            assert_eq!(q.push(20), Ok(false), "a member is not added twice");
            assert!(q.remove(10));
            assert_eq!(q.page(0, 10).collect::<Vec<_>>(), vec![30, 20]);
            assert!(!q.remove(10), "removing an absent member writes nothing");
            assert_eq!(q.len(), 2);
            assert!(q.remove(20) && q.remove(30));
            assert!(q.is_empty() && q.page(0, 10).next().is_none());
        });
    }

    #[test]
    fn queue_frees_every_cell_of_a_removed_member() {
        fresh(|| {
            let mut q = Queue::new();
            q.push(7).unwrap();
            q.push(8).unwrap();
            q.remove(7);
            q.remove(8);
            assert!(!q.contains(7) && !q.contains(8));
            assert_eq!(q.slots.get(0), None);
            assert_eq!(q.slots.get(1), None);
        });
    }

    #[test]
    fn queue_pages_are_bounded() {
        fresh(|| {
            let mut q = Queue::new();
            for id in 0..100 {
                q.push(id).unwrap();
            }
            assert_eq!(q.page(0, 1000).count(), MAX_PAGE as usize);
            assert_eq!(q.page(98, 10).collect::<Vec<_>>(), vec![98, 99]);
            assert!(q.page(u32::MAX, u32::MAX).next().is_none());
        });
    }

    #[derive(Debug, Clone)]
    enum Op {
        Push(u64),
        Remove(u64),
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        // Few distinct ids, so pushes of members and removals of non-members are frequent.
        prop_oneof![(0u64..12).prop_map(Op::Push), (0u64..12).prop_map(Op::Remove)]
    }

    proptest::proptest! {
        /// Against a plain Vec model: same members after every step, slots `0..len` hold
        /// exactly the members, every member's slot points back at it, nothing beyond `len`.
        #[test]
        fn queue_matches_a_set_model(ops in proptest::collection::vec(op(), 0..60)) {
            fresh(|| {
                let mut q = Queue::new();
                let mut model: Vec<u64> = Vec::new();
                for op in ops {
                    match op {
                        Op::Push(id) => {
                            let added = q.push(id).unwrap();
                            assert_eq!(added, !model.contains(&id));
                            if added {
                                model.push(id);
                            }
                        }
                        Op::Remove(id) => {
                            assert_eq!(q.remove(id), remove_first(&mut model, |m| *m == id).is_some());
                        }
                    }
                    assert_eq!(q.len() as usize, model.len());
                    let mut members: Vec<u64> = (0..q.len()).map(|s| q.slots.get(s).unwrap()).collect();
                    for (slot, id) in members.iter().enumerate() {
                        assert_eq!(q.slot_of.get(id), Some(u32::try_from(slot).unwrap()));
                    }
                    assert_eq!(q.slots.get(q.len()), None);
                    members.sort();
                    let mut expected = model.clone();
                    expected.sort();
                    assert_eq!(members, expected);
                }
            });
        }
    }
}
