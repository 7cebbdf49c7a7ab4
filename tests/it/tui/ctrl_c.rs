//! Ctrl-C quits even when `quit` is bound to another key, and from a
//! popup or a prompt.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use regscope::tui::app::App;
use regscope::tui::config::Config;
use regscope::tui::message::Msg;

use super::app_support::{app, key};

fn ctrl_c(app: &mut App) {
    app.update(Msg::Input(Event::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    ))));
}

fn rebound() -> App {
    let mut app = app();
    app.config =
        Config::from_text("[keys]\nquit = \"x\"\n", std::path::Path::new("c.toml")).unwrap();
    app
}

#[test]
fn ctrl_c_quits_when_quit_is_rebound() {
    let mut app = rebound();
    ctrl_c(&mut app);
    assert!(app.should_quit);

    let mut app = rebound();
    key(&mut app, KeyCode::Char('?'));
    ctrl_c(&mut app);
    assert!(app.should_quit, "from help");

    let mut app = rebound();
    key(&mut app, KeyCode::Char('g'));
    ctrl_c(&mut app);
    assert!(app.should_quit, "from the go-to prompt");
}
