//! The app, runner and demo store together in-process: keys in, waiting
//! for what the screen shows (with a timeout), as a person would.

use crossterm::event::KeyCode;
use regscope::demo::{
    MULTI_ARCH_AMD64_SBOM, MULTI_ARCH_SBOM_COMPONENTS, NET_MONITOR_SBOM,
    NET_MONITOR_SBOM_COMPONENTS,
};
use regscope::tui::Start;
use regscope::tui::tree::NodeId;

use super::app_support::referrer;
use super::harness::Harness;

#[tokio::test]
async fn from_the_registry_to_the_sbom_and_its_digest_on_the_clipboard() {
    let mut ui = Harness::demo(Start::Registry, 120, 40);
    ui.wait_for("the repositories", |s| s.contains("net-monitor"))
        .await;
    ui.move_to(&NodeId::repository("net-monitor"));
    ui.key(KeyCode::Enter);
    ui.wait_for("the tags", |s| s.contains("1 tag")).await;
    ui.key(KeyCode::Down);
    ui.key(KeyCode::Char('E'));
    ui.wait_for("the SBOM group", |s| s.contains("CycloneDX SBOM"))
        .await;
    ui.settle().await;
    ui.move_to(&referrer(NET_MONITOR_SBOM));
    let count = format!("components {NET_MONITOR_SBOM_COMPONENTS}");
    ui.wait_for("the SBOM summary", |s| s.contains(&count))
        .await;

    // Search the components from the detail pane.
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Char('/'));
    ui.type_text("busybox");
    let screen = ui.screen();
    assert!(screen.contains("match \"busybox\""), "{screen}");
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Tab);

    ui.key(KeyCode::Char('y'));
    ui.driver.drain();
    let status = ui.driver.app.status.clone().unwrap();
    assert_eq!(status.text, format!("copied {NET_MONITOR_SBOM} (memory)"));
    assert_eq!(*ui.copied.lock().unwrap(), [NET_MONITOR_SBOM.to_owned()]);
    ui.key(KeyCode::Char('Y'));
    ui.driver.drain();
    let full = format!("demo/net-monitor@{NET_MONITOR_SBOM}");
    assert_eq!(ui.copied.lock().unwrap().last(), Some(&full));

    ui.key(KeyCode::Char('q'));
    assert!(ui.driver.app.should_quit);
}

#[tokio::test]
async fn platform_manifests_show_their_own_referrers() {
    let start = Start::reference("multi-arch", "v1");
    let mut ui = Harness::demo(start, 120, 40);
    ui.wait_for("both platforms", |s| {
        s.contains("linux/amd64") && s.contains("linux/arm64")
    })
    .await;
    // Loads started by what showed may still be under way.
    let screen = ui.settle().await;
    assert!(screen.contains("◂ 1 referrer"), "{screen}");
    ui.move_to(&referrer(MULTI_ARCH_AMD64_SBOM));
    let count = format!("components {MULTI_ARCH_SBOM_COMPONENTS}");
    ui.wait_for("the platform's SBOM", |s| s.contains(&count))
        .await;
}

#[tokio::test]
async fn go_to_a_reference_and_back_out() {
    let mut ui = Harness::demo(Start::Registry, 160, 30);
    ui.wait_for("the repositories", |s| s.contains("plain"))
        .await;
    ui.go_to("demo/net-monitor:v1");
    ui.wait_for("net-monitor's referrers", |s| s.contains("◂ 3 referrers"))
        .await;
    ui.key(KeyCode::Left);
    ui.key(KeyCode::Left);
    let screen = ui.screen();
    assert!(screen.contains("▶ v1"), "collapsed: {screen}");
}

#[tokio::test]
async fn pull_the_sbom_attach_a_file_and_delete_it_again() {
    let downloads = tempfile::tempdir().unwrap();
    let mut ui = Harness::net_monitor();
    ui.driver.app.config.download_dir = downloads.path().to_owned();
    ui.settle().await;

    // `s` on the image pulls its SBOM with the engine.
    ui.key(KeyCode::Char('s'));
    ui.wait_for("the pull", |s| s.contains("│ pulled")).await;
    let pulled = downloads.path().join("sbom.cdx.json");
    let sbom: serde_json::Value = serde_json::from_slice(&std::fs::read(&pulled).unwrap()).unwrap();
    assert_eq!(
        sbom["components"].as_array().unwrap().len(),
        NET_MONITOR_SBOM_COMPONENTS
    );

    // `a` attaches a file: path, artifact type, annotations.
    let note = downloads.path().join("note.txt");
    std::fs::write(&note, "reviewed").unwrap();
    ui.key(KeyCode::Char('a'));
    ui.type_text(&note.display().to_string());
    ui.key(KeyCode::Down);
    ui.type_text("review/example");
    ui.key(KeyCode::Down);
    ui.type_text("by=tests");
    ui.key(KeyCode::Enter);
    ui.wait_for("the attached referrer", |s| {
        s.contains("review/example") && s.contains("4 referrers")
    })
    .await;

    // `d` on it shows what the engine will delete, then deletes on `y`.
    let group = NodeId::group("review/example");
    ui.move_to(&group);
    ui.key(KeyCode::Down);
    ui.key(KeyCode::Char('d'));
    let screen = ui
        .wait_for("the delete plan", |s| {
            s.contains("1 manifest will be deleted")
        })
        .await;
    assert!(screen.contains("review/example"), "{screen}");
    ui.key(KeyCode::Char('y'));
    ui.wait_for("the deletion", |s| {
        s.contains("3 referrers") && !s.contains("review/example")
    })
    .await;
    assert_eq!(ui_status(&ui), "deleted 1 manifest");
}

fn ui_status(ui: &Harness) -> String {
    ui.driver
        .app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn copy_an_image_with_its_referrers_to_another_repository() {
    let mut ui = Harness::demo(Start::Registry, 140, 40);
    ui.wait_for("the repositories", |s| s.contains("3 repositories"))
        .await;
    ui.go_to("net-monitor:v1");
    ui.settle().await;
    ui.key(KeyCode::Char('c'));
    ui.type_text("mirror:v1");
    ui.key(KeyCode::Enter);
    let screen = ui
        .wait_for("the copied repository", |s| s.contains("▶ mirror"))
        .await;
    assert!(ui_status(&ui).starts_with("copied 5 manifests"), "{screen}");
    ui.move_to(&NodeId::repository("mirror"));
    ui.key(KeyCode::Enter);
    ui.wait_for("the copy's tag", |s| s.contains("mirror  1 tag"))
        .await;
    ui.key(KeyCode::Down);
    ui.key(KeyCode::Char('E'));
    ui.wait_for("the copy's graph", |s| {
        s.contains("◂ 3 referrers") && s.matches("CycloneDX SBOM").count() == 2
    })
    .await;
}

/// `s` on an index with no SBOM of its own takes this machine's platform;
/// on a platform row it asks the index for that platform's SBOM (so
/// BuildKit's in-index attestations count).
#[tokio::test]
async fn s_on_an_index_pulls_a_platforms_sbom() {
    let downloads = tempfile::tempdir().unwrap();
    let mut ui = Harness::demo(Start::reference("multi-arch", "v1"), 160, 40);
    ui.driver.app.config.download_dir = downloads.path().to_owned();
    ui.settle().await;
    let platform_row = |ui: &Harness, arch: &str| {
        ui.driver
            .app
            .graph()
            .rows()
            .into_iter()
            .map(|row| row.path)
            .find(|path| {
                path.last()
                    .is_some_and(|id| matches!(id, NodeId::Platform { .. }))
                    && ui
                        .driver
                        .app
                        .graph()
                        .tree
                        .node(path)
                        .unwrap()
                        .descriptor
                        .as_ref()
                        .and_then(|d| d.platform.as_ref())
                        .is_some_and(|p| p.architecture == arch)
            })
            .and_then(|path| path.last().cloned())
            .expect("platform row")
    };
    if regscope::oci::PlatformSpec::host().architecture == "amd64" {
        ui.key(KeyCode::Char('s'));
        ui.wait_for("the host platform's SBOM", |s| s.contains("│ pulled"))
            .await;
        assert!(downloads.path().join("sbom.cdx.json").is_file());
        std::fs::remove_file(downloads.path().join("sbom.cdx.json")).unwrap();
    }
    let amd64 = platform_row(&ui, "amd64");
    ui.move_to(&amd64);
    ui.key(KeyCode::Char('s'));
    ui.wait_for("the amd64 SBOM", |s| s.contains("│ pulled"))
        .await;
    let pulled = downloads.path().join("sbom.cdx.json");
    let amd64_sbom = std::fs::read(&pulled).unwrap();
    std::fs::remove_file(&pulled).unwrap();
    ui.driver.app.status = None;
    let arm64 = platform_row(&ui, "arm64");
    ui.move_to(&arm64);
    ui.key(KeyCode::Char('s'));
    ui.wait_for("the arm64 SBOM", |s| s.contains("│ pulled"))
        .await;
    assert!(
        std::fs::read(&pulled).unwrap() != amd64_sbom,
        "each platform row pulls its own platform's SBOM"
    );
}

/// The demo opens as the README's screenshot shows it: every repository
/// listed, the image the seeds describe open on its whole graph.
#[tokio::test]
async fn the_demo_opens_on_the_seeds_graph_expanded() {
    let mut ui = Harness::demo(regscope::tui::Start::demo(), 120, 40);
    let screen = ui
        .wait_for("the graph, expanded", |s| {
            s.contains("sbom.cdx.json") && s.contains("signature.json") && s.contains("readme.md")
        })
        .await;
    let at = |text: &str| {
        screen
            .find(text)
            .unwrap_or_else(|| panic!("no {text}:\n{screen}"))
    };
    assert!(
        at("multi-arch") < at("net-monitor") && at("net-monitor") < at("plain"),
        "{screen}"
    );
    assert!(at("CycloneDX SBOM") < at("plain"), "{screen}");
    assert_eq!(
        *ui.driver.app.graph().tree.selected(),
        [
            NodeId::Registry,
            NodeId::repository("net-monitor"),
            NodeId::tag("v1")
        ]
    );
}
