//! The screens that cover the graph's panes, each a `Screen` (see
//! `screen.rs` for what one is and how to add one): the audit table,
//! the files view, the doctor's report, the findings table and the diff. They never reach into each
//! other or into the graph's state; what they need from it comes when
//! they are opened, and what they ask of it goes through `screen::Ask`.

pub mod audit;
pub mod diff;
pub mod doctor;
pub mod files;
pub mod vulns;
