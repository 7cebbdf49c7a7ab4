//! Typing on one line, the same in every prompt, dialog and filter, and
//! what Tab completes there.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keymap::{Action, KeyMap, Mode};

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

/// Whether `text` (`host[:port]/repo…`) starts with a registry, by
/// Docker's rule: a first component with a dot or a port, or `localhost`.
pub fn names_a_registry(text: &str) -> bool {
    let first = text.split('/').next().unwrap_or_default();
    text.contains('/') && (first.contains(['.', ':']) || first == "localhost")
}

/// Tab where a reference is typed (`g`, the copy dialog): the first saved
/// registry the text starts, as `registry/`; Tab again on one goes to the
/// next.
pub fn complete_registry(text: &mut String, registries: &[String]) {
    let current = registries
        .iter()
        .position(|registry| *text == format!("{registry}/"));
    let found = match current {
        Some(i) => registries.get((i + 1) % registries.len()),
        None => registries.iter().find(|r| r.starts_with(text.as_str())),
    };
    if let Some(registry) = found {
        *text = format!("{registry}/");
    }
}

/// Help where text is typed is a key that types nothing (F1): `?` is
/// text there.
pub fn asks_for_help(key: &KeyEvent, keymap: &KeyMap) -> bool {
    !matches!(key.code, KeyCode::Char(_))
        && keymap.action_in(Mode::Global, key) == Some(Action::Help)
}

/// A key while a list's filter is being typed (`/` on the audit, doctor,
/// findings and diff screens): Enter keeps the filter, Esc drops it,
/// anything else edits it. The caller then re-applies `filter`.
pub fn filter_key(filter: &mut String, filtering: &mut bool, key: KeyEvent, keymap: &KeyMap) {
    let action = keymap.action_in(Mode::Dialog, &key);
    match action {
        Some(Action::Confirm) => *filtering = false,
        Some(Action::Cancel) => {
            *filtering = false;
            filter.clear();
        }
        _ => {
            edit_text(filter, key, action);
        }
    }
}
