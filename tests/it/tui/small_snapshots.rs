//! The popups at 80x24, the smallest terminal people use: the keys that
//! answer a dialog always show, and help scrolls to its last line.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use regscope::tui::message::Msg;

use super::app_support::{popup_open, referrer};
use super::harness::Harness;
use regscope::demo::NET_MONITOR_SBOM;
use regscope::tui::Start;

async fn net_monitor_80x24() -> Harness {
    let mut ui = Harness::demo(Start::reference("net-monitor", "v1"), 80, 24);
    ui.settle().await;
    ui
}

#[tokio::test]
async fn help_at_80x24_scrolls_to_its_end() {
    let mut ui = net_monitor_80x24().await;
    ui.key(KeyCode::Char('?'));
    let screen = ui.screen();
    assert!(screen.contains("esc closes"), "{screen}");
    insta::assert_snapshot!("help_80x24", screen);
    ui.key(KeyCode::End);
    let screen = ui.screen();
    assert!(
        screen.contains("everywhere:") && screen.contains("downloads go to"),
        "{screen}"
    );
    insta::assert_snapshot!("help_80x24_end", screen);
    // Up, then the wheel back down to the end.
    ui.key(KeyCode::Char('k'));
    assert!(!ui.screen().contains("downloads go to"));
    let wheel = MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 40,
        row: 12,
        modifiers: KeyModifiers::NONE,
    };
    ui.driver
        .handle(Msg::Input(crossterm::event::Event::Mouse(wheel)));
    assert!(ui.screen().contains("downloads go to"));
    ui.key(KeyCode::Char('j'));
    assert!(popup_open(&ui.driver.app), "j scrolls, it does not close");
}

#[tokio::test]
async fn delete_dialog_at_80x24_shows_its_keys() {
    let mut ui = net_monitor_80x24().await;
    let screen = ui.whole_delete_planned("5 manifests will be deleted").await;
    assert!(screen.contains("y/enter deletes · n/esc keeps"), "{screen}");
    insta::assert_snapshot!("delete_dialog_80x24", screen);
    ui.key(KeyCode::End);
    let screen = ui.screen();
    assert!(screen.contains("y/enter deletes · n/esc keeps"), "{screen}");
    assert!(popup_open(&ui.driver.app));
}

#[tokio::test]
async fn copy_dialog_at_80x24_shows_its_keys() {
    let mut ui = net_monitor_80x24().await;
    ui.key(KeyCode::Char('c'));
    ui.type_text("elsewhere:v2");
    let screen = ui.screen();
    assert!(screen.contains("enter copies · esc cancels"), "{screen}");
    insta::assert_snapshot!("copy_dialog_80x24", screen);
}

#[tokio::test]
async fn attach_dialog_at_80x24_shows_its_keys() {
    let mut ui = net_monitor_80x24().await;
    ui.move_to(&referrer(NET_MONITOR_SBOM));
    ui.key(KeyCode::Char('a'));
    ui.driver
        .handle(Msg::Input(crossterm::event::Event::Key(KeyEvent::new(
            KeyCode::Char('x'),
            KeyModifiers::NONE,
        ))));
    let screen = ui.screen();
    assert!(
        screen.contains("enter attaches · esc cancels")
            && screen.contains("right completes the type"),
        "{screen}"
    );
    insta::assert_snapshot!("attach_dialog_80x24", screen);
}

/// The plan the dialog shows is `rm`'s: the tags that go with the manifest
/// and the index that lists it, which refuses the delete.
#[tokio::test]
async fn delete_dialog_at_80x24_names_other_tags_and_the_index() {
    use regscope::store::Store as _;
    let (store, scratch) = regscope::demo::open_scratch().unwrap();
    let repository = regscope::demo::MULTI_ARCH_REPO;
    let amd64 = store
        .fetch_manifest(repository, regscope::demo::MULTI_ARCH_AMD64)
        .await
        .unwrap();
    for tag in ["amd", "latest"] {
        store
            .push_manifest(repository, &amd64, Some(tag))
            .await
            .unwrap();
    }
    let mut ui = Harness::with_store(
        std::sync::Arc::new(store),
        Some(scratch),
        Start::reference(repository, "amd"),
        80,
        24,
    );
    ui.settle().await;
    let screen = ui.whole_delete_planned("it would point at").await;
    assert!(screen.contains("tags amd, latest"), "{screen}");
    assert!(screen.contains("the index v1"), "{screen}");
    insta::assert_snapshot!("delete_dialog_tags_and_index_80x24", screen);
    ui.key(KeyCode::Char('y'));
    let status = ui.driver.app.status.clone().unwrap();
    assert!(status.text.contains("refusing"), "{status:?}");
}
