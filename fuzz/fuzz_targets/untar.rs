//! The tar unpack policy. An input is a small text, one tar entry a line
//! (`d NAME MODE`, `f NAME MODE`, `l NAME TARGET`, `h NAME TARGET`,
//! `p NAME`, `? NAME`), so the committed seeds in `fuzz/corpus/untar` read
//! as the attacks they are (chains of `..` links, hard links to
//! directories, a directory over a symlink, a symlink over a directory)
//! and mutations stay tars. Names and targets go into the headers byte for
//! byte. The oracle sees every effect outside the unpack directory: the
//! directory's ancestors up to a temporary root and a sibling directory
//! are snapshot before and after (entries, modes, owners, times, link
//! targets) and must not differ; and when the unpack succeeds, every link
//! left behind resolves inside.
#![no_main]

use std::fs;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
use libfuzzer_sys::fuzz_target;
use regscope::ops::untar::{UnpackLimits, unpack_directory};

/// How deep the unpack directory sits inside the watched tree: deeper than
/// the `..`s a 100-byte link target can hold.
const DEPTH: usize = 12;

/// One line as a tar header; `None` for a line that is no entry.
fn header(line: &[u8]) -> Option<(tar::Header, &'static [u8])> {
    let mut fields = line.splitn(3, |&b| b == b' ');
    let kind = fields.next()?;
    let name = fields.next()?;
    let rest = fields.next().unwrap_or_default();
    let mode = std::str::from_utf8(rest)
        .ok()
        .and_then(|text| u32::from_str_radix(text.trim(), 8).ok())
        .unwrap_or(0o644);
    let (entry_type, link, body): (_, &[u8], &'static [u8]) = match kind {
        b"d" => (tar::EntryType::Directory, b"", b""),
        b"f" => (tar::EntryType::Regular, b"", b"content\n"),
        b"l" => (tar::EntryType::Symlink, rest, b""),
        b"h" => (tar::EntryType::Link, rest, b""),
        b"p" => (tar::EntryType::Fifo, b"", b""),
        b"?" => (tar::EntryType::new(b'X'), b"", b""),
        _ => return None,
    };
    let mut header = tar::Header::new_gnu();
    let old = header.as_old_mut();
    let n = name.len().min(old.name.len());
    old.name[..n].copy_from_slice(&name[..n]);
    let n = link.len().min(old.linkname.len());
    old.linkname[..n].copy_from_slice(&link[..n]);
    header.set_entry_type(entry_type);
    header.set_mode(mode);
    header.set_mtime(1_600_000_000);
    header.set_size(body.len() as u64);
    header.set_cksum();
    Some((header, body))
}

fn gzip_tar(input: &[u8]) -> Option<Vec<u8>> {
    let mut archive = GzEncoder::new(Vec::new(), Compression::fast());
    {
        let mut builder = tar::Builder::new(&mut archive);
        for line in input.split(|&b| b == b'\n').take(32) {
            if let Some((header, body)) = header(line) {
                builder.append(&header, body).ok()?;
            }
        }
        builder.finish().ok()?;
    }
    archive.finish().ok()
}

/// What a path is: kind, mode, owner, times, link target, size.
fn describe(path: &Path, with_times: bool) -> String {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return format!("{} missing", path.display());
    };
    let mut line = format!(
        "{} {:o} {}:{} {:?} {}",
        path.display(),
        meta.mode(),
        meta.uid(),
        meta.gid(),
        fs::read_link(path).ok(),
        meta.len()
    );
    if with_times {
        let times = (
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ctime(),
            meta.ctime_nsec(),
        );
        line.push_str(&format!(" {times:?}"));
    }
    line
}

/// The unpack directory's owner, each ancestor up to `root` with its
/// entries, and everything below `sibling`.
fn snapshot(root: &Path, dest: &Path, sibling: &Path) -> Vec<String> {
    // The title's own entry may set the unpack directory's mode: only its
    // owner is watched.
    let meta = fs::symlink_metadata(dest).expect("dest");
    let mut lines = vec![format!("dest {}:{}", meta.uid(), meta.gid())];
    for ancestor in dest.ancestors().skip(1) {
        lines.push(describe(ancestor, true));
        let mut names: Vec<_> = fs::read_dir(ancestor)
            .expect("ancestor")
            .map(|e| e.expect("entry").file_name())
            .collect();
        names.sort();
        lines.push(format!("{} holds {names:?}", ancestor.display()));
        if ancestor == root {
            break;
        }
    }
    let mut stack = vec![sibling.to_path_buf()];
    while let Some(path) = stack.pop() {
        lines.push(describe(&path, true));
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            for child in fs::read_dir(&path).expect("sibling") {
                stack.push(child.expect("entry").path());
            }
        }
    }
    lines.sort();
    lines
}

/// Everything below `root`, not following links.
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

fuzz_target!(|input: &[u8]| {
    let Some(gzip) = gzip_tar(input) else { return };
    let watched = tempfile::tempdir().expect("temp dir");
    let tar_path = watched.path().join("blob.tar.gz");
    fs::File::create(&tar_path)
        .and_then(|mut f| f.write_all(&gzip))
        .expect("write the tar");
    let mut parent = watched.path().to_path_buf();
    for level in 0..DEPTH {
        parent.push(format!("l{level}"));
    }
    let dest = parent.join("out");
    fs::create_dir_all(&dest).expect("unpack dir");
    let sibling = parent.join("sibling");
    fs::create_dir_all(sibling.join("inner")).expect("sibling");
    fs::write(sibling.join("file"), b"the sibling's").expect("sibling file");
    std::os::unix::fs::symlink("file", sibling.join("link")).expect("sibling link");
    let before = snapshot(watched.path(), &dest, &sibling);

    let limits = UnpackLimits {
        max_bytes: 1 << 20,
        max_entries: 64,
        max_ratio: 1000,
        ratio_floor: 1 << 20,
    };
    let result = unpack_directory(&tar_path, &dest, Path::new("dir"), None, limits);

    let after = snapshot(watched.path(), &dest, &sibling);
    if after != before {
        let gone: Vec<_> = before.iter().filter(|line| !after.contains(line)).collect();
        let new: Vec<_> = after.iter().filter(|line| !before.contains(line)).collect();
        panic!("outside the unpack directory changed ({result:?}):\nwas {gone:#?}\nnow {new:#?}");
    }
    if result.is_ok() {
        let root = fs::canonicalize(&dest).expect("canonical dest");
        let mut inside = Vec::new();
        walk(&dest, &mut inside);
        for path in inside {
            if let Ok(resolved) = fs::canonicalize(&path) {
                assert!(
                    resolved.starts_with(&root),
                    "{path:?} resolves to {resolved:?}, outside {root:?}"
                );
            }
        }
    }
});
