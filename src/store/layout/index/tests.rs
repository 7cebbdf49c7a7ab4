//! Tests of a layout's index.json: retagging and untagging keep a manifest
//! listed once, unknown fields are kept.

use super::*;

fn entry(byte: u8) -> Descriptor {
    Descriptor::of_bytes(crate::oci::media_type::OCI_MANIFEST, &[byte])
}

#[test]
fn retagging_keeps_the_old_manifest_untagged_once() {
    let mut index = LayoutIndex::default();
    index.add_untagged(entry(1));
    index.set_tag(entry(1), "v1");
    assert_eq!(index.manifests.len(), 1);
    index.set_tag(entry(2), "v1");
    assert_eq!(index.tags(), vec!["v1".to_owned()]);
    assert_eq!(
        index.find_tag("v1").map(|e| &e.digest),
        Some(&entry(2).digest)
    );
    assert!(index.find_digest(&entry(1).digest).is_some());
    index.set_tag(entry(2), "v2");
    assert_eq!(index.tags(), vec!["v1".to_owned(), "v2".to_owned()]);
    assert_eq!(index.manifests.len(), 3);
    assert!(index.remove_digest(&entry(2).digest));
    assert!(index.tags().is_empty());
    assert_eq!(index.manifests.len(), 1);
}

#[test]
fn untagging_keeps_the_manifest_listed_once() {
    let mut index = LayoutIndex::default();
    index.set_tag(entry(1), "a");
    index.set_tag(entry(1), "b");
    index.set_tag(entry(2), "c");
    assert!(index.untag("a"));
    assert_eq!(index.tags(), ["b", "c"]);
    assert!(index.untag("c"));
    assert!(!index.untag("c"), "a tag that is not there");
    // The manifest `c` named stays, untagged; `a`'s is still tagged `b`.
    assert_eq!(index.manifests.len(), 2);
    assert!(index.find_digest(&entry(2).digest).is_some());
}

#[test]
fn keeps_unknown_fields() {
    let raw = r#"{"schemaVersion":2,"manifests":[],"annotations":{"a":"b"}}"#;
    let index: LayoutIndex = serde_json::from_str(raw).expect("parses");
    let written = serde_json::to_string(&index).expect("serialises");
    assert!(written.contains(r#""annotations":{"a":"b"}"#), "{written}");
}
