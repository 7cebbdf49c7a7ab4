//! `s` where a different `sbom.cdx.json` already is: nothing is written,
//! the app asks, n keeps the file, y replaces it with the registry's.

use crossterm::event::KeyCode;

use super::app_support::popup_open;
use super::harness::Harness;

#[tokio::test]
async fn a_pull_asks_before_replacing_a_different_file() {
    let downloads = tempfile::tempdir().unwrap();
    let mine = downloads.path().join("sbom.cdx.json");
    std::fs::write(&mine, "my own notes, not an SBOM\n").unwrap();
    let mut ui = Harness::net_monitor();
    ui.driver.app.config.download_dir = downloads.path().to_owned();
    ui.settle().await;

    ui.key(KeyCode::Char('s'));
    let screen = ui
        .wait_for("the question", |s| s.contains("replace?"))
        .await;
    assert!(
        screen.contains("already exists with other content"),
        "{screen}"
    );
    assert_eq!(
        std::fs::read_to_string(&mine).unwrap(),
        "my own notes, not an SBOM\n"
    );
    ui.key(KeyCode::Char('n'));
    assert!(!popup_open(&ui.driver.app));
    assert_eq!(
        std::fs::read_to_string(&mine).unwrap(),
        "my own notes, not an SBOM\n",
        "n keeps the file"
    );

    ui.key(KeyCode::Char('s'));
    ui.wait_for("the question again", |s| s.contains("replace?"))
        .await;
    ui.key(KeyCode::Char('y'));
    ui.wait_for("the pull", |s| s.contains("│ pulled")).await;
    let sbom: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&mine).unwrap()).expect("the SBOM now");
    assert_eq!(sbom["bomFormat"], "CycloneDX");
}
