//! Every screen, and `?` on each, at 80x24 (the smallest terminal people
//! use) and at 160x45, on the demo: the graph, the audit table, the files
//! view, the messages, and the dialogs (attach, copy, delete, replace).

use crossterm::event::KeyCode;
use regscope::tui::Start;
use regscope::tui::app::{Dialog, Popup};
use regscope::tui::tree::NodeId;

use super::harness::Harness;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 45)];

async fn graph(width: u16, height: u16) -> Harness {
    let mut ui = Harness::demo(Start::demo(), width, height);
    ui.wait_for("the graph", |s| s.contains("referrers")).await;
    ui.settle().await;
    ui.move_to(&NodeId::tag("v1"));
    ui
}

fn name(screen: &str, width: u16, height: u16) -> String {
    format!("{screen}_{width}x{height}")
}

#[tokio::test]
async fn the_graph_and_its_help() {
    for (width, height) in SIZES {
        let mut ui = graph(width, height).await;
        insta::assert_snapshot!(name("graph", width, height), ui.screen());
        ui.key(KeyCode::Char('?'));
        let screen = ui.screen();
        assert!(screen.contains("in the graph and the detail pane"), "{screen}");
        insta::assert_snapshot!(name("graph_help", width, height), screen);
    }
}

#[tokio::test]
async fn the_audit_table_and_its_help() {
    for (width, height) in SIZES {
        let mut ui = graph(width, height).await;
        ui.key(KeyCode::Char('A'));
        let screen = ui
            .wait_for("the audit", |s| s.contains("images audited"))
            .await;
        insta::assert_snapshot!(name("audit", width, height), screen);
        ui.key(KeyCode::Char('?'));
        let screen = ui.screen();
        assert!(screen.contains("in the audit table"), "{screen}");
        insta::assert_snapshot!(name("audit_help", width, height), screen);
    }
}

#[tokio::test]
async fn the_files_view_and_its_help() {
    for (width, height) in SIZES {
        let mut ui = graph(width, height).await;
        ui.key(KeyCode::Char('f'));
        let screen = ui.wait_for("the files", |s| s.contains("entries")).await;
        insta::assert_snapshot!(name("files", width, height), screen);
        ui.key(KeyCode::Char('?'));
        let screen = ui.screen();
        assert!(screen.contains("in the files view"), "{screen}");
        insta::assert_snapshot!(name("files_help", width, height), screen);
    }
}

#[tokio::test]
async fn the_messages() {
    for (width, height) in SIZES {
        let mut ui = graph(width, height).await;
        ui.key(KeyCode::Char('t'));
        ui.key(KeyCode::Char('m'));
        let screen = ui.screen();
        assert!(screen.contains("fallback tags"), "{screen}");
        insta::assert_snapshot!(name("messages", width, height), screen);
    }
}

#[tokio::test]
async fn the_dialogs_and_their_keys() {
    for (width, height) in SIZES {
        let mut ui = graph(width, height).await;
        ui.key(KeyCode::Char('a'));
        insta::assert_snapshot!(name("attach", width, height), ui.screen());
        // Help in a dialog is F1: `?` is typed.
        ui.key(KeyCode::F(1));
        insta::assert_snapshot!(name("attach_help", width, height), ui.screen());
        ui.key(KeyCode::Esc);
        ui.key(KeyCode::Esc);

        ui.key(KeyCode::Char('c'));
        insta::assert_snapshot!(name("copy", width, height), ui.screen());
        ui.key(KeyCode::Esc);

        ui.key(KeyCode::Char('d'));
        let screen = ui
            .wait_for("the plan", |s| s.contains("removes"))
            .await;
        insta::assert_snapshot!(name("delete", width, height), screen);
        ui.key(KeyCode::Char('n'));

        ui.driver.app.popup = Some(Popup::Dialog(Dialog::Replace {
            path: "./sbom.cdx.json".into(),
        }));
        insta::assert_snapshot!(name("replace", width, height), ui.screen());
    }
}
