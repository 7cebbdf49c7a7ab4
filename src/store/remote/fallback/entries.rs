//! The entries of a fallback index as raw JSON (so fields other writers
//! put there survive), what adding or removing one referrer does to them,
//! and the other writers' entries one writer has seen (so it can put back
//! what a slower writer dropped).

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value};

use crate::oci::Digest;

#[derive(Debug, Clone)]
pub enum Change {
    Add(Value, Digest),
    Remove(Digest),
}

fn entry_digest(entry: &Value) -> Option<&str> {
    entry.get("digest").and_then(Value::as_str)
}

pub fn entries(document: Option<&Map<String, Value>>) -> Vec<Value> {
    document
        .and_then(|d| d.get("manifests"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The entries after `changes` (applied in order), deduplicated by digest
/// (first one wins), or `None` when the index already says what it should.
pub fn apply(current: &[Value], changes: &[Change]) -> Option<Vec<Value>> {
    let mut seen = HashSet::new();
    let mut updated: Vec<Value> = current
        .iter()
        .filter(|e| entry_digest(e).is_none_or(|d| seen.insert(d.to_owned())))
        .cloned()
        .collect();
    for change in changes {
        match change {
            Change::Add(entry, digest) => {
                let digest = digest.to_string();
                match updated
                    .iter_mut()
                    .find(|e| entry_digest(e) == Some(digest.as_str()))
                {
                    Some(existing) => *existing = entry.clone(),
                    None => updated.push(entry.clone()),
                }
            }
            Change::Remove(digest) => {
                let digest = digest.to_string();
                updated.retain(|e| entry_digest(e) != Some(digest.as_str()));
            }
        }
    }
    (updated != current).then_some(updated)
}

pub fn is_visible(entries: &[Value], change: &Change) -> bool {
    match change {
        Change::Add(_, digest) => {
            let digest = digest.to_string();
            entries
                .iter()
                .any(|e| entry_digest(e) == Some(digest.as_str()))
        }
        Change::Remove(digest) => {
            let digest = digest.to_string();
            !entries
                .iter()
                .any(|e| entry_digest(e) == Some(digest.as_str()))
        }
    }
}

/// Other writers' entries seen in any read of one update, by digest:
/// an entry that vanishes later was either removed on purpose (its
/// manifest is gone too) or dropped by a writer that read before it was
/// added and wrote after (then it is put back).
#[derive(Debug, Default)]
pub struct Seen {
    entries: BTreeMap<String, Value>,
    /// Digests this update adds or removes itself: never "someone else's".
    own: HashSet<String>,
}

impl Seen {
    pub fn new(changes: &[Change]) -> Seen {
        let own = changes
            .iter()
            .map(|change| match change {
                Change::Add(_, digest) | Change::Remove(digest) => digest.to_string(),
            })
            .collect();
        Seen {
            entries: BTreeMap::new(),
            own,
        }
    }

    /// Remembers the entries of one read (the first copy of a digest wins,
    /// as in [`apply`]). Entries without a digest cannot be checked, so
    /// they are left to whoever wrote them.
    pub fn note(&mut self, listed: &[Value]) {
        for entry in listed {
            if let Some(digest) = entry_digest(entry)
                && !self.own.contains(digest)
                && digest.parse::<Digest>().is_ok()
            {
                self.entries
                    .entry(digest.to_owned())
                    .or_insert_with(|| entry.clone());
            }
        }
    }

    /// Seen entries that `listed` no longer has, as changes that would put
    /// them back.
    pub fn missing_from(&self, listed: &[Value]) -> Vec<Change> {
        let present: HashSet<&str> = listed.iter().filter_map(entry_digest).collect();
        self.entries
            .iter()
            .filter(|(digest, _)| !present.contains(digest.as_str()))
            .filter_map(|(digest, entry)| {
                let parsed = digest.parse().ok()?;
                Some(Change::Add(entry.clone(), parsed))
            })
            .collect()
    }

    /// An entry whose manifest is gone was removed on purpose: not ours to
    /// put back.
    pub fn forget(&mut self, digest: &Digest) {
        self.entries.remove(&digest.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const A: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn digest(text: &str) -> Digest {
        text.parse().expect("digest")
    }

    #[test]
    fn adds_once_and_keeps_other_writers_fields() {
        let other = json!({"mediaType": "m", "digest": A, "size": 1, "x-future": [1, 2]});
        let ours =
            json!({"mediaType": "m", "digest": B, "size": 2, "artifactType": "sbom/example"});
        let b = digest(B);
        let added = apply(
            std::slice::from_ref(&other),
            &[Change::Add(ours.clone(), b.clone())],
        )
        .expect("changed");
        assert_eq!(added, vec![other.clone(), ours.clone()]);
        assert_eq!(apply(&added, &[Change::Add(ours.clone(), b.clone())]), None);
        assert!(is_visible(&added, &Change::Add(ours, b)));
    }

    #[test]
    fn removes_and_deduplicates() {
        let a = json!({"mediaType": "m", "digest": A, "size": 1});
        let b = json!({"mediaType": "m", "digest": B, "size": 1});
        let (da, db) = (digest(A), digest(B));
        let removed = apply(
            &[a.clone(), b.clone(), a.clone()],
            &[Change::Remove(db.clone())],
        )
        .expect("changed");
        assert_eq!(removed, vec![a.clone()]);
        assert_eq!(
            apply(std::slice::from_ref(&a), &[Change::Remove(db.clone())]),
            None
        );
        assert_eq!(
            apply(&[a.clone(), a.clone()], &[Change::Remove(db.clone())]),
            Some(vec![a.clone()])
        );
        assert!(is_visible(&removed, &Change::Remove(db)));
        assert!(!is_visible(&removed, &Change::Remove(da)));
    }

    #[test]
    fn applies_a_batch_of_changes_in_one_go() {
        let a = json!({"mediaType": "m", "digest": A, "size": 1});
        let b = json!({"mediaType": "m", "digest": B, "size": 1});
        let (da, db) = (digest(A), digest(B));
        let batch = [
            Change::Add(a.clone(), da.clone()),
            Change::Add(b.clone(), db.clone()),
        ];
        assert_eq!(apply(&[], &batch), Some(vec![a.clone(), b.clone()]));
        let undone = [Change::Add(b.clone(), db.clone()), Change::Remove(db)];
        assert_eq!(apply(std::slice::from_ref(&a), &undone), None);
    }

    #[test]
    fn seen_entries_that_vanish_are_offered_back_and_own_ones_never() {
        let a = json!({"mediaType": "m", "digest": A, "size": 1, "x-other": true});
        let b = json!({"mediaType": "m", "digest": B, "size": 1});
        let undigested = json!({"mediaType": "m", "size": 1});
        let (da, db) = (digest(A), digest(B));
        let mut seen = Seen::new(&[Change::Add(b.clone(), db.clone())]);
        seen.note(&[a.clone(), b.clone(), undigested.clone()]);
        assert!(
            seen.missing_from(std::slice::from_ref(&a)).is_empty(),
            "B is this writer's own"
        );
        let missing = seen.missing_from(std::slice::from_ref(&b));
        assert_eq!(missing.len(), 1);
        let Change::Add(entry, digest) = &missing[0] else {
            panic!("a restore is an add: {missing:?}");
        };
        assert_eq!((entry, digest), (&a, &da), "verbatim, other fields kept");
        seen.forget(&da);
        assert!(seen.missing_from(&[]).is_empty());
    }
}
