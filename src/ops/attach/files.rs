//! Reading what is attached: hashing files, streaming them to the store,
//! and packing a directory as ORAS does (tar+gzip, entries under its name).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;
use futures_util::StreamExt;
use tokio::io::AsyncReadExt;

use crate::oci::{Algorithm, Digest, DigestHasher};
use crate::ops::OpError;
use crate::store::{BlobStream, StoreError};

pub(super) async fn hash_file(path: &Path) -> Result<(Digest, u64), OpError> {
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|e| OpError::io(format!("read {}", path.display()), e))?;
    let mut hasher = DigestHasher::new(Algorithm::Sha256);
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = file
            .read(&mut buffer)
            .await
            .map_err(|e| OpError::io(format!("read {}", path.display()), e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        size += n as u64;
    }
    Ok((hasher.finish(), size))
}

/// Streams a file in chunks (its digest was computed before).
pub(super) fn file_stream(path: PathBuf) -> BlobStream {
    futures_util::stream::once(tokio::fs::File::open(path.clone()))
        .flat_map(move |opened| {
            let path = path.clone();
            let state =
                opened.map_err(move |e| StoreError::io(format!("read {}", path.display()), e));
            futures_util::stream::unfold(Some(state), |state| async move {
                let mut file = match state? {
                    Ok(file) => file,
                    Err(error) => return Some((Err(error), None)),
                };
                let mut buffer = vec![0u8; 256 * 1024];
                match file.read(&mut buffer).await {
                    Ok(0) => None,
                    Ok(n) => {
                        buffer.truncate(n);
                        Some((Ok(Bytes::from(buffer)), Some(Ok(file))))
                    }
                    Err(error) => Some((Err(StoreError::io("read a file to push", error)), None)),
                }
            })
        })
        .boxed()
}

/// Hashes what passes through (the uncompressed tar) before gzip sees it.
struct HashingWriter<W> {
    inner: W,
    hasher: DigestHasher,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Packs a directory as ORAS does (entries under `title/`, symlinks kept as
/// links), returning the gzip file and the uncompressed tar's digest.
pub(super) fn tar_directory(
    source: &Path,
    title: &str,
) -> Result<(tempfile::NamedTempFile, Digest), OpError> {
    let temp = tempfile::Builder::new()
        .prefix(".regscope-attach-")
        .tempfile()
        .map_err(|e| OpError::io("create a temporary file", e))?;
    let file = temp
        .reopen()
        .map_err(|e| OpError::io("open a temporary file", e))?;
    let writer = HashingWriter {
        inner: GzEncoder::new(file, Compression::default()),
        hasher: DigestHasher::new(Algorithm::Sha256),
    };
    let mut builder = tar::Builder::new(writer);
    builder.follow_symlinks(false);
    builder.mode(tar::HeaderMode::Deterministic);
    builder
        .append_dir_all(title, source)
        .map_err(|e| OpError::io(format!("pack {}", source.display()), e))?;
    let writer = builder
        .into_inner()
        .map_err(|e| OpError::io(format!("pack {}", source.display()), e))?;
    let digest = writer.hasher.finish();
    writer
        .inner
        .finish()
        .map_err(|e| OpError::io(format!("pack {}", source.display()), e))?;
    Ok((temp, digest))
}
