//! What is inside an attachment, read from its bytes: which SBOM format a
//! document is, and the in-toto statement wrapped in a DSSE envelope, a
//! Sigstore bundle or nothing at all. Pure functions over bytes, shared by
//! pull, the TUI's detail pane and (later) the audit.

pub mod components;
pub mod envelope;
pub mod provenance;
pub mod sbom;
pub mod statement;

pub use envelope::{BundleContent, Carrier, DsseEnvelope, MessageSignature};
pub use provenance::Provenance;
pub use sbom::SbomFormat;
pub use statement::{Envelope, Statement, unwrap_statement};
