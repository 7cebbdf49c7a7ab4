//! The key map is data: user-bindable `Action`s, each written once with its
//! name, default keys and description; the user's `[keys]` merged over
//! them. The help popup is generated from the loaded map, so it never lies.

mod key;
mod mode;

use std::collections::{BTreeMap, HashMap};

use crossterm::event::KeyEvent;

pub use key::KeyCombo;
pub use mode::Mode;

/// Everything a user can bind a key to, written once: the variant, its
/// name in the config's `[keys]`, its default keys and its line in the
/// help. A user's `[keys]` merged over the defaults rebinds any of them.
///
/// Keys: a character ("q", "Y", "/", "?"), or a name (enter, esc, tab,
/// backtab, up, down, left, right, pageup, pagedown, home, end, space,
/// backspace, delete, f1..f12), optionally prefixed by ctrl-, alt-, shift-.
macro_rules! actions {
    ($($variant:ident, $mode:ident, $name:literal, [$($key:literal),*], $description:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            /// Every action, in the order the help lists them.
            pub const ALL: &[Action] = &[$(Action::$variant,)*];

            /// Where its keys work.
            pub fn mode(self) -> Mode {
                match self {
                    $(Action::$variant => Mode::$mode,)*
                }
            }

            /// Its name in the config's `[keys]`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }

            /// One line for the help popup.
            pub fn description(self) -> &'static str {
                match self {
                    $(Action::$variant => $description,)*
                }
            }

            /// The keys it has unless the user's `[keys]` says otherwise.
            pub fn default_keys(self) -> &'static [&'static str] {
                match self {
                    $(Action::$variant => &[$($key),*],)*
                }
            }
        }
    };
}

actions! {
    Open, Browse, "open", ["enter"], "expand or collapse; load (on a layer: its files; on a scan: its findings)";
    Collapse, Browse, "collapse", ["left", "h"], "collapse, or go to the parent";
    Expand, Browse, "expand", ["right", "l"], "expand and load";
    SwitchPane, Browse, "switch_pane", ["tab", "backtab"], "switch between tree and detail";
    GoTo, Browse, "go_to", ["g"], "go to a reference (repo:tag, repo@digest, registry/repo, oci:DIR)";
    Refresh, Browse, "refresh", ["r"], "reload the selected node (retry after an error)";
    ExpandAll, Browse, "expand_all", ["E"], "expand the whole referrer graph below";
    ToggleOrder, Browse, "toggle_order", ["o"], "tags in version order, or as the registry lists them";
    ToggleDigestTags, Browse, "toggle_digest_tags", ["t"], "show or hide sha256-* fallback tags";
    CopyDigest, Browse, "copy_digest", ["y"], "copy the digest";
    CopyReference, Browse, "copy_reference", ["Y"], "copy registry/repo@digest";
    Pull, Browse, "pull", ["p"], "pull the selected artifact or blob";
    PullSbom, Browse, "pull_sbom", ["s"], "pull the image's SBOM";
    Attach, Browse, "attach", ["a"], "attach a file to the selected manifest";
    Copy, Browse, "copy", ["c"], "copy the selected image and its referrers";
    Delete, Browse, "delete", ["d"], "delete the selected manifest";
    Audit, Browse, "audit", ["A"], "audit every tag of the repository (on the registry: all)";
    Files, Browse, "files", ["f"], "browse the image's files, layers merged (an index: this machine's platform)";
    Doctor, Browse, "doctor", ["D"], "check what the registry really does, read-only (in a repository: reading it)";
    Stop, Browse, "stop", ["esc"], "cancel the running pulls, copies, attaches and deletes";
    MarkDiff, Browse, "mark_for_diff", ["space"], "mark the image for a diff (again: unmark it)";
    DiffWithMark, Browse, "diff_with_mark", ["="], "compare the marked image with this one: the diff screen";
    Sort, Audit, "sort", ["s"], "sort: by tags, unsigned first, without SBOM first, newest attachment first";
    GoToImage, Audit, "go_to_image", ["enter"], "go to the image in the graph (its tag's row)";
    Preview, Files, "preview", ["enter"], "preview the file (text, its first 64 KiB)";
    ToggleSection, Diff, "toggle_section", ["enter"], "open or fold the section (on an entry: fold it)";
    SaveFile, Files, "save_file", ["p"], "write the file to the download directory (again: replace a different file)";
    Unfold, Doctor, "unfold", ["enter", "space"], "unfold the check: what it asks, what it found, its evidence";
    RunAgain, Doctor, "run_again", ["r"], "run the checks again";
    RunWriting, Doctor, "run_writing", ["W"], "run again with the checks that write (asks first; a scratch repository)";
    Advisory, Vulns, "advisory", ["enter"], "the finding's advisory as the scan holds it (follows the selection)";
    AdvisoryDown, Vulns, "advisory_down", ["J", "shift-down"], "scroll the open advisory down";
    AdvisoryUp, Vulns, "advisory_up", ["K", "shift-up"], "scroll the open advisory up";
    SortFindings, Vulns, "sort_findings", ["s"], "sort: by severity, package, id, VEX state";
    ToggleSuppressed, Vulns, "toggle_suppressed", ["v"], "show or hide the findings VEX suppresses (dimmed, with why)";
    Up, List, "up", ["up", "k"], "move up";
    Down, List, "down", ["down", "j"], "move down";
    PageUp, List, "page_up", ["pageup", "ctrl-b"], "page up";
    PageDown, List, "page_down", ["pagedown", "ctrl-f"], "page down";
    First, List, "first", ["home"], "go to the top";
    Last, List, "last", ["end", "G"], "go to the bottom";
    Filter, List, "filter", ["/"], "filter the list as you type (in the detail pane: search SBOM components)";
    Close, View, "close", ["esc", "q"], "close it (a listing or audit under way is cancelled first)";
    Yes, Question, "yes", ["y"], "yes: delete, or replace the file";
    No, Question, "no", ["n"], "no: keep everything as it is";
    DeleteScope, Question, "delete_scope", ["w"], "on a tag: the tag alone, or its whole manifest";
    Confirm, Dialog, "confirm", ["enter"], "run the dialog, or accept what is typed";
    Cancel, Dialog, "cancel", ["esc"], "close the dialog or prompt without running it";
    NextField, Dialog, "next_field", ["down"], "the next field of a dialog";
    PreviousField, Dialog, "previous_field", ["up", "backtab"], "the previous field of a dialog";
    Complete, Dialog, "complete", ["tab"], "complete a path or a saved registry (elsewhere: next field)";
    CompleteType, Dialog, "complete_type", ["right"], "complete the artifact type from the known ones";
    ClearLine, Dialog, "clear_line", ["ctrl-u"], "clear what is typed";
    DeleteWord, Dialog, "delete_word", ["ctrl-w"], "delete the last word typed";
    Help, Global, "help", ["?", "f1"], "this screen's keys, then the ones that work everywhere";
    Messages, Global, "messages", ["m"], "every notice and error of this session, in full";
    Quit, Global, "quit", ["q", "ctrl-c"], "quit";
}

impl Action {
    fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }
}

/// The loaded key map: which action each key triggers, and for help, the
/// keys of each action in the order they were written.
#[derive(Debug, Clone)]
pub struct KeyMap {
    by_key: HashMap<(Mode, KeyCombo), Action>,
    by_action: BTreeMap<Action, Vec<KeyCombo>>,
}

impl KeyMap {
    /// The defaults alone.
    pub fn defaults() -> KeyMap {
        let mut map = KeyMap {
            by_key: HashMap::new(),
            by_action: BTreeMap::new(),
        };
        for &action in Action::ALL {
            // The defaults are ours and tested (`defaults_bind_every_action`).
            let combos: Vec<KeyCombo> = action
                .default_keys()
                .iter()
                .filter_map(|text| KeyCombo::parse(text).ok())
                .collect();
            map.bind(action, combos);
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
            self.bind(action, combos);
        }
        Ok(())
    }

    /// Gives `action` exactly `combos`; a key bound elsewhere moves here.
    fn bind(&mut self, action: Action, combos: Vec<KeyCombo>) {
        let mode = action.mode();
        if let Some(old) = self.by_action.insert(action, combos.clone()) {
            for combo in old {
                self.by_key.remove(&(mode, combo));
            }
        }
        for combo in combos {
            if let Some(previous) = self.by_key.insert((mode, combo), action)
                && previous != action
                && let Some(list) = self.by_action.get_mut(&previous)
            {
                list.retain(|c| *c != combo);
            }
        }
    }

    /// What `event` does in the tree.
    pub fn action_for(&self, event: &KeyEvent) -> Option<Action> {
        self.action_on(Mode::Browse, event)
    }

    /// What `event` does on a screen that reads its keys in `screen`'s
    /// modes (`Mode::lookup`): the first mode that binds it wins.
    pub fn action_on(&self, screen: Mode, event: &KeyEvent) -> Option<Action> {
        screen
            .lookup()
            .iter()
            .find_map(|&mode| self.action_in(mode, event))
    }

    /// What `event` does in `mode` alone.
    pub fn action_in(&self, mode: Mode, event: &KeyEvent) -> Option<Action> {
        self.by_key
            .get(&(mode, KeyCombo::from_event(event)))
            .copied()
    }

    /// `key label` pairs for a footer, keys from the loaded map.
    pub fn hints(&self, pairs: &[(Action, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(action, label)| (self.hint(*action), (*label).to_owned()))
            .collect()
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
    Action::ALL
        .iter()
        .map(|a| a.name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
