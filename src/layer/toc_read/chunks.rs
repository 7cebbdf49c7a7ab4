//! Reading one file of a layer by Range from its chunks alone, as its
//! table of contents places them: each chunk decompressed and checked
//! against the TOC's digest, the whole file against its own.

use std::io::{Read, Write};

use flate2::read::GzDecoder;

use super::{AnyToc, range, read_toc};
use crate::layer::estargz::{self, Chunk, FileChunks, MAX_CHUNK_COMPRESSED};
use crate::layer::zstd::ZstdFrames;
use crate::layer::zstd_chunked;
use crate::oci::{Descriptor, DigestHasher};
use crate::ops::{CancellationToken, OpError};
use crate::store::Store;

/// Writes the regular file `path` to `out` from its chunks alone. `Ok(None)`
/// when the TOC has no such file (or cannot say where its bytes are).
/// Returns the bytes of the layer read.
pub async fn read_file(
    store: &dyn Store,
    repository: &str,
    descriptor: &Descriptor,
    path: &str,
    out: &mut (dyn Write + Send),
    cancel: &CancellationToken,
) -> Result<Option<u64>, OpError> {
    let (toc, mut read) = read_toc(store, repository, descriptor, cancel).await?;
    let Some(FileChunks {
        chunks,
        digest: file_digest,
    }) = (match &toc {
        AnyToc::Estargz(toc) => estargz::chunks_of(toc, path)?,
        AnyToc::ZstdChunked(toc) => zstd_chunked::chunks_of(toc, path)?,
    })
    else {
        return Ok(None);
    };
    if chunks.iter().any(|c| c.digest.is_none()) && file_digest.is_none() {
        // Nothing to check the bytes against: the whole layer must be read.
        return Ok(None);
    }
    let mut whole = file_digest
        .as_ref()
        .map(|d| DigestHasher::new(d.algorithm()));
    for chunk in &chunks {
        let length = chunk.end - chunk.start;
        // A chunk is held in memory once: a TOC may not make it huge.
        if chunk.size > MAX_CHUNK_COMPRESSED {
            return Err(OpError::Invalid(format!(
                "a chunk of {path} is {} bytes, more than the {MAX_CHUNK_COMPRESSED} read at once",
                chunk.size
            )));
        }
        if length > MAX_CHUNK_COMPRESSED {
            return Err(OpError::Invalid(format!(
                "a chunk of {path} is {length} bytes compressed, more than the {MAX_CHUNK_COMPRESSED} read"
            )));
        }
        let compressed = range(store, repository, descriptor, chunk.start, length, cancel).await?;
        read += length;
        let bytes = decompress_chunk(
            &compressed,
            chunk,
            matches!(toc, AnyToc::ZstdChunked(_)),
            path,
        )?;
        if let Some(hasher) = &mut whole {
            hasher.update(&bytes);
        }
        out.write_all(&bytes)
            .map_err(|e| OpError::io(format!("write {path}"), e))?;
    }
    if let (Some(expected), Some(hasher)) = (file_digest, whole) {
        let actual = hasher.finish();
        if actual != expected {
            return Err(OpError::ContentDigest {
                what: path.to_owned(),
                expected: expected.to_string(),
                actual,
            });
        }
    }
    Ok(Some(read))
}

/// One chunk's bytes out of its gzip member or zstd frames, checked
/// against its digest.
fn decompress_chunk(
    compressed: &[u8],
    chunk: &Chunk,
    zstd: bool,
    path: &str,
) -> Result<Vec<u8>, OpError> {
    let mut decoder: Box<dyn Read + '_> = if zstd {
        Box::new(ZstdFrames::new(compressed))
    } else {
        Box::new(GzDecoder::new(compressed))
    };
    std::io::copy(
        &mut (&mut decoder).take(chunk.inner_offset),
        &mut std::io::sink(),
    )
    .map_err(|e| OpError::Invalid(format!("a chunk of {path} does not decompress: {e}")))?;
    let mut bytes = Vec::with_capacity(usize::try_from(chunk.size).unwrap_or(0).min(1 << 24));
    (&mut decoder)
        .take(chunk.size)
        .read_to_end(&mut bytes)
        .map_err(|e| OpError::Invalid(format!("a chunk of {path} does not decompress: {e}")))?;
    if bytes.len() as u64 != chunk.size {
        return Err(OpError::Invalid(format!(
            "a chunk of {path} holds {} bytes, not {}",
            bytes.len(),
            chunk.size
        )));
    }
    if let Some(expected) = &chunk.digest {
        let mut hasher = DigestHasher::new(expected.algorithm());
        hasher.update(&bytes);
        let actual = hasher.finish();
        if &actual != expected {
            return Err(OpError::ContentDigest {
                what: format!("a chunk of {path}"),
                expected: expected.to_string(),
                actual,
            });
        }
    }
    Ok(bytes)
}
