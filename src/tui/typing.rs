//! Typing on one line, the same in every prompt, dialog and filter.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keymap::Action;

/// The editing keys every typed line shares (prompts and dialogs): a
/// character, Backspace, Ctrl-U clears the line, Ctrl-W deletes the word
/// before the cursor (back to a space, `/`, `:` or `@`, so a path or a
/// reference loses one part). Returns whether the key was one of them.
pub fn edit_text(text: &mut String, key: KeyEvent, action: Option<Action>) -> bool {
    match action {
        Some(Action::ClearLine) => {
            text.clear();
            return true;
        }
        Some(Action::DeleteWord) => {
            let separator = |c: char| c.is_whitespace() || matches!(c, '/' | ':' | '@');
            let kept = text.trim_end_matches(separator).len();
            let start = text[..kept].rfind(separator).map_or(0, |i| i + 1);
            text.truncate(start);
            return true;
        }
        _ => {}
    }
    let control = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Char(c) if !control => text.push(c),
        _ => return false,
    }
    true
}
