//! insta snapshots of the screens that matter, on the demo (stable
//! digests). `INSTA_UPDATE=no` in CI makes a changed screen fail.

use crossterm::event::KeyCode;
use regscope::demo::{MULTI_ARCH_V1, NET_MONITOR_SBOM, NET_MONITOR_V1};
use regscope::tui::Start;

use super::app_support::{popup_open, referrer};
use super::harness::Harness;

#[tokio::test]
async fn tree_with_the_demo_graph_expanded() {
    let mut ui = Harness::net_monitor();
    ui.wait_for("the SBOM's signature", |s| {
        s.contains("sbom/example") || s.contains("CycloneDX")
    })
    .await;
    let screen = ui.settle().await;
    assert!(screen.contains(&NET_MONITOR_V1[7..19]), "{screen}");
    insta::assert_snapshot!("tree_expanded", screen);
}

#[tokio::test]
async fn manifest_detail() {
    let mut ui = Harness::demo(Start::reference("plain", "v1"), 150, 36);
    let screen = ui.settle().await;
    assert!(
        screen.contains("Manifest") && screen.contains("\"config\": {"),
        "{screen}"
    );
    insta::assert_snapshot!("manifest_detail", screen);
}

#[tokio::test]
async fn sbom_summary() {
    let mut ui = Harness::net_monitor();
    ui.settle().await;
    ui.move_to(&referrer(NET_MONITOR_SBOM));
    ui.wait_for("the SBOM summary", |s| s.contains("components"))
        .await;
    // Loads started by what showed may still be under way.
    let screen = ui.settle().await;
    insta::assert_snapshot!("sbom_summary", screen);
}

#[tokio::test]
async fn help_screen() {
    let mut ui = Harness::net_monitor();
    ui.settle().await;
    ui.key(KeyCode::Char('?'));
    let screen = ui.screen();
    assert!(screen.contains("copy registry/repo@digest"), "{screen}");
    insta::assert_snapshot!("help", screen);
}

/// A tag that does not exist is said on the status line, and leaves no
/// row behind ("1 tag", not a ghost `v9-missing` counted as a second).
#[tokio::test]
async fn missing_tag() {
    let mut ui = Harness::demo(Start::reference("net-monitor", "v9-missing"), 100, 16);
    ui.wait_for("the error", |s| s.contains("not found")).await;
    // Loads started by what showed may still be under way.
    let screen = ui.settle().await;
    assert!(
        screen.contains("1 tag") && !screen.contains("▶ v9-missing"),
        "{screen}"
    );
    insta::assert_snapshot!("missing_tag", screen);
}

#[tokio::test]
async fn filtered_tag_list() {
    let tags = ["v1.1", "v1.2", "v2.0", "v2.1-rc1", "latest", "nightly"];
    let start = Start::Repository("multi-arch".to_owned());
    let mut ui = Harness::demo_with_tags("multi-arch", &tags, start, 100, 16).await;
    let screen = ui.settle().await;
    assert!(screen.contains("7 tags"), "{screen}");
    ui.key(KeyCode::Char('/'));
    ui.type_text("v2");
    let screen = ui.screen();
    assert!(
        screen.contains("v2.1-rc1") && !screen.contains("v1.2") && !screen.contains("nightly"),
        "{screen}"
    );
    ui.key(KeyCode::Enter);
    ui.key(KeyCode::Enter);
    let screen = ui.settle().await;
    assert!(screen.contains(&MULTI_ARCH_V1[7..19]), "{screen}");
    assert!(screen.contains("filter \"v2\""), "{screen}");
    insta::assert_snapshot!("filtered_list", screen);
}

#[tokio::test]
async fn delete_dialog_shows_exactly_what_goes() {
    let mut ui = Harness::net_monitor();
    ui.settle().await;
    let screen = ui.whole_delete_planned("5 manifests will be deleted").await;
    assert!(screen.contains(&NET_MONITOR_SBOM[..19]), "{screen}");
    insta::assert_snapshot!("delete_dialog", screen);
    ui.key(KeyCode::Esc);
    assert!(!popup_open(&ui.driver.app));
}
