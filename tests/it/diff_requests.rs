//! Speed, by counting what reaches the registry: two images that share a
//! base of two layers and differ in their top layer. The diff never asks
//! for a shared layer, reads each differing layer once, and fetches each
//! manifest and config once.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diff_ground::push;
use crate::files::{ok, sh};
use crate::support::{FaultProxy, Oras, Registry, sha256_digest};

fn digest_of(path: &Path) -> String {
    sha256_digest(&std::fs::read(path).unwrap())
}

/// GETs per path, for paths under `/v2/speed/`.
fn gets(proxy: &FaultProxy) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for request in proxy.requests() {
        if request.method == "GET" && request.path.starts_with("/v2/speed/") {
            *out.entry(request.path.clone()).or_default() += 1;
        }
    }
    out
}

#[test]
fn shared_layers_are_never_downloaded() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    sh(
        dir,
        r#"set -e
        for name in base1 base2 top-left top-right; do
            mkdir -p $name/$name
            head -c 1048576 /dev/urandom > $name/$name/data
            tar -C $name -czf $name.tgz .
        done
        echo '{"architecture":"amd64","os":"linux","config":{"Cmd":["left"]}}' > left.json
        echo '{"architecture":"amd64","os":"linux","config":{"Cmd":["right"]}}' > right.json
        "#,
    );
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let layer = |name: &str| dir.join(format!("{name}.tgz"));
    let (base1, base2) = (layer("base1"), layer("base2"));
    let (top_left, top_right) = (layer("top-left"), layer("top-right"));
    push(
        &oras,
        dir,
        &registry.reference("speed:left"),
        "left.json",
        "2024-01-01T00:00:00Z",
        &[&base1, &base2, &top_left],
    );
    push(
        &oras,
        dir,
        &registry.reference("speed:right"),
        "right.json",
        "2024-01-01T00:00:00Z",
        &[&base1, &base2, &top_right],
    );

    let proxy = FaultProxy::start(registry.host());
    let reference = |tag: &str| format!("{}/speed:{tag}", proxy.host());
    let text = String::from_utf8(ok(
        dir,
        &[
            "diff",
            &reference("left"),
            &reference("right"),
            "--only",
            "manifest,layers,files",
        ],
    ))
    .unwrap();
    assert!(
        text.contains("speed/top-left") || text.contains("top-left/data"),
        "{text}"
    );
    let blob = |path: &Path| format!("/v2/speed/blobs/{}", digest_of(path));
    let config = |name: &str| format!("/v2/speed/blobs/{}", digest_of(&dir.join(name)));
    let got = gets(&proxy);
    for shared in [&base1, &base2] {
        assert!(
            !got.contains_key(&blob(shared)),
            "a shared layer was downloaded: {got:#?}"
        );
    }
    for path in [
        blob(&top_left),
        blob(&top_right),
        config("left.json"),
        config("right.json"),
    ] {
        assert_eq!(got.get(&path), Some(&1), "{path} once: {got:#?}");
    }
    for tag in ["left", "right"] {
        assert_eq!(
            got.get(&format!("/v2/speed/manifests/{tag}")),
            Some(&1),
            "{got:#?}"
        );
    }
    assert_eq!(got.len(), 6, "nothing else: {got:#?}");
    // The two differing layers, and little more than manifests and configs.
    let size = |path: &Path| std::fs::metadata(path).unwrap().len();
    let floor = size(&top_left) + size(&top_right);
    let sent = proxy.bytes_sent();
    assert!(
        sent >= floor && sent < floor + 16 * 1024,
        "{sent} bytes sent, {floor} in the top layers"
    );

    // Every section, SBOM and attachments included: still no shared layer.
    proxy.clear_requests();
    ok(dir, &["diff", &reference("left"), &reference("right")]);
    let got = gets(&proxy);
    for shared in [&base1, &base2] {
        assert!(!got.contains_key(&blob(shared)), "{got:#?}");
    }
}
