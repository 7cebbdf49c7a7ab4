//! The screens, each a `Screen` on the stack (see `screen.rs` for what one
//! is and how to add one): the graph at the bottom; the audit table, the
//! files view, the doctor's report, the findings table and the diff over
//! its panes; help, messages and the operations' dialogs as popups; the
//! prompts on the bottom line. They never reach into each other's
//! internals: the graph opens the others by their public type and talks
//! to them through notices (`message::Notice`), and only the graph knows
//! the tree.

pub mod audit;
pub mod dialogs;
pub mod diff;
pub mod doctor;
pub mod files;
pub mod graph;
pub mod help;
pub mod messages;
pub mod prompt;
pub mod vulns;
