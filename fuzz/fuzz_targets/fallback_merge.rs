//! The fallback-index merge never drops an entry present on either side:
//! an entry already there survives unless this writer removes its digest,
//! and every entry this writer adds is there unless it removes it later.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use regscope::oci::Digest;
use regscope::store::remote::fuzzing::{Change, add, apply_to_fallback, fallback_shows};
use serde_json::{Value, json};

const HEX: [char; 4] = ['a', 'b', 'c', 'd'];

fn digest(i: u8) -> Digest {
    let hex: String = std::iter::repeat_n(HEX[usize::from(i) % HEX.len()], 64).collect();
    format!("sha256:{hex}").parse().expect("digest")
}

#[derive(Debug, Arbitrary)]
enum Existing {
    Entry { digest: u8, tag: u8 },
    NoDigest(u8),
    OddDigest(String),
}

#[derive(Debug, Arbitrary)]
enum Step {
    Add { digest: u8, tag: u8 },
    Remove(u8),
}

fuzz_target!(|input: (Vec<Existing>, Vec<Step>)| {
    let (existing, steps) = input;
    let current: Vec<Value> = existing
        .iter()
        .map(|e| match e {
            Existing::Entry { digest: d, tag } => {
                json!({"mediaType": "m", "digest": digest(*d).to_string(), "size": 1, "x-other": tag})
            }
            Existing::NoDigest(tag) => json!({"mediaType": "m", "x-other": tag}),
            Existing::OddDigest(text) => json!({"digest": text}),
        })
        .collect();
    let changes: Vec<Change> = steps
        .iter()
        .map(|s| match s {
            Step::Add { digest: d, tag } => add(
                json!({"mediaType": "m", "digest": digest(*d).to_string(), "size": 2, "x-ours": tag}),
                digest(*d),
            ),
            Step::Remove(d) => Change::Remove(digest(*d)),
        })
        .collect();
    let merged = apply_to_fallback(&current, &changes).unwrap_or_else(|| current.clone());

    // What this writer last did to each digest decides; everything else stays.
    let last = |d: &str| {
        changes.iter().rev().find(|c| match c {
            Change::Add(_, x) | Change::Remove(x) => x.to_string() == d,
        })
    };
    for entry in &current {
        let d = entry.get("digest").and_then(Value::as_str);
        match d.and_then(last) {
            Some(Change::Remove(_)) => {
                assert!(
                    !merged
                        .iter()
                        .any(|m| m.get("digest").and_then(Value::as_str) == d)
                );
            }
            Some(Change::Add(..)) => {}
            None => {
                let kept = match d {
                    Some(d) => merged
                        .iter()
                        .any(|m| m.get("digest").and_then(Value::as_str) == Some(d)),
                    None => merged.contains(entry),
                };
                assert!(
                    kept,
                    "dropped {entry} from {current:?} with {changes:?}: {merged:?}"
                );
            }
        }
    }
    for change in &changes {
        let d = match change {
            Change::Add(_, d) | Change::Remove(d) => d.to_string(),
        };
        let last = last(&d).expect("a change for its own digest");
        if let Change::Add(entry, _) = last {
            assert!(merged.contains(entry), "lost {entry}: {merged:?}");
        }
        assert!(fallback_shows(&merged, last));
    }
    // No digest is listed twice.
    let mut digests: Vec<&str> = merged
        .iter()
        .filter_map(|m| m.get("digest").and_then(Value::as_str))
        .collect();
    let n = digests.len();
    digests.sort_unstable();
    digests.dedup();
    assert_eq!(digests.len(), n, "duplicates in {merged:?}");
});
