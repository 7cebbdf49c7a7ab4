//! A node's children in display order, with the rows of the last filter
//! kept. Tags and repositories show in version order (`v1.9` before
//! `v1.10`), whatever order the registry lists them in.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::id::NodeId;

/// A node's child ids in display order. Each name is lowercased once, when
/// it arrives, and the rows of the last filter are kept until the list or
/// the filter changes: a filter over 100 000 tags is one pass of
/// `contains` per keystroke, and a frame only reads the rows it shows.
#[derive(Default)]
pub struct Children {
    ids: Vec<NodeId>,
    /// The name of each id, lowercased.
    lower: Vec<Box<str>>,
    /// How many ids are fallback tags (`sha256-*`), kept as they come.
    digest_tags: usize,
    /// How many ids are digests a person went to (not tags), kept as
    /// they come, so a count never scans the list in a frame.
    digest_references: usize,
    view: Mutex<Option<(ViewKey, Arc<ChildView>)>>,
    /// Indices of `ids` in display order, sorted once per list change.
    order: Mutex<Option<Arc<[u32]>>>,
    /// Names looked at by filter passes, and names lowercased, for tests
    /// that count the work a keystroke does.
    scanned: AtomicU64,
    lowercased: AtomicU64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ViewKey {
    filter: String,
    show_digest_tags: bool,
    limit: usize,
    as_listed: bool,
}

/// The children a list shows: indices of the first `limit` that pass, and
/// how many more pass.
#[derive(Debug)]
pub struct ChildView {
    pub shown: Vec<u32>,
    pub hidden: usize,
}

impl Children {
    /// The ids shown with `filter` (lowercased, may be empty) and the
    /// digest-tag setting: at most `limit`, and how many more there are;
    /// in version order, or `as_listed` by the registry. Computed once per
    /// list change and filter, then kept.
    pub fn view(
        &self,
        filter: &str,
        show_digest_tags: bool,
        limit: usize,
        as_listed: bool,
    ) -> Arc<ChildView> {
        let key = ViewKey {
            filter: filter.to_owned(),
            show_digest_tags,
            limit,
            as_listed,
        };
        let mut kept = self
            .view
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((old, view)) = kept.as_ref()
            && *old == key
        {
            return Arc::clone(view);
        }
        let mut shown = Vec::new();
        let mut hidden = 0;
        let order = if as_listed {
            let count = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
            (0..count).collect()
        } else {
            self.order()
        };
        for &i in order.iter() {
            let index = i as usize;
            let (Some(id), Some(lower)) = (self.ids.get(index), self.lower.get(index)) else {
                continue;
            };
            if !show_digest_tags && id.is_digest_tag() {
                continue;
            }
            if !filter.is_empty() && !lower.contains(filter) {
                continue;
            }
            if shown.len() < limit {
                shown.push(i);
            } else {
                hidden += 1;
            }
        }
        self.scanned
            .fetch_add(self.ids.len() as u64, Ordering::Relaxed);
        let view = Arc::new(ChildView { shown, hidden });
        *kept = Some((key, Arc::clone(&view)));
        view
    }

    /// How many names filter passes have looked at, and how many names
    /// were lowercased, so far.
    pub fn work_done(&self) -> (u64, u64) {
        (
            self.scanned.load(Ordering::Relaxed),
            self.lowercased.load(Ordering::Relaxed),
        )
    }

    /// How many of the ids are fallback tags (`sha256-*`).
    pub fn digest_tags(&self) -> usize {
        self.digest_tags
    }

    /// How many of the ids are digests gone to, listed beside the tags.
    pub fn digest_references(&self) -> usize {
        self.digest_references
    }

    /// Indices in display order: tags and repositories by version (a
    /// pinned one among the others, where it belongs), anything else as
    /// it came (a manifest's children have an order of their own).
    fn order(&self) -> Arc<[u32]> {
        let mut kept = self
            .order
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(order) = kept.as_ref() {
            return Arc::clone(order);
        }
        let count = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        let mut order: Vec<u32> = (0..count).collect();
        if matches!(
            self.ids.first(),
            Some(NodeId::Tag(_) | NodeId::Repository(_))
        ) {
            let name = |i: &u32| {
                let i = *i as usize;
                (self.lower.get(i).map_or("", |l| &**l), self.ids.get(i))
            };
            order.sort_by(|a, b| {
                let ((a_lower, a_id), (b_lower, b_id)) = (name(a), name(b));
                crate::text::version_order(a_lower, b_lower).then_with(|| a_id.cmp(&b_id))
            });
        }
        let order: Arc<[u32]> = order.into();
        *kept = Some(Arc::clone(&order));
        order
    }

    fn changed(&mut self) {
        *self
            .view
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        *self
            .order
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// The lowercased name of an id about to be added, counted.
    fn arriving(&mut self, id: &NodeId) -> Box<str> {
        self.digest_tags += usize::from(id.is_digest_tag());
        self.digest_references += usize::from(id.is_digest_reference());
        self.lowercased.fetch_add(1, Ordering::Relaxed);
        id.name().to_lowercase().into_boxed_str()
    }

    pub(super) fn insert(&mut self, index: usize, id: NodeId) {
        let lower = self.arriving(&id);
        self.lower.insert(index, lower);
        self.ids.insert(index, id);
        self.changed();
    }

    pub(super) fn clear(&mut self) {
        self.ids.clear();
        self.lower.clear();
        self.digest_tags = 0;
        self.digest_references = 0;
        self.changed();
    }

    pub(super) fn retain(&mut self, mut keep: impl FnMut(&NodeId) -> bool) {
        let mut lower = std::mem::take(&mut self.lower).into_iter();
        let mut kept_lower = Vec::with_capacity(self.ids.len());
        self.ids.retain(|id| {
            let l = lower.next();
            let keep = keep(id);
            if keep {
                kept_lower.extend(l);
            }
            keep
        });
        self.lower = kept_lower;
        self.digest_tags = self.ids.iter().filter(|id| id.is_digest_tag()).count();
        self.digest_references = self
            .ids
            .iter()
            .filter(|id| id.is_digest_reference())
            .count();
        self.changed();
    }

    pub fn as_slice(&self) -> &[NodeId] {
        &self.ids
    }
}

impl std::ops::Deref for Children {
    type Target = [NodeId];
    fn deref(&self) -> &[NodeId] {
        &self.ids
    }
}

impl Extend<NodeId> for Children {
    fn extend<I: IntoIterator<Item = NodeId>>(&mut self, ids: I) {
        for id in ids {
            let lower = self.arriving(&id);
            self.lower.push(lower);
            self.ids.push(id);
        }
        self.changed();
    }
}

impl From<Vec<NodeId>> for Children {
    fn from(ids: Vec<NodeId>) -> Children {
        let mut children = Children::default();
        children.extend(ids);
        children
    }
}

impl Clone for Children {
    fn clone(&self) -> Children {
        Children {
            ids: self.ids.clone(),
            lower: self.lower.clone(),
            digest_tags: self.digest_tags,
            digest_references: self.digest_references,
            ..Children::default()
        }
    }
}

impl std::fmt::Debug for Children {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.ids.fmt(f)
    }
}

impl<const N: usize> PartialEq<[NodeId; N]> for Children {
    fn eq(&self, other: &[NodeId; N]) -> bool {
        self.ids == other
    }
}

impl PartialEq<Vec<NodeId>> for Children {
    fn eq(&self, other: &Vec<NodeId>) -> bool {
        self.ids == *other
    }
}
