//! Unpacking an ORAS directory blob (tar+gzip) under our own per-entry
//! policy, never `tar::Archive::unpack_in`: every entry must sit under the
//! directory's title and is written without passing through a symlink,
//! links may not lead out of it (alone or chained), device nodes are
//! refused, setuid bits are dropped, and bytes and entries are capped so a
//! decompression bomb fails fast. Blocking: run it on a blocking thread.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use flate2::read::GzDecoder;
use tar::EntryType;

use super::OpError;
use super::beneath::Beneath;
use super::paths::safe_relative_path;
use crate::oci::{Digest, DigestHasher};
use links::{Tree, check_symlink_target};

mod links;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnpackLimits {
    /// Uncompressed bytes, headers included.
    pub max_bytes: u64,
    pub max_entries: u64,
    /// Uncompressed bytes per compressed byte. Real directories compress a
    /// few times; a bomb of zeros a thousand times: this makes it fail after
    /// a little writing instead of after `max_bytes`.
    pub max_ratio: u64,
    /// Below this many uncompressed bytes the ratio is not checked (tiny
    /// archives of repetitive text compress very well).
    pub ratio_floor: u64,
}

impl Default for UnpackLimits {
    fn default() -> Self {
        UnpackLimits {
            max_bytes: 8 * 1024 * 1024 * 1024,
            max_entries: 100_000,
            max_ratio: 100,
            ratio_floor: 64 * 1024 * 1024,
        }
    }
}

impl UnpackLimits {
    /// The uncompressed bytes allowed for an archive of `compressed` bytes.
    pub fn byte_limit(&self, compressed: u64) -> u64 {
        compressed
            .saturating_mul(self.max_ratio)
            .max(self.ratio_floor)
            .min(self.max_bytes)
    }
}

/// Hashes and counts the uncompressed stream, failing past the byte cap.
/// Also what a layer listing reads through (`crate::layer`).
pub(crate) struct CountingReader<R> {
    inner: R,
    hasher: Option<DigestHasher>,
    read: u64,
    limit: u64,
}

impl<R> CountingReader<R> {
    /// Counts without hashing.
    pub(crate) fn new(inner: R, limit: u64) -> CountingReader<R> {
        CountingReader {
            inner,
            hasher: None,
            read: 0,
            limit,
        }
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read = self.read.saturating_add(n as u64);
        if self.read > self.limit {
            return Err(io::Error::other(format!(
                "more than {} bytes uncompressed",
                self.limit
            )));
        }
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// Unpacks the gzip tar at `archive` into the empty directory `dest`. Entry
/// names must start with `prefix` (the title the directory was pushed as),
/// which is stripped, as ORAS does. When `expected` is given, the
/// uncompressed tar must hash to it. Returns the number of entries.
///
/// Every entry is written through [`Beneath`]: never through a symlink,
/// modes set on descriptors. Nothing outside `dest` is touched, whatever
/// the archive holds; a link that would lead out of it fails the unpack.
pub fn unpack_directory(
    archive: &Path,
    dest: &Path,
    prefix: &Path,
    expected: Option<&Digest>,
    limits: UnpackLimits,
) -> Result<u64, OpError> {
    let file = fs::File::open(archive).map_err(|e| OpError::io("open the downloaded tar", e))?;
    let compressed = file
        .metadata()
        .map_err(|e| OpError::io("open the downloaded tar", e))?
        .len();
    let reader = CountingReader {
        inner: GzDecoder::new(io::BufReader::new(file)),
        hasher: expected.map(|d| DigestHasher::new(d.algorithm())),
        read: 0,
        limit: limits.byte_limit(compressed),
    };
    let out = Beneath::open(dest)?;
    let mut tree = Tree::default();
    let mut tar = tar::Archive::new(reader);
    let mut count = 0u64;
    let entries = tar.entries().map_err(|e| OpError::io("read the tar", e))?;
    for entry in entries {
        let entry = entry.map_err(|e| OpError::io("read the tar", e))?;
        count += 1;
        if count > limits.max_entries {
            return Err(OpError::Invalid(format!(
                "the directory has more than {} entries",
                limits.max_entries
            )));
        }
        write_entry(&out, &mut tree, entry, prefix)?;
    }
    tree.judge()?;
    let mut rest = tar.into_inner();
    io::copy(&mut rest, &mut io::sink()).map_err(|e| OpError::io("read the tar", e))?;
    if let (Some(expected), Some(hasher)) = (expected, rest.hasher.take()) {
        let actual = hasher.finish();
        if &actual != expected {
            return Err(OpError::ContentDigest {
                what: prefix.display().to_string(),
                expected: expected.to_string(),
                actual,
            });
        }
    }
    Ok(count)
}

/// Writes one entry below `out` and records it in `tree`.
fn write_entry<R: Read>(
    out: &Beneath,
    tree: &mut Tree,
    mut entry: tar::Entry<'_, R>,
    prefix: &Path,
) -> Result<(), OpError> {
    let raw_name = String::from_utf8(entry.path_bytes().into_owned())
        .map_err(|_| OpError::unsafe_path("<non-UTF-8 name>", "tar entry names must be UTF-8"))?;
    let kind = entry.header().entry_type();
    let mode = entry.header().mode().unwrap_or(0o644);
    let Some(relative) = strip_title(&raw_name, prefix)? else {
        // The directory itself: its mode is the unpacked root's.
        return match kind {
            EntryType::Directory => out.set_root_mode(mode),
            _ => Ok(()),
        };
    };
    match kind {
        EntryType::Regular | EntryType::Continuous => {
            let mtime = entry.header().mtime().ok();
            let mut file = out.create_file(&relative, mode, &raw_name)?;
            io::copy(&mut entry, &mut file)
                .map_err(|e| OpError::io(format!("write {raw_name}"), e))?;
            set_modified(&file, mtime, &raw_name)?;
            tree.file(&relative);
        }
        EntryType::Directory => {
            out.make_dir(&relative, mode, &raw_name)?;
            tree.dir(&relative);
        }
        EntryType::Symlink => {
            let link = link_name(&entry, &raw_name)?;
            check_symlink_target(&raw_name, &relative, &link)?;
            out.symlink(&relative, &link, &raw_name)?;
            tree.symlink(&raw_name, &relative, &link);
        }
        EntryType::Link => {
            let link = link_name(&entry, &raw_name)?;
            let Some(source) = strip_title(&link, prefix)? else {
                return Err(OpError::unsafe_path(
                    &raw_name,
                    "hard link to the directory",
                ));
            };
            out.hard_link(&relative, &source, &raw_name)?;
            tree.file(&relative);
        }
        EntryType::Char | EntryType::Block | EntryType::Fifo => {
            return Err(OpError::unsafe_path(
                &raw_name,
                "device nodes and FIFOs are refused",
            ));
        }
        // Metadata entries (pax, GNU long names) are read by `tar` itself;
        // anything else carries no file.
        _ => {}
    }
    Ok(())
}

/// A file's modification time from its header, set through its
/// descriptor, as `oras pull` keeps it. A time the system cannot hold is
/// left as the time of writing.
fn set_modified(file: &fs::File, mtime: Option<u64>, raw_name: &str) -> Result<(), OpError> {
    let Some(time) =
        mtime.and_then(|secs| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
    else {
        return Ok(());
    };
    match file.set_modified(time) {
        Err(error) if error.kind() == io::ErrorKind::InvalidInput => Ok(()),
        other => other.map_err(|e| OpError::io(format!("set the time of {raw_name}"), e)),
    }
}

/// The entry's path below the title, or `None` for the title itself.
fn strip_title(name: &str, prefix: &Path) -> Result<Option<PathBuf>, OpError> {
    let path = safe_relative_path(name)?;
    let Ok(rest) = path.strip_prefix(prefix) else {
        return Err(OpError::unsafe_path(
            name,
            format!("entry is outside the directory {}", prefix.display()),
        ));
    };
    Ok((!rest.as_os_str().is_empty()).then(|| rest.to_path_buf()))
}

fn link_name<R: Read>(entry: &tar::Entry<'_, R>, raw_name: &str) -> Result<String, OpError> {
    let link = entry
        .link_name_bytes()
        .ok_or_else(|| OpError::unsafe_path(raw_name, "link without a target"))?;
    String::from_utf8(link.into_owned())
        .map_err(|_| OpError::unsafe_path(raw_name, "link targets must be UTF-8"))
}

#[cfg(test)]
mod tests;
