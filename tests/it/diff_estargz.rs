//! The files diff of two eStargz images (written by the reference library,
//! `tests/support/estargz-build`) is made from their tables of contents:
//! every blob request is a Range request, a small part of the layers is
//! read, and a file changed in place with the same size is still found,
//! by the TOC's content digest.

use std::path::Path;

use serde_json::json;

use crate::diff::diff_json;
use crate::support::{FaultProxy, Oras, Registry, tool};

const LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
const TOC_DIGEST: &str = "containerd.io/snapshot/stargz/toc.digest";

/// One eStargz layer of `tree-{name}` pushed as `esgz:{name}`.
fn push_estargz(oras: &Oras, dir: &Path, registry: &Registry, name: &str) {
    let out = std::process::Command::new(tool("estargz-build"))
        .args([
            "-chunk",
            "65536",
            &format!("{name}.tar"),
            &format!("{name}.esgz"),
        ])
        .current_dir(dir)
        .output()
        .expect("run estargz-build");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toc = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let annotations = json!({ format!("{name}.esgz"): { TOC_DIGEST: toc } });
    let file = format!("annotations-{name}.json");
    std::fs::write(dir.join(&file), annotations.to_string()).unwrap();
    oras.run_in(
        dir,
        &[
            "push",
            "--annotation-file",
            &file,
            &registry.reference(&format!("esgz:{name}")),
            &format!("{name}.esgz:{LAYER_GZIP}"),
        ],
    );
}

#[test]
fn estargz_images_are_compared_from_their_tables_of_contents() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    crate::files::sh(
        dir,
        r#"set -e
        mkdir -p one/etc one/data two/etc two/data
        printf 'name=one\n' > one/etc/config
        printf 'name=two\n' > two/etc/config
        head -c 2000000 /dev/urandom > one/data/big.bin
        cp one/data/big.bin two/data/big.bin
        echo gone > one/etc/old
        echo new > two/etc/new
        find one two -exec touch -h -d '2024-02-29 12:34:56 UTC' {} +
        tar -C one -cf one.tar .
        tar -C two -cf two.tar .
        "#,
    );
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    push_estargz(&oras, dir, &registry, "one");
    push_estargz(&oras, dir, &registry, "two");
    let proxy = FaultProxy::start(registry.host());
    let reference = |tag: &str| format!("{}/esgz:{tag}", proxy.host());
    let report = diff_json(
        dir,
        &[&reference("one"), &reference("two"), "--only", "files"],
    );
    let files = &report["files"];
    let paths = |key: &str| -> Vec<String> {
        files[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["path"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(paths("added"), ["etc/new"]);
    assert_eq!(paths("removed"), ["etc/old"]);
    assert_eq!(
        paths("modified"),
        ["etc/config"],
        "same size, other bytes: {files:#}"
    );
    assert_eq!(files["modified"][0]["changes"], json!(["content"]));
    let blobs: Vec<_> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.contains("/blobs/"))
        .filter(|r| {
            r.path.contains(&crate::support::sha256_digest(
                &std::fs::read(dir.join("one.esgz")).unwrap(),
            )) || r.path.contains(&crate::support::sha256_digest(
                &std::fs::read(dir.join("two.esgz")).unwrap(),
            ))
        })
        .collect();
    assert!(!blobs.is_empty());
    assert!(
        blobs.iter().all(|r| r.header("range").is_some()),
        "only Range requests"
    );
    let read: u64 = blobs.iter().map(|r| r.bytes_sent).sum();
    let size = std::fs::metadata(dir.join("one.esgz")).unwrap().len();
    assert!(
        read * 10 < size,
        "read {read} bytes of two {size}-byte layers"
    );
}
