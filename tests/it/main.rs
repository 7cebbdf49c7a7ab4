//! regscope's integration tests: one test binary, real registries on
//! loopback (see `support`), the real ORAS CLI as the peer.
//!
//! Run everything with `scripts/test`; one module with
//! `cargo test --test it ground`.
#![allow(clippy::unwrap_used)]

mod support;

mod audit;
mod audit_config;
mod audit_ground;
mod audit_keyless;
mod audit_keys;
mod audit_notation;
mod auth;
mod boundary;
mod buildkit;
mod cli;
mod cli_errors;
mod cli_missing;
mod cli_missing_referrer;
mod cli_progress;
mod cli_pull;
mod cli_pull_wording;
mod cli_remove;
mod cli_remove_layout;
mod cli_remove_unknown;
mod cli_typo;
mod cli_wording;
mod copy_mounted;
mod copy_repeated;
mod copy_rounds;
mod cosign_ground;
mod demo;
mod diff;
mod diff_estargz;
mod diff_ground;
mod diff_mirror;
mod diff_requests;
mod diff_sbom;
mod discover_requests;
mod doctor;
mod doctor_auth;
mod doctor_conformance;
mod doctor_exit;
mod doctor_gitlab;
mod doctor_lookalikes;
mod doctor_session;
mod fallback_beside_api;
mod fallback_processes;
mod files;
mod files_changes;
mod files_estargz;
mod files_hostile;
mod files_large;
mod files_zstd_chunked;
mod files_zstd_chunked_lies;
mod ground;
mod layout;
mod layout_processes;
mod ops;
mod ops_cancel;
mod ops_pull_faults;
mod ops_registries;
mod ops_rounds;
mod ops_send;
mod pull_directory_honest;
mod pull_directory_hostile;
mod pull_faults;
mod pull_hostile;
mod pull_keep;
mod remote;
mod seeds;
mod transparency;
mod transparency_mutations;
mod transparency_selfmade;
mod transparency_v2;
mod trust;
pub mod tui;
pub mod vulns;
mod vulns_vex;
mod whole_graph;
mod work_once;
