//! zstd:chunked layers written by containers/storage's compressor
//! (`tests/support/zstd-chunked-build`, as podman and buildah write them),
//! read behind the fault proxy: `files` lists them from the table of
//! contents and `cat` fetches only the file's frames, counted in bytes the
//! proxy sent; a registry that ignores `Range` still works.

use std::path::Path;

use crate::files::{ok, regscope_files, sh};
use crate::support::{FaultProxy, Oras, Registry, Rule, tool};

const LAYER_ZSTD: &str = "application/vnd.oci.image.layer.v1.tar+zstd";

/// A tree with a large incompressible file (many chunks), one with a run of
/// zeros (a "zeros" chunk), small files, a symlink, a hard link and a
/// whiteout, owned by 1000:1000; written as zstd:chunked. Returns the
/// writer's layer annotations as `oras --annotation-file` takes them.
pub(crate) fn make_zstd_chunked(work: &Path) -> serde_json::Value {
    sh(
        work,
        r#"set -e
        mkdir -p tree/etc tree/data tree/bin tree/var
        printf 'name=zstd-chunked\n' > tree/etc/config
        head -c 2000000 /dev/urandom > tree/data/big.bin
        { head -c 200000 /dev/urandom; head -c 100000 /dev/zero; head -c 200000 /dev/urandom; } > tree/data/holey.bin
        : > tree/data/empty
        ln -s ../etc/config tree/bin/config-link
        ln tree/etc/config tree/etc/config-hard
        : > tree/var/.wh.gone
        chmod 0750 tree/bin
        find tree -exec touch -h -d '2024-02-29 12:34:56 UTC' {} +
        tar -C tree --owner=1000 --group=1000 --numeric-owner -cf layer.tar .
        "#,
    );
    let out = std::process::Command::new(tool("zstd-chunked-build"))
        .args(["layer.tar", "layer.zst"])
        .current_dir(work)
        .output()
        .expect("run zstd-chunked-build");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let annotations: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    serde_json::json!({ "layer.zst": annotations })
}

/// Pushes the layer with its annotations as `zstd:v1`.
fn push(dir: &Path, registry: &Registry) {
    let annotations = make_zstd_chunked(dir);
    push_as(dir, registry, "zstd:v1", &annotations);
}

pub(crate) fn push_as(dir: &Path, registry: &Registry, tag: &str, annotations: &serde_json::Value) {
    std::fs::write(dir.join("annotations.json"), annotations.to_string()).unwrap();
    let layer = format!("layer.zst:{LAYER_ZSTD}");
    Oras::for_registry(registry).run_in(
        dir,
        &[
            "push",
            "--annotation-file",
            "annotations.json",
            &registry.reference(tag),
            &layer,
        ],
    );
}

/// Bytes of blob bodies the proxy sent since the last clear, and whether
/// every blob request asked for a range.
fn blob_traffic(proxy: &FaultProxy) -> (u64, bool) {
    let blobs: Vec<_> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.contains("/blobs/"))
        .collect();
    let bytes = blobs.iter().map(|r| r.bytes_sent).sum();
    let ranged = blobs
        .iter()
        .all(|r| r.headers.iter().any(|(k, _)| k == "range"));
    (bytes, ranged)
}

/// `tar tv` lines as comparable fields: mode, owner, size, date, time,
/// name, and a link's target (names without `./` or a trailing `/`).
fn lines(listing: &str) -> Vec<Vec<String>> {
    let clean = |n: &str| n.trim_start_matches("./").trim_end_matches('/').to_owned();
    let mut lines: Vec<Vec<String>> = listing
        .lines()
        .filter_map(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            let mut line: Vec<String> = fields.get(..6)?.iter().map(|f| (*f).to_owned()).collect();
            line[5] = clean(&line[5]);
            if matches!(fields.get(6), Some(&"->" | &"link")) {
                line.push(clean(fields.last()?));
            }
            (!line[5].is_empty() && line[5] != ".").then_some(line)
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn zstd_chunked_lists_from_its_toc_and_cat_reads_only_the_chunks() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let registry = Registry::olareg();
    push(dir, &registry);
    let blob_size = std::fs::metadata(dir.join("layer.zst")).unwrap().len();

    let proxy = FaultProxy::start(registry.host());
    let reference = format!("{}/zstd:v1", proxy.host());
    let out = regscope_files(dir, &["files", &reference, "--layer", "0"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("zstd:chunked table of contents"),
        "{stderr}"
    );
    let ours = String::from_utf8(out.stdout).unwrap();
    let theirs = String::from_utf8(sh(dir, "TZ=UTC tar --numeric-owner -tvf layer.tar")).unwrap();
    assert_eq!(
        lines(&ours),
        lines(&theirs),
        "ours:\n{ours}\ntheirs:\n{theirs}"
    );
    assert!(ours.contains("bin/config-link -> ../etc/config"), "{ours}");
    let (listed, ranged) = blob_traffic(&proxy);
    assert!(ranged, "every blob request asked for a range");
    assert!(
        listed * 10 < blob_size,
        "listing read {listed} of the layer's {blob_size} bytes"
    );

    proxy.clear_requests();
    let out = regscope_files(dir, &["cat", &reference, "etc/config"]);
    assert_eq!(out.stdout, b"name=zstd-chunked\n");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("zstd:chunked table of contents and the file's chunks")
    );
    let (read, ranged) = blob_traffic(&proxy);
    assert!(ranged, "every blob request asked for a range");
    assert!(
        read * 10 < blob_size,
        "cat of a small file read {read} of {blob_size} bytes"
    );

    for file in [
        "data/big.bin",
        "data/holey.bin",
        "etc/config-hard",
        "data/empty",
    ] {
        let bytes = ok(dir, &["cat", &reference, file]);
        assert_eq!(
            bytes,
            std::fs::read(dir.join("tree").join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn zstd_chunked_on_an_oci_layout_is_read_by_its_toc() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let annotations = make_zstd_chunked(dir);
    std::fs::write(dir.join("annotations.json"), annotations.to_string()).unwrap();
    let layer = format!("layer.zst:{LAYER_ZSTD}");
    let args = [
        "push",
        "--oci-layout",
        "layout:v1",
        "--annotation-file",
        "annotations.json",
        &layer,
    ];
    let out = Oras::new()
        .command(&args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = regscope_files(dir, &["files", "oci:layout:v1", "--layer", "0"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("zstd:chunked table of contents"),
        "{stderr}"
    );
    let theirs = String::from_utf8(sh(dir, "TZ=UTC tar --numeric-owner -tvf layer.tar")).unwrap();
    assert_eq!(lines(&String::from_utf8_lossy(&out.stdout)), lines(&theirs));
    let big = ok(dir, &["cat", "oci:layout:v1", "data/holey.bin"]);
    assert_eq!(big, std::fs::read(dir.join("tree/data/holey.bin")).unwrap());
}

#[test]
fn a_registry_that_ignores_range_still_serves_the_zstd_chunked_toc() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let registry = Registry::distribution();
    push(dir, &registry);
    let blob = std::fs::read(dir.join("layer.zst")).unwrap();

    let proxy = FaultProxy::start(registry.host());
    // Every blob GET answered 200 with the whole blob, Range or not.
    proxy.add_rule(Rule::new("GET", "/blobs/").status(200).body(blob.clone()));
    let reference = format!("{}/zstd:v1", proxy.host());
    let out = regscope_files(dir, &["files", &reference, "--layer", "0"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("zstd:chunked table of contents"),
        "not read whole: {stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("data/big.bin"));
    let out = regscope_files(dir, &["cat", &reference, "data/holey.bin"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.stdout,
        std::fs::read(dir.join("tree/data/holey.bin")).unwrap(),
        "{stderr}"
    );
    assert!(
        stderr.contains("the file's chunks"),
        "read by its chunks: {stderr}"
    );
    assert!(proxy.rule_hits(0) > 0, "the registry answered 200");
}
