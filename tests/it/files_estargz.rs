//! eStargz layers written by the reference library
//! (`tests/support/estargz-build`, github.com/containerd/stargz-snapshotter/
//! estargz), read behind the fault proxy: `files` lists them from the table
//! of contents and `cat` fetches only the file's chunks, counted in bytes
//! the proxy sent; a registry that ignores `Range` (answers 200 with the
//! whole blob) still works.

use std::path::Path;

use serde_json::json;

use crate::files::{ok, regscope_files, sh};
use crate::support::{FaultProxy, Oras, Registry, Rule, tool};

const LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
const TOC_DIGEST: &str = "containerd.io/snapshot/stargz/toc.digest";

/// A tree with a large incompressible file (many chunks) and small ones,
/// written as eStargz with 64 KiB chunks; returns the TOC digest.
fn make_estargz(work: &Path) -> String {
    sh(
        work,
        r#"set -e
        mkdir -p tree/etc tree/data tree/bin
        printf 'name=estargz\n' > tree/etc/config
        head -c 2000000 /dev/urandom > tree/data/big.bin
        ln -s ../etc/config tree/bin/config-link
        find tree -exec touch -h -d '2024-02-29 12:34:56 UTC' {} +
        tar -C tree -cf layer.tar .
        gzip -k -c layer.tar > plain.tgz
        "#,
    );
    let out = std::process::Command::new(tool("estargz-build"))
        .args(["-chunk", "65536", "layer.tar", "layer.esgz"])
        .current_dir(work)
        .output()
        .expect("run estargz-build");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
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

fn names(listing: &str) -> Vec<String> {
    let mut names: Vec<String> = listing
        .lines()
        .filter_map(|l| l.split_whitespace().nth(5))
        .map(|n| n.trim_start_matches("./").trim_end_matches('/').to_owned())
        .filter(|n| {
            !n.is_empty()
                && n != "."
                && n != "stargz.index.json"
                && !n.ends_with("prefetch.landmark")
        })
        .collect();
    names.sort();
    names
}

#[test]
fn estargz_lists_from_its_toc_and_cat_reads_only_the_chunks() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let toc = make_estargz(dir);
    let annotations = json!({ "layer.esgz": { TOC_DIGEST: toc } });
    std::fs::write(dir.join("annotations.json"), annotations.to_string()).unwrap();
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let layer = format!("layer.esgz:{LAYER_GZIP}");
    let plain = format!("plain.tgz:{LAYER_GZIP}");
    oras.run_in(
        dir,
        &[
            "push",
            "--annotation-file",
            "annotations.json",
            &registry.reference("esgz:v1"),
            &layer,
        ],
    );
    oras.run_in(dir, &["push", &registry.reference("plain:v1"), &plain]);
    let blob_size = std::fs::metadata(dir.join("layer.esgz")).unwrap().len();

    let proxy = FaultProxy::start(registry.host());
    let reference = format!("{}/esgz:v1", proxy.host());
    let out = regscope_files(dir, &["files", &reference, "--layer", "0"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("eStargz table of contents"));
    let ours = String::from_utf8(out.stdout).unwrap();
    let theirs = String::from_utf8(sh(dir, "tar tvzf layer.esgz")).unwrap();
    assert_eq!(names(&ours), names(&theirs));
    assert!(ours.contains("bin/config-link -> ../etc/config"), "{ours}");
    let (listed, ranged) = blob_traffic(&proxy);
    assert!(ranged, "every blob request asked for a range");
    assert!(
        listed * 10 < blob_size,
        "listing read {listed} of the layer's {blob_size} bytes"
    );

    proxy.clear_requests();
    let config = ok(dir, &["cat", &reference, "etc/config"]);
    assert_eq!(config, b"name=estargz\n");
    let (read, _) = blob_traffic(&proxy);
    assert!(
        read * 10 < blob_size,
        "cat of a small file read {read} of {blob_size} bytes"
    );

    let big = ok(dir, &["cat", &reference, "data/big.bin"]);
    assert_eq!(big, std::fs::read(dir.join("tree/data/big.bin")).unwrap());

    // A plain gzip layer says it was read whole.
    let plain_out = regscope_files(
        dir,
        &["files", &registry.reference("plain:v1"), "--layer", "0"],
    );
    assert!(plain_out.status.success());
    assert!(String::from_utf8_lossy(&plain_out.stderr).contains("whole layer read"));
}

#[test]
fn a_registry_that_ignores_range_still_serves_the_toc_and_chunks() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let toc = make_estargz(dir);
    let annotations = json!({ "layer.esgz": { TOC_DIGEST: toc } });
    std::fs::write(dir.join("annotations.json"), annotations.to_string()).unwrap();
    let registry = Registry::distribution();
    let oras = Oras::for_registry(&registry);
    let layer = format!("layer.esgz:{LAYER_GZIP}");
    oras.run_in(
        dir,
        &[
            "push",
            "--annotation-file",
            "annotations.json",
            &registry.reference("esgz:v1"),
            &layer,
        ],
    );
    let blob = std::fs::read(dir.join("layer.esgz")).unwrap();

    let proxy = FaultProxy::start(registry.host());
    // Every blob GET answered 200 with the whole blob, Range or not.
    proxy.add_rule(Rule::new("GET", "/blobs/").status(200).body(blob.clone()));
    let reference = format!("{}/esgz:v1", proxy.host());
    let out = regscope_files(dir, &["files", &reference, "--layer", "0"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("eStargz table of contents"),
        "not read whole: {stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("data/big.bin"));
    let out = regscope_files(dir, &["cat", &reference, "etc/config"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.stdout, b"name=estargz\n", "{stderr}");
    assert!(
        stderr.contains("the file's chunks"),
        "read by its chunks: {stderr}"
    );
    assert!(proxy.rule_hits(0) > 0, "the registry answered 200");
}
