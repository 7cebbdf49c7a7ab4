//! `regscope files` and `regscope cat` against real registries and an OCI
//! layout, compared with the system `tar`: layers made from real trees
//! (text and binary files, symlinks, hard links, whiteouts, an opaque
//! directory) and pushed with oras. The merged view must equal unpacking
//! the layers in order with whiteouts applied.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::support::{Oras, Registry};

const LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// Runs regscope with a private HOME and cache directory under `dir`.
pub(crate) fn regscope_files(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regscope"))
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CACHE_HOME", dir.join(".cache"))
        .env("DOCKER_CONFIG", dir.join(".docker"))
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .output()
        .expect("run regscope")
}

pub(crate) fn ok(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = regscope_files(dir, args);
    assert!(
        out.status.success(),
        "regscope {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

pub(crate) fn sh(dir: &Path, script: &str) -> Vec<u8> {
    let out = Command::new("sh")
        .args(["-c", script])
        .current_dir(dir)
        .env("TZ", "UTC")
        .output()
        .expect("run sh");
    assert!(
        out.status.success(),
        "{script} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Two layers from real trees, gzip tars made by the system `tar`:
/// `layer1.tgz` has text, binary, a symlink, a hard link and a directory of
/// scratch files; `layer2.tgz` changes a file, whites out the hard link and
/// a directory, makes `tmp` opaque and adds files.
pub(crate) fn make_layers(work: &Path) -> Vec<PathBuf> {
    sh(
        work,
        r#"set -e
        mkdir -p l1/etc l1/usr/bin l1/tmp l1/var/cache/old
        printf 'hello\nworld\n' > l1/etc/motd
        head -c 70000 /dev/urandom > l1/usr/bin/tool
        ln -s ../../etc/motd l1/usr/bin/motd-link
        ln l1/etc/motd l1/etc/motd-hard
        echo junk > l1/tmp/junk
        head -c 3000 /dev/urandom > l1/var/cache/old/blob
        chmod 4755 l1/usr/bin/tool
        mkdir -p l2/etc l2/tmp l2/var/cache
        printf 'changed\n' > l2/etc/motd
        touch l2/etc/.wh.motd-hard l2/var/cache/.wh.old l2/tmp/.wh..wh..opq
        echo new > l2/tmp/new
        find l1 l2 -exec touch -h -d '2024-02-29 12:34:56 UTC' {} +
        tar -C l1 -czf layer1.tgz .
        tar -C l2 -czf layer2.tgz .
        "#,
    );
    vec![work.join("layer1.tgz"), work.join("layer2.tgz")]
}

/// Pushes the layers as an image with oras; returns the reference.
pub(crate) fn push_image(oras: &Oras, work: &Path, reference: &str, layers: &[PathBuf]) -> String {
    let mut args = vec!["push".to_owned(), reference.to_owned()];
    for layer in layers {
        let name = layer.file_name().unwrap().to_str().unwrap();
        args.push(format!("{name}:{LAYER_GZIP}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    oras.run_in(work, &args);
    reference.to_owned()
}

/// A `tar tv` line as (mode, owner, size, date time, name, link),
/// names normalised (`./` and a trailing `/` dropped).
fn tar_fields(line: &str) -> Option<(String, String, String, String, String)> {
    // regscope notes what a whiteout removes after two spaces; tar does not.
    let line = line.split("  (").next().unwrap_or_default();
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.len() < 6 {
        return None;
    }
    let name_and_link = words[5..].join(" ");
    let norm = |s: &str| s.trim_start_matches("./").trim_end_matches('/').to_owned();
    let (name, link) = if let Some((n, l)) = name_and_link.split_once(" -> ") {
        (norm(n), format!("-> {l}"))
    } else if let Some((n, l)) = name_and_link.split_once(" link to ") {
        (norm(n), format!("link to {}", norm(l)))
    } else {
        (norm(&name_and_link), String::new())
    };
    if name.is_empty() || name == "." {
        return None;
    }
    Some((
        name,
        words[0].to_owned(),
        words[1].to_owned(),
        format!("{} {} {}", words[2], words[3], words[4]),
        link,
    ))
}

fn tar_listing(text: &str) -> Vec<(String, String, String, String, String)> {
    let mut lines: Vec<_> = text.lines().filter_map(tar_fields).collect();
    lines.sort();
    lines
}

/// What a container would see: the layers unpacked in order by `tar`, each
/// layer's whiteouts applied to what the layers below left.
pub(crate) fn unpack_in_order(work: &Path, layers: &[PathBuf]) -> BTreeMap<String, (char, u64)> {
    let root = work.join("rootfs");
    std::fs::create_dir_all(&root).unwrap();
    for (i, layer) in layers.iter().enumerate() {
        let stage = work.join(format!("stage{i}"));
        std::fs::create_dir_all(&stage).unwrap();
        sh(
            work,
            &format!("tar -xzf {} -C {}", layer.display(), stage.display()),
        );
        let script = format!(
            r#"set -e
            cd {stage}
            find . -name '.wh..wh..opq' | while read -r m; do d=$(dirname "$m"); rm -rf "{root}/$d"/* "{root}/$d"/.[!.]* 2>/dev/null || true; rm -f "$m"; done
            find . -name '.wh.*' | while read -r w; do d=$(dirname "$w"); b=$(basename "$w"); rm -rf "{root}/$d/${{b#.wh.}}"; rm -f "$w"; done
            cp -a . {root}/
            "#,
            stage = stage.display(),
            root = root.display()
        );
        sh(work, &script);
    }
    let mut seen = BTreeMap::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let rel = path.strip_prefix(&root).unwrap().display().to_string();
            let kind = if meta.is_dir() {
                stack.push(path.clone());
                'd'
            } else if meta.file_type().is_symlink() {
                'l'
            } else {
                '-'
            };
            let size = if kind == '-' { meta.size() } else { 0 };
            seen.insert(rel, (kind, size));
        }
    }
    seen
}

/// The merged view's visible paths as (kind letter, size); a hard link
/// counts as the file it shares bytes with, as on disk.
fn visible(merged: &Value) -> BTreeMap<String, (char, u64)> {
    let entries = merged["entries"].as_array().unwrap();
    let size_of = |path: &str| {
        entries
            .iter()
            .find(|e| e["path"] == path && e["change"] != "removed")
            .and_then(|e| e["size"].as_u64())
            .unwrap_or(0)
    };
    entries
        .iter()
        .filter(|e| e["change"] != "removed")
        .map(|e| {
            let path = e["path"].as_str().unwrap().to_owned();
            let (kind, size) = match e["kind"].as_str().unwrap() {
                "dir" => ('d', 0),
                "symlink" => ('l', 0),
                "hardlink" => ('-', size_of(e["link"].as_str().unwrap())),
                _ => ('-', e["size"].as_u64().unwrap()),
            };
            (path, (kind, size))
        })
        .collect()
}

fn check_image(work: &Path, reference: &str, layers: &[PathBuf]) {
    for (i, layer) in layers.iter().enumerate() {
        let ours = ok(work, &["files", reference, "--layer", &i.to_string()]);
        let theirs = sh(work, &format!("tar tvzf {}", layer.display()));
        assert_eq!(
            tar_listing(&String::from_utf8(ours).unwrap()),
            tar_listing(&String::from_utf8(theirs).unwrap()),
            "layer {i} of {reference} lists differently from tar tv"
        );
    }
    let merged: Value =
        serde_json::from_slice(&ok(work, &["files", reference, "--format", "json"])).unwrap();
    assert_eq!(visible(&merged), unpack_in_order(work, layers));
    assert_eq!(
        merged["wastedBytes"].as_u64(),
        Some(12 + 5 + 3000),
        "the old motd, tmp/junk and var/cache/old/blob are wasted"
    );
    let motd = merged["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "etc/motd")
        .unwrap();
    assert_eq!(
        (motd["layer"].as_u64(), motd["change"].as_str()),
        (Some(1), Some("modified"))
    );

    for (path, file) in [
        ("/etc/motd", "l2/etc/motd"),
        ("usr/bin/tool", "l1/usr/bin/tool"),
        ("usr/bin/motd-link", "l2/etc/motd"),
    ] {
        let bytes = ok(work, &["cat", reference, path]);
        assert_eq!(bytes, std::fs::read(work.join(file)).unwrap(), "cat {path}");
    }
    let gone = regscope_files(work, &["cat", reference, "etc/motd-hard"]);
    assert!(!gone.status.success(), "a whited-out file cannot be read");
    assert!(String::from_utf8_lossy(&gone.stderr).contains("no such file"));
}

#[test]
fn files_and_cat_match_tar_on_olareg_and_distribution() {
    let work = tempfile::tempdir().unwrap();
    let layers = make_layers(work.path());
    for registry in [Registry::olareg(), Registry::distribution()] {
        let oras = Oras::for_registry(&registry);
        let reference = push_image(&oras, work.path(), &registry.reference("files:v1"), &layers);
        check_image(work.path(), &reference, &layers);
    }
    let cached = std::fs::read_dir(work.path().join(".cache/regscope/layer-listings-v1"))
        .unwrap()
        .count();
    assert_eq!(
        cached, 2,
        "one listing per layer digest, shared by both registries"
    );
}

#[test]
fn files_and_cat_work_on_an_oci_layout() {
    let work = tempfile::tempdir().unwrap();
    let layers = make_layers(work.path());
    let oras = Oras::new();
    let mut args = vec![
        "push".to_owned(),
        "--oci-layout".to_owned(),
        "layout:v1".to_owned(),
    ];
    for layer in &layers {
        let name = layer.file_name().unwrap().to_str().unwrap();
        args.push(format!("{name}:{LAYER_GZIP}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = oras
        .command(&args)
        .current_dir(work.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_image(work.path(), "oci:layout:v1", &layers);
}

#[test]
fn cat_into_a_directory_never_replaces_a_different_file_without_force() {
    let work = tempfile::tempdir().unwrap();
    let layers = make_layers(work.path());
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let reference = push_image(&oras, work.path(), &registry.reference("files:v1"), &layers);
    let out_dir = work.path().join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join("motd"), b"mine\n").unwrap();
    let refused = regscope_files(work.path(), &["cat", &reference, "etc/motd", "-o", "out"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--force"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(std::fs::read(out_dir.join("motd")).unwrap(), b"mine\n");
    ok(
        work.path(),
        &["cat", &reference, "etc/motd", "-o", "out", "--force"],
    );
    assert_eq!(std::fs::read(out_dir.join("motd")).unwrap(), b"changed\n");
    let leftovers: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["motd"], "no temporary file is left behind");
}

#[test]
fn zstd_layers_are_read_whole_and_match_tar() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    make_layers(dir);
    // The zstd CLI's one frame, and a stream of several frames.
    sh(
        dir,
        "tar -C l1 -cf layer1.tar . && zstd -q -o layer1.tar.zst layer1.tar \
         && head -c 20000 layer1.tar | zstd -q > parts.zst \
         && tail -c +20001 layer1.tar | zstd -q >> parts.zst",
    );
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let zstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    let reference = registry.reference("zstd:v1");
    oras.run_in(
        dir,
        &[
            "push",
            &reference,
            &format!("layer1.tar.zst:{zstd}"),
            &format!("parts.zst:{zstd}"),
        ],
    );
    let theirs = String::from_utf8(sh(dir, "tar tvf layer1.tar")).unwrap();
    for layer in ["0", "1"] {
        let out = regscope_files(dir, &["files", &reference, "--layer", layer]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("whole layer read"));
        let ours = String::from_utf8(out.stdout).unwrap();
        assert_eq!(tar_listing(&ours), tar_listing(&theirs), "layer {layer}");
    }
    let tool = ok(dir, &["cat", &reference, "usr/bin/tool"]);
    assert_eq!(tool, std::fs::read(dir.join("l1/usr/bin/tool")).unwrap());
}
