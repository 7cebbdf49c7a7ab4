//! The audit table on the demo: `A` on a repository fills a row per image
//! as lookups finish, with the summary line; sorting and filtering narrow
//! it; Enter opens the image's graph; Esc closes it.

use crossterm::event::KeyCode;
use regscope::demo::NET_MONITOR_V1;
use regscope::tui::Start;

use super::harness::Harness;

#[tokio::test]
async fn audit_table_fills_sorts_filters_and_opens_the_graph() {
    let start = Start::Repository("net-monitor".to_owned());
    let mut ui = Harness::demo(start, 160, 14);
    ui.settle().await;
    ui.key(KeyCode::Char('A'));
    let screen = ui
        .wait_for("the audit to finish", |s| s.contains("images audited"))
        .await;
    assert!(screen.contains("Audit of net-monitor"), "{screen}");
    assert!(
        screen.contains("signed ·") && screen.contains("with SBOM"),
        "{screen}"
    );
    assert!(screen.contains(&NET_MONITOR_V1[7..19]), "{screen}");
    insta::assert_snapshot!("audit_table", screen);

    ui.key(KeyCode::Char('s'));
    assert!(ui.screen().contains("sorted by unsigned first"));
    ui.key(KeyCode::Char('/'));
    ui.type_text("no-such-tag");
    ui.key(KeyCode::Enter);
    assert!(ui.screen().contains("0 of"), "{}", ui.screen());
    ui.key(KeyCode::Char('/'));
    ui.key(KeyCode::Enter);

    // Enter: the selected image's graph, in the tree.
    ui.key(KeyCode::Enter);
    let screen = ui.settle().await;
    assert!(!screen.contains("Audit of"), "{screen}");
    assert!(ui.driver.app.audit.is_none());

    // Esc closes a finished table.
    ui.key(KeyCode::Char('A'));
    ui.wait_for("the audit", |s| s.contains("images audited"))
        .await;
    ui.key(KeyCode::Esc);
    assert!(!ui.screen().contains("Audit of"));
}
