//! The layers section: which layers both images have (same digest), which
//! only one has, and the shared base, the run of identical layers at the
//! bottom of both stacks. The shared base is never read: what it holds is
//! the same on both sides.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::oci::{Descriptor, Digest};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerInfo {
    pub digest: Digest,
    pub size: u64,
    pub media_type: String,
    /// Position in its image, 0 being the base.
    pub index: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedLayer {
    pub digest: Digest,
    pub size: u64,
    pub media_type: String,
    pub left_index: usize,
    pub right_index: usize,
    /// Whether the files diff read it (only a shared layer above the shared
    /// base, or every one with `--read-shared`).
    pub read: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayersDiff {
    pub shared: Vec<SharedLayer>,
    /// Only in the right image.
    pub added: Vec<LayerInfo>,
    /// Only in the left image.
    pub removed: Vec<LayerInfo>,
    /// How many layers at the bottom are the same on both sides.
    pub shared_base: usize,
    pub shared_bytes: u64,
    pub added_bytes: u64,
    pub removed_bytes: u64,
}

impl LayersDiff {
    /// Nothing added or removed, and every shared layer in the same place.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.shared.iter().all(|s| s.left_index == s.right_index)
    }
}

/// How many layers at the bottom of both stacks have the same digest.
pub fn shared_base(left: &[Descriptor], right: &[Descriptor]) -> usize {
    left.iter()
        .zip(right)
        .take_while(|(l, r)| l.digest == r.digest)
        .count()
}

/// The layers section; `read` names the digests the files diff read.
pub fn layers_diff(
    left: &[Descriptor],
    right: &[Descriptor],
    read: &BTreeSet<Digest>,
) -> LayersDiff {
    let (left_at, right_at) = (first_at(left), first_at(right));
    let info = |index: usize, layer: &Descriptor| LayerInfo {
        digest: layer.digest.clone(),
        size: layer.size,
        media_type: layer.media_type.clone(),
        index,
    };
    let mut shared = Vec::new();
    let mut removed = Vec::new();
    for (index, layer) in left.iter().enumerate() {
        match right_at.get(&layer.digest) {
            Some(&right_index) => shared.push(SharedLayer {
                digest: layer.digest.clone(),
                size: layer.size,
                media_type: layer.media_type.clone(),
                left_index: index,
                right_index,
                read: read.contains(&layer.digest),
            }),
            None => removed.push(info(index, layer)),
        }
    }
    let added: Vec<LayerInfo> = right
        .iter()
        .enumerate()
        .filter(|(_, layer)| !left_at.contains_key(&layer.digest))
        .map(|(index, layer)| info(index, layer))
        .collect();
    let bytes = |items: &[LayerInfo]| items.iter().map(|l| l.size).sum();
    LayersDiff {
        shared_base: shared_base(left, right),
        shared_bytes: shared.iter().map(|s| s.size).sum(),
        added_bytes: bytes(&added),
        removed_bytes: bytes(&removed),
        shared,
        added,
        removed,
    }
}

/// Where each digest first occurs in a stack.
fn first_at(layers: &[Descriptor]) -> HashMap<&Digest, usize> {
    let mut at = HashMap::new();
    for (index, layer) in layers.iter().enumerate() {
        at.entry(&layer.digest).or_insert(index);
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(byte: u8, size: u64) -> Descriptor {
        Descriptor::of_bytes("application/vnd.oci.image.layer.v1.tar+gzip", &[byte]).with_size(size)
    }

    trait WithSize {
        fn with_size(self, size: u64) -> Self;
    }
    impl WithSize for Descriptor {
        fn with_size(mut self, size: u64) -> Self {
            self.size = size;
            self
        }
    }

    #[test]
    fn finds_the_shared_base_and_what_each_side_adds() {
        let (a, b, c, d) = (layer(1, 10), layer(2, 20), layer(3, 30), layer(4, 40));
        let left = [a.clone(), b.clone(), d.clone()];
        let right = [a.clone(), c.clone(), d.clone()];
        let read: BTreeSet<Digest> = [d.digest.clone()].into_iter().collect();
        let diff = layers_diff(&left, &right, &read);
        assert_eq!(diff.shared_base, 1);
        assert_eq!(diff.shared.len(), 2);
        assert!(!diff.shared[0].read);
        assert!(diff.shared[1].read);
        assert_eq!(diff.added.len(), 1);
        assert_eq!(diff.added[0].digest, c.digest);
        assert_eq!(diff.removed[0].digest, b.digest);
        assert_eq!(
            (diff.added_bytes, diff.removed_bytes, diff.shared_bytes),
            (30, 20, 50)
        );
        assert!(!diff.is_empty());
        let same = layers_diff(&left, &left, &BTreeSet::new());
        assert!(same.is_empty());
        assert_eq!(same.shared_base, 3);
        let swapped = layers_diff(&[a.clone(), b.clone()], &[b, a], &BTreeSet::new());
        assert!(
            !swapped.is_empty(),
            "the same layers in another order differ"
        );
    }
}
