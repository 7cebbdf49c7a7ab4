//! The content cache's bounds, places and stream rules.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;

use super::*;
use crate::store::{StoreError, bytes_stream};

fn digest_of(bytes: &[u8]) -> Digest {
    Digest::sha256_of(bytes)
}

fn manifest(n: usize) -> Manifest {
    let json = format!(r#"{{"schemaVersion":2,"annotations":{{"n":"{n}"}}}}"#);
    Manifest::parse(Bytes::from(json), None).expect("manifest")
}

#[test]
fn answers_only_the_place_that_served_it() {
    let cache = ContentCache::default();
    let m = manifest(1);
    cache.keep_manifest("o u a", m.digest(), &m);
    let hit = cache.manifest("o u a", m.digest()).expect("hit");
    assert_eq!(hit.raw(), m.raw());
    assert!(cache.manifest("o u b", m.digest()).is_none());
    assert!(cache.blob("o u a", m.digest()).is_none());
    let stats = cache.stats();
    assert_eq!((stats.hits, stats.misses, stats.entries), (1, 2, 1));
    cache.forget("o u a", m.digest());
    assert!(cache.manifest("o u a", m.digest()).is_none());
    assert_eq!(cache.stats().bytes, 0);
}

#[test]
fn stays_within_its_bytes_least_recently_used_first() {
    let blob = |n: u8| Bytes::from(vec![n; 1000]);
    let cache = ContentCache::with_max_bytes(3 * (1000 + ENTRY_OVERHEAD));
    for n in 0..3 {
        cache.keep_blob("p", &digest_of(&blob(n)), blob(n));
    }
    // Touching the first makes the second the least recently used.
    assert!(cache.blob("p", &digest_of(&blob(0))).is_some());
    cache.keep_blob("p", &digest_of(&blob(3)), blob(3));
    assert!(cache.blob("p", &digest_of(&blob(1))).is_none());
    for kept in [0, 2, 3] {
        assert!(cache.blob("p", &digest_of(&blob(kept))).is_some(), "{kept}");
    }
    assert!(cache.stats().bytes <= 3 * (1000 + ENTRY_OVERHEAD));
    let large = Bytes::from(vec![
        0u8;
        usize::try_from(MAX_CACHED_BLOB).expect("fits") + 1
    ]);
    cache.keep_blob("p", &digest_of(&large), large.clone());
    assert!(cache.blob("p", &digest_of(&large)).is_none());
}

fn chunks(parts: Vec<Result<Bytes, StoreError>>) -> BlobStream {
    futures_util::stream::iter(parts).boxed()
}

#[tokio::test]
async fn keeps_a_stream_only_when_it_ended_whole() {
    let cache = Arc::new(ContentCache::default());
    let bytes = Bytes::from_static(b"hello world");
    let digest = digest_of(&bytes);
    let size = bytes.len() as u64;

    // Failed midway: nothing kept, the error passed on.
    let failed = chunks(vec![
        Ok(bytes.slice(..5)),
        Err(StoreError::Protocol("digest mismatch".to_owned())),
    ]);
    let seen: Vec<_> = cache
        .keep_blob_stream("p", &digest, size, failed)
        .collect()
        .await;
    assert!(seen.last().is_some_and(Result::is_err));
    assert!(cache.blob("p", &digest).is_none());

    // Dropped after the first chunk: nothing kept.
    let mut early = cache.keep_blob_stream("p", &digest, size, bytes_stream(bytes.clone()));
    let _ = early.next().await;
    drop(early);
    assert!(cache.blob("p", &digest).is_none());

    // Shorter than the descriptor says: nothing kept.
    let short = chunks(vec![Ok(bytes.slice(..5))]);
    let _: Vec<_> = cache
        .keep_blob_stream("p", &digest, size, short)
        .collect()
        .await;
    assert!(cache.blob("p", &digest).is_none());

    // Whole: kept byte for byte.
    let whole = chunks(vec![Ok(bytes.slice(..5)), Ok(bytes.slice(5..))]);
    let _: Vec<_> = cache
        .keep_blob_stream("p", &digest, size, whole)
        .collect()
        .await;
    assert_eq!(cache.blob("p", &digest), Some(bytes));
}
