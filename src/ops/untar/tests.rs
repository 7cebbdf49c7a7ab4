//! The unpacker on archives built entry by entry, names written byte for
//! byte: what an honest directory gives, what a hostile one is refused, the
//! digest and the caps. Each refused case must leave everything outside the
//! unpack directory as it was.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

use super::*;

mod chains;

enum Item<'a> {
    File(&'a str, &'a [u8], u32),
    Dir(&'a str),
    DirMode(&'a str, u32),
    Symlink(&'a str, &'a str),
    HardLink(&'a str, &'a str),
    Fifo(&'a str),
}

/// Writes names byte for byte: `tar::Header::set_path` refuses `..`, and
/// the point is to feed the unpacker what a hostile registry would.
fn raw_header(kind: EntryType, name: &str, link: &str, size: u64, mode: u32) -> tar::Header {
    let mut header = tar::Header::new_old();
    header.set_entry_type(kind);
    header.set_size(size);
    header.set_mode(mode);
    header.set_mtime(1_500_000_000);
    let old = header.as_old_mut();
    old.name[..name.len()].copy_from_slice(name.as_bytes());
    old.linkname[..link.len()].copy_from_slice(link.as_bytes());
    header.set_cksum();
    header
}

/// Writes a gzip tar of `items` to a file; returns (path, tar digest).
fn archive(dir: &Path, items: &[Item<'_>]) -> (PathBuf, Digest) {
    let mut builder = tar::Builder::new(Vec::new());
    for item in items {
        let (header, body): (tar::Header, &[u8]) = match item {
            Item::File(name, body, mode) => (
                raw_header(EntryType::Regular, name, "", body.len() as u64, *mode),
                body,
            ),
            Item::Dir(name) => (raw_header(EntryType::Directory, name, "", 0, 0o755), b""),
            Item::DirMode(name, mode) => {
                (raw_header(EntryType::Directory, name, "", 0, *mode), b"")
            }
            Item::Symlink(name, target) => {
                (raw_header(EntryType::Symlink, name, target, 0, 0o777), b"")
            }
            Item::HardLink(name, target) => {
                (raw_header(EntryType::Link, name, target, 0, 0o644), b"")
            }
            Item::Fifo(name) => (raw_header(EntryType::Fifo, name, "", 0, 0o644), b""),
        };
        builder.append(&header, body).expect("append");
    }
    let tar_bytes = builder.into_inner().expect("tar");
    let digest = Digest::sha256_of(&tar_bytes);
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(&tar_bytes).expect("gzip");
    let path = dir.join("archive.tar.gz");
    fs::write(&path, gz.finish().expect("gzip")).expect("write archive");
    (path, digest)
}

/// A temporary root holding the unpack directory `out` and a directory
/// `outside` beside it (a file, a symlink to it).
fn ground() -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("tempdir");
    fs::create_dir(root.path().join("out")).expect("dest");
    let outside = root.path().join("outside");
    fs::create_dir(&outside).expect("outside");
    fs::write(outside.join("keep"), b"keep").expect("keep");
    std::os::unix::fs::symlink("keep", outside.join("keep-link")).expect("symlink");
    root
}

/// What an unpack into `root/out` may not change: `root` itself (mode,
/// owner, times) and everything below it but `out`.
fn watched(root: &Path) -> Vec<String> {
    use std::os::unix::fs::MetadataExt;
    let mut lines = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = fs::symlink_metadata(&path).expect("meta");
        let link = fs::read_link(&path).ok();
        let times = (
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ctime(),
            meta.ctime_nsec(),
        );
        lines.push(format!(
            "{} {:o} {}:{} {times:?} {link:?} {}",
            path.display(),
            meta.mode(),
            meta.uid(),
            meta.gid(),
            meta.len()
        ));
        if meta.is_dir() {
            for child in fs::read_dir(&path).expect("read_dir") {
                let child = child.expect("entry").path();
                if child != root.join("out") {
                    stack.push(child);
                }
            }
        }
    }
    lines.sort();
    lines
}

/// Unpacks `items` into `root/out`; the archive is written elsewhere, so
/// `root` itself is left as it was.
fn unpack_in(root: &Path, items: &[Item<'_>]) -> Result<u64, OpError> {
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let (path, digest) = archive(elsewhere.path(), items);
    unpack_directory(
        &path,
        &root.join("out"),
        Path::new("details"),
        Some(&digest),
        UnpackLimits::default(),
    )
}

fn unpack(items: &[Item<'_>]) -> (tempfile::TempDir, Result<u64, OpError>) {
    let root = ground();
    let result = unpack_in(root.path(), items);
    (root, result)
}

#[test]
fn unpacks_files_dirs_and_inner_links_stripping_the_title() {
    let (root, result) = unpack(&[
        Item::DirMode("details/", 0o2750),
        Item::File("details/a.txt", b"hello", 0o4755),
        Item::Dir("details/sub/"),
        Item::Symlink("details/sub/to-a", "../a.txt"),
        Item::HardLink("details/b.txt", "details/a.txt"),
    ]);
    assert_eq!(result.expect("unpacks"), 5);
    let out = root.path().join("out");
    assert_eq!(fs::read(out.join("a.txt")).expect("a"), b"hello");
    assert_eq!(fs::read(out.join("sub/to-a")).expect("link"), b"hello");
    assert_eq!(fs::read(out.join("b.txt")).expect("hard link"), b"hello");
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(out.join("a.txt")).expect("meta");
    let umask = crate::ops::beneath::umask();
    assert_eq!(meta.mode() & 0o7777, 0o755 & !umask, "setuid dropped");
    assert_eq!(meta.mtime(), 1_500_000_000, "the header's time");
    // The title's own entry gives the unpacked root its mode.
    let root_mode = fs::metadata(&out).expect("meta").mode() & 0o7777;
    assert_eq!(root_mode, 0o750 & !umask);
}

#[test]
fn refuses_escapes() {
    let cases: Vec<Vec<Item<'_>>> = vec![
        vec![Item::File("details/../../x", b"x", 0o644)],
        vec![Item::File("other/x", b"x", 0o644)],
        vec![Item::Symlink("details/out", "../../outside")],
        vec![Item::Symlink("details/abs", "/etc")],
        vec![
            Item::Symlink("details/up", "."),
            Item::Symlink("details/esc", "up/../.."),
        ],
        vec![
            Item::Dir("details/dir/"),
            Item::Symlink("details/dir/s", ".."),
            Item::Symlink("details/t", "dir/s/.."),
        ],
        vec![Item::HardLink("details/h", "/etc/passwd")],
        vec![Item::HardLink("details/h", "details/missing")],
        vec![Item::Fifo("details/fifo")],
    ];
    for items in cases {
        refused_touching_nothing_outside(&items, "");
    }
}

/// Unpacks `items` into a fresh ground: refused, for a reason containing
/// `why`, and nothing outside `out` changed.
fn refused_touching_nothing_outside(items: &[Item<'_>], why: &str) {
    let root = ground();
    let before = watched(root.path());
    let result = unpack_in(root.path(), items);
    match &result {
        Err(OpError::UnsafePath { reason, .. }) if reason.contains(why) => {}
        other => panic!("not refused for {why:?}: {other:?}"),
    }
    assert_eq!(watched(root.path()), before, "something outside changed");
}

#[test]
fn checks_the_uncompressed_digest_and_the_caps() {
    let root = tempfile::tempdir().expect("tempdir");
    let (path, _) = archive(root.path(), &[Item::File("details/a", b"abc", 0o644)]);
    let dest = root.path().join("out");
    fs::create_dir(&dest).expect("dest");
    let wrong = Digest::sha256_of(b"not the tar");
    let result = unpack_directory(
        &path,
        &dest,
        Path::new("details"),
        Some(&wrong),
        UnpackLimits::default(),
    );
    assert!(matches!(result, Err(OpError::ContentDigest { .. })));
    let tiny = UnpackLimits {
        max_bytes: 100,
        max_entries: 10,
        ..UnpackLimits::default()
    };
    let result = unpack_directory(&path, &dest, Path::new("details"), None, tiny);
    assert!(matches!(result, Err(OpError::Io { .. })), "{result:?}");
    let few = UnpackLimits {
        max_bytes: 1 << 20,
        max_entries: 0,
        ..UnpackLimits::default()
    };
    let result = unpack_directory(&path, &dest, Path::new("details"), None, few);
    assert!(matches!(result, Err(OpError::Invalid(_))), "{result:?}");
}

#[test]
fn a_decompression_bomb_fails_after_little_writing() {
    let root = tempfile::tempdir().expect("tempdir");
    let zeros = vec![0u8; 4 * 1024 * 1024];
    let (path, _) = archive(root.path(), &[Item::File("details/zeros", &zeros, 0o644)]);
    let compressed = fs::metadata(&path).expect("meta").len();
    let dest = root.path().join("out");
    fs::create_dir(&dest).expect("dest");
    let strict = UnpackLimits {
        ratio_floor: 0,
        max_ratio: 10,
        ..UnpackLimits::default()
    };
    assert!(
        strict.byte_limit(compressed) < 1024 * 1024,
        "zeros compress far beyond 10:1"
    );
    let result = unpack_directory(&path, &dest, Path::new("details"), None, strict);
    assert!(matches!(result, Err(OpError::Io { .. })), "{result:?}");
    let written = fs::metadata(dest.join("zeros")).map_or(0, |m| m.len());
    assert!(
        written <= strict.byte_limit(compressed),
        "wrote {written} bytes"
    );
}
