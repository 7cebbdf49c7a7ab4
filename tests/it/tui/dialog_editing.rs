//! Typing in the dialogs edits as in the prompts: Ctrl-U clears, Ctrl-W
//! deletes a word; a refused destination keeps the dialog with the reason
//! shown inside it.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use regscope::tui::app::App;
use regscope::tui::message::Msg;
use regscope::tui::screens::dialogs::{AttachDialog, CopyDialog};
use regscope::tui::screens::prompt::Prompt;

use super::app_support::{app_at_loaded_tag, draw, key, popup_open, top};

fn ctrl(app: &mut App, c: char) {
    app.update(Msg::Input(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    ))));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn destination(app: &App) -> String {
    top::<CopyDialog>(app)
        .expect("the copy dialog")
        .destination
        .clone()
}

#[test]
fn ctrl_u_and_ctrl_w_edit_the_copy_destination() {
    let mut app = app_at_loaded_tag();
    key(&mut app, KeyCode::Char('c'));
    typed(&mut app, "localhost:5000/team/mirror:v2");
    ctrl(&mut app, 'w');
    assert_eq!(destination(&app), "localhost:5000/team/mirror:");
    ctrl(&mut app, 'w');
    assert_eq!(destination(&app), "localhost:5000/team/");
    ctrl(&mut app, 'u');
    assert_eq!(destination(&app), "");
}

#[test]
fn ctrl_u_clears_an_attach_field() {
    let mut app = app_at_loaded_tag();
    key(&mut app, KeyCode::Char('a'));
    typed(&mut app, "/tmp/note.txt");
    ctrl(&mut app, 'u');
    let dialog = top::<AttachDialog>(&app).expect("the attach dialog");
    assert_eq!(dialog.fields[0], "");
}

#[test]
fn a_refused_copy_says_why_inside_the_dialog() {
    let mut app = app_at_loaded_tag();
    key(&mut app, KeyCode::Char('c'));
    typed(&mut app, "localhost:5000");
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(destination(&app), "localhost:5000", "the text stays to fix");
    let screen = draw(&app, 80, 24).join("\n");
    assert!(
        screen.contains("✗ localhost:5000 is a registry"),
        "{screen}"
    );
}

/// Dialog keys are actions of the key map's dialog mode: rebound, they
/// work in dialogs and prompts, the old key stops, the tree keeps its own
/// meaning of it, and the dialog's key line names the new key.
#[test]
fn dialog_keys_are_rebindable() {
    let text = "[keys]\ncancel = \"ctrl-g\"\nclear_line = \"ctrl-k\"\n";
    let mut app = app_at_loaded_tag();
    app.config = regscope::tui::config::Config::from_text(text, std::path::Path::new("c.toml"))
        .expect("config");
    key(&mut app, KeyCode::Char('c'));
    typed(&mut app, "mirror:v1");
    ctrl(&mut app, 'u');
    assert_eq!(destination(&app), "mirror:v1", "ctrl-u is no longer bound");
    ctrl(&mut app, 'k');
    assert_eq!(destination(&app), "");
    let screen = draw(&app, 120, 40).join("\n");
    assert!(
        screen.contains("ctrl-g cancels · ctrl-k clears"),
        "{screen}"
    );
    key(&mut app, KeyCode::Esc);
    assert!(popup_open(&app), "esc no longer cancels the dialog");
    ctrl(&mut app, 'g');
    assert!(!popup_open(&app));

    // The go-to prompt reads the same keys.
    key(&mut app, KeyCode::Char('g'));
    assert!(top::<Prompt>(&app).is_some());
    ctrl(&mut app, 'g');
    assert!(top::<Prompt>(&app).is_none());
}
