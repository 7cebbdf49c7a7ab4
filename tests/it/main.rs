//! regscope's integration tests: one test binary, real registries on
//! loopback (see `support`), the real ORAS CLI as the peer.
//!
//! Run everything with `scripts/test`; one module with
//! `cargo test --test it ground`.
#![allow(clippy::unwrap_used)]

mod support;

mod boundary;
mod ground;
mod demo;
mod layout;
