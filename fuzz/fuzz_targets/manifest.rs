//! Manifest and index parsing: the permissive model never panics, keeps the
//! exact bytes, and its digest is the digest of those bytes.
#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use regscope::oci::{Digest, Manifest};

const CONTENT_TYPES: [Option<&str>; 6] = [
    None,
    Some("application/vnd.oci.image.manifest.v1+json"),
    Some("application/vnd.oci.image.index.v1+json"),
    Some("application/vnd.docker.distribution.manifest.list.v2+json; charset=utf-8"),
    Some("application/json"),
    Some("application/vnd.oci.artifact.manifest.v1+json"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, document)) = data.split_first() else {
        return;
    };
    let content_type = CONTENT_TYPES[usize::from(selector) % CONTENT_TYPES.len()];
    let raw = Bytes::copy_from_slice(document);
    if let Ok(manifest) = Manifest::parse(raw, content_type) {
        assert_eq!(manifest.raw().as_ref(), document);
        assert_eq!(manifest.digest(), &Digest::sha256_of(document));
        assert!(manifest.digest().matches(document));
        assert_eq!(manifest.size(), document.len() as u64);
        let descriptor = manifest.descriptor();
        assert_eq!(&descriptor.digest, manifest.digest());
        let _ = (
            manifest.is_index(),
            manifest.is_ambiguous(),
            manifest.effective_artifact_type(),
            manifest.blobs().count(),
            // What the TUI shows of it: its own bytes, re-indented.
            regscope::tui::preview::json::reindent(manifest.raw()),
        );
    }
});
