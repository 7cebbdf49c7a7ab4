//! The TUI's audit table on an index whose platform was deleted behind its
//! back (by oras), on olareg: the row says a platform is missing and its
//! SBOMs are counted per platform, signed ones too, as `audit` prints them.

use std::sync::Arc;

use crossterm::event::KeyCode;
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::tui::Start;

use super::harness::Harness;
use crate::cli_missing::push_multi;
use crate::support::{Oras, Registry};

async fn audit_row(registry: &Registry, index: &str) -> String {
    let store = RemoteStore::new(registry.host(), ConnectOptions::default()).unwrap();
    let start = Start::Repository("app".to_owned());
    let mut ui = Harness::with_store(Arc::new(store), None, start, 200, 12);
    ui.settle().await;
    ui.key(KeyCode::Char('A'));
    let screen = ui
        .wait_for("the audit", |s| s.contains("images audited"))
        .await;
    let short = &index["sha256:".len().."sha256:".len() + 12];
    screen
        .lines()
        .find(|l| l.contains(short))
        .unwrap_or_else(|| panic!("no row for the index {short}: {screen}"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_platform_shows_in_the_audit_table() {
    let registry = Registry::olareg();
    let work = tempfile::tempdir().unwrap();
    let multi = push_multi(&registry, work.path());

    // Whole: both SBOMs, one of them signed.
    let row = audit_row(&registry, &multi.index).await;
    assert!(!row.contains("missing"), "{row}");
    assert!(row.contains("✓ 2/2 CycloneDX"), "SBOMs per platform: {row}");
    assert!(row.contains("✗ 1/2"), "signed SBOMs per platform: {row}");

    let amd = registry.reference(&format!("app@{}", multi.amd));
    Oras::for_registry(&registry).run(&["manifest", "delete", "--force", &amd]);
    let row = audit_row(&registry, &multi.index).await;
    assert!(row.contains("⚠ 1 missing"), "{row}");
    assert!(
        row.contains("✗ 1/2 CycloneDX") && row.contains("✗ 0/2"),
        "an SBOM counted for nothing: {row}"
    );
}
