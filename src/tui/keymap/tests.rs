//! The key map's defaults, modes and the user's rebinding.
use crossterm::event::{KeyCode, KeyModifiers};

use super::*;

#[test]
fn defaults_bind_every_action() {
    let map = KeyMap::defaults();
    for &action in Action::ALL {
        assert!(!map.keys_of(action).is_empty(), "{action:?} unbound");
        for key in action.default_keys() {
            assert!(KeyCombo::parse(key).is_ok(), "{action:?}: {key}");
        }
    }
    let y = KeyEvent::new(KeyCode::Char('Y'), KeyModifiers::SHIFT);
    assert_eq!(map.action_for(&y), Some(Action::CopyReference));
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(map.action_for(&ctrl_c), Some(Action::Quit));
    let c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE);
    assert_eq!(map.action_for(&c), Some(Action::Copy));
    // One key, two meanings: Enter opens in the tree, confirms in a
    // dialog.
    let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(map.action_for(&enter), Some(Action::Open));
    assert_eq!(map.action_in(Mode::Dialog, &enter), Some(Action::Confirm));
}

#[test]
fn dialog_keys_rebind_in_their_mode_only() {
    let mut map = KeyMap::defaults();
    let keys: toml::Table =
        toml::from_str("confirm = [\"enter\", \"ctrl-s\"]\ncancel = \"ctrl-g\"").expect("toml");
    map.merge(&keys).expect("merges");
    let ctrl_g = KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL);
    let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(map.action_in(Mode::Dialog, &ctrl_g), Some(Action::Cancel));
    assert_eq!(map.action_in(Mode::Dialog, &esc), None);
    assert_eq!(
        map.action_for(&esc),
        Some(Action::Stop),
        "the tree's esc stays"
    );
}

#[test]
fn user_keys_replace_and_steal() {
    let mut map = KeyMap::defaults();
    let keys: toml::Table =
        toml::from_str("quit = \"x\"\nhelp = [\"q\", \"shift-h\"]").expect("toml");
    map.merge(&keys).expect("merges");
    let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(map.action_for(&q), Some(Action::Help));
    assert_eq!(
        map.keys_of(Action::Quit),
        &[KeyCombo::parse("x").expect("key")]
    );
    let big_h = KeyEvent::new(KeyCode::Char('H'), KeyModifiers::SHIFT);
    assert_eq!(map.action_for(&big_h), Some(Action::Help));
    assert!(
        map.merge(&toml::from_str("fly = \"f\"").expect("toml"))
            .is_err()
    );
    assert!(KeyCombo::parse("ctrl-nonsense").is_err());
    assert_eq!(
        KeyCombo::parse("ctrl-c").expect("key").to_string(),
        "ctrl-c"
    );
    assert_eq!(
        KeyCombo::parse("pagedown").expect("key").to_string(),
        "pgdn"
    );
}
