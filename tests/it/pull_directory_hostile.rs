//! Directory artifacts whose tar builds a chain of symlinks out of the
//! output, then asks to touch what the chain reaches (issue 23): pushed to
//! a real registry, pulled with the real binary. The pull must fail naming
//! the entry, and the output directory, every ancestor up to a temporary
//! root and a sibling directory must keep their entries, modes, owners and
//! times.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::cli::regscope_output;
use crate::cli_pull::{Blob, push_artifact, snapshot, unpack_blob};
use crate::support::{Oras, Registry, sha256_digest};

mod watched;

use self::watched::watched;

/// One tar entry, written byte for byte (`tar::Header::set_path` refuses
/// `..`, and the point is to send what a hostile pusher would).
#[derive(Clone, Copy)]
pub(crate) enum Entry<'a> {
    Dir(&'a str, u32),
    File(&'a str, &'a [u8], u32),
    Symlink(&'a str, &'a str),
    HardLink(&'a str, &'a str),
}

fn header(kind: tar::EntryType, name: &str, link: &str, size: usize, mode: u32) -> tar::Header {
    let mut header = tar::Header::new_old();
    header.set_entry_type(kind);
    header.set_size(size as u64);
    header.set_mode(mode);
    header.set_mtime(1_600_000_000);
    let old = header.as_old_mut();
    old.name[..name.len()].copy_from_slice(name.as_bytes());
    old.linkname[..link.len()].copy_from_slice(link.as_bytes());
    header.set_cksum();
    header
}

/// A gzip tar of `entries`, annotated as an ORAS directory titled `d`
/// with its uncompressed digest.
fn directory(entries: &[Entry<'_>]) -> Blob {
    use tar::EntryType::{Directory, Link, Regular, Symlink};
    let mut builder = tar::Builder::new(Vec::new());
    for entry in entries {
        let (head, body): (tar::Header, &[u8]) = match *entry {
            Entry::Dir(name, mode) => (header(Directory, name, "", 0, mode), b""),
            Entry::File(name, body, mode) => (header(Regular, name, "", body.len(), mode), body),
            Entry::Symlink(name, to) => (header(Symlink, name, to, 0, 0o777), b""),
            Entry::HardLink(name, to) => (header(Link, name, to, 0, 0o644), b""),
        };
        builder.append(&head, body).unwrap();
    }
    let tar = builder.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar).unwrap();
    unpack_blob("d", gz.finish().unwrap(), Some(&sha256_digest(&tar)))
}

/// A registry and oras, shared by the cases.
pub(crate) struct Ground {
    registry: Registry,
    pub(crate) oras: Oras,
    work: tempfile::TempDir,
}

/// A temporary root holding `a/b/out/inner` (the output, below a private
/// directory, itself private) and `a/b/out/sibling`: one per case, so each
/// case's effects are its own.
pub(crate) struct Scene {
    pub(crate) root: tempfile::TempDir,
}

impl Scene {
    pub(crate) fn new() -> Scene {
        let scene = Scene {
            root: tempfile::tempdir().unwrap(),
        };
        for dir in [scene.output(), scene.sibling()] {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(scene.sibling().join("keep"), b"the sibling's file").unwrap();
        std::os::unix::fs::symlink("keep", scene.sibling().join("keep-link")).unwrap();
        for private in [scene.output(), scene.output().parent().unwrap().to_owned()] {
            std::fs::set_permissions(private, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        scene
    }
    pub(crate) fn output(&self) -> PathBuf {
        self.root.path().join("a/b/out/inner")
    }
    fn sibling(&self) -> PathBuf {
        self.root.path().join("a/b/out/sibling")
    }
    fn watched(&self) -> Vec<(PathBuf, String)> {
        watched(self.root.path(), &self.output(), &self.sibling())
    }
}

impl Ground {
    pub(crate) fn new() -> Ground {
        let registry = Registry::distribution();
        let oras = Oras::for_registry(&registry);
        Ground {
            registry,
            oras,
            work: tempfile::tempdir().unwrap(),
        }
    }
    pub(crate) fn push(&self, tag: &str, entries: &[Entry<'_>]) -> String {
        let blobs = [directory(entries)];
        push_artifact(&self.oras, &self.registry, self.work.path(), tag, &blobs)
    }
    pub(crate) fn pull(&self, reference: &str, output: &Path) -> std::process::Output {
        let output = output.to_str().unwrap();
        regscope_output(self.work.path(), &["pull", reference, "-o", output])
    }
}

/// `d/x/s -> ..` resolves to `d` (the directory the pull unpacks into,
/// inside the output); `d/t -> x/s` followed by `ups` times `..` then
/// climbs `ups` directories above it: to the output with 1, to its parent
/// with 2.
fn chain(ups: usize) -> String {
    format!("x/s{}", "/..".repeat(ups))
}

#[test]
fn a_chain_of_symlinks_touches_nothing_outside_the_output() {
    let ground = Ground::new();
    let to_parent = chain(2);
    let to_output = chain(1);
    let to_a = chain(4);
    let cases = chain_cases(&to_parent, &to_output, &to_a);
    let mut failures = Vec::new();
    for (tag, entries, named) in cases {
        let reference = ground.push(tag, &entries);
        let scene = Scene::new();
        let before = scene.watched();
        let result = ground.pull(&reference, &scene.output());
        let stderr = String::from_utf8_lossy(&result.stderr);
        let after = scene.watched();
        let changed: Vec<_> = after.iter().filter(|line| !before.contains(line)).collect();
        if result.status.success() || !stderr.contains(named) || !changed.is_empty() {
            failures.push(format!(
                "{tag}: success {}, changed outside {changed:?}\n  {}",
                result.status.success(),
                stderr.trim()
            ));
        }
        assert_eq!(snapshot(&scene.output()), Vec::new(), "{tag}: left behind");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each chain of symlinks (to the output's parent, to the output, further
/// up, one level deeper), a file and a hard link through one, a hard link
/// to a directory, and a directory replaced by a symlink; with the entry
/// the refusal must name.
fn chain_cases<'a>(
    to_parent: &'a str,
    to_output: &'a str,
    to_a: &'a str,
) -> Vec<(&'static str, Vec<Entry<'a>>, &'static str)> {
    let deep = "x/y/s/../../..";
    let to_b_via_y = "y/s/../../..";
    use Entry::{Dir, File, HardLink, Symlink};
    vec![
        (
            // The four entries: the output's parent went 700 -> 777.
            "chain-to-parent",
            vec![
                Dir("d/x/", 0o755),
                Symlink("d/x/s", ".."),
                Symlink("d/t", to_parent),
                Dir("d/t/", 0o777),
            ],
            "d/t",
        ),
        (
            // One `..` fewer: the output itself went 777.
            "chain-to-output",
            vec![
                Dir("d/x/", 0o755),
                Symlink("d/x/s", ".."),
                Symlink("d/t", to_output),
                Dir("d/t/", 0o777),
            ],
            "d/t",
        ),
        (
            "chain-to-a",
            vec![
                Dir("d/x/", 0o755),
                Symlink("d/x/s", ".."),
                Symlink("d/t", to_a),
                Dir("d/t/", 0o777),
            ],
            "d/t",
        ),
        (
            // The `..` one level deeper.
            "chain-deep",
            vec![
                Dir("d/x/y/", 0o755),
                Symlink("d/x/y/s", "../.."),
                Symlink("d/t", deep),
                Dir("d/t/", 0o777),
            ],
            "d/t",
        ),
        (
            // A file written through the chain into the sibling.
            "file-through-chain",
            vec![
                Dir("d/x/", 0o755),
                Symlink("d/x/s", ".."),
                Symlink("d/t", to_parent),
                File("d/t/sibling/keep", b"overwritten", 0o666),
            ],
            "d/t",
        ),
        (
            // The sibling's file hard-linked into the output.
            "hard-link-through-chain",
            vec![
                Dir("d/x/", 0o755),
                Symlink("d/x/s", ".."),
                Symlink("d/t", to_parent),
                HardLink("d/stolen", "d/t/sibling/keep"),
            ],
            "d/stolen",
        ),
        (
            "hard-link-to-a-directory",
            vec![Dir("d/x/", 0o755), HardLink("d/h", "d/x")],
            "d/h",
        ),
        (
            // A directory replaced by a symlink up and out, then touched.
            "symlink-replacing-a-directory",
            vec![
                Dir("d/y/", 0o755),
                Symlink("d/y/s", ".."),
                Dir("d/z/", 0o755),
                Symlink("d/z", to_b_via_y),
                Dir("d/z/", 0o777),
            ],
            "d/z",
        ),
    ]
}
