//! RFC 6962 Merkle trees: leaf and node hashes, and the root an inclusion
//! proof leads to (RFC 9162 §2.1.3.2, the algorithm transparency-dev's
//! `proof.VerifyInclusion` implements).

use sha2::{Digest as _, Sha256};

/// SHA-256(0x00 || leaf).
pub fn leaf_hash(leaf: &[u8]) -> [u8; 32] {
    Sha256::new()
        .chain_update([0u8])
        .chain_update(leaf)
        .finalize()
        .into()
}

/// SHA-256(0x01 || left || right).
fn node_hash(left: &[u8], right: &[u8]) -> [u8; 32] {
    Sha256::new()
        .chain_update([1u8])
        .chain_update(left)
        .chain_update(right)
        .finalize()
        .into()
}

/// The root hash that `proof` leads to from the leaf `leaf_hash` at
/// `index` in a tree of `size` leaves, or why the proof cannot be one.
pub fn root_from_inclusion_proof(
    index: u64,
    size: u64,
    leaf_hash: [u8; 32],
    proof: &[Vec<u8>],
) -> Result<[u8; 32], String> {
    if index >= size {
        return Err(format!("leaf index {index} is not below tree size {size}"));
    }
    if let Some(bad) = proof.iter().find(|h| h.len() != 32) {
        return Err(format!("a proof hash of {} bytes, not 32", bad.len()));
    }
    // The proof climbs `inner` levels where the leaf's path and the last
    // leaf's path differ, then `border` levels along the right border.
    let inner_bits = u64::BITS - (index ^ (size - 1)).leading_zeros();
    let border_bits = index.checked_shr(inner_bits).unwrap_or(0).count_ones();
    let (inner, border) = (inner_bits as usize, border_bits as usize);
    if proof.len() != inner + border {
        return Err(format!(
            "the proof has {} hashes; a leaf at {index} of {size} needs {}",
            proof.len(),
            inner + border
        ));
    }
    let mut hash = leaf_hash;
    for (level, sibling) in proof[..inner].iter().enumerate() {
        hash = if (index >> level) & 1 == 0 {
            node_hash(&hash, sibling)
        } else {
            node_hash(sibling, &hash)
        };
    }
    for sibling in &proof[inner..] {
        hash = node_hash(sibling, &hash);
    }
    Ok(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The RFC 6962 root of `leaves`, computed the slow way (MTH, §2.1).
    fn tree_root(leaves: &[[u8; 32]]) -> [u8; 32] {
        if leaves.len() == 1 {
            return leaves[0];
        }
        let split = leaves.len().next_power_of_two() / 2;
        node_hash(&tree_root(&leaves[..split]), &tree_root(&leaves[split..]))
    }

    /// The audit path of leaf `m` (PATH, §2.1.1).
    fn path(m: usize, leaves: &[[u8; 32]]) -> Vec<Vec<u8>> {
        if leaves.len() == 1 {
            return Vec::new();
        }
        let split = leaves.len().next_power_of_two() / 2;
        if m < split {
            let mut p = path(m, &leaves[..split]);
            p.push(tree_root(&leaves[split..]).to_vec());
            p
        } else {
            let mut p = path(m - split, &leaves[split..]);
            p.push(tree_root(&leaves[..split]).to_vec());
            p
        }
    }

    #[test]
    fn every_leaf_of_every_small_tree_proves_its_root_and_nothing_else() {
        for size in 1..=17usize {
            let leaves: Vec<[u8; 32]> = (0..size).map(|i| leaf_hash(&[i as u8])).collect();
            let root = tree_root(&leaves);
            for (m, leaf) in leaves.iter().enumerate() {
                let proof = path(m, &leaves);
                let (index, n) = (m as u64, size as u64);
                assert_eq!(root_from_inclusion_proof(index, n, *leaf, &proof), Ok(root));
                // Another leaf, a changed hash, another index or size, or a
                // proof one hash short never leads to the same root.
                let other = leaf_hash(b"other");
                assert_ne!(root_from_inclusion_proof(index, n, other, &proof), Ok(root));
                if let Some(first) = proof.first() {
                    let mut bent = proof.clone();
                    bent[0] = first.iter().map(|b| b ^ 1).collect();
                    assert_ne!(root_from_inclusion_proof(index, n, *leaf, &bent), Ok(root));
                    assert!(root_from_inclusion_proof(index, n, *leaf, &proof[1..]).is_err());
                }
                if size > 1 {
                    let moved = (index + 1) % n;
                    assert_ne!(root_from_inclusion_proof(moved, n, *leaf, &proof), Ok(root));
                }
            }
        }
        assert!(root_from_inclusion_proof(5, 5, [0; 32], &[]).is_err());
        assert!(root_from_inclusion_proof(0, 2, [0; 32], &[vec![0; 31]]).is_err());
    }
}
