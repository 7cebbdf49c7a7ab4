//! Entry points for the fuzz targets in `fuzz/` (link paging, fallback
//! index edits); not an API.

use reqwest::header::{HeaderMap, HeaderValue, LINK};
use serde_json::Value;

pub use super::fallback::entries::Change;
use crate::oci::Digest;

/// The next-page target of these `Link` header values.
pub fn next_link(values: &[&[u8]]) -> Option<String> {
    let mut headers = HeaderMap::new();
    for value in values {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            headers.append(LINK, value);
        }
    }
    super::listing::next_link(&headers)
}

/// A fallback index's entries after `changes`, or `None` when unchanged.
pub fn apply_to_fallback(current: &[Value], changes: &[Change]) -> Option<Vec<Value>> {
    super::fallback::entries::apply(current, changes)
}

/// Whether `entries` already show `change`.
pub fn fallback_shows(entries: &[Value], change: &Change) -> bool {
    super::fallback::entries::is_visible(entries, change)
}

/// An `Add` of a descriptor-shaped entry for `digest`.
pub fn add(entry: Value, digest: Digest) -> Change {
    Change::Add(entry, digest)
}
