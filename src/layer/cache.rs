//! Listings of layers kept on disk, keyed by the layer's digest: a digest
//! names immutable content, so an entry never goes stale. Only listings
//! made from a whole, verified layer are kept. The directory is capped in
//! size; past the cap the least recently used listings go first.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::entry::FileEntry;
use crate::oci::Digest;

/// Bytes the cache may take on disk.
pub const DEFAULT_CACHE_BYTES: u64 = 256 * 1024 * 1024;
/// One listing file larger than this is not read back (a corrupted or
/// planted file must not fill memory).
const MAX_LISTING_FILE: u64 = 128 * 1024 * 1024;
/// The layout of the files inside; a new layout gets a new directory.
const CACHE_SUBDIR: &str = "layer-listings-v1";

#[derive(Debug, Clone)]
pub struct ListingCache {
    dir: PathBuf,
    max_bytes: u64,
}

impl ListingCache {
    pub fn new(dir: PathBuf, max_bytes: u64) -> ListingCache {
        ListingCache { dir, max_bytes }
    }

    /// Under the platform's cache directory (`$XDG_CACHE_HOME/regscope` on
    /// Linux), or `None` where there is none.
    pub fn in_user_cache() -> Option<ListingCache> {
        let dirs = directories::ProjectDirs::from("", "", "regscope")?;
        Some(ListingCache::new(
            dirs.cache_dir().join(CACHE_SUBDIR),
            DEFAULT_CACHE_BYTES,
        ))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path_of(&self, digest: &Digest) -> PathBuf {
        self.dir.join(format!(
            "{}-{}.json",
            digest.algorithm().name(),
            digest.hex()
        ))
    }

    /// The cached listing of `digest`, if any. An unreadable entry is
    /// removed and reads as missing.
    pub fn get(&self, digest: &Digest) -> Option<Vec<FileEntry>> {
        let path = self.path_of(digest);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > MAX_LISTING_FILE {
            return None;
        }
        let bytes = std::fs::read(&path).ok()?;
        match serde_json::from_slice(&bytes) {
            Ok(entries) => {
                // Marks it recently used, for eviction.
                if let Ok(file) = std::fs::File::options().append(true).open(&path) {
                    let _ = file.set_modified(SystemTime::now());
                }
                Some(entries)
            }
            Err(_) => {
                let _ = std::fs::remove_file(&path);
                None
            }
        }
    }

    /// Stores a listing (temp name, then rename), then trims the cache to
    /// its cap. Failing to cache is not an error anyone needs to see.
    pub fn put(&self, digest: &Digest, entries: &[FileEntry]) {
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let Ok(json) = serde_json::to_vec(entries) else {
            return;
        };
        if json.len() as u64 > MAX_LISTING_FILE {
            return;
        }
        let Ok(temp) = tempfile::NamedTempFile::new_in(&self.dir) else {
            return;
        };
        if std::fs::write(temp.path(), &json).is_err() {
            return;
        }
        if temp.persist(self.path_of(digest)).is_ok() {
            self.trim();
        }
    }

    /// Removes the least recently used listings until the rest fit.
    fn trim(&self) {
        let Ok(read) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let mut files: Vec<(SystemTime, u64, PathBuf)> = read
            .flatten()
            .filter_map(|entry| {
                let meta = entry.metadata().ok()?;
                let is_listing = entry.file_name().to_string_lossy().ends_with(".json");
                (meta.is_file() && is_listing).then(|| {
                    (
                        meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                        meta.len(),
                        entry.path(),
                    )
                })
            })
            .collect();
        let mut total: u64 = files.iter().map(|(_, len, _)| len).sum();
        files.sort();
        for (_, len, path) in files {
            if total <= self.max_bytes {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total -= len;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::entry::EntryKind;

    fn listing(n: usize) -> Vec<FileEntry> {
        (0..n)
            .map(|i| FileEntry {
                path: format!("file-{i}"),
                kind: EntryKind::File,
                size: i as u64,
                mode: 0o644,
                uid: 0,
                gid: 0,
                user: String::new(),
                group: String::new(),
                mtime: 0,
                link: None,
            })
            .collect()
    }

    #[test]
    fn keeps_listings_by_digest_and_stays_under_its_cap() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = Digest::sha256_of(b"first");
        let second = Digest::sha256_of(b"second");
        let one = serde_json::to_vec(&listing(50)).expect("json").len() as u64;
        let cache = ListingCache::new(dir.path().to_path_buf(), one + one / 2);
        cache.put(&first, &listing(50));
        assert_eq!(cache.get(&first), Some(listing(50)));
        // Make the first clearly the older one.
        let old = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1);
        std::fs::File::options()
            .append(true)
            .open(cache.path_of(&first))
            .and_then(|f| f.set_modified(old))
            .expect("set mtime");
        cache.put(&second, &listing(50));
        assert_eq!(cache.get(&first), None, "the older listing was evicted");
        assert_eq!(cache.get(&second), Some(listing(50)));
    }

    #[test]
    fn a_corrupted_entry_reads_as_missing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = ListingCache::new(dir.path().to_path_buf(), DEFAULT_CACHE_BYTES);
        let digest = Digest::sha256_of(b"x");
        std::fs::write(cache.path_of(&digest), b"{not json").expect("write");
        assert_eq!(cache.get(&digest), None);
        assert!(!cache.path_of(&digest).exists());
    }
}
