//! The image's file system as a container sees it: the layers' listings
//! applied in order under the overlay rules, each path labelled with the
//! layer that last changed it, and the bytes that later layers overwrite or
//! delete counted as wasted (dive's "wasted space"). The same walk also
//! gives each layer's own changes (added, modified, removed), as dive's
//! layer view shows them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::entry::{EntryKind, FileEntry};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Modified,
    Removed,
}

impl Change {
    pub fn label(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Modified => "modified",
            Change::Removed => "removed",
        }
    }
}

/// One path of the merged view. For a removed path `entry` is what was
/// there before and `layer` the layer that removed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergedEntry {
    #[serde(flatten)]
    pub entry: FileEntry,
    /// Index of the layer (0 = the base) that last changed the path.
    pub layer: usize,
    pub change: Change,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergedView {
    /// Sorted by path; removed paths included, marked so.
    pub entries: Vec<MergedEntry>,
    /// Bytes of files that a later layer replaced or deleted: stored in the
    /// image, never seen by a container.
    pub wasted_bytes: u64,
}

impl MergedView {
    /// What a container sees (removed paths left out).
    pub fn visible(&self) -> impl Iterator<Item = &MergedEntry> {
        self.entries.iter().filter(|e| e.change != Change::Removed)
    }

    pub fn find(&self, path: &str) -> Option<&MergedEntry> {
        self.entries
            .binary_search_by(|e| e.entry.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.entries[i])
    }
}

/// Applies `layers` (base first) in order.
pub fn merge<L: AsRef<[FileEntry]>>(layers: &[L]) -> MergedView {
    apply(layers, None)
}

/// What each layer changes (base first): the paths it adds, modifies
/// (including a directory whose mode or owner changed) and removes
/// (each path a whiteout or an opaque directory hides), sorted by path.
pub fn layer_changes<L: AsRef<[FileEntry]>>(layers: &[L]) -> Vec<Vec<MergedEntry>> {
    let mut changes = Vec::with_capacity(layers.len());
    apply(layers, Some(&mut changes));
    changes
}

/// Applies the layers; with `per_layer`, records every layer's changes.
fn apply<L: AsRef<[FileEntry]>>(
    layers: &[L],
    mut per_layer: Option<&mut Vec<Vec<MergedEntry>>>,
) -> MergedView {
    let mut merging = Merging::default();
    for (index, entries) in layers.iter().enumerate() {
        let entries = entries.as_ref();
        // Only kept when asked for: a merge of a large image need not
        // hold every layer's changes twice.
        let mut changed: Option<BTreeMap<String, MergedEntry>> =
            per_layer.is_some().then(BTreeMap::new);
        // Deletions hide what the layers below had; entries of the same
        // layer are siblings, so they apply first.
        for entry in entries.iter().filter(|e| e.kind.is_deletion()) {
            merging.delete(entry, index, changed.as_mut());
        }
        for entry in entries.iter().filter(|e| !e.kind.is_deletion()) {
            merging.put(entry, index, changed.as_mut());
        }
        if let (Some(per_layer), Some(changed)) = (per_layer.as_deref_mut(), changed) {
            per_layer.push(changed.into_values().collect());
        }
    }
    let Merging {
        live,
        removed,
        wasted,
    } = merging;
    let mut entries: Vec<MergedEntry> = live.into_values().collect();
    entries.extend(removed.into_values());
    entries.sort_by(|a, b| a.entry.path.cmp(&b.entry.path));
    MergedView {
        entries,
        wasted_bytes: wasted,
    }
}

/// The merge so far: what is visible, what a layer removed, and the bytes
/// stored for what is hidden.
#[derive(Default)]
struct Merging {
    live: BTreeMap<String, MergedEntry>,
    removed: BTreeMap<String, MergedEntry>,
    wasted: u64,
}

impl Merging {
    /// Layer `index`'s whiteout or opaque directory `entry` hides what the
    /// layers below had there; with `changed`, each hidden path is recorded.
    fn delete(
        &mut self,
        entry: &FileEntry,
        index: usize,
        mut changed: Option<&mut BTreeMap<String, MergedEntry>>,
    ) {
        let gone = if entry.kind == EntryKind::Opaque {
            take_below(&mut self.live, &entry.path, false)
        } else {
            take_below(&mut self.live, &entry.path, true)
        };
        for old in gone {
            self.wasted += stored_bytes(&old.entry);
            let path = old.entry.path.clone();
            let gone = MergedEntry {
                entry: old.entry,
                layer: index,
                change: Change::Removed,
            };
            if let Some(changed) = changed.as_mut() {
                changed.insert(path.clone(), gone.clone());
            }
            self.removed.insert(path, gone);
        }
    }

    /// Layer `index`'s `entry` goes on top of what is there; with
    /// `changed`, it is recorded as added or modified.
    fn put(
        &mut self,
        entry: &FileEntry,
        index: usize,
        mut changed: Option<&mut BTreeMap<String, MergedEntry>>,
    ) {
        let next = match self.live.get(&entry.path) {
            // Every layer lists the directories above its files: the
            // same directory again is no change.
            Some(old) if same_directory(&old.entry, entry) => return,
            Some(old) => {
                self.wasted += stored_bytes(&old.entry);
                let change = if old.layer == index {
                    old.change
                } else {
                    Change::Modified
                };
                MergedEntry {
                    entry: entry.clone(),
                    layer: index,
                    change,
                }
            }
            None => MergedEntry {
                entry: entry.clone(),
                layer: index,
                change: Change::Added,
            },
        };
        if next.entry.kind != EntryKind::Dir {
            // Something that is not a directory hides whatever a lower
            // directory of that name held.
            for old in take_below(&mut self.live, &entry.path, false) {
                self.wasted += stored_bytes(&old.entry);
                if let Some(changed) = changed.as_mut() {
                    let path = old.entry.path.clone();
                    let gone = MergedEntry {
                        layer: index,
                        change: Change::Removed,
                        ..old
                    };
                    changed.insert(path, gone);
                }
            }
        }
        self.removed.remove(&entry.path);
        if let Some(changed) = changed.as_mut() {
            // Removed and put back by one layer: changed, not new.
            let mut recorded = next.clone();
            if changed
                .get(&entry.path)
                .is_some_and(|c| c.change == Change::Removed)
            {
                recorded.change = Change::Modified;
            }
            changed.insert(entry.path.clone(), recorded);
        }
        self.live.insert(entry.path.clone(), next);
    }
}

fn same_directory(old: &FileEntry, new: &FileEntry) -> bool {
    old.kind == EntryKind::Dir
        && new.kind == EntryKind::Dir
        && old.mode == new.mode
        && old.uid == new.uid
        && old.gid == new.gid
}

fn stored_bytes(entry: &FileEntry) -> u64 {
    if entry.kind == EntryKind::File {
        entry.size
    } else {
        0
    }
}

/// Removes what lies below `path` (and `path` itself when `itself`).
fn take_below(
    live: &mut BTreeMap<String, MergedEntry>,
    path: &str,
    itself: bool,
) -> Vec<MergedEntry> {
    let prefix = if path.is_empty() {
        String::new()
    } else {
        format!("{path}/")
    };
    let mut keys: Vec<String> = live
        .range(prefix.clone()..)
        .take_while(|(key, _)| key.starts_with(&prefix))
        .map(|(key, _)| key.clone())
        .collect();
    if itself && live.contains_key(path) {
        keys.push(path.to_owned());
    }
    keys.iter().filter_map(|key| live.remove(key)).collect()
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
