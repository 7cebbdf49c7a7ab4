//! Reading a layer by Range through its table of contents (eStargz or
//! zstd:chunked): the TOC (checked against the digest the manifest
//! announced), then, for one file, only its chunks (each checked against
//! the TOC's digests).

use serde::Serialize;
use std::collections::HashMap;

use super::entry::{FileEntry, normalize_path, toc_digest};
use super::estargz::{self, FOOTER_SIZE, MAX_TOC_COMPRESSED, TOC_DIGEST_ANNOTATION};
use super::zstd_chunked::{self, MANIFEST_CHECKSUM_ANNOTATION};
use crate::oci::{Descriptor, Digest};
use crate::ops::{CancellationToken, OpError};
use crate::store::Store;

mod chunks;

pub use chunks::read_file;

/// Which table of contents a layer has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TocFormat {
    Estargz,
    ZstdChunked,
}

impl TocFormat {
    pub fn name(self) -> &'static str {
        match self {
            TocFormat::Estargz => "eStargz",
            TocFormat::ZstdChunked => "zstd:chunked",
        }
    }
}

/// The table of contents the manifest announces, if any. A layer claiming
/// both is read whole (containers/storage refuses it too): which claim to
/// believe is not ours to guess, and the whole read is verified anyway.
pub fn toc_format(descriptor: &Descriptor) -> Option<TocFormat> {
    match (
        descriptor.annotation(TOC_DIGEST_ANNOTATION),
        descriptor.annotation(MANIFEST_CHECKSUM_ANNOTATION),
    ) {
        (Some(_), None) => Some(TocFormat::Estargz),
        (None, Some(_)) => Some(TocFormat::ZstdChunked),
        _ => None,
    }
}

pub(super) enum AnyToc {
    Estargz(estargz::Toc),
    ZstdChunked(zstd_chunked::Toc),
}

pub(super) async fn range(
    store: &dyn Store,
    repository: &str,
    descriptor: &Descriptor,
    offset: u64,
    length: u64,
    cancel: &CancellationToken,
) -> Result<bytes::Bytes, OpError> {
    tokio::select! {
        () = cancel.cancelled() => Err(OpError::Cancelled),
        bytes = store.fetch_blob_range(repository, descriptor, offset, length) => Ok(bytes?),
    }
}

/// The TOC the manifest announces, and the bytes of the layer read to get it.
pub(super) async fn read_toc(
    store: &dyn Store,
    repository: &str,
    descriptor: &Descriptor,
    cancel: &CancellationToken,
) -> Result<(AnyToc, u64), OpError> {
    match toc_format(descriptor) {
        Some(TocFormat::Estargz) => {
            let (toc, read) = read_estargz_toc(store, repository, descriptor, cancel).await?;
            Ok((AnyToc::Estargz(toc), read))
        }
        Some(TocFormat::ZstdChunked) => {
            let position = zstd_chunked::position(descriptor)?;
            let compressed = range(
                store,
                repository,
                descriptor,
                position.offset,
                position.length,
                cancel,
            )
            .await?;
            let length = position.length;
            let toc = tokio::task::spawn_blocking(move || {
                zstd_chunked::parse_toc(&compressed, &position)
            })
            .await
            .map_err(|e| {
                OpError::Invalid(format!("reading the zstd:chunked TOC stopped: {e}"))
            })??;
            Ok((AnyToc::ZstdChunked(toc), length))
        }
        None => Err(OpError::Invalid(
            "the layer announces no table of contents".to_owned(),
        )),
    }
}

/// The eStargz TOC: its footer, then its gzip member; and the bytes read.
async fn read_estargz_toc(
    store: &dyn Store,
    repository: &str,
    descriptor: &Descriptor,
    cancel: &CancellationToken,
) -> Result<(estargz::Toc, u64), OpError> {
    let expected: Digest = descriptor
        .annotation(TOC_DIGEST_ANNOTATION)
        .unwrap_or_default()
        .parse()
        .map_err(|e| OpError::Invalid(format!("bad {TOC_DIGEST_ANNOTATION}: {e}")))?;
    if descriptor.size < FOOTER_SIZE {
        return Err(OpError::Invalid(
            "the layer is too small to be eStargz".to_owned(),
        ));
    }
    let footer_at = descriptor.size - FOOTER_SIZE;
    let footer = range(
        store,
        repository,
        descriptor,
        footer_at,
        FOOTER_SIZE,
        cancel,
    )
    .await?;
    let offset = estargz::toc_offset(&footer)?;
    if offset >= footer_at {
        return Err(OpError::Invalid(
            "the eStargz footer points past the layer".to_owned(),
        ));
    }
    let length = footer_at - offset;
    if length > MAX_TOC_COMPRESSED {
        return Err(OpError::Invalid(format!(
            "the eStargz TOC is {length} bytes compressed, more than the {MAX_TOC_COMPRESSED} read"
        )));
    }
    let compressed = range(store, repository, descriptor, offset, length, cancel).await?;
    let toc =
        tokio::task::spawn_blocking(move || estargz::parse_toc(&compressed, offset, &expected))
            .await
            .map_err(|e| OpError::Invalid(format!("reading the eStargz TOC stopped: {e}")))??;
    Ok((toc, FOOTER_SIZE + length))
}

/// The layer's files from its TOC, and the bytes read.
pub async fn list(
    store: &dyn Store,
    repository: &str,
    descriptor: &Descriptor,
    cancel: &CancellationToken,
) -> Result<(Vec<FileEntry>, u64), OpError> {
    let (toc, read) = read_toc(store, repository, descriptor, cancel).await?;
    let entries = match &toc {
        AnyToc::Estargz(toc) => estargz::listing(toc),
        AnyToc::ZstdChunked(toc) => zstd_chunked::listing(toc),
    };
    Ok((entries, read))
}

/// The layer's files from its TOC, each regular file's content digest by
/// path (where the TOC gives one; the last entry of a name wins, as in a
/// tar), and the bytes read. Two files of one size are told apart by it.
pub async fn list_with_digests(
    store: &dyn Store,
    repository: &str,
    descriptor: &Descriptor,
    cancel: &CancellationToken,
) -> Result<(Vec<FileEntry>, HashMap<String, Digest>, u64), OpError> {
    let (toc, read) = read_toc(store, repository, descriptor, cancel).await?;
    let (entries, named): (Vec<FileEntry>, Vec<(&str, &str, &str)>) = match &toc {
        AnyToc::Estargz(toc) => (
            estargz::listing(toc),
            toc.entries
                .iter()
                .map(|e| (e.kind.as_str(), e.name.as_str(), e.digest.as_str()))
                .collect(),
        ),
        AnyToc::ZstdChunked(toc) => (
            zstd_chunked::listing(toc),
            toc.entries
                .iter()
                .map(|e| (e.kind.as_str(), e.name.as_str(), e.digest.as_str()))
                .collect(),
        ),
    };
    let mut digests = HashMap::new();
    for (kind, name, digest) in named {
        if kind == "reg"
            && let Some(digest) = toc_digest(digest, "TOC")?
        {
            digests.insert(normalize_path(name), digest);
        }
    }
    Ok((entries, digests, read))
}
