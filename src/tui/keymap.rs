//! The key map is data: user-bindable `Action`s, defaults in the embedded
//! `assets/keymap.toml`, the user's `[keys]` merged over them. The help
//! popup is generated from the loaded map, so it never lies.

mod key;

use std::collections::{BTreeMap, HashMap};

use crossterm::event::KeyEvent;

pub use key::KeyCombo;

/// The defaults, embedded so the binary works without any file.
pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// Everything a user can bind a key to. The `name` is the config key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Quit,
    Help,
    Messages,
    Up,
    Down,
    Collapse,
    Expand,
    PageUp,
    PageDown,
    First,
    Last,
    Open,
    SwitchPane,
    Filter,
    GoTo,
    Refresh,
    ExpandAll,
    ToggleDigestTags,
    CopyDigest,
    CopyReference,
    Pull,
    PullSbom,
    Attach,
    Copy,
    Delete,
    Audit,
}

impl Action {
    pub const ALL: [Action; 26] = [
        Action::Quit,
        Action::Help,
        Action::Messages,
        Action::Up,
        Action::Down,
        Action::Collapse,
        Action::Expand,
        Action::PageUp,
        Action::PageDown,
        Action::First,
        Action::Last,
        Action::Open,
        Action::SwitchPane,
        Action::Filter,
        Action::GoTo,
        Action::Refresh,
        Action::ExpandAll,
        Action::ToggleDigestTags,
        Action::CopyDigest,
        Action::CopyReference,
        Action::Pull,
        Action::PullSbom,
        Action::Attach,
        Action::Copy,
        Action::Delete,
        Action::Audit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Messages => "messages",
            Action::Up => "up",
            Action::Down => "down",
            Action::Collapse => "collapse",
            Action::Expand => "expand",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::First => "first",
            Action::Last => "last",
            Action::Open => "open",
            Action::SwitchPane => "switch_pane",
            Action::Filter => "filter",
            Action::GoTo => "go_to",
            Action::Refresh => "refresh",
            Action::ExpandAll => "expand_all",
            Action::ToggleDigestTags => "toggle_digest_tags",
            Action::CopyDigest => "copy_digest",
            Action::CopyReference => "copy_reference",
            Action::Pull => "pull",
            Action::PullSbom => "pull_sbom",
            Action::Attach => "attach",
            Action::Copy => "copy",
            Action::Delete => "delete",
            Action::Audit => "audit",
        }
    }

    /// One line for the help popup.
    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "show or hide this help",
            Action::Messages => "every notice and error of this session, in full",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::Collapse => "collapse, or go to the parent",
            Action::Expand => "expand and load",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::First => "go to the top",
            Action::Last => "go to the bottom",
            Action::Open => "expand or collapse; load",
            Action::SwitchPane => "switch between tree and detail",
            Action::Filter => {
                "filter the current list as you type; in the detail pane, search SBOM components"
            }
            Action::GoTo => "go to a reference (repo:tag or repo@digest)",
            Action::Refresh => "reload the selected node (retry after an error)",
            Action::ExpandAll => "expand the whole referrer graph below",
            Action::ToggleDigestTags => "show or hide sha256-* fallback tags",
            Action::CopyDigest => "copy the digest",
            Action::CopyReference => "copy registry/repo@digest",
            Action::Pull => "pull the selected artifact or blob",
            Action::PullSbom => "pull the image's SBOM",
            Action::Attach => "attach a file to the selected manifest",
            Action::Copy => "copy the selected image and its referrers",
            Action::Delete => "delete the selected manifest",
            Action::Audit => "audit every tag of the repository (on the registry: all)",
        }
    }

    fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// The loaded key map: which action each key triggers, and for help, the
/// keys of each action in the order they were written.
#[derive(Debug, Clone)]
pub struct KeyMap {
    by_key: HashMap<KeyCombo, Action>,
    by_action: BTreeMap<Action, Vec<KeyCombo>>,
}

impl KeyMap {
    /// The embedded defaults alone.
    pub fn defaults() -> KeyMap {
        let table: toml::Table = toml::from_str(DEFAULT_KEYMAP).unwrap_or_default();
        let mut map = KeyMap {
            by_key: HashMap::new(),
            by_action: BTreeMap::new(),
        };
        if let Some(toml::Value::Table(keys)) = table.get("keys") {
            // The defaults are ours and tested; nothing to report here.
            let _ = map.merge(keys);
        }
        map
    }

    /// Rebinds every action named in `keys` (a `[keys]` table): its keys
    /// replace the previous ones. A key bound elsewhere moves to this action.
    /// On error, returns the offending action name and what is wrong.
    pub fn merge(&mut self, keys: &toml::Table) -> Result<(), (String, String)> {
        for (name, value) in keys {
            self.merge_one(name, value)
                .map_err(|message| (name.clone(), message))?;
        }
        Ok(())
    }

    fn merge_one(&mut self, name: &str, value: &toml::Value) -> Result<(), String> {
        {
            let action = Action::from_name(name)
                .ok_or_else(|| format!("unknown action {name:?} (known: {})", action_names()))?;
            let texts: Vec<&str> = match value {
                toml::Value::String(one) => vec![one.as_str()],
                toml::Value::Array(many) => many
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .ok_or_else(|| format!("{name}: keys must be strings"))
                    })
                    .collect::<Result<_, _>>()?,
                _ => return Err(format!("{name}: expected a key or a list of keys")),
            };
            let combos = texts
                .into_iter()
                .map(KeyCombo::parse)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("{name}: {e}"))?;
            if let Some(old) = self.by_action.insert(action, combos.clone()) {
                for combo in old {
                    self.by_key.remove(&combo);
                }
            }
            for combo in combos {
                if let Some(previous) = self.by_key.insert(combo, action)
                    && previous != action
                    && let Some(list) = self.by_action.get_mut(&previous)
                {
                    list.retain(|c| *c != combo);
                }
            }
        }
        Ok(())
    }

    pub fn action_for(&self, event: &KeyEvent) -> Option<Action> {
        self.by_key.get(&KeyCombo::from_event(event)).copied()
    }

    /// The keys bound to `action`, as the help shows them.
    pub fn keys_of(&self, action: Action) -> &[KeyCombo] {
        self.by_action.get(&action).map_or(&[], Vec::as_slice)
    }

    /// The first key of `action`, for hints ("? help").
    pub fn hint(&self, action: Action) -> String {
        self.keys_of(action)
            .first()
            .map_or_else(|| "unbound".to_owned(), ToString::to_string)
    }
}

fn action_names() -> String {
    Action::ALL.map(Action::name).join(", ")
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyModifiers};

    use super::*;

    #[test]
    fn defaults_bind_every_action() {
        let map = KeyMap::defaults();
        for action in Action::ALL {
            assert!(!map.keys_of(action).is_empty(), "{action:?} unbound");
        }
        let y = KeyEvent::new(KeyCode::Char('Y'), KeyModifiers::SHIFT);
        assert_eq!(map.action_for(&y), Some(Action::CopyReference));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(map.action_for(&ctrl_c), Some(Action::Quit));
        let c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(map.action_for(&c), Some(Action::Copy));
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
}
