//! The findings table opened from the graph on a real registry: Trivy's
//! alpine 3.10 JSON report (four medium findings) attached with oras as
//! Trivy's referrer plugin attaches it, and OpenVEX written by go-vex
//! (`openvex-build`) saying CVE-2019-1549 does not affect libcrypto1.1 in
//! this image (and, for another image, CVE-2019-1551 in libssl1.1, which
//! must not apply). The scan's row counts what `regscope vulns` counts;
//! Enter opens its findings; snapshots at 80x24 and 160x45.

use std::sync::Arc;

use crossterm::event::KeyCode;
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::tui::Start;
use regscope::tui::screens::vulns::FindingsView;

use super::harness::Harness;
use crate::cli::regscope_json;

mod ground;

use self::ground::{Ground, REPO, scan_and_vex_attached};

/// The CLI's summary, as the tree's label spells it.
fn cli_label(summary: &serde_json::Value) -> String {
    let mut parts = Vec::new();
    for severity in ["critical", "high", "medium", "low", "unknown"] {
        let n = summary[severity].as_u64().unwrap();
        if n > 0 {
            parts.push(format!("{n} {severity}"));
        }
    }
    let mut label = parts.join(" · ");
    let suppressed = summary["suppressed"].as_u64().unwrap();
    if suppressed > 0 {
        label.push_str(&format!(" ({suppressed} suppressed)"));
    }
    label
}

/// Waits until a row of the graph is a scan whose findings were read.
async fn scan_row(ui: &mut Harness) -> regscope::tui::tree::NodePath {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        ui.driver.drain();
        let app = &ui.driver.app;
        if let Some(row) = app.graph().rows().into_iter().find(|row| {
            app.graph()
                .node(&row.path)
                .is_some_and(|n| n.vulns.is_some())
        }) {
            return row.path;
        }
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        assert!(!left.is_zero(), "no scan row; screen:\n{}", ui.screen());
        if let Ok(Some(msg)) = tokio::time::timeout(left, ui.driver.next()).await {
            ui.driver.handle(msg);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_row_counts_after_vex_and_enter_opens_its_findings() {
    let ground = scan_and_vex_attached();
    let cli = regscope_json(
        ground.dir.path(),
        &["vulns", &ground.subject, "--format", "json"],
    );
    let label = cli_label(&cli["summary"]);
    assert_eq!(label, "3 medium (1 suppressed)", "{cli:#}");

    for (width, height) in [(80, 24), (160, 45)] {
        findings_at_size(&ground, &label, width, height).await;
    }
    the_audit_column_counts_the_same(&ground, &label).await;
}

/// The scan's row, its findings table and an advisory, at one terminal
/// size.
async fn findings_at_size(ground: &Ground, label: &str, width: u16, height: u16) {
    let Ground {
        registry, digest, ..
    } = ground;
    let store = RemoteStore::new(registry.host(), ConnectOptions::default()).unwrap();
    let start = Start::reference(REPO, "v1");
    let mut ui = Harness::with_store(Arc::new(store), None, start, width, height);
    let scan = scan_row(&mut ui).await;
    let facts = ui
        .driver
        .app
        .graph()
        .node(&scan)
        .unwrap()
        .vulns
        .as_ref()
        .unwrap();
    assert_eq!(facts.label, label, "the row counts what the CLI counts");
    let scan_digest = ui.driver.app.graph().node(&scan).unwrap().digest().unwrap();
    if width >= 160 {
        let screen = ui.screen();
        assert!(screen.contains(label), "the row shows it: {screen}");
    }
    ui.move_to(scan.last().unwrap());
    ui.key(KeyCode::Enter);
    ui.wait_for("the findings", |s| s.contains("Findings of"))
        .await;
    // Loads still running (another image's scans) show in the status
    // line: the picture waits for them.
    let screen = ui.settle().await;
    let view = ui
        .driver
        .app
        .screen::<FindingsView>()
        .expect("the table is open");
    let ids: Vec<(String, String)> = view
        .visible()
        .iter()
        .map(|r| (r.cells[1].clone(), r.cells[2].clone()))
        .collect();
    assert_eq!(ids.len(), 3, "{screen}");
    assert!(
        !ids.contains(&("CVE-2019-1549".to_owned(), "libcrypto1.1".to_owned())),
        "suppressed by this image's VEX: {screen}"
    );
    assert!(
        ids.contains(&("CVE-2019-1551".to_owned(), "libssl1.1".to_owned())),
        "another image's VEX does not apply: {screen}"
    );
    let vex_digest = view.report.vex[0].origin.manifest.short().to_owned();
    let stable = |screen: String| {
        screen
            .replace(registry.host(), "REGISTRY")
            .replace(&vex_digest, "VEX-DIGEST  ")
            .replace(scan_digest.short(), "SCAN-DIGEST ")
            .replace(&digest[7..19], "IMAGE-DIGEST")
    };
    insta::assert_snapshot!(format!("findings_{width}x{height}"), stable(screen));

    suppressed_shown_with_its_advisory(&mut ui, stable, width, height);
}

/// `v` shows the finding this image's VEX suppressed too, and its advisory
/// says what VEX said and where.
fn suppressed_shown_with_its_advisory(
    ui: &mut Harness,
    stable: impl Fn(String) -> String,
    width: u16,
    height: u16,
) {
    ui.key(KeyCode::Char('v'));
    let screen = ui.screen();
    let view = ui.driver.app.screen::<FindingsView>().unwrap();
    let states: Vec<(&str, bool)> = view
        .visible()
        .iter()
        .map(|r| (r.cells[5].as_str(), r.suppressed))
        .collect();
    assert_eq!(states.len(), 4, "{screen}");
    assert!(
        states.contains(&("not_affected: vulnerable_code_not_in_execute_path", true)),
        "{states:?}"
    );
    assert!(screen.contains("not_affected"), "{screen}");
    // The suppressed finding sorts first among equals (by id, then
    // package): its advisory says what VEX said and where.
    ui.key(KeyCode::Home);
    ui.key(KeyCode::Enter);
    let screen = ui.screen();
    let view = ui.driver.app.screen::<FindingsView>().unwrap();
    let advisory = view.advisory.as_ref().expect("Enter opens the advisory");
    let vex = advisory.lines.iter().find(|(label, _)| *label == "VEX");
    assert!(
        vex.is_some_and(|(_, text)| text.starts_with(
            "not_affected: vulnerable_code_not_in_execute_path, 2025-01-01T00:00:00Z, OpenVEX"
        ) && text.ends_with("(suppressed)")),
        "{:?}",
        advisory.lines
    );
    insta::assert_snapshot!(
        format!("findings_advisory_{width}x{height}"),
        stable(screen)
    );
}

/// The audit table's VULNS column counts the same; an image without a
/// scan says "-".
async fn the_audit_column_counts_the_same(ground: &Ground, label: &str) {
    let Ground {
        registry,
        oras,
        dir,
        ..
    } = ground;
    crate::support::fixture::push_image(
        oras,
        dir.path(),
        &registry.reference(&format!("{REPO}:clean")),
        "clean",
        "linux",
        "arm64",
    );
    let store = RemoteStore::new(registry.host(), ConnectOptions::default()).unwrap();
    let start = Start::Repository(REPO.to_owned());
    let mut ui = Harness::with_store(Arc::new(store), None, start, 200, 30);
    ui.wait_for("the tags", |s| s.contains("clean")).await;
    ui.key(KeyCode::Char('A'));
    ui.wait_for("the audit", |s| s.contains("images audited"))
        .await;
    let audit = ui.driver.app.audit().expect("the audit table");
    let column = regscope::tui::screens::audit::AUDIT_COLUMNS
        .iter()
        .position(|c| *c == "VULNS")
        .unwrap();
    let mut cells: Vec<(String, String)> = audit
        .rows
        .iter()
        .zip(&audit.cells)
        .map(|(row, cells)| (row.tags.join(","), cells[column].clone()))
        .collect();
    cells.sort();
    assert_eq!(
        cells,
        [
            ("clean".to_owned(), "-".to_owned()),
            ("v1".to_owned(), label.to_owned()),
        ]
    );
}
