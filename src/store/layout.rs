//! OCI image layout directories (image-spec `image-layout.md`), read and
//! written as a `Store`, compatible with `oras --oci-layout DIR:TAG`.
//!
//! Two shapes: a single layout (the directory holds `oci-layout`; one
//! repository named after the directory, as ORAS sees it), or a directory of
//! layouts (each subdirectory holding `oci-layout`, at any depth, is a
//! repository named by its path: `org/app`). Tags are
//! `org.opencontainers.image.ref.name` annotations in `index.json`;
//! referrers are found by reading the manifests' `subject`. The layout is
//! input like a registry reply: see `blobs` for what is refused.

mod blobs;
mod index;
mod scan;
mod shared;
mod store_impl;

use std::path::{Path, PathBuf};

use crate::oci::manifest::MAX_MANIFEST_SIZE;
use crate::oci::reference::validate_repository;
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::StoreError;
use index::LAYOUT_FILE;
use scan::{ScanCache, ScanMemo};

#[derive(Debug)]
pub struct LayoutStore {
    root: PathBuf,
    shape: Shape,
    name: String,
    registry: String,
    /// Serialises read-modify-write of `index.json` within this process
    /// (processes wait for each other on a file lock, see `shared`).
    index_lock: tokio::sync::Mutex<()>,
    scan_cache: std::sync::Mutex<ScanCache>,
    scan_memo: std::sync::Mutex<ScanMemo>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    Single { repository: String },
    Directory,
}

impl LayoutStore {
    /// Opens an existing directory: a single layout when it holds
    /// `oci-layout`, otherwise a directory of layouts (possibly empty).
    pub fn open(path: impl AsRef<Path>) -> Result<LayoutStore, StoreError> {
        let path = path.as_ref();
        let root = std::fs::canonicalize(path)
            .map_err(|e| StoreError::io(format!("opening {}", path.display()), e))?;
        if !root.is_dir() {
            return Err(StoreError::Invalid(format!(
                "{} is not a directory",
                path.display()
            )));
        }
        let shape = if root.join(LAYOUT_FILE).is_file() {
            let repository = root
                .file_name()
                .map_or_else(|| "layout".to_owned(), |n| n.to_string_lossy().into_owned());
            Shape::Single { repository }
        } else {
            Shape::Directory
        };
        // References into a layout read like the paths ORAS takes:
        // `<registry>/<repository>` is the layout's own directory.
        let registry = match &shape {
            Shape::Single { .. } => root.parent().unwrap_or(&root).display().to_string(),
            Shape::Directory => root.display().to_string(),
        };
        Ok(LayoutStore {
            name: format!("oci:{}", root.display()),
            registry,
            root,
            shape,
            index_lock: tokio::sync::Mutex::new(()),
            scan_cache: std::sync::Mutex::new(ScanCache::default()),
            scan_memo: std::sync::Mutex::new(ScanMemo::default()),
        })
    }

    /// Opens `path`, first making it a single (empty) layout when it is
    /// missing or an empty directory, as `oras --oci-layout DIR:TAG` does.
    pub fn create(path: impl AsRef<Path>) -> Result<LayoutStore, StoreError> {
        let path = path.as_ref();
        let context = || format!("creating {}", path.display());
        std::fs::create_dir_all(path).map_err(|e| StoreError::io(context(), e))?;
        // `ingest` alone is another regscope making the same layout now.
        let empty = std::fs::read_dir(path)
            .map_err(|e| StoreError::io(context(), e))?
            .filter_map(Result::ok)
            .all(|entry| entry.file_name() == blobs::INGEST_DIR);
        if empty {
            shared::ensure_layout_blocking(path)?;
        }
        LayoutStore::open(path)
    }

    /// Opens `path` as a directory of layouts, creating it when missing;
    /// pushing to a repository not there yet creates its layout.
    pub fn create_directory(path: impl AsRef<Path>) -> Result<LayoutStore, StoreError> {
        let path = path.as_ref();
        std::fs::create_dir_all(path)
            .map_err(|e| StoreError::io(format!("creating {}", path.display()), e))?;
        LayoutStore::open(path)
    }

    /// Replaces how the store is shown (`name`) and the registry part of its
    /// references; the demo uses it to hide its scratch path.
    #[must_use]
    pub fn with_display_name(mut self, name: &str, registry: &str) -> LayoutStore {
        name.clone_into(&mut self.name);
        registry.clone_into(&mut self.registry);
        self
    }

    /// The directory this store reads.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// For a single layout, its one repository's name (the directory name).
    pub fn single_repository(&self) -> Option<&str> {
        match &self.shape {
            Shape::Single { repository } => Some(repository),
            Shape::Directory => None,
        }
    }

    /// The layout directory of `repository` (it may not exist yet).
    fn layout_dir(&self, repository: &str) -> Result<PathBuf, StoreError> {
        match &self.shape {
            Shape::Single { repository: own } if own == repository => Ok(self.root.clone()),
            Shape::Single { .. } => Err(StoreError::not_found(format!(
                "repository {repository} in {}",
                self.name
            ))),
            Shape::Directory => {
                // Validated names have no `..` or empty components, so the
                // join stays below the root.
                validate_repository(repository)?;
                Ok(self.root.join(repository))
            }
        }
    }

    async fn existing_layout(&self, repository: &str) -> Result<PathBuf, StoreError> {
        let dir = self.layout_dir(repository)?;
        match tokio::fs::metadata(dir.join(LAYOUT_FILE)).await {
            Ok(metadata) if metadata.is_file() => Ok(dir),
            _ => Err(StoreError::not_found(format!(
                "repository {repository} in {}",
                self.name
            ))),
        }
    }

    async fn writable_layout(&self, repository: &str) -> Result<PathBuf, StoreError> {
        let dir = self.layout_dir(repository)?;
        shared::ensure_layout(&dir).await?;
        Ok(dir)
    }

    /// Resolves and reads a manifest; by digest it need not be in
    /// `index.json` (a platform manifest of an index is not).
    async fn load_manifest(
        &self,
        layout: &Path,
        repository: &str,
        reference: &str,
    ) -> Result<(Descriptor, Manifest), StoreError> {
        let index = index::read(layout).await?;
        let entry = match reference.parse::<Digest>() {
            Ok(digest) => index.find_digest(&digest).cloned().map_or_else(
                || Err(digest),
                |mut entry| {
                    entry
                        .annotations
                        .remove(crate::oci::media_type::ANNOTATION_REF_NAME);
                    Ok(entry)
                },
            ),
            Err(_) => Ok(index.find_tag(reference).cloned().ok_or_else(|| {
                StoreError::not_found(format!("tag {reference} in {repository}"))
            })?),
        };
        match entry {
            Ok(entry) => {
                let manifest = read_manifest(layout, &entry).await?;
                Ok((entry, manifest))
            }
            Err(digest) => {
                let raw = blobs::read_unsized(layout, &digest, MAX_MANIFEST_SIZE)
                    .await
                    .map_err(|e| match e {
                        StoreError::NotFound { .. } => {
                            StoreError::not_found(format!("manifest {digest} in {repository}"))
                        }
                        other => other,
                    })?;
                let manifest = parse_manifest(&digest, raw, None)?;
                let mut entry =
                    Descriptor::new(manifest.media_type.clone(), digest, manifest.size());
                entry.artifact_type.clone_from(&manifest.artifact_type);
                Ok((entry, manifest))
            }
        }
    }
}

/// Reads a manifest blob named by a descriptor, capped and verified.
async fn read_manifest(layout: &Path, descriptor: &Descriptor) -> Result<Manifest, StoreError> {
    if descriptor.size > MAX_MANIFEST_SIZE {
        return Err(StoreError::TooLarge {
            what: format!("manifest {}", descriptor.digest),
            limit: MAX_MANIFEST_SIZE,
        });
    }
    let raw = blobs::read(layout, descriptor, MAX_MANIFEST_SIZE).await?;
    let media_type = Some(descriptor.media_type.as_str()).filter(|t| !t.is_empty());
    parse_manifest(&descriptor.digest, raw, media_type)
}

fn parse_manifest(
    digest: &Digest,
    raw: bytes::Bytes,
    media_type: Option<&str>,
) -> Result<Manifest, StoreError> {
    Manifest::parse(raw, media_type).map_err(|source| StoreError::InvalidManifest {
        what: format!("manifest {digest}"),
        cause: source,
    })
}

/// The `index.json` entry of a pushed manifest, as ORAS writes it: media
/// type, digest, size, the manifest's own `artifactType` and annotations.
fn index_entry(manifest: &Manifest) -> Descriptor {
    let mut entry = Descriptor::new(
        manifest.media_type.clone(),
        manifest.digest().clone(),
        manifest.size(),
    );
    entry.artifact_type.clone_from(&manifest.artifact_type);
    entry.annotations.clone_from(&manifest.annotations);
    entry
}
