//! The entries of a fallback index as raw JSON (so fields other writers
//! put there survive), and what adding or removing one referrer does to
//! them.

use std::collections::HashSet;

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
}
