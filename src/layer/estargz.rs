//! eStargz: a gzip layer whose files each start a new gzip member, with a
//! table of contents (TOC) at the end and a 51-byte footer saying where the
//! TOC starts. A reader that knows the TOC's digest (the layer annotation
//! `containerd.io/snapshot/stargz/toc.digest`) lists the layer from the TOC
//! alone and fetches one file's chunks by Range, each checked against the
//! TOC's chunk digests. Parsing here is pure; the fetching is in `toc_read`.

use std::io::Read;

use flate2::read::GzDecoder;
use serde::Deserialize;

use super::entry::{FileEntry, TocFields, last_regular_file, toc_digest};
use crate::oci::Digest;
use crate::ops::OpError;

pub const TOC_DIGEST_ANNOTATION: &str = "containerd.io/snapshot/stargz/toc.digest";
pub const FOOTER_SIZE: u64 = 51;
/// The compressed TOC may be at most this large.
pub const MAX_TOC_COMPRESSED: u64 = 64 * 1024 * 1024;
/// The TOC's JSON may be at most this large.
const MAX_TOC_JSON: u64 = 128 * 1024 * 1024;
/// One chunk's compressed bytes may be at most this large (the writers'
/// default chunk is 4 MiB).
pub const MAX_CHUNK_COMPRESSED: u64 = 64 * 1024 * 1024;
const TOC_NAME: &str = "stargz.index.json";

/// Where the footer says the TOC starts.
pub fn toc_offset(footer: &[u8]) -> Result<u64, OpError> {
    let bad = |why: &str| OpError::Invalid(format!("not an eStargz footer: {why}"));
    if footer.len() as u64 != FOOTER_SIZE {
        return Err(bad("wrong length"));
    }
    if footer[..3] != [0x1f, 0x8b, 8] || footer[3] & 0x04 == 0 {
        return Err(bad("no gzip header with an extra field"));
    }
    let xlen = u16::from_le_bytes([footer[10], footer[11]]);
    let sublen = u16::from_le_bytes([footer[14], footer[15]]);
    if xlen != 26 || &footer[12..14] != b"SG" || sublen != 22 || &footer[32..38] != b"STARGZ" {
        return Err(bad("no STARGZ subfield"));
    }
    let hex = std::str::from_utf8(&footer[16..32]).map_err(|_| bad("offset is not hex"))?;
    u64::from_str_radix(hex, 16).map_err(|_| bad("offset is not hex"))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TocEntry {
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub size: u64,
    #[serde(default)]
    pub modtime: String,
    #[serde(default)]
    pub link_name: String,
    #[serde(default)]
    pub mode: u32,
    #[serde(default)]
    pub uid: u64,
    #[serde(default)]
    pub gid: u64,
    #[serde(default)]
    pub user_name: String,
    #[serde(default)]
    pub group_name: String,
    #[serde(default)]
    pub offset: u64,
    #[serde(default)]
    pub inner_offset: u64,
    #[serde(default)]
    pub chunk_offset: u64,
    #[serde(default)]
    pub chunk_size: u64,
    #[serde(default)]
    pub chunk_digest: String,
    #[serde(default)]
    pub digest: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Toc {
    pub entries: Vec<TocEntry>,
    /// Where the TOC itself starts: the end of the last chunk.
    #[serde(skip)]
    pub offset: u64,
}

/// The TOC from its gzip member (`[offset, size - footer)` of the blob),
/// checked against the digest the manifest announced.
pub fn parse_toc(compressed: &[u8], offset: u64, expected: &Digest) -> Result<Toc, OpError> {
    let mut tar = tar::Archive::new(GzDecoder::new(compressed));
    let entries = tar
        .entries()
        .map_err(|e| OpError::Invalid(format!("the eStargz TOC is not a tar: {e}")))?;
    for entry in entries {
        let entry = entry.map_err(|e| OpError::Invalid(format!("the eStargz TOC: {e}")))?;
        if entry.path_bytes().as_ref() != TOC_NAME.as_bytes() {
            continue;
        }
        if entry.size() > MAX_TOC_JSON {
            return Err(OpError::Invalid(format!(
                "the eStargz TOC is {} bytes, more than the {MAX_TOC_JSON} read",
                entry.size()
            )));
        }
        let mut json = Vec::new();
        entry
            .take(MAX_TOC_JSON)
            .read_to_end(&mut json)
            .map_err(|e| OpError::Invalid(format!("the eStargz TOC: {e}")))?;
        let actual = Digest::sha256_of(&json);
        if &actual != expected {
            return Err(OpError::ContentDigest {
                what: "the eStargz TOC".to_owned(),
                expected: expected.to_string(),
                actual,
            });
        }
        let mut toc: Toc = serde_json::from_slice(&json)
            .map_err(|e| OpError::Invalid(format!("the eStargz TOC is not valid JSON: {e}")))?;
        toc.offset = offset;
        return Ok(toc);
    }
    Err(OpError::Invalid(format!(
        "the eStargz TOC has no {TOC_NAME}"
    )))
}

/// The layer's files as the TOC lists them (the TOC's own landmark files
/// left out, as they are not part of the image).
pub fn listing(toc: &Toc) -> Vec<FileEntry> {
    toc.entries
        .iter()
        .filter_map(|e| {
            FileEntry::from_toc(TocFields {
                kind: &e.kind,
                name: &e.name,
                link_name: &e.link_name,
                size: e.size,
                mode: e.mode,
                uid: e.uid,
                gid: e.gid,
                user: &e.user_name,
                group: &e.group_name,
                mtime: parse_rfc3339(&e.modtime).unwrap_or(0),
            })
        })
        .filter(|entry| !is_landmark(&entry.path))
        .collect()
}

/// The prefetch landmarks eStargz writers add; not files of the image.
fn is_landmark(path: &str) -> bool {
    path == ".prefetch.landmark" || path == ".no.prefetch.landmark"
}

/// One chunk of a file: where its gzip member lies in the blob and what it
/// must hash to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub start: u64,
    pub end: u64,
    /// Bytes to skip in the decompressed member (small chunks may share one).
    pub inner_offset: u64,
    pub size: u64,
    pub digest: Option<Digest>,
}

/// A regular file as the TOC places it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChunks {
    pub chunks: Vec<Chunk>,
    /// The whole file's digest, when the TOC gives one.
    pub digest: Option<Digest>,
}

/// The chunks of the regular file at `path`, in order. `None` when the TOC
/// has no such regular file.
pub fn chunks_of(toc: &Toc, path: &str) -> Result<Option<FileChunks>, OpError> {
    let mut starts: Vec<u64> = toc
        .entries
        .iter()
        .filter(|e| e.offset > 0)
        .map(|e| e.offset)
        .collect();
    starts.push(toc.offset);
    starts.sort_unstable();
    starts.dedup();
    let end_of = |start: u64| starts.iter().copied().find(|&s| s > start);
    // The last regular entry of that name wins, as in a tar.
    let names = toc
        .entries
        .iter()
        .map(|e| (e.kind.as_str(), e.name.as_str()));
    let Some(first) = last_regular_file(names, path) else {
        return Ok(None);
    };
    let file = &toc.entries[first];
    let parse = |text: &str| toc_digest(text, "eStargz");
    let mut chunks = Vec::new();
    if file.size > 0 {
        let followers = toc.entries[first + 1..]
            .iter()
            .take_while(|e| e.kind == "chunk");
        for entry in std::iter::once(file).chain(followers) {
            let size = if entry.chunk_size == 0 {
                file.size.saturating_sub(entry.chunk_offset)
            } else {
                entry.chunk_size
            };
            let end = end_of(entry.offset).ok_or_else(|| {
                OpError::Invalid(format!("the eStargz TOC places {path} after its own end"))
            })?;
            chunks.push(Chunk {
                start: entry.offset,
                end,
                inner_offset: entry.inner_offset,
                size,
                digest: parse(&entry.chunk_digest)?,
            });
        }
        let total: u64 = chunks.iter().map(|c| c.size).sum();
        if total != file.size {
            return Err(OpError::Invalid(format!(
                "the eStargz TOC's chunks of {path} add up to {total} bytes, not {}",
                file.size
            )));
        }
    }
    Ok(Some(FileChunks {
        chunks,
        digest: parse(&file.digest)?,
    }))
}

/// RFC 3339 (`2006-01-02T15:04:05Z` as eStargz writes it; Go's
/// `time.Time` in JSON, as zstd:chunked writes it, may add fractions and a
/// zone offset) as seconds since the epoch.
pub(super) fn parse_rfc3339(text: &str) -> Option<i64> {
    text.parse::<jiff::Timestamp>()
        .ok()
        .map(jiff::Timestamp::as_second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_footer_the_reference_writer_makes() {
        // gzipFooterBytes(0x1234) from stargz-snapshotter's estargz.
        let mut footer = vec![
            0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 26, 0, b'S', b'G', 22, 0,
        ];
        footer.extend_from_slice(b"0000000000001234STARGZ");
        footer.extend_from_slice(&[1, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(footer.len(), 51);
        assert_eq!(toc_offset(&footer).ok(), Some(0x1234));
        footer[33] = b'X';
        assert!(toc_offset(&footer).is_err());
    }

    #[test]
    fn parses_utc_times() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2024-02-29T12:34:56Z"), Some(1_709_210_096));
        assert_eq!(parse_rfc3339("garbage"), None);
        assert_eq!(
            parse_rfc3339("2024-02-29T13:34:56.5+01:00"),
            Some(1_709_210_096)
        );
    }
}
