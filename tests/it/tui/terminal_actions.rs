//! The action keys of the real binary in tmux on the demo: `s` pulls the
//! SBOM to the configured download directory, `a` attaches a typed file,
//! `c` copies an image with its referrers, `d` deletes a referrer after
//! showing the plan. Each waits for what the screen shows, never a fixed
//! time, and checks the result outside the UI where there is one.

use regscope::demo::{self, NET_MONITOR_REPO, NET_MONITOR_SBOM};
use regscope::store::Store;

use super::tmux::Tmux;
use crate::support::sha256_digest;

/// The demo in tmux with `config`, at `net-monitor:v1` with its graph
/// loaded (the cursor on the tag).
fn demo_at_net_monitor(config: Option<&str>) -> Tmux {
    let tmux = Tmux::start_with_config(env!("CARGO_BIN_EXE_regscope"), 140, 40, config);
    tmux.wait_for("the demo's repositories", |s| s.contains("net-monitor"));
    tmux.keys(&["g"]);
    tmux.type_text("net-monitor:v1");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the referrer graph", |s| {
        s.contains("◂ 3 referrers") && s.contains("CycloneDX SBOM") && s.contains("◂ 1 referrer")
    });
    tmux
}

/// The digest the demo's SBOM layer has (what a pull must write).
async fn sbom_layer_digest() -> String {
    let (store, _scratch) = demo::open_scratch().unwrap();
    let sbom = store
        .fetch_manifest(NET_MONITOR_REPO, NET_MONITOR_SBOM)
        .await
        .unwrap();
    let layer = sbom
        .blobs()
        .find(|d| d.annotation("org.opencontainers.image.title") == Some("sbom.cdx.json"))
        .expect("the SBOM layer is titled sbom.cdx.json");
    layer.digest.to_string()
}

#[tokio::test]
async fn s_pulls_the_sbom_into_the_configured_download_directory() {
    let downloads = tempfile::tempdir().unwrap();
    let config = format!(
        "download_dir = {:?}\n",
        downloads.path().display().to_string()
    );
    let tmux = demo_at_net_monitor(Some(&config));
    tmux.keys(&["s"]);
    tmux.wait_for("the pull's message", |s| s.contains("│ pulled"));
    let pulled = downloads.path().join("sbom.cdx.json");
    let bytes = std::fs::read(&pulled)
        .unwrap_or_else(|e| panic!("{}: {e}; screen:\n{}", pulled.display(), tmux.screen()));
    assert_eq!(sha256_digest(&bytes), sbom_layer_digest().await);
}

#[test]
fn a_attaches_a_typed_file_and_the_tree_shows_the_new_referrer() {
    let tmux = demo_at_net_monitor(None);
    let note = tmux.home().join("review.txt");
    std::fs::write(&note, "reviewed by the tmux test").unwrap();
    tmux.keys(&["a"]);
    tmux.wait_for("the attach dialog", |s| s.contains("attach to sha256:"));
    tmux.type_text(&note.display().to_string());
    tmux.keys(&["Down"]);
    tmux.type_text("review/example");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("the new referrer", |s| {
        s.contains("◂ 4 referrers") && s.contains("review/example")
    });
    assert!(screen.contains("│ attached sha256:"), "{screen}");
}

#[test]
fn c_copies_the_image_with_its_referrers_to_a_new_repository() {
    let tmux = demo_at_net_monitor(None);
    tmux.keys(&["c"]);
    tmux.wait_for("the copy dialog", |s| {
        s.contains("without a tag, the copy is tagged v1")
    });
    tmux.type_text("mirror");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the copy and the new repository", |s| {
        s.contains("│ copied 5 manifests") && s.contains("mirror")
    });
    // The copy took the source's tag and digest, and carries its graph
    // (the tree scrolls to it, so the source's graph may be off screen).
    tmux.keys(&["g"]);
    tmux.type_text("mirror:v1");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the copy's graph", |s| {
        s.contains("demo/mirror:v1@sha256:7684ab4817e0")
            && s.lines().zip(s.lines().skip(1)).any(|(repo, tag)| {
                repo.contains("▼ mirror  1 tag") && tag.contains("▼ v1  image  ◂ 3 referrers")
            })
    });
}

#[test]
fn d_shows_the_plan_and_deletes_a_referrer_after_confirmation() {
    let tmux = demo_at_net_monitor(None);
    // From the tag: the SBOM group, then the SBOM (it has a signature).
    tmux.keys(&["Down", "Down"]);
    tmux.wait_for("the SBOM selected", |s| {
        s.contains(&format!(
            "demo/net-monitor@sha256:{}",
            &NET_MONITOR_SBOM[7..19]
        ))
    });
    tmux.keys(&["d"]);
    let screen = tmux.wait_for("the delete plan", |s| {
        s.contains("2 manifests will be deleted")
    });
    assert!(
        screen.contains(NET_MONITOR_SBOM),
        "the plan names it:\n{screen}"
    );
    assert!(
        screen.contains("◂ 3 referrers"),
        "nothing gone yet:\n{screen}"
    );
    tmux.keys(&["y"]);
    tmux.wait_for("the SBOM gone from the tree", |s| {
        s.contains("│ deleted 2 manifests")
            && s.contains("◂ 2 referrers")
            && !s.contains("CycloneDX SBOM")
    });
}
