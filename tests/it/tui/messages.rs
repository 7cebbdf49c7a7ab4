//! The messages view keeps every notice and error of the session in full:
//! the status line cuts a long error, `m` shows all of it, wrapped under
//! its text rather than at column 0.

use crossterm::event::KeyCode;
use ratatui::layout::Rect;
use regscope::tui::failure::Failure;
use regscope::tui::message::Msg;
use regscope::tui::screens::messages::Messages;

use super::app_support::{app, draw, key, popup_open, top};

const LONG: &str = "the registry at localhost:1 is not listening (connection refused, 2 attempts); \
                    start it or name another with g";

#[test]
fn every_message_of_the_session_is_kept_in_full() {
    let mut app = app();
    app.resize(Rect::new(0, 0, 80, 24));
    app.update(Msg::OperationDone {
        id: 99,
        result: Err(Failure::Other(LONG.to_owned())),
    });
    app.say("copied sha256:abc (OSC 52)");
    app.complain(format!("copy failed: {LONG}"));
    app.complain(format!("copy failed: {LONG}"));
    assert_eq!(
        app.messages.len(),
        2,
        "a message repeated at once is kept once"
    );

    let screen = draw(&app, 80, 24).join("\n");
    assert!(
        !screen.contains("name another with g"),
        "the status line cuts it:\n{screen}"
    );

    key(&mut app, KeyCode::Char('m'));
    assert!(top::<Messages>(&app).is_some());
    let rows = draw(&app, 80, 24);
    let screen = rows.join("\n");
    assert!(screen.contains("copied sha256:abc (OSC 52)"), "{screen}");
    assert!(screen.contains("name another with g"), "{screen}");
    // The error's second row starts under its text, not at the border.
    let first = rows
        .iter()
        .position(|r| r.contains("✗ copy failed"))
        .expect("the error");
    let second = &rows[first + 1];
    let column_of = |row: &str, text: &str| row[..row.find(text).expect("text")].chars().count();
    let text_column = column_of(&rows[first], "copy failed");
    let continued = second
        .chars()
        .position(|c| c != '│' && c != ' ')
        .expect("a wrapped row");
    assert_eq!(continued, text_column, "{screen}");

    key(&mut app, KeyCode::Esc);
    assert!(!popup_open(&app));
}

#[test]
fn help_lists_the_messages_key() {
    let mut app = app();
    key(&mut app, KeyCode::Char('?'));
    let screen = draw(&app, 120, 50).join("\n");
    assert!(
        screen.contains("every notice and error of this session"),
        "{screen}"
    );
}

/// Help and messages are one scroll popup: each closes on its own key,
/// opens the other over it on the other's key, and scrolls with the
/// moving keys.
#[test]
fn help_and_messages_answer_the_same_keys() {
    use regscope::tui::screens::help::Help;
    let mut app = app();
    app.resize(Rect::new(0, 0, 80, 12));
    for n in 0..30 {
        app.say(format!("notice {n}"));
    }
    key(&mut app, KeyCode::Char('?'));
    assert_eq!(top::<Help>(&app).map(|h| h.scroll), Some(0));
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(top::<Help>(&app).map(|h| h.scroll), Some(1), "j scrolls");

    key(&mut app, KeyCode::Char('m'));
    let newest = top::<Messages>(&app).map(|m| m.scroll).expect("over help");
    assert!(newest > 0, "opened at the newest");
    key(&mut app, KeyCode::Char('k'));
    assert_eq!(top::<Messages>(&app).map(|m| m.scroll), Some(newest - 1));
    key(&mut app, KeyCode::Char('?'));
    assert!(top::<Help>(&app).is_some(), "help over messages");
    key(&mut app, KeyCode::Char('?'));
    key(&mut app, KeyCode::Char('m'));
    assert_eq!(top::<Help>(&app).map(|h| h.scroll), Some(1), "back to help");
    key(&mut app, KeyCode::Esc);
    assert!(!popup_open(&app), "the close key closed the last one");
}
