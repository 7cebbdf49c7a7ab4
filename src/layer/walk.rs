//! Walking a layer's tar once, as a stream: the compression is sniffed from
//! the first bytes (gzip, possibly many members as eStargz writes it; zstd,
//! possibly many frames as zstd:chunked writes it; or a plain tar), every entry is described as a `FileEntry`, and a visitor may
//! read the entry's bytes. Blocking: run it on a blocking thread.
//!
//! The tar crate runs in raw mode, so GNU long names and pax headers are
//! read here under our own caps: in its own mode it reads a long name or a
//! pax header of any size into memory, and a hostile layer could declare a
//! name of gigabytes.

use std::io::{self, BufRead, BufReader, Read};

use flate2::bufread::MultiGzDecoder;
use tar::EntryType;

use super::entry::{EntryKind, FileEntry, deletion_of, normalize_path};
use super::tar_check::{TAR_BLOCK, looks_like_tar, not_a_tar};
use crate::ops::OpError;
use crate::ops::untar::{CountingReader, UnpackLimits};

/// A GNU long name or link target longer than this is refused (no file
/// system takes one anyway).
const MAX_LONG_NAME: u64 = 64 * 1024;
/// A pax header larger than this is refused.
const MAX_PAX_HEADER: u64 = 1024 * 1024;

/// Entries of one layer a listing holds at most: each is about a hundred
/// bytes in memory, so this bounds a listing near 50 MiB. Pull's cap of
/// 100 000 is for what it writes to disk; real layers (a node_modules, a
/// distribution's /usr) go past it.
pub const MAX_LISTED_ENTRIES: u64 = 500_000;

/// What the first bytes of a layer say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zstd,
    None,
}

pub fn sniff(head: &[u8]) -> Compression {
    if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    }
}

/// The metadata a long name or pax header gives the entry after it.
#[derive(Default)]
struct Pending {
    path: Option<Vec<u8>>,
    link: Option<Vec<u8>>,
    size: Option<u64>,
    uid: Option<u64>,
    gid: Option<u64>,
    user: Option<String>,
    group: Option<String>,
    mtime: Option<i64>,
}

/// Walks the layer whose compressed bytes `raw` yields, calling `visit` with
/// each entry and a reader of its content (empty for anything but a file).
/// `compressed_size` sets the ratio cap. Returns the number of entries.
/// Reads `raw` to its end, so a digest-checking source sees every byte.
pub fn walk_layer<R: Read>(
    raw: R,
    compressed_size: u64,
    limits: UnpackLimits,
    mut visit: impl FnMut(&FileEntry, &mut dyn Read) -> Result<(), OpError>,
) -> Result<u64, OpError> {
    let mut buffered = BufReader::with_capacity(64 * 1024, raw);
    let head = buffered
        .fill_buf()
        .map_err(|e| OpError::io("read the layer", e))?;
    let compression = sniff(head);
    let decompressed: Box<dyn Read> = match compression {
        Compression::Gzip => Box::new(MultiGzDecoder::new(buffered)),
        Compression::Zstd => Box::new(super::zstd::ZstdFrames::new(buffered)),
        Compression::None => Box::new(buffered),
    };
    let mut counting = CountingReader::new(decompressed, limits.byte_limit(compressed_size));
    // A layer that is not a tar (an artifact's JSON pushed as a layer) is
    // said to be one in words: the tar reader's own errors quote the bytes.
    let mut head = Vec::with_capacity(TAR_BLOCK);
    (&mut counting)
        .take(TAR_BLOCK as u64)
        .read_to_end(&mut head)
        .map_err(|e| tar_error(&e))?;
    if !looks_like_tar(&head) {
        return Err(OpError::Invalid(not_a_tar(&head, compression)));
    }
    let mut archive = tar::Archive::new(io::Cursor::new(head).chain(counting));
    let entries = archive.entries().map_err(|e| tar_error(&e))?.raw(true);
    let mut pending = Pending::default();
    let mut count = 0u64;
    let max_entries = limits.max_entries.max(MAX_LISTED_ENTRIES);
    for entry in entries {
        let mut entry = entry.map_err(|e| tar_error(&e))?;
        count += 1;
        if count > max_entries {
            return Err(OpError::Invalid(format!(
                "the layer has more than {max_entries} tar entries"
            )));
        }
        let kind = entry.header().entry_type();
        match kind {
            EntryType::GNULongName => {
                pending.path = Some(read_capped(&mut entry, MAX_LONG_NAME, "a GNU long name")?);
                continue;
            }
            EntryType::GNULongLink => {
                pending.link = Some(read_capped(&mut entry, MAX_LONG_NAME, "a GNU long link")?);
                continue;
            }
            EntryType::XHeader => {
                let bytes = read_capped(&mut entry, MAX_PAX_HEADER, "a pax header")?;
                read_pax(&bytes, &mut pending)?;
                continue;
            }
            EntryType::XGlobalHeader => {
                read_capped(&mut entry, MAX_PAX_HEADER, "a global pax header")?;
                continue;
            }
            _ => {}
        }
        let described = describe(&entry, kind, std::mem::take(&mut pending))?;
        if let Some(described) = described {
            visit(&described, &mut entry)?;
        }
    }
    // The tar ends at its zero blocks; what follows (padding, the end of the
    // gzip stream) must still be read so the digest is checked over it all.
    let mut rest = archive.into_inner();
    io::copy(&mut rest, &mut io::sink()).map_err(|e| tar_error(&e))?;
    Ok(count)
}

fn tar_error(error: &io::Error) -> OpError {
    // The tar reader quotes header fields it could not read: raw bytes.
    let said = error.to_string();
    let said: String = crate::text::escape_control(&said)
        .chars()
        .take(200)
        .collect();
    OpError::Invalid(format!("the layer is not a readable tar: {said}"))
}

fn read_capped<R: Read>(
    entry: &mut tar::Entry<'_, R>,
    cap: u64,
    what: &str,
) -> Result<Vec<u8>, OpError> {
    let size = entry.size();
    if size > cap {
        return Err(OpError::Invalid(format!(
            "the layer has {what} of {size} bytes, more than the {cap} allowed"
        )));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    entry.read_to_end(&mut bytes).map_err(|e| tar_error(&e))?;
    // GNU long names end with a NUL.
    while bytes.last() == Some(&0) {
        bytes.pop();
    }
    Ok(bytes)
}

fn read_pax(bytes: &[u8], pending: &mut Pending) -> Result<(), OpError> {
    for extension in tar::PaxExtensions::new(bytes) {
        let extension = extension.map_err(|e| tar_error(&e))?;
        let Ok(key) = extension.key() else { continue };
        let value = extension.value_bytes();
        let text = || String::from_utf8_lossy(value).into_owned();
        let number = || text().split('.').next().and_then(|n| n.parse::<i64>().ok());
        match key {
            "path" => pending.path = Some(value.to_vec()),
            "linkpath" => pending.link = Some(value.to_vec()),
            "size" => pending.size = number().and_then(|n| u64::try_from(n).ok()),
            "uid" => pending.uid = number().and_then(|n| u64::try_from(n).ok()),
            "gid" => pending.gid = number().and_then(|n| u64::try_from(n).ok()),
            "uname" => pending.user = Some(text()),
            "gname" => pending.group = Some(text()),
            "mtime" => pending.mtime = number(),
            _ => {}
        }
    }
    Ok(())
}

/// The entry as a `FileEntry`, or `None` for kinds that carry no file.
fn describe<R: Read>(
    entry: &tar::Entry<'_, R>,
    kind: EntryType,
    pending: Pending,
) -> Result<Option<FileEntry>, OpError> {
    let header = entry.header();
    let header_size = header.entry_size().map_err(|e| tar_error(&e))?;
    if pending.size.is_some_and(|size| size != header_size) {
        // The tar crate in raw mode skips by the header's size; a pax size
        // that differs would be read differently by other tools.
        return Err(OpError::Invalid(
            "the layer has a pax size that disagrees with its tar header".to_owned(),
        ));
    }
    let raw_path = pending
        .path
        .unwrap_or_else(|| header.path_bytes().into_owned());
    let name = checked_name(&raw_path)?;
    let mut kind = match kind {
        EntryType::Regular | EntryType::Continuous | EntryType::GNUSparse => EntryKind::File,
        EntryType::Directory => EntryKind::Dir,
        EntryType::Symlink => EntryKind::Symlink,
        EntryType::Link => EntryKind::Hardlink,
        EntryType::Char => EntryKind::Char,
        EntryType::Block => EntryKind::Block,
        EntryType::Fifo => EntryKind::Fifo,
        _ => return Ok(None),
    };
    let mut path = normalize_path(&name);
    if path.is_empty() {
        return Ok(None); // the root directory itself
    }
    if let Some((deletion, deleted)) = deletion_of(&path) {
        kind = deletion;
        path = deleted;
    }
    let link = match pending
        .link
        .or_else(|| header.link_name_bytes().map(std::borrow::Cow::into_owned))
    {
        // A symlink may point anywhere (`../lib/x`, `/usr/bin/x`): it is
        // only shown, and resolved inside the image when read. A hard link
        // names another entry of the archive.
        Some(bytes) if kind == EntryKind::Symlink => Some(usable_name(&bytes)?),
        Some(bytes) if kind == EntryKind::Hardlink => Some(normalize_path(&checked_name(&bytes)?)),
        _ => None,
    };
    let text = |bytes: Option<&[u8]>| {
        bytes
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    };
    Ok(Some(FileEntry {
        path,
        kind,
        size: if kind == EntryKind::File {
            header_size
        } else {
            0
        },
        mode: header.mode().unwrap_or(0) & 0o7777,
        uid: pending.uid.unwrap_or_else(|| header.uid().unwrap_or(0)),
        gid: pending.gid.unwrap_or_else(|| header.gid().unwrap_or(0)),
        user: pending
            .user
            .unwrap_or_else(|| text(header.username_bytes())),
        group: pending
            .group
            .unwrap_or_else(|| text(header.groupname_bytes())),
        mtime: pending.mtime.unwrap_or_else(|| {
            header
                .mtime()
                .ok()
                .and_then(|t| i64::try_from(t).ok())
                .unwrap_or(0)
        }),
        link,
    }))
}

/// A name as text, refused when it climbs out of the root (`..`), carries a
/// NUL, or is longer than any file system takes. Other odd bytes are kept
/// (lossily as UTF-8) and escaped when shown.
fn checked_name(bytes: &[u8]) -> Result<String, OpError> {
    let name = usable_name(bytes)?;
    if name.split('/').any(|part| part == "..") {
        return Err(OpError::unsafe_path(
            crate::text::escape_control(&name).into_owned(),
            "`..` would leave the image's root",
        ));
    }
    Ok(name)
}

fn usable_name(bytes: &[u8]) -> Result<String, OpError> {
    let name = String::from_utf8_lossy(bytes).into_owned();
    if bytes.len() as u64 > MAX_LONG_NAME || bytes.contains(&0) {
        return Err(OpError::unsafe_path(
            crate::text::escape_control(&name).into_owned(),
            "not a usable file name",
        ));
    }
    Ok(name)
}
