//! The diff screen through the real app, runner and store: on the demo
//! (net-monitor:v1, signed and with an SBOM, against plain:v1) its
//! snapshots at 80x24 and 160x45, folded, with a section open, and its
//! help; on olareg two images oras pushed (files added, removed, modified,
//! whited out on a shared base), mark → diff → unfold → filter, the
//! screen listing exactly the paths `regscope diff --format json` lists.

use std::collections::BTreeSet;
use std::sync::Arc;

use crossterm::event::KeyCode;
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::tui::Start;
use regscope::tui::screens::diff::{DiffScreen, Mark, Row};
use regscope::tui::tree::NodeId;

use super::harness::Harness;
use crate::diff_ground::{make_trees, push_pair, write_configs};
use crate::support::{Oras, Registry};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 45)];

fn diff_screen(ui: &Harness) -> &DiffScreen {
    ui.driver
        .app
        .screen::<DiffScreen>()
        .expect("the diff screen")
}

/// Moves to the header of the section called `name` and presses Enter.
fn open_section(ui: &mut Harness, name: &str) {
    let screen = diff_screen(ui);
    let section = screen
        .sections
        .iter()
        .position(|s| s.name == name)
        .unwrap_or_else(|| panic!("no section {name}"));
    let position = screen
        .list
        .shown()
        .iter()
        .position(|&i| screen.rows[i as usize] == Row::Header(section))
        .expect("its header shows");
    ui.key(KeyCode::Home);
    for _ in 0..position {
        ui.key(KeyCode::Down);
    }
    ui.key(KeyCode::Enter);
    assert!(diff_screen(ui).open.contains(&section), "{name} opened");
}

#[tokio::test]
async fn the_diff_screen_folded_open_and_its_help() {
    for (width, height) in SIZES {
        let mut ui = Harness::demo(Start::demo(), width, height);
        ui.wait_for("the graph", |s| s.contains("referrers")).await;
        ui.settle().await;
        ui.move_to(&NodeId::tag("v1"));
        ui.key(KeyCode::Char(' '));
        let screen = ui.screen();
        assert!(screen.contains("[marked] v1"), "{screen}");
        assert!(screen.contains("marked net-monitor:v1"), "{screen}");
        ui.go_to("plain:v1");
        ui.settle().await;
        ui.key(KeyCode::Char('='));
        let screen = ui
            .wait_for("the diff", |s| {
                s.contains("Attachments") && !s.contains("comparing")
            })
            .await;
        assert!(screen.contains("net-monitor:v1 → plain:v1"), "{screen}");
        assert!(screen.contains("▶ Files"), "folded: {screen}");
        insta::assert_snapshot!(format!("diff_{width}x{height}"), screen);

        open_section(&mut ui, "Attachments");
        let screen = ui.screen();
        assert!(screen.contains("▼ Attachments"), "{screen}");
        assert!(screen.contains("missing on the right"), "{screen}");
        insta::assert_snapshot!(format!("diff_open_{width}x{height}"), screen);

        ui.key(KeyCode::Char('?'));
        let screen = ui.screen();
        assert!(screen.contains("in the diff"), "{screen}");
        insta::assert_snapshot!(format!("diff_help_{width}x{height}"), screen);
        ui.key(KeyCode::Esc);
        ui.key(KeyCode::Esc);
        assert!(ui.driver.app.screen::<DiffScreen>().is_none(), "Esc closes");
        let mark = ui
            .driver
            .app
            .graph()
            .tree
            .diff_mark
            .as_ref()
            .expect("the mark stays");
        assert_eq!(mark.target.name, "net-monitor:v1");
    }
}

/// Every path of a section of the CLI's JSON.
fn cli_paths(report: &serde_json::Value, key: &str) -> BTreeSet<String> {
    report["files"][key]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mark_diff_unfold_and_filter_on_a_real_registry() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let trees = make_trees(dir);
    write_configs(dir);
    let registry = Registry::olareg();
    let (left, right) = push_pair(&Oras::for_registry(&registry), dir, &registry, &trees);
    let cli = crate::diff::diff_json(dir, &[&left, &right]);

    let store = RemoteStore::new(registry.host(), ConnectOptions::default()).unwrap();
    let start = Start::Repository("diff".to_owned());
    let mut ui = Harness::with_store(Arc::new(store), None, start, 160, 45);
    ui.wait_for("the tags", |s| s.contains("v2")).await;
    ui.settle().await;
    // The diff key without a mark says what to do first.
    ui.move_to(&NodeId::tag("v2"));
    ui.key(KeyCode::Char('='));
    assert!(ui.screen().contains("nothing is marked"), "{}", ui.screen());
    assert!(ui.driver.app.screen::<DiffScreen>().is_none());

    ui.move_to(&NodeId::tag("v1"));
    ui.key(KeyCode::Char(' '));
    ui.key(KeyCode::Char('='));
    assert!(ui.screen().contains("this is the marked image"));
    ui.move_to(&NodeId::tag("v2"));
    ui.key(KeyCode::Char('='));
    let screen = ui
        .wait_for("the diff", |s| {
            s.contains("Attachments") && !s.contains("comparing")
        })
        .await;
    assert!(screen.contains("diff:v1 → diff:v2"), "{screen}");
    assert!(
        screen.contains("files changed"),
        "the summary line: {screen}"
    );

    // The files section holds exactly the CLI's paths, marked alike.
    let screen_state = diff_screen(&ui);
    let files = &screen_state.sections[screen_state
        .sections
        .iter()
        .position(|s| s.name == "Files")
        .unwrap()];
    for (key, mark) in [
        ("added", Mark::Added),
        ("removed", Mark::Removed),
        ("modified", Mark::Changed),
    ] {
        let shown: BTreeSet<String> = files
            .entries
            .iter()
            .filter(|e| e.mark == mark)
            .map(|e| e.key.clone())
            .collect();
        assert_eq!(shown, cli_paths(&cli, key), "{key}");
    }

    open_section(&mut ui, "Files");
    let screen = ui.screen();
    assert!(screen.contains("~ app/server"), "{screen}");
    assert!(
        screen.contains("- etc/motd (uncertain: the shared base was not read)"),
        "the CLI's mark of an uncertain entry: {screen}"
    );

    ui.key(KeyCode::Char('/'));
    ui.type_text("new.txt");
    ui.key(KeyCode::Enter);
    let screen = ui.screen();
    assert!(screen.contains("Files: + app/new.txt"), "{screen}");
    assert!(screen.contains("1 of"), "{screen}");
    assert!(!screen.contains("app/server"), "{screen}");
    ui.key(KeyCode::Esc);
    assert!(ui.driver.app.screen::<DiffScreen>().is_none());
}
