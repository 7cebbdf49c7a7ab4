//! regscope: a terminal UI and a CLI for OCI registries and the graph of
//! artifacts attached to images (signatures, SBOMs, attestations).
//!
//! Data flows one way, from the engine up to two thin front ends:
//!
//! - `oci`: digests, references, media types, descriptors, manifests (pure data);
//! - `store`: one async trait over a remote registry and OCI layouts;
//! - `graph`: discovering the referrer graph level by level;
//! - `ops`: pull, attach, copy and delete, with progress events;
//! - `doctor`: what a registry really does, each finding with its evidence
//!   (through the store, so the operations act on the same answer);
//! - `layer`: the files inside image layers (listings, merged view, one
//!   file out), streamed and verified like pull;
//! - `diff`: what changed between two images (manifest, layers, files,
//!   SBOM packages, attachments), as data for both front ends;
//! - `demo`: the embedded offline demo layout;
//! - `vuln`: scans and VEX attached to an image, read and applied;
//! - `text`: escaping untrusted text and human sizes, for both front ends;
//! - `tui` and `cli`: the front ends, which call `ops` and `graph` and never
//!   build a URL. The engine (`oci`, `store`, `graph`, `ops`) never imports
//!   a front end or ratatui; a test keeps it so.

pub mod audit;
pub mod cli;
pub mod demo;
pub mod diff;
pub mod doctor;
pub mod document;
pub mod graph;
pub mod layer;
pub mod logging;
pub mod oci;
pub mod ops;
pub mod store;
pub mod target;
pub mod text;
pub mod tui;
pub mod vuln;
