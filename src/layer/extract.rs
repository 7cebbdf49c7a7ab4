//! One file out of an image: found in the merged view (symlinks followed,
//! hard links taken to the file they share bytes with), read from its layer
//! into a temporary file and verified (by the layer's digest, or by the
//! chunk digests of its eStargz or zstd:chunked table of contents), then handed out or renamed into place under
//! pull's rules.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::entry::{EntryKind, normalize_path};
use super::merge::MergedView;
use super::resolve::resolve;
use super::toc_read::TocFormat;
use super::{LayerListing, stream, toc_read, walk};
use crate::oci::{Descriptor, DigestHasher};
use crate::ops::beneath::{Beneath, Kind, temp_file};
use crate::ops::paths::safe_relative_path;
use crate::ops::untar::UnpackLimits;
use crate::ops::{CancellationToken, OpError, Progress, ProgressSink, report};
use crate::store::Store;

/// Where a file's bytes are: the layer (index) and the path inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub layer: usize,
    pub path: String,
    pub size: u64,
}

/// How the bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadHow {
    /// Only the file's chunks (and the TOC): this many bytes.
    Chunks {
        format: TocFormat,
        bytes_read: u64,
    },
    WholeLayer,
}

/// Finds the regular file `path` names in the image.
pub fn locate(
    view: &MergedView,
    listings: &[LayerListing],
    path: &str,
) -> Result<Located, OpError> {
    let found = resolve(view, &normalize_path(path))?;
    match found.entry.kind {
        EntryKind::File => Ok(Located {
            layer: found.layer,
            path: found.entry.path.clone(),
            size: found.entry.size,
        }),
        EntryKind::Hardlink => {
            // A hard link names an earlier entry of its own layer.
            let target = found.entry.link.clone().unwrap_or_default();
            let entries = listings
                .get(found.layer)
                .map(|l| l.entries.as_slice())
                .unwrap_or_default();
            let file = entries
                .iter()
                .rev()
                .find(|e| e.path == target && e.kind == EntryKind::File)
                .ok_or_else(|| {
                    OpError::Invalid(format!(
                        "{path}: a hard link to {target}, which its layer does not have"
                    ))
                })?;
            Ok(Located {
                layer: found.layer,
                path: target,
                size: file.size,
            })
        }
        EntryKind::Dir => Err(OpError::Invalid(format!("{path}: is a directory"))),
        other => Err(OpError::Invalid(format!(
            "{path}: not a regular file ({other:?})"
        ))),
    }
}

/// One file of one layer.
#[derive(Debug, Clone, Copy)]
pub struct InLayer<'a> {
    pub layer: &'a Descriptor,
    pub path: &'a str,
}

/// Reads the file `wanted` names into a temporary file in `dir`, verified
/// before it is returned.
pub async fn read_to_temp(
    store: &dyn Store,
    repository: &str,
    wanted: InLayer<'_>,
    dir: &Path,
    limits: UnpackLimits,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<(NamedTempFile, ReadHow), OpError> {
    let InLayer { layer, path } = wanted;
    let temp = temp_file(dir)?;
    if let Some(format) = toc_read::toc_format(layer) {
        let mut out = temp
            .reopen()
            .map_err(|e| OpError::io("open the temporary file", e))?;
        match toc_read::read_file(store, repository, layer, path, &mut out, cancel).await {
            Ok(Some(bytes_read)) => return Ok((temp, ReadHow::Chunks { format, bytes_read })),
            Ok(None) => {}
            Err(OpError::Cancelled) => return Err(OpError::Cancelled),
            Err(error) => report(
                progress,
                Progress::Warning(format!(
                    "reading {path} by its {} chunks failed ({error}); reading the whole layer",
                    format.name()
                )),
            ),
        }
    }
    let out = temp
        .reopen()
        .map_err(|e| OpError::io("open the temporary file", e))?;
    let wanted = path.to_owned();
    let size = layer.size;
    let what = "layer".to_owned();
    let found = stream::with_blob_reader(
        store,
        repository,
        layer,
        &what,
        progress,
        cancel,
        move |reader| copy_entry(reader, size, limits, &wanted, out),
    )
    .await?;
    if !found {
        return Err(OpError::Invalid(format!(
            "{path}: not a file of layer {}",
            layer.digest
        )));
    }
    Ok((temp, ReadHow::WholeLayer))
}

/// Copies the last regular entry named `wanted` to `out`; whether there was one.
fn copy_entry(
    reader: &mut dyn std::io::Read,
    size: u64,
    limits: UnpackLimits,
    wanted: &str,
    mut out: File,
) -> Result<bool, OpError> {
    let mut found = false;
    walk::walk_layer(reader, size, limits, |entry, content| {
        if entry.kind != EntryKind::File || entry.path != wanted {
            return Ok(());
        }
        // A later entry of the same name replaces the earlier one.
        out.set_len(0)
            .and_then(|()| out.seek(SeekFrom::Start(0)).map(|_| ()))
            .and_then(|()| std::io::copy(content, &mut out).map(|_| ()))
            .map_err(|e| OpError::io(format!("write {wanted}"), e))?;
        found = true;
        Ok(())
    })?;
    out.flush()
        .map_err(|e| OpError::io(format!("write {wanted}"), e))?;
    Ok(found)
}

/// What writing a file out did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    Written(PathBuf),
    /// The same bytes were already there.
    AlreadyThere(PathBuf),
}

/// Renames a verified temporary file (made by [`read_to_temp`] in `dir`)
/// to `dir/NAME`, `NAME` being the last component of `path`, through the
/// safe-write module. A different file already there is replaced only with
/// `force`; a directory or symlink never.
pub fn save(temp: NamedTempFile, dir: &Path, path: &str, force: bool) -> Result<Saved, OpError> {
    let name = path.rsplit('/').find(|p| !p.is_empty()).unwrap_or(path);
    let relative = safe_relative_path(name)?;
    let out = Beneath::open(dir)?;
    let target = dir.join(&relative);
    match out.kind(&relative)? {
        Some(Kind::File) if same_content(temp.path(), &target)? => {
            return Ok(Saved::AlreadyThere(target));
        }
        Some(Kind::File) if !force => {
            return Err(OpError::Invalid(format!(
                "{} exists with other content; --force replaces it",
                target.display()
            )));
        }
        Some(Kind::File) | None => {}
        Some(_) => {
            return Err(OpError::unsafe_path(
                target.display().to_string(),
                "something other than a file is there",
            ));
        }
    }
    out.persist(temp, &relative)?;
    Ok(Saved::Written(target))
}

fn same_content(a: &Path, b: &Path) -> Result<bool, OpError> {
    let hash = |path: &Path| -> Result<(u64, crate::oci::Digest), OpError> {
        let mut file =
            File::open(path).map_err(|e| OpError::io(format!("read {}", path.display()), e))?;
        let mut hasher = DigestHasher::new(crate::oci::Algorithm::Sha256);
        let mut writer = HashWriter(&mut hasher);
        let n = std::io::copy(&mut file, &mut writer)
            .map_err(|e| OpError::io(format!("read {}", path.display()), e))?;
        Ok((n, hasher.finish()))
    };
    Ok(hash(a)? == hash(b)?)
}

struct HashWriter<'a>(&'a mut DigestHasher);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
