//! Unpacking an ORAS directory blob (tar+gzip) under our own per-entry
//! policy, never `tar::Archive::unpack_in`: every entry must sit under the
//! directory's title, links may not leave it, device nodes are refused,
//! setuid bits are dropped, and bytes and entries are capped so a
//! decompression bomb fails fast. Blocking: run it on a blocking thread.

use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use flate2::read::GzDecoder;
use tar::EntryType;

use super::OpError;
use super::paths::{refuse_symlinked_components, safe_relative_path};
use crate::oci::{Digest, DigestHasher};

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
    let mut tar = tar::Archive::new(reader);
    let mut count = 0u64;
    let mut symlinks = Vec::new();
    let entries = tar.entries().map_err(|e| OpError::io("read the tar", e))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| OpError::io("read the tar", e))?;
        count += 1;
        if count > limits.max_entries {
            return Err(OpError::Invalid(format!(
                "the directory has more than {} entries",
                limits.max_entries
            )));
        }
        let raw_name = String::from_utf8(entry.path_bytes().into_owned()).map_err(|_| {
            OpError::unsafe_path("<non-UTF-8 name>", "tar entry names must be UTF-8")
        })?;
        let Some(relative) = strip_title(&raw_name, prefix)? else {
            continue; // the directory entry itself
        };
        if let Some(parent) = relative.parent() {
            refuse_symlinked_components(dest, parent)?;
        }
        let target = dest.join(&relative);
        let kind = entry.header().entry_type();
        let mode = entry.header().mode().unwrap_or(0o644) & 0o777;
        match kind {
            EntryType::Regular | EntryType::Continuous => {
                ensure_parent(&target)?;
                remove_existing(&target)?;
                let mut out = fs::File::create(&target)
                    .map_err(|e| OpError::io(format!("create {raw_name}"), e))?;
                io::copy(&mut entry, &mut out)
                    .map_err(|e| OpError::io(format!("write {raw_name}"), e))?;
                set_mode(&target, mode)?;
            }
            EntryType::Directory => {
                fs::create_dir_all(&target)
                    .map_err(|e| OpError::io(format!("create {raw_name}"), e))?;
                set_mode(&target, mode | 0o700)?;
            }
            EntryType::Symlink => {
                let link = link_name(&entry, &raw_name)?;
                check_symlink_target(&raw_name, &relative, &link)?;
                ensure_parent(&target)?;
                remove_existing(&target)?;
                symlink(&link, &target)
                    .map_err(|e| OpError::io(format!("create link {raw_name}"), e))?;
                symlinks.push((raw_name, target));
            }
            EntryType::Link => {
                let link = link_name(&entry, &raw_name)?;
                let Some(source) = strip_title(&link, prefix)? else {
                    return Err(OpError::unsafe_path(
                        &raw_name,
                        "hard link to the directory",
                    ));
                };
                refuse_symlinked_components(dest, &source)?;
                let source = dest.join(source);
                let meta = fs::symlink_metadata(&source).map_err(|_| {
                    OpError::unsafe_path(&raw_name, "hard link to something not unpacked before it")
                })?;
                if !meta.is_file() {
                    return Err(OpError::unsafe_path(&raw_name, "hard link to a non-file"));
                }
                ensure_parent(&target)?;
                remove_existing(&target)?;
                fs::hard_link(&source, &target)
                    .map_err(|e| OpError::io(format!("create hard link {raw_name}"), e))?;
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
    }
    refuse_escaping_symlinks(dest, &symlinks)?;
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

/// Each link target was checked lexically, but a chain of links (`s -> ..`
/// one level down, then `t -> dir/s/..`) can leave the directory although
/// every link alone stays inside; so, once everything is unpacked, every
/// link that resolves must resolve inside.
fn refuse_escaping_symlinks(dest: &Path, symlinks: &[(String, PathBuf)]) -> Result<(), OpError> {
    let root =
        fs::canonicalize(dest).map_err(|e| OpError::io("resolve the unpack directory", e))?;
    for (name, link) in symlinks {
        if let Ok(resolved) = fs::canonicalize(link)
            && !resolved.starts_with(&root)
        {
            return Err(OpError::unsafe_path(
                name,
                "a chain of symlinks leaves the directory",
            ));
        }
    }
    Ok(())
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

/// A symlink's target, resolved lexically from the link's directory, must
/// stay inside the unpacked directory.
fn check_symlink_target(raw_name: &str, relative: &Path, link: &str) -> Result<(), OpError> {
    if link.is_empty() || link.starts_with('/') || link.contains(['\\', '\0']) {
        return Err(OpError::unsafe_path(
            raw_name,
            format!("symlink to {link:?} leaves the directory"),
        ));
    }
    let mut depth: Vec<&std::ffi::OsStr> = Vec::new();
    let parent = relative.parent().unwrap_or(Path::new(""));
    for component in parent.components().chain(Path::new(link).components()) {
        match component {
            Component::Normal(part) => depth.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if depth.pop().is_none() {
                    return Err(OpError::unsafe_path(
                        raw_name,
                        format!("symlink to {link:?} leaves the directory"),
                    ));
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(OpError::unsafe_path(raw_name, "absolute symlink"));
            }
        }
    }
    Ok(())
}

fn ensure_parent(target: &Path) -> Result<(), OpError> {
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| OpError::io(format!("create {}", parent.display()), e))?;
    }
    Ok(())
}

/// Replaces whatever an earlier entry put at the same name (never follows a
/// symlink: it is removed, not written through).
fn remove_existing(target: &Path) -> Result<(), OpError> {
    match fs::symlink_metadata(target) {
        Ok(meta) if meta.is_dir() => Err(OpError::unsafe_path(
            target.display().to_string(),
            "a file entry would replace a directory",
        )),
        Ok(_) => fs::remove_file(target).map_err(|e| OpError::io("replace an entry", e)),
        Err(_) => Ok(()),
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<(), OpError> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .map_err(|e| OpError::io(format!("set the mode of {}", path.display()), e))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> Result<(), OpError> {
    Ok(())
}

#[cfg(unix)]
fn symlink(link: &str, target: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(link, target)
}

#[cfg(not(unix))]
fn symlink(_link: &str, _target: &Path) -> io::Result<()> {
    Err(io::Error::other("symbolic links are not supported here"))
}

#[cfg(test)]
#[path = "untar_tests.rs"]
mod tests;
