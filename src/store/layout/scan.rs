//! Finding things by walking: the repositories of a directory of layouts,
//! and the referrers of a manifest (a layout has no referrers API, so, as
//! the ORAS CLI does with `--oci-layout`, the manifests are read and their
//! `subject` compared).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::StreamExt;

use crate::oci::reference::validate_repository;
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::StoreError;

use super::index::{self, IndexVersion, LAYOUT_FILE};
use super::{LayoutStore, read_manifest};

/// Manifests read at once during a referrers scan (results keep index
/// order, so referrers are listed in the order they were pushed).
const SCAN_CONCURRENCY: usize = 8;

/// A directory of layouts deeper than this is not searched further.
const MAX_DEPTH: usize = 8;
/// Stops a walk of a huge tree (or a hostile one) from running forever.
const MAX_DIRECTORIES: usize = 20_000;
/// Manifests read per referrers scan, at most.
pub(super) const MAX_SCANNED_MANIFESTS: usize = 50_000;

/// The repositories under `root`: every directory holding `oci-layout`,
/// named by its path below `root` (`org/app`). Symlinked directories are not
/// followed; names that are not valid repository names are skipped because
/// they could not be addressed.
pub(super) fn list_repositories(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![(root.to_path_buf(), String::new(), 0usize)];
    let mut visited = 0usize;
    while let Some((dir, name, depth)) = pending.pop() {
        visited += 1;
        if visited > MAX_DIRECTORIES {
            break;
        }
        if !name.is_empty() && dir.join(LAYOUT_FILE).is_file() {
            if validate_repository(&name).is_ok() {
                found.push(name);
            }
            // A layout's own directories (`blobs`, `ingest`) hold no layouts.
            continue;
        }
        if depth >= MAX_DEPTH {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            if !file_type.is_dir() {
                continue;
            }
            let Some(component) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            let child = if name.is_empty() {
                component
            } else {
                format!("{name}/{component}")
            };
            pending.push((entry.path(), child, depth + 1));
        }
    }
    found.sort();
    found
}

/// What a referrers scan needs to know of one manifest; immutable, so
/// cached by digest for the life of the store.
#[derive(Debug, Clone)]
pub(super) struct ScannedManifest {
    /// As a referrers index lists it: media type, digest, size, artifact
    /// type (`artifactType`, else the config's media type), annotations.
    pub descriptor: Descriptor,
    pub subject: Option<Digest>,
    /// The manifests an index holds (platform images), also scanned.
    pub children: Vec<Descriptor>,
}

impl ScannedManifest {
    pub fn of(manifest: &Manifest) -> ScannedManifest {
        ScannedManifest {
            descriptor: manifest.descriptor(),
            subject: manifest.subject.as_ref().map(|s| s.digest.clone()),
            children: if manifest.is_index() {
                manifest.manifests.clone()
            } else {
                Vec::new()
            },
        }
    }
}

/// A bounded cache of scanned manifests.
#[derive(Debug, Default)]
pub(super) struct ScanCache {
    entries: HashMap<Digest, ScannedManifest>,
}

impl ScanCache {
    const CAPACITY: usize = 100_000;

    pub fn get(&self, digest: &Digest) -> Option<ScannedManifest> {
        self.entries.get(digest).cloned()
    }

    pub fn insert(&mut self, scanned: ScannedManifest) {
        if self.entries.len() >= Self::CAPACITY {
            self.entries.clear();
        }
        self.entries
            .insert(scanned.descriptor.digest.clone(), scanned);
    }
}

/// The referrers of `subject` among `scanned`, deduplicated by digest, in
/// the order found, optionally of one artifact type.
pub(super) fn referrers_of(
    scanned: &[ScannedManifest],
    subject: &Digest,
    artifact_type: Option<&str>,
) -> Vec<Descriptor> {
    let mut seen = HashSet::new();
    scanned
        .iter()
        .filter(|m| m.subject.as_ref() == Some(subject))
        .filter(|m| {
            artifact_type.is_none_or(|wanted| m.descriptor.artifact_type.as_deref() == Some(wanted))
        })
        .filter(|m| seen.insert(m.descriptor.digest.clone()))
        .map(|m| m.descriptor.clone())
        .collect()
}

/// One layout's manifests as a referrers scan found them.
#[derive(Debug)]
pub(super) struct ScanResult {
    pub scanned: Vec<ScannedManifest>,
    pub warnings: Vec<String>,
}

/// The last scan of each layout, valid while its `index.json` is unchanged.
#[derive(Debug, Default)]
pub(super) struct ScanMemo {
    layouts: HashMap<PathBuf, (IndexVersion, Arc<ScanResult>)>,
}

impl ScanMemo {
    /// Layouts remembered at once; a directory of many is scanned anew.
    const CAPACITY: usize = 256;

    pub fn get(&self, layout: &Path, version: &IndexVersion) -> Option<Arc<ScanResult>> {
        self.layouts
            .get(layout)
            .filter(|(known, _)| known == version)
            .map(|(_, result)| result.clone())
    }

    pub fn insert(&mut self, layout: &Path, version: IndexVersion, result: Arc<ScanResult>) {
        if self.layouts.len() >= Self::CAPACITY {
            self.layouts.clear();
        }
        self.layouts.insert(layout.to_path_buf(), (version, result));
    }
}

impl LayoutStore {
    /// Every manifest of the layout (index entries and the manifests of
    /// indexes), read once and cached; unreadable ones become warnings. The
    /// whole scan is remembered until `index.json` changes, so discovering a
    /// graph node by node does not re-read a large index for every node.
    pub(super) async fn scan(&self, layout: &Path) -> Result<Arc<ScanResult>, StoreError> {
        let version = index::version(layout).await;
        if let Some(version) = &version
            && let Some(result) = self.memo().get(layout, version)
        {
            return Ok(result);
        }
        let result = Arc::new(self.scan_afresh(layout).await?);
        if let Some(version) = version {
            self.memo().insert(layout, version, result.clone());
        }
        Ok(result)
    }

    async fn scan_afresh(&self, layout: &Path) -> Result<ScanResult, StoreError> {
        let index = index::read(layout).await?;
        let mut scanned = Vec::new();
        let mut warnings = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut level: Vec<(Descriptor, bool)> =
            index.manifests.into_iter().map(|d| (d, true)).collect();
        while !level.is_empty() {
            level.retain(|(d, _)| seen.insert(d.digest.clone()));
            if seen.len() > MAX_SCANNED_MANIFESTS {
                warnings.push(format!(
                    "stopped after {} manifests; referrers may be missing",
                    MAX_SCANNED_MANIFESTS
                ));
                break;
            }
            let results: Vec<_> = futures_util::stream::iter(level.drain(..))
                .map(|(descriptor, listed)| async move {
                    let result = self.scan_one(layout, &descriptor).await;
                    (descriptor, listed, result)
                })
                .buffered(SCAN_CONCURRENCY)
                .collect()
                .await;
            for (descriptor, listed, result) in results {
                match result {
                    Ok(found) => {
                        level.extend(found.children.iter().cloned().map(|d| (d, false)));
                        scanned.push(found);
                    }
                    // A platform manifest left out of a partial copy is normal.
                    Err(StoreError::NotFound { .. }) if !listed => {}
                    Err(error) => warnings.push(format!(
                        "cannot read manifest {}: {error}",
                        descriptor.digest
                    )),
                }
            }
        }
        Ok(ScanResult { scanned, warnings })
    }

    async fn scan_one(
        &self,
        layout: &Path,
        descriptor: &Descriptor,
    ) -> Result<ScannedManifest, StoreError> {
        if let Some(found) = self.cache().get(&descriptor.digest) {
            return Ok(found);
        }
        let manifest = read_manifest(layout, descriptor).await?;
        let found = ScannedManifest::of(&manifest);
        self.cache().insert(found.clone());
        Ok(found)
    }

    fn memo(&self) -> std::sync::MutexGuard<'_, ScanMemo> {
        self.scan_memo
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, ScanCache> {
        // The cache holds only immutable facts, so a poisoned one is sound.
        self.scan_cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
