//! Every screen, and `?` on each, at 80x24 (the smallest terminal people
//! use) and at 160x45, on the demo: the graph, the audit table, the files
//! view, the messages, the dialogs (attach, copy, delete, replace) and the
//! prompts (filter, search, go to). In a dialog or a prompt, where `?` is
//! typed, help is F1.

use crossterm::event::KeyCode;
use regscope::ops::PullSelect;
use regscope::tui::Start;
use regscope::tui::message::OperationRequest;
use regscope::tui::screens::dialogs::ReplaceQuestion;
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

/// The help opened with `key` on the screen shown, snapshotted, then
/// closed with Esc: the screen under it is as it was.
fn help_on(ui: &mut Harness, key: KeyCode, heading: &str, snapshot: &str) {
    let before = ui.screen();
    ui.key(key);
    let screen = ui.screen();
    assert!(screen.contains(heading), "{screen}");
    insta::assert_snapshot!(snapshot, screen);
    ui.key(KeyCode::Esc);
    assert_eq!(
        ui.screen(),
        before,
        "closing the help shows what was under it"
    );
}

/// A screen the graph opens with keys, as every size shows it and then
/// with `?` on it.
struct Shown {
    /// Of the snapshots, and `{name}_help` for the help's.
    name: &'static str,
    /// Pressed on the graph to open it.
    keys: &'static [KeyCode],
    /// On the screen once it is all there.
    until: &'static str,
    /// The help's heading for that screen.
    help: &'static str,
}

async fn screen_and_its_help(shown: Shown) {
    for (width, height) in SIZES {
        let mut ui = graph(width, height).await;
        for key in shown.keys {
            ui.key(*key);
        }
        let screen = ui.wait_for(shown.name, |s| s.contains(shown.until)).await;
        insta::assert_snapshot!(name(shown.name, width, height), screen);
        let snapshot = name(&format!("{}_help", shown.name), width, height);
        help_on(&mut ui, KeyCode::Char('?'), shown.help, &snapshot);
    }
}

#[tokio::test]
async fn the_graph_and_its_help() {
    screen_and_its_help(Shown {
        name: "graph",
        keys: &[],
        until: "referrers",
        help: "in the graph and the detail pane",
    })
    .await;
}

#[tokio::test]
async fn the_audit_table_and_its_help() {
    screen_and_its_help(Shown {
        name: "audit",
        keys: &[KeyCode::Char('A')],
        until: "images audited",
        help: "in the audit table",
    })
    .await;
}

#[tokio::test]
async fn the_files_view_and_its_help() {
    screen_and_its_help(Shown {
        name: "files",
        keys: &[KeyCode::Char('f')],
        until: "entries",
        help: "in the files view",
    })
    .await;
}

#[tokio::test]
async fn the_messages_and_their_help() {
    // `t` says something, so there is a message to show.
    screen_and_its_help(Shown {
        name: "messages",
        keys: &[KeyCode::Char('t'), KeyCode::Char('m')],
        until: "fallback tags",
        help: "in a view over the graph",
    })
    .await;
}

#[tokio::test]
async fn the_dialogs_and_their_help() {
    for (width, height) in SIZES {
        let mut ui = graph(width, height).await;
        ui.key(KeyCode::Char('a'));
        ui.type_text("sbom.json");
        insta::assert_snapshot!(name("attach", width, height), ui.screen());
        let snapshot = name("attach_help", width, height);
        help_on(&mut ui, KeyCode::F(1), "in dialogs and prompts", &snapshot);
        ui.key(KeyCode::Esc);

        ui.key(KeyCode::Char('c'));
        ui.type_text("mirror:v2");
        insta::assert_snapshot!(name("copy", width, height), ui.screen());
        let snapshot = name("copy_help", width, height);
        help_on(&mut ui, KeyCode::F(1), "in dialogs and prompts", &snapshot);
        ui.key(KeyCode::Esc);

        ui.key(KeyCode::Char('d'));
        ui.key(KeyCode::Char('w'));
        // The plan, not the status line saying it is being worked out.
        let screen = ui
            .wait_for("the plan", |s| {
                s.contains("will be deleted") && !s.contains("working out what goes")
            })
            .await;
        insta::assert_snapshot!(name("delete", width, height), screen);
        let snapshot = name("delete_help", width, height);
        help_on(
            &mut ui,
            KeyCode::Char('?'),
            "in a yes/no question",
            &snapshot,
        );
        ui.key(KeyCode::Char('n'));

        let pull = OperationRequest::Pull {
            repository: "net-monitor".to_owned(),
            reference: "v1".to_owned(),
            select: PullSelect::Sbom,
            platform: regscope::ops::PlatformChoice::Auto,
            output_dir: ".".into(),
            replace_existing: false,
            known_graph: None,
        };
        let question = ReplaceQuestion::new("./sbom.cdx.json".into(), "pull SBOM".into(), pull);
        ui.driver.app.push(Box::new(question));
        insta::assert_snapshot!(name("replace", width, height), ui.screen());
        let snapshot = name("replace_help", width, height);
        help_on(
            &mut ui,
            KeyCode::Char('?'),
            "in a yes/no question",
            &snapshot,
        );
        ui.key(KeyCode::Char('n'));
    }
}

#[tokio::test]
async fn the_prompts_and_their_help() {
    for (width, height) in SIZES {
        let mut ui = graph(width, height).await;
        ui.key(KeyCode::Char('/'));
        ui.type_text("sig");
        let screen = ui.screen();
        assert!(screen.contains("filter: sig"), "{screen}");
        insta::assert_snapshot!(name("filter", width, height), screen);
        let snapshot = name("filter_help", width, height);
        help_on(&mut ui, KeyCode::F(1), "in dialogs and prompts", &snapshot);
        ui.key(KeyCode::Esc);

        ui.key(KeyCode::Tab);
        ui.key(KeyCode::Char('/'));
        ui.type_text("cyclone");
        insta::assert_snapshot!(name("search", width, height), ui.screen());
        ui.key(KeyCode::Esc);
        ui.key(KeyCode::Tab);

        ui.key(KeyCode::Char('g'));
        ui.type_text("net-monitor:v1");
        let screen = ui.screen();
        assert!(screen.contains("go to ("), "{screen}");
        insta::assert_snapshot!(name("go_to", width, height), screen);
        let snapshot = name("go_to_help", width, height);
        help_on(&mut ui, KeyCode::F(1), "in dialogs and prompts", &snapshot);
        ui.key(KeyCode::Esc);
    }
}
