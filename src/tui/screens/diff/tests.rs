//! The diff screen as state: keys in, folds, filter and selection out, on
//! the report the real engine makes of two demo images (net-monitor:v1,
//! signed and with an SBOM, against plain:v1, with neither).

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::diff::{DiffOptions, DiffSide};
use crate::store::ReferrersSupport;
use crate::tui::config::Config;
use crate::tui::screen::{Areas, Ask, Session};

fn session() -> Session {
    Session {
        store_name: "demo".to_owned(),
        registry: "demo".to_owned(),
        referrers_support: ReferrersSupport::NotYetKnown,
        scratch_note: None,
        log_path: None,
    }
}

async fn demo_report() -> DiffReport {
    let (store, _scratch) = crate::demo::open_scratch().expect("demo");
    let store: crate::store::SharedStore = Arc::new(store);
    let side = |repository: &str| DiffSide {
        store: Arc::clone(&store),
        repository: repository.to_owned(),
        reference: "v1".to_owned(),
        name: format!("{repository}:v1"),
    };
    let (sink, _events) = tokio::sync::mpsc::unbounded_channel();
    let cancel = CancellationToken::new();
    crate::diff::diff(
        &side("net-monitor"),
        &side("plain"),
        &DiffOptions::default(),
        &sink,
        &cancel,
    )
    .await
    .expect("the demo images compare")
}

fn target(name: &str) -> DiffTarget {
    DiffTarget {
        repository: name.to_owned(),
        reference: "v1".to_owned(),
        name: format!("{name}:v1"),
        store: None,
    }
}

/// Sends one key (`Char` with Shift for capitals) and returns what the
/// screen asked of the router.
fn press(screen: &mut DiffScreen, config: &Config, code: KeyCode) -> Vec<Ask> {
    let session = session();
    let mut next_id = 0;
    let mut cx = Cx::new(
        config,
        &session,
        Areas::default(),
        (None, &[]),
        &mut next_id,
    );
    screen.on_key(KeyEvent::new(code, KeyModifiers::NONE), &mut cx);
    cx.asked
}

fn section_named(screen: &DiffScreen, name: &str) -> usize {
    screen
        .sections
        .iter()
        .position(|s| s.name == name)
        .unwrap_or_else(|| panic!("no section {name}: {:?}", screen.sections))
}

/// Moves the selection to `section`'s header with the arrow keys.
fn select_header(screen: &mut DiffScreen, config: &Config, section: usize) {
    press(screen, config, KeyCode::Home);
    while screen.selected_row() != Some(Row::Header(section)) {
        let before = screen.list.selected_position();
        press(screen, config, KeyCode::Down);
        assert_ne!(
            before,
            screen.list.selected_position(),
            "header not reached"
        );
    }
}

#[tokio::test]
async fn sections_start_folded_enter_opens_one_and_a_filter_searches_them_all() {
    let config = Config::defaults();
    let cancel = CancellationToken::new();
    let mut screen = DiffScreen::new(7, &target("net-monitor"), &target("plain"), cancel, 10);
    assert!(screen.loading && screen.is_animating());
    let report = demo_report().await;
    screen.on_report(DiffMsg::Done {
        id: 7,
        result: Ok(Box::new(report)),
    });
    assert!(!screen.loading && screen.error.is_none());
    // Folded: one row per section, nothing else.
    let sections = screen.sections.len();
    assert!(sections >= 5, "{:?}", screen.sections);
    assert_eq!(screen.list.shown().len(), sections);
    let attachments = section_named(&screen, "Attachments");
    let signature = screen.sections[attachments]
        .entries
        .iter()
        .find(|e| e.text.contains("signature"))
        .expect("the signature only the left has");
    assert_eq!(signature.mark, Mark::Removed);
    assert!(
        signature.text.contains("missing on the right"),
        "{signature:?}"
    );

    let files = section_named(&screen, "Files");
    let file_entries = screen.sections[files].entries.len();
    assert!(file_entries > 0);
    select_header(&mut screen, &config, files);
    press(&mut screen, &config, KeyCode::Enter);
    assert!(screen.open.contains(&files));
    assert_eq!(screen.list.shown().len(), sections + file_entries);
    // Enter on one of its entries folds it, the selection on its header.
    press(&mut screen, &config, KeyCode::Down);
    assert!(matches!(screen.selected_row(), Some(Row::Entry { section, .. }) if section == files));
    press(&mut screen, &config, KeyCode::Enter);
    assert!(!screen.open.contains(&files));
    assert_eq!(screen.selected_row(), Some(Row::Header(files)));
    assert_eq!(screen.list.shown().len(), sections);

    // `/` searches folded sections too; headers step aside.
    press(&mut screen, &config, KeyCode::Char('/'));
    for c in "cyclonedx".chars() {
        press(&mut screen, &config, KeyCode::Char(c));
    }
    let shown: Vec<Row> = screen
        .list
        .shown()
        .iter()
        .map(|&i| screen.rows[i as usize])
        .collect();
    assert!(!shown.is_empty());
    assert!(
        shown
            .iter()
            .all(|r| matches!(r, Row::Entry { section, .. } if *section == attachments)),
        "{shown:?}"
    );
    let (matching, total) = screen.entry_counts();
    assert!(matching == shown.len() && matching < total);
    press(&mut screen, &config, KeyCode::Enter);
    assert!(!screen.filtering, "Enter keeps the filter");
    assert_eq!(screen.filter, "cyclonedx");
    // A filter that matches nothing shows nothing, not the headers.
    press(&mut screen, &config, KeyCode::Char('/'));
    press(&mut screen, &config, KeyCode::Char('#'));
    assert_eq!(screen.list.shown().len(), 0);
    // Esc clears it: the folded sections again.
    press(&mut screen, &config, KeyCode::Esc);
    assert!(screen.filter.is_empty());
    assert_eq!(screen.list.shown().len(), sections);
}

#[test]
fn closing_cancels_a_diff_under_way_and_reports_for_others_are_not_taken() {
    let config = Config::defaults();
    let cancel = CancellationToken::new();
    let mut screen = DiffScreen::new(3, &target("a"), &target("b"), cancel.clone(), 10);
    let session = session();
    let mut next_id = 0;
    let mut cx = Cx::new(
        &config,
        &session,
        Areas::default(),
        (None, &[]),
        &mut next_id,
    );
    let other = Msg::Diff(DiffMsg::Progress {
        id: 4,
        done: 1,
        total: 2,
    });
    assert!(screen.on_msg(other, &mut cx).is_some(), "not its report");
    let mine = Msg::Diff(DiffMsg::Progress {
        id: 3,
        done: 1,
        total: 2,
    });
    assert!(screen.on_msg(mine, &mut cx).is_none());
    assert_eq!(screen.progress, (1, 2));
    let failed = DiffMsg::Done {
        id: 3,
        result: Err("a: manifest unknown".to_owned()),
    };
    screen.on_report(failed);
    assert_eq!(screen.error.as_deref(), Some("a: manifest unknown"));
    assert!(!cancel.is_cancelled());
    let asked = press(&mut screen, &config, KeyCode::Esc);
    assert!(matches!(asked.as_slice(), [Ask::Close]), "{asked:?}");
    assert!(cancel.is_cancelled());

    // A screen that goes without Esc (the app quits) stops its diff too.
    let quit = CancellationToken::new();
    let screen = DiffScreen::new(5, &target("a"), &target("b"), quit.clone(), 10);
    assert!(!quit.is_cancelled());
    drop(screen);
    assert!(quit.is_cancelled());
}
