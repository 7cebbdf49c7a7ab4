//! The built-in demo: it opens from the binary alone, its graph is what
//! `regscope::demo` documents (read through `LayoutStore`, and by the real
//! ORAS CLI on the same files), its content is real (an image whose config
//! names its layers, a CycloneDX 1.5 SBOM, a readme with a directory), and
//! writes stay in the scratch copy.

use std::collections::BTreeSet;
use std::io::Read;

use regscope::demo::{self, *};
use regscope::oci::media_type as mt;
use regscope::oci::{Descriptor, Digest};
use regscope::store::layout::LayoutStore;
use regscope::store::{ReferrersSource, ReferrersSupport, Store};
use serde_json::Value;

use crate::layout::{blob_bytes, catalog, push_artifact, tags};
use crate::support::Oras;

fn digest(text: &str) -> Digest {
    text.parse().unwrap()
}

async fn referrers(
    store: &LayoutStore,
    repo: &str,
    subject: &str,
    filter: Option<&str>,
) -> BTreeSet<String> {
    let found = store
        .referrers(repo, &digest(subject), filter)
        .await
        .unwrap();
    assert_eq!(found.source, ReferrersSource::SubjectScan);
    assert!(found.warnings.is_empty(), "{:?}", found.warnings);
    found
        .descriptors
        .iter()
        .map(|d| d.digest.to_string())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

async fn json_blob(store: &LayoutStore, repo: &str, descriptor: &Descriptor) -> Value {
    serde_json::from_slice(&blob_bytes(store, repo, descriptor).await).unwrap()
}

#[tokio::test]
async fn the_demo_graph_is_what_it_claims() {
    let (store, scratch) = demo::open_scratch().unwrap();
    assert_eq!(store.name(), DEMO_REGISTRY_NAME);
    assert_eq!(store.registry(), DEMO_REGISTRY_NAME);
    assert_eq!(store.referrers_support(), ReferrersSupport::SubjectScan);
    assert!(
        store
            .root()
            .starts_with(scratch.path().canonicalize().unwrap())
    );
    assert_eq!(catalog(&store).await, DEMO_REPOSITORIES);
    for repo in DEMO_REPOSITORIES {
        assert_eq!(tags(&store, repo).await, vec![DEMO_TAG], "{repo}");
    }

    let net = NET_MONITOR_REPO;
    assert_eq!(
        store.resolve(net, DEMO_TAG).await.unwrap().digest,
        digest(NET_MONITOR_V1)
    );
    assert_eq!(
        referrers(&store, net, NET_MONITOR_V1, None).await,
        set(&[NET_MONITOR_SIGNATURE, NET_MONITOR_SBOM, NET_MONITOR_README])
    );
    assert_eq!(
        referrers(&store, net, NET_MONITOR_V1, Some(mt::CYCLONEDX_JSON)).await,
        set(&[NET_MONITOR_SBOM])
    );
    assert_eq!(
        referrers(&store, net, NET_MONITOR_V1, Some("signature/example")).await,
        set(&[NET_MONITOR_SIGNATURE])
    );
    assert_eq!(
        referrers(&store, net, NET_MONITOR_SBOM, None).await,
        set(&[NET_MONITOR_SBOM_SIGNATURE])
    );
    for leaf in [
        NET_MONITOR_SIGNATURE,
        NET_MONITOR_SBOM_SIGNATURE,
        NET_MONITOR_README,
    ] {
        assert!(
            referrers(&store, net, leaf, None).await.is_empty(),
            "{leaf}"
        );
    }

    let multi = MULTI_ARCH_REPO;
    let index = store.fetch_manifest(multi, DEMO_TAG).await.unwrap();
    assert_eq!(index.digest(), &digest(MULTI_ARCH_V1));
    assert!(index.is_index());
    let platforms: Vec<(String, String)> = index
        .manifests
        .iter()
        .map(|m| {
            (
                m.digest.to_string(),
                m.platform.as_ref().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        platforms,
        vec![
            (MULTI_ARCH_AMD64.to_owned(), "linux/amd64".to_owned()),
            (MULTI_ARCH_ARM64.to_owned(), "linux/arm64/v8".to_owned()),
        ]
    );
    assert!(
        referrers(&store, multi, MULTI_ARCH_V1, None)
            .await
            .is_empty()
    );
    assert_eq!(
        referrers(&store, multi, MULTI_ARCH_AMD64, None).await,
        set(&[MULTI_ARCH_AMD64_SBOM])
    );
    assert_eq!(
        referrers(&store, multi, MULTI_ARCH_ARM64, None).await,
        set(&[MULTI_ARCH_ARM64_SBOM])
    );

    assert_eq!(
        store.resolve(PLAIN_REPO, DEMO_TAG).await.unwrap().digest,
        digest(PLAIN_V1)
    );
    assert!(
        referrers(&store, PLAIN_REPO, PLAIN_V1, None)
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn the_demo_content_is_real() {
    let (store, _scratch) = demo::open_scratch().unwrap();
    let net = NET_MONITOR_REPO;

    // An image whose config names its layers by their uncompressed digests.
    let image = store.fetch_manifest(net, NET_MONITOR_V1).await.unwrap();
    let config = json_blob(&store, net, image.config.as_ref().unwrap()).await;
    assert_eq!(config["os"], "linux");
    assert_eq!(config["architecture"], "amd64");
    let diff_ids: Vec<String> = config["rootfs"]["diff_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(image.layers.len(), 2);
    let mut names = Vec::new();
    for (layer, diff_id) in image.layers.iter().zip(&diff_ids) {
        assert_eq!(layer.media_type, mt::OCI_LAYER_TAR_GZIP);
        let tar = gunzip(&blob_bytes(&store, net, layer).await);
        assert_eq!(&Digest::sha256_of(&tar).to_string(), diff_id);
        for entry in tar::Archive::new(tar.as_slice()).entries().unwrap() {
            names.push(entry.unwrap().path().unwrap().display().to_string());
        }
    }
    assert!(
        names.contains(&"usr/local/bin/net-monitor".to_owned()),
        "{names:?}"
    );

    // A CycloneDX 1.5 SBOM of realistic size.
    let sbom = store.fetch_manifest(net, NET_MONITOR_SBOM).await.unwrap();
    assert_eq!(sbom.artifact_type.as_deref(), Some(mt::CYCLONEDX_JSON));
    assert_eq!(
        sbom.subject.as_ref().unwrap().digest,
        digest(NET_MONITOR_V1)
    );
    assert_eq!(sbom.layers[0].title(), Some("sbom.cdx.json"));
    let document = json_blob(&store, net, &sbom.layers[0]).await;
    assert_eq!(document["bomFormat"], "CycloneDX");
    assert_eq!(document["specVersion"], "1.5");
    let components = document["components"].as_array().unwrap();
    assert_eq!(components.len(), NET_MONITOR_SBOM_COMPONENTS);
    assert!(components.len() >= 24);
    for component in components {
        for field in ["name", "version", "purl", "licenses"] {
            assert!(
                !component[field].is_null(),
                "{field} missing in {component}"
            );
        }
    }

    // A readme with a file and a directory, as `oras push` writes them.
    let readme = store.fetch_manifest(net, NET_MONITOR_README).await.unwrap();
    assert_eq!(readme.artifact_type.as_deref(), Some("readme/example"));
    let titles: Vec<&str> = readme.layers.iter().filter_map(Descriptor::title).collect();
    assert_eq!(titles, vec!["readme.md", "details"]);
    let details = &readme.layers[1];
    assert_eq!(details.annotation(mt::ANNOTATION_UNPACK), Some("true"));
    let tar = gunzip(&blob_bytes(&store, net, details).await);
    assert_eq!(
        details.annotation(mt::ANNOTATION_CONTENT_DIGEST),
        Some(Digest::sha256_of(&tar).to_string().as_str())
    );

    let amd64_sbom = store
        .fetch_manifest(MULTI_ARCH_REPO, MULTI_ARCH_AMD64_SBOM)
        .await
        .unwrap();
    let document = json_blob(&store, MULTI_ARCH_REPO, &amd64_sbom.layers[0]).await;
    assert_eq!(
        document["components"].as_array().unwrap().len(),
        MULTI_ARCH_SBOM_COMPONENTS
    );
}

#[tokio::test]
async fn oras_sees_the_same_demo() {
    let oras = Oras::new();
    let dir = tempfile::tempdir().unwrap();
    demo::write_to(dir.path()).unwrap();
    let layout = dir.path().join(NET_MONITOR_REPO);
    let tree = oras.json(&[
        "discover",
        "--oci-layout",
        &format!("{}:v1", layout.display()),
        "--format",
        "json",
    ]);
    assert_eq!(tree["digest"], NET_MONITOR_V1);
    let children: BTreeSet<String> = tree["referrers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["digest"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        children,
        set(&[NET_MONITOR_SIGNATURE, NET_MONITOR_SBOM, NET_MONITOR_README])
    );
    let platform = format!(
        "{}@{MULTI_ARCH_ARM64}",
        dir.path().join(MULTI_ARCH_REPO).display()
    );
    let tree = oras.json(&["discover", "--oci-layout", &platform, "--format", "json"]);
    assert_eq!(tree["referrers"][0]["digest"], MULTI_ARCH_ARM64_SBOM);

    let out = dir.path().join("pulled");
    std::fs::create_dir_all(&out).unwrap();
    let readme = format!("{}@{NET_MONITOR_README}", layout.display());
    oras.run_in(&out, &["pull", "--oci-layout", &readme, "-o", "."]);
    assert!(
        std::fs::read_to_string(out.join("readme.md"))
            .unwrap()
            .starts_with("# net-monitor")
    );
    assert!(out.join("details/metrics.md").is_file());
}

#[tokio::test]
async fn writes_go_to_the_scratch_copy_only() {
    let (store, _scratch) = demo::open_scratch().unwrap();
    let subject = store.resolve(PLAIN_REPO, DEMO_TAG).await.unwrap();
    let note = push_artifact(
        &store,
        PLAIN_REPO,
        "text/note",
        ("note.txt", b"hi"),
        Some(&subject),
        None,
    )
    .await;
    assert_eq!(
        referrers(&store, PLAIN_REPO, PLAIN_V1, None).await,
        set(&[&note.digest().to_string()])
    );

    let (fresh, _other) = demo::open_scratch().unwrap();
    assert!(
        referrers(&fresh, PLAIN_REPO, PLAIN_V1, None)
            .await
            .is_empty()
    );
    assert!(
        !fresh
            .blob_exists(PLAIN_REPO, &Descriptor::of_bytes("text/plain", b"hi"))
            .await
            .unwrap()
    );
}
