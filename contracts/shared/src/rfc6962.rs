//! RFC 6962 (Certificate Transparency) Merkle trees, the hashing record_anchor uses for batch
//! anchoring: one root on chain stands for any number of record hashes, and anyone can prove
//! a single record's inclusion with a log2(n) audit path.
//!
//! leaf = H(0x00 ‖ data), node = H(0x01 ‖ left ‖ right); the tree splits at the largest power
//! of two below its size (RFC 6962 §2.1). Leaf data is a 32-byte record hash, never the record.
//! Generic over the hash function: `InkSha256` on chain, any SHA-256 off chain.

use crate::types::Hash32;

/// A SHA-256 implementation. Contracts use [`InkSha256`]; tests and off-chain tools may plug
/// in any other implementation, which must give identical digests.
pub trait Sha256 {
    fn digest(input: &[u8]) -> Hash32;
}

/// SHA-256 through the contract host (`seal_hash_sha2_256`), or ink!'s off-chain engine in tests.
pub enum InkSha256 {}

impl Sha256 for InkSha256 {
    fn digest(input: &[u8]) -> Hash32 {
        let mut out = [0u8; 32];
        ink::env::hash_bytes::<ink::env::hash::Sha2x256>(input, &mut out);
        out
    }
}

pub const LEAF_PREFIX: u8 = 0x00;
pub const NODE_PREFIX: u8 = 0x01;

/// An audit path never needs more steps than this: trees hold at most 2^64 leaves.
pub const MAX_AUDIT_PATH: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofError {
    /// `index >= tree_size` (which includes every index of an empty tree).
    IndexOutOfRange,
    /// More steps than a tree of this size can have.
    PathTooLong,
    /// The path does not lead from the leaf to the root.
    BadProof,
}

pub fn leaf_hash<H: Sha256>(data: &Hash32) -> Hash32 {
    let mut buf = [0u8; 33];
    let (prefix, rest) = buf.split_at_mut(1);
    prefix.copy_from_slice(&[LEAF_PREFIX]);
    rest.copy_from_slice(data);
    H::digest(&buf)
}

pub fn node_hash<H: Sha256>(left: &Hash32, right: &Hash32) -> Hash32 {
    let mut buf = [0u8; 65];
    let (prefix, rest) = buf.split_at_mut(1);
    prefix.copy_from_slice(&[NODE_PREFIX]);
    let (l, r) = rest.split_at_mut(32);
    l.copy_from_slice(left);
    r.copy_from_slice(right);
    H::digest(&buf)
}

/// The most audit-path steps a tree of `tree_size` leaves can need: ceil(log2(tree_size)).
pub fn max_path_len(tree_size: u64) -> usize {
    if tree_size <= 1 {
        return 0;
    }
    let bits = u64::BITS.saturating_sub(tree_size.saturating_sub(1).leading_zeros());
    usize::try_from(bits).unwrap_or(MAX_AUDIT_PATH)
}

/// Verifies that `leaf_data` is leaf `index` of the tree of `tree_size` leaves with `root`,
/// following the algorithm of RFC 9162 §2.1.3.2 (the corrected form of RFC 6962 §2.1.1).
pub fn verify_inclusion<H: Sha256>(
    leaf_data: &Hash32,
    index: u64,
    tree_size: u64,
    audit_path: &[Hash32],
    root: &Hash32,
) -> Result<(), ProofError> {
    if index >= tree_size {
        return Err(ProofError::IndexOutOfRange);
    }
    if audit_path.len() > max_path_len(tree_size) {
        return Err(ProofError::PathTooLong);
    }
    let mut f_n = index;
    let mut s_n = tree_size.saturating_sub(1);
    let mut r = leaf_hash::<H>(leaf_data);
    for p in audit_path {
        if s_n == 0 {
            return Err(ProofError::BadProof);
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash::<H>(p, &r);
            // A right-edge node with no right sibling is carried up unchanged.
            while f_n & 1 == 0 && f_n != 0 {
                f_n /= 2;
                s_n /= 2;
            }
        } else {
            r = node_hash::<H>(&r, p);
        }
        f_n /= 2;
        s_n /= 2;
    }
    if s_n == 0 && r == *root {
        Ok(())
    } else {
        Err(ProofError::BadProof)
    }
}

/// An RFC 6962 tree built off chain (std only), for issuers computing a batch root and the
/// audit paths they hand out.
#[cfg(feature = "std")]
pub struct MerkleTree<H: Sha256> {
    /// `levels[0]` are the leaf hashes; each next level pairs the one below, carrying an
    /// unpaired last node up unchanged, which yields exactly the RFC 6962 tree shape.
    levels: Vec<Vec<Hash32>>,
    _hasher: core::marker::PhantomData<H>,
}

#[cfg(feature = "std")]
impl<H: Sha256> MerkleTree<H> {
    /// `None` for no leaves: RFC 6962 defines the empty tree's hash, but anchoring one is
    /// meaningless, so carechain never builds it.
    pub fn from_leaf_data(leaf_data: &[Hash32]) -> Option<Self> {
        if leaf_data.is_empty() {
            return None;
        }
        let mut levels = vec![leaf_data.iter().map(leaf_hash::<H>).collect::<Vec<_>>()];
        while let Some(below) = levels.last().filter(|l| l.len() > 1) {
            let next = below
                .chunks(2)
                .map(|pair| match pair {
                    [l, r] => node_hash::<H>(l, r),
                    [single] => *single,
                    _ => unreachable!("chunks(2) yields one or two items"),
                })
                .collect();
            levels.push(next);
        }
        Some(Self { levels, _hasher: core::marker::PhantomData })
    }

    pub fn leaf_count(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    pub fn root(&self) -> Hash32 {
        self.levels.last().and_then(|l| l.first()).copied().unwrap_or_default()
    }

    pub fn audit_path(&self, index: u64) -> Option<Vec<Hash32>> {
        let mut idx = usize::try_from(index).ok()?;
        if idx >= self.levels.first()?.len() {
            return None;
        }
        let mut path = Vec::new();
        let (_root, below_root) = self.levels.split_last()?;
        for level in below_root {
            if let Some(sibling) = level.get(idx ^ 1) {
                path.push(*sibling);
            }
            idx /= 2;
        }
        Some(path)
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use sha2::Digest;

    enum RefSha {}
    impl Sha256 for RefSha {
        fn digest(input: &[u8]) -> Hash32 {
            sha2::Sha256::digest(input).into()
        }
    }

    /// RFC 6962 §2.1 MTH, written recursively exactly as the RFC states it.
    fn mth(d: &[Hash32]) -> Hash32 {
        match d.len() {
            0 => RefSha::digest(&[]),
            1 => leaf_hash::<RefSha>(&d[0]),
            n => {
                let k = largest_pow2_below(n);
                node_hash::<RefSha>(&mth(&d[..k]), &mth(&d[k..]))
            }
        }
    }

    /// RFC 6962 §2.1.1 PATH(m, D[n]).
    fn rfc_path(m: usize, d: &[Hash32]) -> Vec<Hash32> {
        let n = d.len();
        if n <= 1 {
            return vec![];
        }
        let k = largest_pow2_below(n);
        if m < k {
            let mut p = rfc_path(m, &d[..k]);
            p.push(mth(&d[k..]));
            p
        } else {
            let mut p = rfc_path(m - k, &d[k..]);
            p.push(mth(&d[..k]));
            p
        }
    }

    fn largest_pow2_below(n: usize) -> usize {
        let mut k = 1;
        while k * 2 < n {
            k *= 2;
        }
        k
    }

    fn data(n: usize, seed: u64) -> Vec<Hash32> {
        (0..n)
            .map(|i| {
                let mut h = [0u8; 32];
                h[..8].copy_from_slice(&(i as u64).to_le_bytes());
                h[8..16].copy_from_slice(&seed.to_le_bytes());
                RefSha::digest(&h)
            })
            .collect()
    }

    #[test]
    fn ink_sha256_matches_reference() {
        for input in [&b""[..], b"abc", &[0u8; 65]] {
            assert_eq!(InkSha256::digest(input), RefSha::digest(input));
        }
        // FIPS 180-2 test vector for "abc".
        assert_eq!(InkSha256::digest(b"abc")[..4], [0xba, 0x78, 0x16, 0xbf]);
    }

    #[test]
    fn known_shapes_agree_with_rfc_definition() {
        for n in 1..=70 {
            let d = data(n, 7);
            let tree = MerkleTree::<RefSha>::from_leaf_data(&d).unwrap();
            assert_eq!(tree.root(), mth(&d), "root of {n}");
            for m in 0..n {
                let path = tree.audit_path(m as u64).unwrap();
                assert_eq!(path, rfc_path(m, &d), "path {m} of {n}");
                assert_eq!(verify_inclusion::<RefSha>(&d[m], m as u64, n as u64, &path, &tree.root()), Ok(()));
            }
        }
    }

    #[test]
    fn single_leaf_tree_has_empty_path() {
        let d = data(1, 1);
        let root = leaf_hash::<RefSha>(&d[0]);
        assert_eq!(verify_inclusion::<RefSha>(&d[0], 0, 1, &[], &root), Ok(()));
        assert_eq!(verify_inclusion::<RefSha>(&d[0], 0, 1, &[root], &root), Err(ProofError::PathTooLong));
    }

    #[test]
    fn leaf_and_node_domains_are_separated() {
        // A node hash presented as leaf data must not verify as a leaf (second-preimage defence).
        let d = data(2, 3);
        let tree = MerkleTree::<RefSha>::from_leaf_data(&d).unwrap();
        let l0 = leaf_hash::<RefSha>(&d[0]);
        let l1 = leaf_hash::<RefSha>(&d[1]);
        assert_eq!(node_hash::<RefSha>(&l0, &l1), tree.root());
        assert_ne!(leaf_hash::<RefSha>(&tree.root()), tree.root());
    }

    #[test]
    fn empty_tree_rejected() {
        assert!(MerkleTree::<RefSha>::from_leaf_data(&[]).is_none());
        assert_eq!(verify_inclusion::<RefSha>(&[1; 32], 0, 0, &[], &[0; 32]), Err(ProofError::IndexOutOfRange));
    }

    #[test]
    fn max_path_len_is_ceil_log2() {
        assert_eq!(max_path_len(0), 0);
        assert_eq!(max_path_len(1), 0);
        assert_eq!(max_path_len(2), 1);
        assert_eq!(max_path_len(3), 2);
        assert_eq!(max_path_len(4), 2);
        assert_eq!(max_path_len(5), 3);
        assert_eq!(max_path_len(1 << 20), 20);
        assert_eq!(max_path_len((1 << 20) + 1), 21);
        assert_eq!(max_path_len(u64::MAX), 64);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Every leaf of a random tree of up to 2^12 leaves verifies.
        #[test]
        fn every_leaf_verifies(n in 1usize..=4096, seed in any::<u64>()) {
            let d = data(n, seed);
            let tree = MerkleTree::<RefSha>::from_leaf_data(&d).unwrap();
            let root = tree.root();
            for (m, leaf) in d.iter().enumerate() {
                let path = tree.audit_path(m as u64).unwrap();
                prop_assert!(path.len() <= max_path_len(n as u64));
                prop_assert_eq!(verify_inclusion::<RefSha>(leaf, m as u64, n as u64, &path, &root), Ok(()));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Any flipped bit — in the leaf, the path or the root — or a wrong index fails.
        /// (The tree size is not bound by the proof itself — index 0 of sizes 3 and 4 walks the
        /// same path — which is why record_anchor checks against the leaf count it stored.)
        #[test]
        fn tampering_fails(
            n in 2usize..=4096,
            seed in any::<u64>(),
            pick in any::<prop::sample::Index>(),
            bit in 0usize..256,
            what in 0u8..4,
            delta in 1u64..1000,
        ) {
            let d = data(n, seed);
            let tree = MerkleTree::<RefSha>::from_leaf_data(&d).unwrap();
            let m = pick.index(n);
            let mut leaf = d[m];
            let mut path = tree.audit_path(m as u64).unwrap();
            let mut root = tree.root();
            let mut index = m as u64;
            let size = n as u64;
            let flip = |h: &mut Hash32| h[bit / 8] ^= 1 << (bit % 8);
            match what {
                0 => flip(&mut leaf),
                1 => { let i = bit % path.len(); flip(&mut path[i]) }
                2 => flip(&mut root),
                _ => index = (index + delta) % (n as u64 + delta),
            }
            prop_assume!(what != 3 || index != m as u64);
            let result = verify_inclusion::<RefSha>(&leaf, index, size, &path, &root);
            prop_assert!(result.is_err(), "tampering {} verified", what);
        }

        /// A path with one step too many is rejected before any hashing.
        #[test]
        fn overlong_path_rejected(n in 1u64..=1 << 20, extra in 1usize..4) {
            let path = vec![[7u8; 32]; max_path_len(n) + extra];
            prop_assert_eq!(
                verify_inclusion::<RefSha>(&[1; 32], 0, n, &path, &[0; 32]),
                Err(ProofError::PathTooLong)
            );
        }
    }
}
