//! A layout's `index.json`: its entries are the layout's manifests, tagged by
//! the `org.opencontainers.image.ref.name` annotation or untagged (ORAS
//! keeps referrers there untagged). Written by `shared`, which knows about
//! the other programs writing the same file.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::oci::media_type::{ANNOTATION_REF_NAME, OCI_INDEX};
use crate::oci::{Descriptor, Digest};
use crate::store::StoreError;

pub(super) const INDEX_FILE: &str = "index.json";
pub(super) const LAYOUT_FILE: &str = "oci-layout";
pub(super) const LAYOUT_CONTENT: &[u8] = br#"{"imageLayoutVersion":"1.0.0"}"#;

/// `index.json` of a layout with tens of thousands of tags is larger than a
/// manifest may be, yet still has to be capped before it is read.
const MAX_INDEX_SIZE: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct LayoutIndex {
    #[serde(default = "schema_version")]
    schema_version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    media_type: Option<String>,
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
    /// Other fields (`annotations`, future ones) survive a rewrite.
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

fn schema_version() -> i64 {
    2
}

impl Default for LayoutIndex {
    fn default() -> Self {
        LayoutIndex {
            schema_version: 2,
            media_type: Some(OCI_INDEX.to_owned()),
            manifests: Vec::new(),
            rest: serde_json::Map::new(),
        }
    }
}

pub(super) fn tag_of(entry: &Descriptor) -> Option<&str> {
    entry.annotation(ANNOTATION_REF_NAME)
}

impl LayoutIndex {
    /// Tags in index order, each once.
    pub fn tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for tag in self.manifests.iter().filter_map(tag_of) {
            if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_owned());
            }
        }
        tags
    }

    pub fn find_tag(&self, tag: &str) -> Option<&Descriptor> {
        self.manifests.iter().find(|e| tag_of(e) == Some(tag))
    }

    pub fn find_digest(&self, digest: &Digest) -> Option<&Descriptor> {
        self.manifests.iter().find(|e| &e.digest == digest)
    }

    /// Points `tag` at `entry`. The manifest it pointed at before stays in
    /// the index untagged, as ORAS leaves it, and an untagged entry of the
    /// same manifest is replaced by the tagged one.
    pub fn set_tag(&mut self, mut entry: Descriptor, tag: &str) {
        for existing in &mut self.manifests {
            if tag_of(existing) == Some(tag) {
                existing.annotations.remove(ANNOTATION_REF_NAME);
            }
        }
        let digest = entry.digest.clone();
        self.manifests
            .retain(|e| e.digest != digest || tag_of(e).is_some());
        self.dedupe_untagged();
        entry
            .annotations
            .insert(ANNOTATION_REF_NAME.to_owned(), tag.to_owned());
        self.manifests.push(entry);
    }

    /// Records a manifest pushed by digest, once.
    pub fn add_untagged(&mut self, mut entry: Descriptor) {
        if self.find_digest(&entry.digest).is_none() {
            entry.annotations.remove(ANNOTATION_REF_NAME);
            self.manifests.push(entry);
        }
    }

    /// Takes `tag` off its entry; the manifest stays listed, untagged,
    /// unless another entry lists it. Whether the tag was there.
    pub fn untag(&mut self, tag: &str) -> bool {
        let mut found = false;
        for existing in &mut self.manifests {
            if tag_of(existing) == Some(tag) {
                existing.annotations.remove(ANNOTATION_REF_NAME);
                found = true;
            }
        }
        self.dedupe_untagged();
        found
    }

    /// Removes every entry of `digest`; whether there was one.
    pub fn remove_digest(&mut self, digest: &Digest) -> bool {
        let before = self.manifests.len();
        self.manifests.retain(|e| &e.digest != digest);
        self.manifests.len() != before
    }

    /// Keeps one untagged entry per digest, and none for a digest that is
    /// also tagged.
    fn dedupe_untagged(&mut self) {
        let mut seen: Vec<Digest> = self
            .manifests
            .iter()
            .filter(|e| tag_of(e).is_some())
            .map(|e| e.digest.clone())
            .collect();
        self.manifests.retain(|e| {
            if tag_of(e).is_some() {
                return true;
            }
            if seen.contains(&e.digest) {
                return false;
            }
            seen.push(e.digest.clone());
            true
        });
    }
}

/// How often a read that finds a torn `index.json` tries again: ORAS
/// rewrites the file in place (truncate, then write), so for a moment it
/// can be empty or half written.
const TORN_READ_ATTEMPTS: u32 = 50;
const TORN_READ_PAUSE: std::time::Duration = std::time::Duration::from_millis(2);

/// Reads `index.json`, refusing a symlink and an oversized file. A layout
/// without one (just created) has an empty index.
pub(super) async fn read(layout: &Path) -> Result<LayoutIndex, StoreError> {
    let layout = layout.to_path_buf();
    tokio::task::spawn_blocking(move || read_blocking(&layout).map(|(index, _)| index))
        .await
        .map_err(|e| StoreError::Invalid(format!("reading index.json failed: {e}")))?
}

/// The `index.json` a writer read: the open file and the bytes read from
/// it, so it can tell afterwards whether someone wrote into that file.
pub(super) struct Opened {
    pub file: std::fs::File,
    pub bytes: Vec<u8>,
}

/// `read` for blocking code, with what was opened (`None` when there is no
/// `index.json` yet).
pub(super) fn read_blocking(layout: &Path) -> Result<(LayoutIndex, Option<Opened>), StoreError> {
    let path = layout.join(INDEX_FILE);
    let context = || format!("reading {}", path.display());
    let metadata = match std::fs::symlink_metadata(&path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok((LayoutIndex::default(), None));
        }
        Err(error) => return Err(StoreError::io(context(), error)),
    };
    if !metadata.is_file() {
        return Err(StoreError::Invalid(format!(
            "refusing {}: it is not a regular file (a symbolic link?)",
            path.display()
        )));
    }
    let mut file = std::fs::File::open(&path).map_err(|e| StoreError::io(context(), e))?;
    let (index, bytes) = read_settled(&mut file, &path)?;
    Ok((index, Some(Opened { file, bytes })))
}

/// Reads an open `index.json` from its start until it parses, waiting out
/// a writer caught between truncating and writing it.
pub(super) fn read_settled(
    file: &mut std::fs::File,
    path: &Path,
) -> Result<(LayoutIndex, Vec<u8>), StoreError> {
    let mut attempt = 1;
    loop {
        let bytes = read_capped(file, path)?;
        match parse(&bytes, path) {
            Ok(index) => return Ok((index, bytes)),
            Err(error) if attempt >= TORN_READ_ATTEMPTS => return Err(error),
            Err(_) => {
                attempt += 1;
                std::thread::sleep(TORN_READ_PAUSE);
            }
        }
    }
}

fn read_capped(file: &mut std::fs::File, path: &Path) -> Result<Vec<u8>, StoreError> {
    use std::io::{Read, Seek};
    let context = || format!("reading {}", path.display());
    file.rewind().map_err(|e| StoreError::io(context(), e))?;
    let mut bytes = Vec::new();
    // One byte past the cap tells an oversized file from one at the cap.
    file.take(MAX_INDEX_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| StoreError::io(context(), e))?;
    if bytes.len() as u64 > MAX_INDEX_SIZE {
        return Err(StoreError::TooLarge {
            what: path.display().to_string(),
            limit: MAX_INDEX_SIZE,
        });
    }
    Ok(bytes)
}

fn parse(bytes: &[u8], path: &Path) -> Result<LayoutIndex, StoreError> {
    serde_json::from_slice(bytes)
        .map_err(|e| StoreError::Invalid(format!("{} is not a valid index: {e}", path.display())))
}

/// What identifies one state of `index.json`: it is rewritten by rename
/// (a new inode) here, in place by ORAS (a new mtime and usually length).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct IndexVersion {
    inode: u64,
    modified: Option<std::time::SystemTime>,
    length: u64,
}

/// The current version of `index.json`, or `None` when it cannot be told
/// (then nothing is remembered).
pub(super) async fn version(layout: &Path) -> Option<IndexVersion> {
    let metadata = tokio::fs::symlink_metadata(layout.join(INDEX_FILE))
        .await
        .ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&metadata);
    #[cfg(not(unix))]
    let inode = 0;
    Some(IndexVersion {
        inode,
        modified: Some(metadata.modified().ok()?),
        length: metadata.len(),
    })
}

#[cfg(test)]
mod tests;
