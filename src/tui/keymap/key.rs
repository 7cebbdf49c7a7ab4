//! Keys as the key map writes them: `q`, `Y`, `ctrl-c`, `pagedown`, `f1`,
//! read by crokey and shown short for hints (`pgdn`).

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key with its modifiers, as written in the key map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyCombo {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl KeyCombo {
    /// Normalises what terminals send: a shifted character arrives as the
    /// upper-case character, with or without SHIFT.
    pub fn from_event(event: &KeyEvent) -> KeyCombo {
        let mut modifiers = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match event.code {
            KeyCode::BackTab => KeyCode::BackTab,
            KeyCode::Char(c) => KeyCode::Char(c),
            other => {
                modifiers |= event.modifiers & KeyModifiers::SHIFT;
                other
            }
        };
        KeyCombo { code, modifiers }
    }

    /// Reads a key as the config writes it, with crokey: `q`, `Y` (a
    /// capital is that key with Shift), `ctrl-c`, `pagedown`, `f1`. A few
    /// other spellings people type (`return`, `escape`, `pgup`, `pgdn`)
    /// are taken too.
    pub fn parse(text: &str) -> Result<KeyCombo, String> {
        let (prefix, key) = match text.rfind('-') {
            Some(at) if at + 1 < text.len() => text.split_at(at + 1),
            _ => ("", text),
        };
        let key = match key.to_ascii_lowercase().as_str() {
            "return" => "enter".to_owned(),
            "escape" => "esc".to_owned(),
            "pgup" => "pageup".to_owned(),
            "pgdn" => "pagedown".to_owned(),
            // crokey reads every letter lower-case: a capital says Shift.
            _ if key.chars().count() == 1 && key.chars().all(char::is_uppercase) => {
                format!("shift-{}", key.to_lowercase())
            }
            _ => key.to_owned(),
        };
        let combination = crokey::parse(&format!("{prefix}{key}"))
            .map_err(|_| format!("unknown key {text:?}"))?;
        let code = match combination.codes {
            crokey::OneToThree::One(code) => code,
            _ => return Err(format!("{text:?} is more than one key")),
        };
        // As terminals send them: a character carries its case, not SHIFT;
        // BackTab is Shift-Tab already.
        let mut modifiers = combination.modifiers;
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            modifiers -= KeyModifiers::SHIFT;
        }
        Ok(KeyCombo { code, modifiers })
    }
}

impl fmt::Display for KeyCombo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            other => write!(f, "{}", format!("{other:?}").to_ascii_lowercase()),
        }
    }
}
