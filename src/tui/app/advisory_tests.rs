//! The findings screen's advisory scrolls: a description longer than the
//! pane is read to its end with the key map's keys (J/K, shown in the
//! footer and in `?`), no further than its text goes, and a newly
//! selected finding's advisory starts at its top.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;

use super::App;
use super::vulns_tests::{app_with, finding, press, scan, trivy};
use crate::tui::message::Msg;
use crate::tui::screens::vulns::FindingsView;
use crate::vuln::Severity;
use crate::vuln::apply::apply;

/// Two findings; CVE-7's description runs to eighty sentences and ends in
/// a word no shorter advisory has.
fn app() -> App {
    let mut long = finding("CVE-7", "openssl", Severity::Critical);
    let sentences: Vec<String> = (1..=80)
        .map(|n| format!("Sentence {n} of what the attacker does."))
        .collect();
    long.description = Some(format!("{} THE-END", sentences.join(" ")));
    let short = finding("CVE-8", "zlib", Severity::Low);
    let report = Arc::new(apply(
        vec![scan("trivy", "trivy", vec![long, short])],
        vec![],
    ));
    app_with(FindingsView::new(report, &trivy(), 10))
}

fn shifted(app: &mut App, c: char) {
    app.update(Msg::Input(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::SHIFT,
    ))));
}

fn scroll(app: &App) -> Option<u16> {
    let view = app.screen::<FindingsView>().expect("the findings table");
    view.advisory.as_ref().map(|a| a.scroll)
}

fn draw(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    terminal
        .draw(|frame| crate::tui::view::draw(frame, app))
        .expect("draw");
    format!("{}", terminal.backend())
}

#[test]
fn a_long_advisory_scrolls_to_its_end_and_no_further() {
    let mut app = app();
    press(&mut app, KeyCode::Enter);
    assert_eq!(scroll(&app), Some(0));
    let top = draw(&app);
    assert!(!top.contains("THE-END"), "the end is cut at first:\n{top}");
    assert!(
        top.contains("J  advisory down"),
        "the footer says how:\n{top}"
    );

    for _ in 0..200 {
        shifted(&mut app, 'J');
    }
    let end = scroll(&app).expect("open");
    assert!(end > 0 && end < 200, "stops where the text ends: {end}");
    let bottom = draw(&app);
    assert!(bottom.contains("THE-END"), "{bottom}");
    insta::assert_snapshot!("advisory_scrolled_to_its_end", bottom);
    shifted(&mut app, 'J');
    assert_eq!(scroll(&app), Some(end), "no further than the text");

    shifted(&mut app, 'K');
    assert_eq!(scroll(&app), Some(end - 1));
    // Another finding's advisory starts at its top.
    press(&mut app, KeyCode::Down);
    assert_eq!(scroll(&app), Some(0));
}

#[test]
fn without_an_advisory_open_the_keys_say_how_to_open_one() {
    let mut app = app();
    shifted(&mut app, 'J');
    assert_eq!(scroll(&app), None);
    let said = app.status.as_ref().map(|s| s.text.clone());
    assert_eq!(said.as_deref(), Some("no advisory open: enter opens it"));
}

#[test]
fn the_help_lists_the_advisory_keys() {
    let mut app = app();
    press(&mut app, KeyCode::Char('?'));
    let screen = draw(&app);
    assert!(screen.contains("scroll the open advisory down"), "{screen}");
}
