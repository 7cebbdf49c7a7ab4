//! Writing a layout's `index.json` while other programs write it too.
//!
//! regscope processes hold an advisory lock (`flock`) on the layout
//! directory around each read-modify-write, so they never lose each
//! other's entries. ORAS (oras-go's `content/oci` Store, behind `oras
//! --oci-layout`) shares no lock with anyone: it reads `index.json` once,
//! when it opens the layout, keeps it in memory, and after each manifest
//! push and tag rewrites the whole file from that copy in place
//! (`os.WriteFile`: truncate, then write). So we write by rename (a reader
//! never sees half of ours) and then look twice: at the file we replaced,
//! in case ORAS had it open and wrote into it (its entries are carried
//! over), and at the new file, in case ORAS rewrote it from a copy older
//! than ours (ours are applied again on top of what it wrote). What no
//! writer can prevent is ORAS rewriting from an old copy after we last
//! looked; the README says so.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::blobs::{INGEST_DIR, temp_name};
use super::index::{self, INDEX_FILE, LAYOUT_CONTENT, LAYOUT_FILE, LayoutIndex, tag_of};
use crate::oci::{Descriptor, Digest};
use crate::store::StoreError;

/// Rounds of write-and-look before giving up on a file that keeps changing.
const MAX_ROUNDS: usize = 20;

/// One change to `index.json`.
#[derive(Debug, Clone)]
pub(super) enum Change {
    /// Point `tag` at the manifest (the one it named stays, untagged).
    Tag { entry: Descriptor, tag: String },
    /// List a manifest pushed by digest, once.
    Untagged(Descriptor),
    /// Drop every entry of a digest.
    Remove(Digest),
    /// Take a tag off its entry (the manifest stays, untagged).
    Untag(String),
}

impl Change {
    /// Applies the change; whether it removed an entry (or, untagging, a
    /// tag).
    fn apply(&self, index: &mut LayoutIndex) -> bool {
        match self {
            Change::Tag { entry, tag } => index.set_tag(entry.clone(), tag),
            Change::Untagged(entry) => index.add_untagged(entry.clone()),
            Change::Remove(digest) => return index.remove_digest(digest),
            Change::Untag(tag) => return index.untag(tag),
        }
        false
    }

    /// Whether `index` shows the change.
    fn holds(&self, index: &LayoutIndex) -> bool {
        match self {
            Change::Tag { entry, tag } => {
                index.find_tag(tag).map(|e| &e.digest) == Some(&entry.digest)
            }
            Change::Untagged(entry) => index.find_digest(&entry.digest).is_some(),
            Change::Remove(digest) => index.find_digest(digest).is_none(),
            Change::Untag(tag) => index.find_tag(tag).is_none(),
        }
    }
}

/// Applies `changes` to the layout's `index.json`; whether the first
/// reading listed anything the changes removed.
pub(super) async fn update(layout: &Path, changes: Vec<Change>) -> Result<bool, StoreError> {
    let layout = layout.to_path_buf();
    tokio::task::spawn_blocking(move || update_blocking(&layout, &changes))
        .await
        .map_err(|e| StoreError::Invalid(format!("writing index.json failed: {e}")))?
}

fn update_blocking(layout: &Path, changes: &[Change]) -> Result<bool, StoreError> {
    let _lock = lock(layout)?;
    create_if_absent(layout, INDEX_FILE, &empty_index()?)?;
    let path = layout.join(INDEX_FILE);
    // Entries another writer put into a file we then replaced.
    let mut carried: Vec<Change> = Vec::new();
    let mut removed = None;
    for _ in 0..MAX_ROUNDS {
        let (base, opened) = index::read_blocking(layout)?;
        let mut next = base.clone();
        let mut removed_now = false;
        for change in carried.iter().chain(changes) {
            removed_now |= change.apply(&mut next);
        }
        let removed = *removed.get_or_insert(removed_now);
        if next == base {
            return Ok(removed);
        }
        replace(layout, &path, &next)?;
        if let Some(mut replaced) = opened {
            let (theirs, now) = index::read_settled(&mut replaced.file, &path)?;
            if now != replaced.bytes {
                carried.extend(missing_from(&theirs, &next));
                continue;
            }
        }
        let (current, _) = index::read_blocking(layout)?;
        if carried.iter().chain(changes).all(|c| c.holds(&current)) {
            return Ok(removed);
        }
    }
    Err(StoreError::Invalid(format!(
        "{} kept changing while regscope wrote it ({MAX_ROUNDS} tries); another program is \
         rewriting it",
        path.display()
    )))
}

/// What `theirs` lists that `ours` does not, as changes that add it.
fn missing_from(theirs: &LayoutIndex, ours: &LayoutIndex) -> Vec<Change> {
    theirs
        .manifests
        .iter()
        .filter_map(|entry| match tag_of(entry) {
            Some(tag) if ours.find_tag(tag).map(|e| &e.digest) != Some(&entry.digest) => {
                Some(Change::Tag {
                    entry: entry.clone(),
                    tag: tag.to_owned(),
                })
            }
            None if ours.find_digest(&entry.digest).is_none() => {
                Some(Change::Untagged(entry.clone()))
            }
            _ => None,
        })
        .collect()
}

/// Makes `layout` an OCI layout if it is not one yet, without ever
/// replacing a marker or index another writer created meanwhile.
pub(super) fn ensure_layout_blocking(layout: &Path) -> Result<(), StoreError> {
    std::fs::create_dir_all(layout)
        .map_err(|e| StoreError::io(format!("creating {}", layout.display()), e))?;
    create_if_absent(layout, LAYOUT_FILE, LAYOUT_CONTENT)?;
    create_if_absent(layout, INDEX_FILE, &empty_index()?)
}

pub(super) async fn ensure_layout(layout: &Path) -> Result<(), StoreError> {
    let layout = layout.to_path_buf();
    tokio::task::spawn_blocking(move || ensure_layout_blocking(&layout))
        .await
        .map_err(|e| StoreError::Invalid(format!("creating a layout failed: {e}")))?
}

fn empty_index() -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(&LayoutIndex::default())
        .map_err(|e| StoreError::Invalid(format!("cannot serialise an index: {e}")))
}

/// Held while regscope reads, changes and writes `index.json`; released
/// when dropped. Other regscope processes wait for it; ORAS does not.
#[cfg(unix)]
fn lock(layout: &Path) -> Result<Option<File>, StoreError> {
    let context = || format!("locking {}", layout.display());
    let directory = File::open(layout).map_err(|e| StoreError::io(context(), e))?;
    match directory.lock() {
        Ok(()) => Ok(Some(directory)),
        // Where directories cannot be locked the re-reading still guards.
        Err(error) if error.kind() == std::io::ErrorKind::Unsupported => Ok(None),
        Err(error) => Err(StoreError::io(context(), error)),
    }
}

/// Elsewhere a directory cannot be opened as a file to lock it; the
/// re-reading after each write still guards.
#[cfg(not(unix))]
fn lock(_: &Path) -> Result<Option<File>, StoreError> {
    Ok(None)
}

/// Writes `bytes` to a temporary file in the layout's ingest directory.
fn write_temp(layout: &Path, bytes: &[u8], what: &Path) -> Result<PathBuf, StoreError> {
    let context = || format!("writing {}", what.display());
    let ingest = layout.join(INGEST_DIR);
    std::fs::create_dir_all(&ingest).map_err(|e| StoreError::io(context(), e))?;
    let temp = ingest.join(temp_name("index"));
    let written = File::create_new(&temp).and_then(|mut file| file.write_all(bytes));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(StoreError::io(context(), error));
    }
    Ok(temp)
}

/// Replaces `index.json` atomically.
fn replace(layout: &Path, path: &Path, index: &LayoutIndex) -> Result<(), StoreError> {
    let bytes = serde_json::to_vec(index)
        .map_err(|e| StoreError::Invalid(format!("cannot serialise the index: {e}")))?;
    let temp = write_temp(layout, &bytes, path)?;
    if let Err(error) = std::fs::rename(&temp, path) {
        let _ = std::fs::remove_file(&temp);
        return Err(StoreError::io(format!("writing {}", path.display()), error));
    }
    Ok(())
}

/// Creates `layout/name` holding `bytes` unless it exists: a hard link
/// from a complete temporary file, so the file appears whole or not at
/// all, and never over one another writer made first.
fn create_if_absent(layout: &Path, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
    let path = layout.join(name);
    if std::fs::symlink_metadata(&path).is_ok() {
        return Ok(());
    }
    let temp = write_temp(layout, bytes, &path)?;
    let linked = std::fs::hard_link(&temp, &path);
    let _ = std::fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        // A filesystem without hard links: exclusive creation still never
        // replaces another writer's file.
        Err(_) => match File::create_new(&path).and_then(|mut file| file.write_all(bytes)) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(error) => Err(StoreError::io(
                format!("creating {}", path.display()),
                error,
            )),
        },
    }
}
