//! The tar unpack policy: a fuzzed tar (built from fuzzed entries, so names
//! like `../x`, links and link chains are reached quickly) unpacked into a
//! directory never creates anything outside it, and when the unpack
//! succeeds every link left behind resolves inside it.
#![no_main]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use arbitrary::Arbitrary;
use flate2::Compression;
use flate2::write::GzEncoder;
use libfuzzer_sys::fuzz_target;
use regscope::ops::untar::{UnpackLimits, unpack_directory};

/// Path components the fuzzer assembles names and link targets from.
const PARTS: [&str; 10] = ["dir", "a", "b", "..", ".", "s", "", "/", "dir/a", "x"];
/// How deep the unpack directory sits inside the watched tree.
const DEPTH: usize = 12;

#[derive(Debug, Arbitrary)]
struct Entry {
    name: Vec<u8>,
    kind: u8,
    link: Vec<u8>,
    data: Vec<u8>,
    mode: u16,
}

fn assemble(parts: &[u8]) -> Vec<u8> {
    parts
        .iter()
        .take(12)
        .map(|&p| PARTS[usize::from(p) % PARTS.len()])
        .collect::<Vec<_>>()
        .join("/")
        .into_bytes()
}

fn header(entry: &Entry) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    let name = assemble(&entry.name);
    let link = assemble(&entry.link);
    let old = header.as_old_mut();
    let n = name.len().min(old.name.len());
    old.name[..n].copy_from_slice(&name[..n]);
    let n = link.len().min(old.linkname.len());
    old.linkname[..n].copy_from_slice(&link[..n]);
    let kind = match entry.kind % 8 {
        0 | 1 => tar::EntryType::Regular,
        2 => tar::EntryType::Directory,
        3 | 4 => tar::EntryType::Symlink,
        5 => tar::EntryType::Link,
        6 => tar::EntryType::Fifo,
        _ => tar::EntryType::new(entry.kind),
    };
    header.set_entry_type(kind);
    header.set_mode(u32::from(entry.mode));
    let size = if kind.is_file() { entry.data.len() } else { 0 };
    header.set_size(size as u64);
    header.set_cksum();
    header
}

/// Everything under `root`, not following links.
fn walk(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(children) = fs::read_dir(root) else {
        return;
    };
    for child in children.flatten() {
        let path = child.path();
        out.push(path.clone());
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            walk(&path, out);
        }
    }
}

fuzz_target!(|entries: Vec<Entry>| {
    let mut archive = GzEncoder::new(Vec::new(), Compression::fast());
    {
        let mut builder = tar::Builder::new(&mut archive);
        for entry in entries.iter().take(24) {
            let header = header(entry);
            let data: &[u8] = if header.entry_type().is_file() {
                &entry.data
            } else {
                &[]
            };
            if builder.append(&header, data).is_err() {
                return;
            }
        }
        if builder.finish().is_err() {
            return;
        }
    }
    let Ok(gzip) = archive.finish() else { return };

    let watched = tempfile::tempdir().expect("temp dir");
    let mut parent = watched.path().to_path_buf();
    for level in 0..DEPTH {
        parent.push(format!("l{level}"));
    }
    let dest = parent.join("out");
    fs::create_dir_all(&dest).expect("unpack dir");
    let tar_path = watched.path().join("blob.tar.gz");
    fs::File::create(&tar_path)
        .and_then(|mut f| f.write_all(&gzip))
        .expect("write the tar");
    let mut before = Vec::new();
    walk(watched.path(), &mut before);

    let limits = UnpackLimits {
        max_bytes: 1 << 20,
        max_entries: 64,
        max_ratio: 1000,
        ratio_floor: 1 << 20,
    };
    let result = unpack_directory(&tar_path, &dest, Path::new("dir"), None, limits);

    let mut after = Vec::new();
    walk(watched.path(), &mut after);
    for path in &after {
        assert!(
            before.contains(path) || path.starts_with(&dest),
            "{path:?} was created outside {dest:?} ({result:?})"
        );
    }
    if result.is_ok() {
        let root = fs::canonicalize(&dest).expect("canonical dest");
        for path in after.iter().filter(|p| p.starts_with(&dest)) {
            if let Ok(resolved) = fs::canonicalize(path) {
                assert!(
                    resolved.starts_with(&root),
                    "{path:?} resolves to {resolved:?}, outside {root:?}"
                );
            }
        }
    }
});
