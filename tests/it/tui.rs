//! The TUI driven in-process on the embedded demo: the real app, runner and
//! layout store, rendered to ratatui's `TestBackend`. Waits are for content,
//! with a timeout, never fixed sleeps.

mod actions;
mod app_support;
mod audit_missing;
mod audit_table;
mod copy;
mod cosign_link;
mod ctrl_c;
mod delete_marks;
mod delete_support;
mod delete_tag;
mod detail_scroll;
mod dialog_editing;
mod diff_across;
mod diff_screen;
mod doctor_screen;
mod doctor_tokens;
mod expand_all;
mod files_state;
mod files_view;
mod forget;
mod go_to_filtered;
mod harness;
mod lists;
mod messages;
mod newcomer;
mod newcomer_tmux;
mod password;
mod pictures;
mod registry;
mod replace;
mod runner;
mod screen_snapshots;
mod small_snapshots;
mod snapshots;
mod state;
mod terminal;
mod terminal_actions;
pub mod tmux;
mod vulns_cancel;
mod vulns_view;
mod work_once;
