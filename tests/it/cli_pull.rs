//! Path traversal: hostile artifacts pushed with `oras blob push` and
//! `oras manifest push`, pulled with `regscope pull`. Each must be refused
//! with a message naming the entry, nothing may appear outside the output
//! directory, and nothing may be left half-written inside it (an existing
//! file keeps its content).

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use crate::cli::regscope_output;
use crate::support::{Oras, Registry, media, sha256_digest};

pub(crate) struct Blob {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    pub annotations: Value,
}

pub(crate) fn file_blob(title: &str, bytes: &[u8]) -> Blob {
    Blob {
        bytes: bytes.to_vec(),
        media_type: "application/octet-stream",
        annotations: json!({ "org.opencontainers.image.title": title }),
    }
}

/// A gzip tar of raw entries (names written byte for byte, as a hostile
/// pusher would), annotated as an ORAS directory titled `title`.
pub(crate) fn dir_blob(
    title: &str,
    entries: &[(&str, tar::EntryType, &str, &[u8])],
    tar_digest: Option<&str>,
) -> Blob {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, kind, link, body) in entries {
        let mut header = tar::Header::new_old();
        header.set_entry_type(*kind);
        header.set_size(body.len() as u64);
        header.set_mode(0o755);
        header.set_mtime(0);
        let old = header.as_old_mut();
        old.name[..name.len()].copy_from_slice(name.as_bytes());
        old.linkname[..link.len()].copy_from_slice(link.as_bytes());
        header.set_cksum();
        builder.append(&header, *body).unwrap();
    }
    let tar = builder.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar).unwrap();
    let digest = tar_digest.map_or_else(|| sha256_digest(&tar), str::to_owned);
    unpack_blob(title, gz.finish().unwrap(), Some(&digest))
}

/// A gzip tar annotated as an ORAS directory titled `title`, with the
/// uncompressed digest when given.
pub(crate) fn unpack_blob(title: &str, gzip: Vec<u8>, tar_digest: Option<&str>) -> Blob {
    let mut annotations = json!({
        "org.opencontainers.image.title": title,
        "io.deis.oras.content.unpack": "true",
    });
    if let Some(digest) = tar_digest {
        annotations["io.deis.oras.content.digest"] = json!(digest);
    }
    Blob {
        bytes: gzip,
        media_type: media::OCI_LAYER_GZIP,
        annotations,
    }
}

/// Pushes the blobs and an artifact manifest of them; returns its reference.
pub(crate) fn push_artifact(
    oras: &Oras,
    registry: &Registry,
    work: &Path,
    tag: &str,
    blobs: &[Blob],
) -> String {
    let repo = registry.reference("hostile");
    let empty = work.join("empty.json");
    std::fs::write(&empty, b"{}").unwrap();
    oras.run(&["blob", "push", &repo, empty.to_str().unwrap()]);
    let mut layers = Vec::new();
    for (i, blob) in blobs.iter().enumerate() {
        let path = work.join(format!("blob-{tag}-{i}"));
        std::fs::write(&path, &blob.bytes).unwrap();
        oras.run(&["blob", "push", &repo, path.to_str().unwrap()]);
        layers.push(json!({
            "mediaType": blob.media_type,
            "digest": sha256_digest(&blob.bytes),
            "size": blob.bytes.len(),
            "annotations": blob.annotations,
        }));
    }
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": media::OCI_MANIFEST,
        "artifactType": "hostile/example",
        "config": {"mediaType": media::OCI_EMPTY, "digest": sha256_digest(b"{}"), "size": 2},
        "layers": layers,
    });
    let path = work.join(format!("manifest-{tag}.json"));
    std::fs::write(&path, serde_json::to_vec(&manifest).unwrap()).unwrap();
    let reference = registry.reference(&format!("hostile:{tag}"));
    oras.run(&["manifest", "push", &reference, path.to_str().unwrap()]);
    reference
}

/// Every path below `root`, sorted, with file contents.
pub(crate) fn snapshot(root: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
                out.push((rel, None));
            } else if meta.file_type().is_symlink() {
                out.push((rel, Some(b"<symlink>".to_vec())));
            } else {
                out.push((rel, Some(std::fs::read(&path).unwrap())));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn hostile_titles_and_tars_are_refused_and_nothing_is_written() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let sandbox = tempfile::tempdir().unwrap();
    let work = sandbox.path().join("work");
    let out = sandbox.path().join("sandbox/out");
    let outside = sandbox.path().join("outside");
    for dir in [&work, &out, &outside] {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(out.join("report.txt"), b"old report\n").unwrap();
    std::os::unix::fs::symlink(&outside, out.join("link")).unwrap();
    let absolute = outside.join("abs-x").display().to_string();

    let cases = hostile_cases(&absolute);
    let before_out = snapshot(&out);
    let before_outside = snapshot(&outside);
    for (tag, blobs, expected) in cases {
        let reference = push_artifact(&oras, &registry, &work, tag, &blobs);
        let result = regscope_output(&work, &["pull", &reference, "-o", out.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(!result.status.success(), "{tag}: pull succeeded");
        assert!(
            stderr.contains(expected),
            "{tag}: error does not name {expected:?}:\n{stderr}"
        );
        assert_eq!(
            snapshot(&out),
            before_out,
            "{tag}: the output directory changed"
        );
        assert_eq!(
            snapshot(&outside),
            before_outside,
            "{tag}: something was written outside"
        );
        assert!(!sandbox.path().join("sandbox/x").exists() && !sandbox.path().join("x").exists());
    }

    // The same directory still takes an honest pull.
    let honest = push_artifact(
        &oras,
        &registry,
        &work,
        "honest",
        &[file_blob("report.txt", b"new report\n")],
    );
    let result = regscope_output(&work, &["pull", &honest, "-o", out.to_str().unwrap()]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert_eq!(
        std::fs::read(out.join("report.txt")).unwrap(),
        b"new report\n"
    );
}

/// Each hostile artifact, by tag, with what the refusal must name: names
/// that climb out or are absolute, a path through an existing symlink, a
/// duplicate, a tar whose symlink or name leads out, and a directory whose
/// content digest is wrong beside a good file.
fn hostile_cases(absolute: &str) -> Vec<(&'static str, Vec<Blob>, &'static str)> {
    use tar::EntryType::{Directory, Regular, Symlink};
    vec![
        (
            "dotdot",
            vec![file_blob("good.txt", b"good"), file_blob("../x", b"evil")],
            "../x",
        ),
        ("absolute", vec![file_blob(absolute, b"evil")], "abs-x"),
        (
            "nested-dotdot",
            vec![file_blob("a/../../x", b"evil")],
            "a/../../x",
        ),
        (
            "through-existing-symlink",
            vec![file_blob("link/x", b"evil")],
            "link",
        ),
        (
            "duplicate",
            vec![file_blob("dup.txt", b"1"), file_blob("./dup.txt", b"2")],
            "dup.txt",
        ),
        (
            "tar-symlink-out",
            vec![dir_blob(
                "d",
                &[
                    ("d/", Directory, "", b""),
                    ("d/link", Symlink, "../../../outside", b""),
                    ("d/link/escaped.txt", Regular, "", b"evil"),
                ],
                None,
            )],
            "d/link",
        ),
        (
            "tar-dotdot",
            vec![dir_blob("d", &[("d/../../x", Regular, "", b"evil")], None)],
            "d/../../x",
        ),
        (
            // Valid names, but the directory's uncompressed digest is wrong:
            // the good file beside it must not replace the existing one.
            "bad-content-digest",
            vec![
                file_blob("report.txt", b"new report\n"),
                dir_blob(
                    "d",
                    &[("d/", Directory, "", b""), ("d/a", Regular, "", b"a")],
                    Some(&sha256_digest(b"other")),
                ),
            ],
            "digest",
        ),
    ]
}
