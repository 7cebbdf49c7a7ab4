//! zstd:chunked, as containers/storage (podman, buildah) writes it: a zstd
//! tar in which every file's bytes start new zstd frames (large files are
//! cut into several, one chunk each), followed by skippable frames holding
//! the table of contents (TOC), the tar-split and a 64-byte footer. The
//! layer annotation `…manifest-position` says where the compressed TOC lies
//! (`offset:length:uncompressedLength:type`) and `…manifest-checksum` gives
//! the digest of those compressed bytes, so a reader needs neither the
//! footer nor the tar-split. Parsing here is pure; fetching is in
//! `toc_read`.

use std::fmt;
use std::io::Read;

use serde::de::{Error as _, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::entry::{FileEntry, TocFields, last_regular_file, toc_digest};
use super::estargz::{Chunk, FileChunks, MAX_TOC_COMPRESSED, parse_rfc3339};
use super::zstd::ZstdFrames;
use crate::oci::{Descriptor, Digest};
use crate::ops::OpError;

pub const MANIFEST_CHECKSUM_ANNOTATION: &str =
    "io.github.containers.zstd-chunked.manifest-checksum";
pub const MANIFEST_POSITION_ANNOTATION: &str =
    "io.github.containers.zstd-chunked.manifest-position";
/// The only manifest type there is (`ManifestTypeCRFS`).
const MANIFEST_TYPE_CRFS: u64 = 1;
/// The TOC's JSON may be at most this large (containers/storage refuses
/// more than 150 MiB; a listing this side stays well under that).
const MAX_TOC_JSON: u64 = 128 * 1024 * 1024;
/// A TOC may list at most this many entries, chunks included (100 000
/// files and the chunks of many GiB): counted while parsing, so a TOC of
/// tiny entries is refused before it fills memory.
const MAX_TOC_ENTRIES: usize = 400_000;

/// Where the compressed TOC lies and what it must hash to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub offset: u64,
    pub length: u64,
    pub uncompressed: u64,
    pub checksum: Digest,
}

/// The TOC's place from the layer's annotations, refused when the writer
/// announced a type or size this reader does not take.
pub fn position(descriptor: &Descriptor) -> Result<Position, OpError> {
    let bad = |why: String| OpError::Invalid(format!("bad {MANIFEST_POSITION_ANNOTATION}: {why}"));
    let text = descriptor
        .annotation(MANIFEST_POSITION_ANNOTATION)
        .ok_or_else(|| bad("missing".to_owned()))?;
    let numbers: Vec<u64> = text
        .split(':')
        .map(|part| {
            part.parse::<u64>()
                .map_err(|e| bad(format!("{part:?}: {e}")))
        })
        .collect::<Result<_, _>>()?;
    let [offset, length, uncompressed, kind] = numbers[..] else {
        return Err(bad("not four numbers".to_owned()));
    };
    if kind != MANIFEST_TYPE_CRFS {
        return Err(bad(format!(
            "manifest type {kind}, not {MANIFEST_TYPE_CRFS}"
        )));
    }
    if length > MAX_TOC_COMPRESSED || uncompressed > MAX_TOC_JSON {
        return Err(OpError::Invalid(format!(
            "the zstd:chunked TOC is {length} bytes ({uncompressed} uncompressed), \
             more than the {MAX_TOC_COMPRESSED} ({MAX_TOC_JSON}) read"
        )));
    }
    if offset
        .checked_add(length)
        .is_none_or(|end| end > descriptor.size)
    {
        return Err(bad("the TOC lies past the end of the layer".to_owned()));
    }
    let checksum = descriptor
        .annotation(MANIFEST_CHECKSUM_ANNOTATION)
        .unwrap_or_default()
        .parse()
        .map_err(|e| OpError::Invalid(format!("bad {MANIFEST_CHECKSUM_ANNOTATION}: {e}")))?;
    Ok(Position {
        offset,
        length,
        uncompressed,
        checksum,
    })
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TocEntry {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub link_name: String,
    #[serde(default)]
    pub mode: i64,
    #[serde(default)]
    pub size: u64,
    #[serde(default)]
    pub uid: u64,
    #[serde(default)]
    pub gid: u64,
    #[serde(default)]
    pub modtime: Option<String>,
    #[serde(default)]
    pub digest: String,
    #[serde(default)]
    pub offset: u64,
    #[serde(default)]
    pub end_offset: u64,
    #[serde(default)]
    pub chunk_size: u64,
    #[serde(default)]
    pub chunk_digest: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Toc {
    pub version: u32,
    #[serde(default, deserialize_with = "capped_entries")]
    pub entries: Vec<TocEntry>,
    /// Where the TOC's skippable frame starts: no file's bytes lie past it.
    #[serde(skip)]
    pub offset: u64,
}

fn capped_entries<'de, D: Deserializer<'de>>(input: D) -> Result<Vec<TocEntry>, D::Error> {
    struct Capped;
    impl<'de> Visitor<'de> for Capped {
        type Value = Vec<TocEntry>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "at most {MAX_TOC_ENTRIES} entries")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut entries = Vec::new();
            while let Some(entry) = seq.next_element()? {
                if entries.len() == MAX_TOC_ENTRIES {
                    return Err(A::Error::custom(format!(
                        "more than {MAX_TOC_ENTRIES} entries"
                    )));
                }
                entries.push(entry);
            }
            Ok(entries)
        }
    }
    input.deserialize_seq(Capped)
}

/// The TOC from its compressed bytes, checked against the announced digest
/// before a byte of it is decompressed.
pub fn parse_toc(compressed: &[u8], position: &Position) -> Result<Toc, OpError> {
    let actual = Digest::sha256_of(compressed);
    if actual != position.checksum {
        return Err(OpError::ContentDigest {
            what: "the zstd:chunked TOC".to_owned(),
            expected: position.checksum.to_string(),
            actual,
        });
    }
    let mut json = Vec::new();
    ZstdFrames::new(compressed)
        .take(position.uncompressed.min(MAX_TOC_JSON) + 1)
        .read_to_end(&mut json)
        .map_err(|e| OpError::Invalid(format!("the zstd:chunked TOC does not decompress: {e}")))?;
    if json.len() as u64 != position.uncompressed {
        return Err(OpError::Invalid(format!(
            "the zstd:chunked TOC is {} bytes uncompressed, not the {} announced",
            json.len(),
            position.uncompressed
        )));
    }
    let mut toc: Toc = serde_json::from_slice(&json)
        .map_err(|e| OpError::Invalid(format!("the zstd:chunked TOC is not valid JSON: {e}")))?;
    if toc.version != 1 {
        return Err(OpError::Invalid(format!(
            "zstd:chunked TOC version {}, not 1",
            toc.version
        )));
    }
    // The skippable frame's 8-byte header comes before the offset announced.
    toc.offset = position.offset.saturating_sub(8);
    Ok(toc)
}

/// The layer's files as the TOC lists them.
pub fn listing(toc: &Toc) -> Vec<FileEntry> {
    toc.entries
        .iter()
        .filter_map(|e| {
            FileEntry::from_toc(TocFields {
                kind: &e.kind,
                name: &e.name,
                link_name: &e.link_name,
                size: e.size,
                mode: u32::try_from(e.mode & 0o7777).unwrap_or(0),
                uid: e.uid,
                gid: e.gid,
                // The TOC keeps ids, not names.
                user: "",
                group: "",
                mtime: e.modtime.as_deref().and_then(parse_rfc3339).unwrap_or(0),
            })
        })
        .collect()
}

/// The chunks of the regular file at `path`, in order: each a run of zstd
/// frames from its `offset` to the next chunk's (the last one to the file
/// entry's `endOffset`). A file of one chunk has no chunk digest, only the
/// file's. `None` when the TOC has no such regular file.
pub fn chunks_of(toc: &Toc, path: &str) -> Result<Option<FileChunks>, OpError> {
    let names = toc
        .entries
        .iter()
        .map(|e| (e.kind.as_str(), e.name.as_str()));
    let Some(first) = last_regular_file(names, path) else {
        return Ok(None);
    };
    let file = &toc.entries[first];
    let parse = |text: &str| toc_digest(text, "zstd:chunked");
    let bad = |why: &str| OpError::Invalid(format!("the zstd:chunked TOC places {path} {why}"));
    let mut chunks = Vec::new();
    if file.size > 0 {
        let parts: Vec<&TocEntry> = std::iter::once(file)
            .chain(
                toc.entries[first + 1..]
                    .iter()
                    .take_while(|e| e.kind == "chunk"),
            )
            .collect();
        for (i, entry) in parts.iter().enumerate() {
            let end = parts.get(i + 1).map_or(file.end_offset, |next| next.offset);
            if entry.offset == 0 || end <= entry.offset || end > toc.offset {
                return Err(bad("outside the layer's data"));
            }
            let size = if parts.len() == 1 {
                file.size
            } else {
                entry.chunk_size
            };
            chunks.push(Chunk {
                start: entry.offset,
                end,
                inner_offset: 0,
                size,
                digest: parse(&entry.chunk_digest)?,
            });
        }
        let total = chunks
            .iter()
            .try_fold(0u64, |sum, c| sum.checked_add(c.size));
        if total != Some(file.size) {
            return Err(bad(&format!(
                "in chunks that do not add up to its {} bytes",
                file.size
            )));
        }
    }
    Ok(Some(FileChunks {
        chunks,
        digest: parse(&file.digest)?,
    }))
}

#[cfg(test)]
#[path = "zstd_chunked_tests.rs"]
mod tests;
