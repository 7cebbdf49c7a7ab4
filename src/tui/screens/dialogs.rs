//! The operations' dialogs, each a popup screen over the graph: attach
//! and copy are typed in (`Mode::Dialog`), delete and replace are
//! questions answered yes or no (`Mode::Question`). Each checks what was
//! typed before it closes and keeps it when it refuses, asks the router
//! to run its operation, and is opened again as typed if that fails.
//! Their text is in `lines`.

mod attach;
mod completion;
mod copy;
mod delete;
mod delete_text;
mod lines;
mod replace;

pub use attach::{ARTIFACT_TYPE_SUGGESTIONS, AttachDialog};
pub use copy::CopyDialog;
pub use delete::{DeleteDialog, ask_for_plan as ask_for_delete_plan};
pub use replace::ReplaceQuestion;

use crossterm::event::{KeyEvent, MouseEvent};

use crate::tui::keymap::{Action, Mode};
use crate::tui::list::{wheel_action, wheel_scroll};
use crate::tui::screen::{Ask, Cx, DrawCx};
use crate::tui::view::popup::{PopupText, scrolled};

/// What a key in a yes/no question says.
enum Answer {
    Yes,
    No,
}

/// A key in a question: yes or no, or it scrolls its list, opens the help
/// or the messages, or quits (done here).
fn answer(
    key: &KeyEvent,
    scroll: &mut u16,
    text: impl Fn(&DrawCx<'_>) -> PopupText,
    cx: &mut Cx<'_>,
) -> Option<Answer> {
    match cx.config.keymap.action_on(Mode::Question, key)? {
        Action::Yes | Action::Confirm => return Some(Answer::Yes),
        Action::No | Action::Cancel => return Some(Answer::No),
        Action::Help => cx.ask(Ask::Help(Mode::Question)),
        Action::Messages => cx.ask(Ask::Messages),
        Action::Quit => cx.ask(Ask::Quit),
        action => {
            let limit = text(&cx.look()).scroll_limit(cx.areas.screen);
            *scroll = scrolled(*scroll, action, limit, cx.areas.screen.height);
        }
    }
    None
}

/// The wheel in a question scrolls its list.
fn wheel(
    mouse: &MouseEvent,
    scroll: &mut u16,
    text: impl Fn(&DrawCx<'_>) -> PopupText,
    cx: &Cx<'_>,
) {
    if wheel_action(mouse.kind).is_none() {
        return;
    }
    let limit = text(&cx.look()).scroll_limit(cx.areas.screen);
    wheel_scroll(mouse.kind, |action| {
        *scroll = scrolled(*scroll, action, limit, cx.areas.screen.height);
    });
}
