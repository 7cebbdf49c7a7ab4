//! The session's content cache: manifests and small blobs (configs,
//! signatures, envelopes, SBOM-sized documents) by digest, shared by every
//! store, screen and command of one process.
//!
//! A digest names its bytes forever, so nothing here is ever invalidated
//! for being stale: only a memory bound (bytes, least recently used first)
//! and a store's own delete take entries out. Only bytes that were fetched
//! whole and verified against their digest go in; what a store serves from
//! here is exactly what it verified before.
//!
//! Entries are kept per place (the registry's origin and who asked, and
//! the repository): a digest that one repository holds says nothing about
//! whether another one holds it, and a cache hit must answer as the
//! registry would.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;

use bytes::Bytes;
use futures_util::StreamExt;
use lru::LruCache;

use crate::oci::{Digest, Manifest};
use crate::store::BlobStream;

/// What the cache holds at most, manifests and blobs together.
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;
/// Blobs larger than this are never kept (layers stream to disk instead).
pub const MAX_CACHED_BLOB: u64 = 4 * 1024 * 1024;
/// What an entry costs beyond its bytes (the key, the parsed manifest's
/// fields), so that many tiny entries are bounded too.
const ENTRY_OVERHEAD: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Kind {
    Manifest,
    Blob,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    /// `<origin> <user> <repository>`: where the content was served.
    place: String,
    digest: Digest,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Entry {
    /// Shared: a hit hands out a clone, not the parsed fields again.
    Manifest(Arc<Manifest>),
    Blob(Bytes),
}

impl Entry {
    fn weight(&self) -> usize {
        ENTRY_OVERHEAD
            + match self {
                // The parsed fields cost about as much as the raw bytes.
                Entry::Manifest(manifest) => 2 * manifest.raw().len(),
                Entry::Blob(bytes) => bytes.len(),
            }
    }
}

#[derive(Debug)]
struct Inner {
    entries: LruCache<Key, Entry>,
    bytes: usize,
    max_bytes: usize,
}

/// Counts of what the cache answered, for tests and the log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub entries: usize,
    pub bytes: usize,
}

/// Verified content by digest; cloning an `Arc` of it shares it.
#[derive(Debug)]
pub struct ContentCache {
    inner: Mutex<Inner>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl Default for ContentCache {
    fn default() -> Self {
        ContentCache::with_max_bytes(DEFAULT_MAX_BYTES)
    }
}

impl ContentCache {
    /// A cache that holds at most `max_bytes` (its least recently used
    /// entries go first).
    pub fn with_max_bytes(max_bytes: usize) -> ContentCache {
        ContentCache {
            inner: Mutex::new(Inner {
                entries: LruCache::unbounded(),
                bytes: 0,
                max_bytes,
            }),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// A manifest that `place` served under `digest`, verified then.
    pub fn manifest(&self, place: &str, digest: &Digest) -> Option<Manifest> {
        match self.get(place, digest, Kind::Manifest)? {
            Entry::Manifest(manifest) => Some(Manifest::clone(&manifest)),
            Entry::Blob(_) => None,
        }
    }

    /// Keeps a manifest whose bytes were verified to hash to `digest`.
    pub fn keep_manifest(&self, place: &str, digest: &Digest, manifest: &Manifest) {
        self.put(
            place,
            digest,
            Kind::Manifest,
            Entry::Manifest(Arc::new(manifest.clone())),
        );
    }

    /// A blob that `place` served under `digest`, verified then.
    pub fn blob(&self, place: &str, digest: &Digest) -> Option<Bytes> {
        match self.get(place, digest, Kind::Blob)? {
            Entry::Blob(bytes) => Some(bytes),
            Entry::Manifest(_) => None,
        }
    }

    /// Keeps a whole blob verified against `digest` (small ones only).
    pub fn keep_blob(&self, place: &str, digest: &Digest, bytes: Bytes) {
        if bytes.len() as u64 <= MAX_CACHED_BLOB {
            self.put(place, digest, Kind::Blob, Entry::Blob(bytes));
        }
    }

    /// After a delete: `place` no longer serves `digest`.
    pub fn forget(&self, place: &str, digest: &Digest) {
        let mut inner = self.lock();
        for kind in [Kind::Manifest, Kind::Blob] {
            let key = Key {
                place: place.to_owned(),
                digest: digest.clone(),
                kind,
            };
            if let Some(entry) = inner.entries.pop(&key) {
                inner.bytes -= entry.weight();
            }
        }
    }

    pub fn stats(&self) -> CacheStats {
        let inner = self.lock();
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: inner.entries.len(),
            bytes: inner.bytes,
        }
    }

    /// `stream`, passed on as it is; when it ends cleanly (every byte
    /// verified) after exactly `size` bytes, the bytes are kept. A stream
    /// that fails, or is dropped early, leaves nothing behind.
    pub fn keep_blob_stream(
        self: &Arc<Self>,
        place: &str,
        digest: &Digest,
        size: u64,
        stream: BlobStream,
    ) -> BlobStream {
        if size > MAX_CACHED_BLOB {
            return stream;
        }
        let cache = Arc::clone(self);
        let (place, digest) = (place.to_owned(), digest.clone());
        // `None` once anything went wrong: such a stream is never kept.
        let mut kept = Some(Vec::with_capacity(usize::try_from(size).unwrap_or(0)));
        let mut inner = stream;
        futures_util::stream::poll_fn(move |cx| {
            let next = inner.poll_next_unpin(cx);
            match &next {
                Poll::Ready(Some(Ok(chunk))) => {
                    if let Some(kept) = kept.as_mut() {
                        kept.extend_from_slice(chunk);
                    }
                }
                Poll::Ready(Some(Err(_))) => kept = None,
                Poll::Ready(None) => {
                    if let Some(whole) = kept.take().filter(|k| k.len() as u64 == size) {
                        cache.keep_blob(&place, &digest, Bytes::from(whole));
                    }
                }
                Poll::Pending => {}
            }
            next
        })
        .boxed()
    }

    fn get(&self, place: &str, digest: &Digest, kind: Kind) -> Option<Entry> {
        let key = Key {
            place: place.to_owned(),
            digest: digest.clone(),
            kind,
        };
        let found = self.lock().entries.get(&key).cloned();
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    fn put(&self, place: &str, digest: &Digest, kind: Kind, entry: Entry) {
        let weight = entry.weight();
        let mut inner = self.lock();
        if weight > inner.max_bytes {
            return;
        }
        let key = Key {
            place: place.to_owned(),
            digest: digest.clone(),
            kind,
        };
        if let Some(old) = inner.entries.put(key, entry) {
            inner.bytes -= old.weight();
        }
        inner.bytes += weight;
        while inner.bytes > inner.max_bytes {
            match inner.entries.pop_lru() {
                Some((_, evicted)) => inner.bytes -= evicted.weight(),
                None => break,
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
#[path = "cache_tests.rs"]
mod tests;
