//! Auditing a repository (or a whole registry): one row per image, saying
//! what is attached to it according to the one answer of `graph::discover`
//! (referrers API, fallback tag, cosign's tags, BuildKit's attestations, an
//! index's platform manifests), and, when the caller gives public keys,
//! whether its signatures verify.
//!
//! - `verification`, `image` and `requirement` are the row model: how an
//!   image is signed and what its check said, the row itself with the
//!   counts over rows, and what `--require` finds missing in a row;
//! - `row` turns a discovered tree into a row (pure);
//! - `keys` reads PEM public keys, `signing` binds each to the algorithms
//!   it verifies with;
//! - `certs` reads X.509 certificates (identities, key usage), `chain`
//!   validates certificate paths (rustls-webpki);
//! - `transparency` checks, offline, the proofs a signature carries (Rekor
//!   entries, RFC 3161 timestamps, SCTs) against a Sigstore trusted root,
//!   the one trusted-root model; it ships the public-good root;
//! - `time` turns those proofs into the trusted time a certificate is
//!   checked at, or the note a key-signed verdict carries;
//! - `keyless` accepts a signing certificate by a trusted root's CAs and
//!   the identity the user expects;
//! - `notation` reads Notation's JWS envelopes and checks them against a
//!   trust store;
//! - `trust_config` reads the config file's `[trust]` (TUI and CLI);
//! - `verify` checks the signatures attached to an image (cosign's
//!   simple-signing layers, Sigstore bundles, DSSE envelopes) offline;
//! - `vulns` reads an image's scans and VEX into its row (`crate::vuln`);
//! - `run` lists tags, groups them by digest and discovers each image with
//!   bounded concurrency, streaming rows out as they finish.
//!
//! "Names its subject" (a referrer's manifest has a `subject` field that
//! names the image) is not a signature check: only `verify` checks
//! signatures, and only against keys the user gave.

pub mod certs;
pub mod chain;
mod image;
pub mod keyless;
pub mod keys;
pub mod notation;
mod requirement;
pub mod row;
mod row_sbom;
pub mod run;
mod signing;
pub mod time;
pub mod transparency;
pub mod trust_config;
mod verification;
pub mod verify;
mod vulns;

pub use image::{ImageAudit, SbomInfo, SignatureInfo, Summary};
pub use keyless::{Keyless, Matcher};
pub use keys::{KeyError, TrustKey};
pub use notation::NotationTrust;
pub use requirement::Requirement;
pub use row::summarize;
pub use run::{AuditEvent, AuditOptions, AuditTarget, audit};
pub use time::TimePolicy;
pub use verification::{SignatureScheme, Verification};

#[cfg(test)]
mod tests;
