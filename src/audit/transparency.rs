//! Offline proof that a signature existed at a trusted time: transparency
//! log entries (Rekor v1 and v2), RFC 3161 timestamps and the SCTs in a
//! Fulcio certificate, each checked against a Sigstore trusted root.
//!
//! - `root`: `trusted_root.json` (logs, CAs, CT logs, TSAs, `validFor`);
//! - `shipped`: the public-good root embedded, or a newer cached copy;
//! - `evidence`: the proofs a bundle or cosign's annotations carry;
//! - `rekor`, `merkle`, `checkpoint`, `body`: one log entry's signed
//!   entry timestamp, inclusion proof, signed checkpoint and body;
//! - `timestamp`: RFC 3161 tokens; `sct`: certificate transparency;
//! - `keys`: the logs' and authorities' keys.
//!
//! The entry point is [`verify`]: given the evidence, what was signed, the
//! signature, its certificate or key and the trusted root, it returns the
//! verified times (each with its source) or the part of the proof that
//! failed. Every piece of evidence present must verify; [`verify_scts`]
//! checks a certificate's SCTs. Checking the
//! certificate's chain at those times is the caller's (keyless) job; here
//! the certificate must merely be valid at each of them.

mod body;
pub mod checkpoint;
pub mod evidence;
pub mod keys;
pub mod merkle;
pub mod rekor;
pub mod root;
pub mod sct;
pub mod shipped;
pub mod timestamp;

use std::fmt;

use jiff::Timestamp;
use x509_cert::Certificate;
use x509_cert::der::Decode;

pub use checkpoint::Checkpoint;
pub use evidence::{Evidence, InclusionProof, TlogEntry};
pub use keys::Hash;
pub use root::{TrustedRoot, ValidFor};
pub use sct::SctVerified;
pub use shipped::RootChoice;

/// What was signed.
#[derive(Debug, Clone, Copy)]
pub enum Signed<'a> {
    /// A message signature over an artifact with this digest.
    Message { algorithm: Hash, digest: &'a [u8] },
    /// A DSSE envelope's payload (the signature is over its PAE).
    Dsse {
        payload_type: &'a str,
        payload: &'a [u8],
    },
}

/// Who signed: a certificate or a public key (DER; SubjectPublicKeyInfo).
#[derive(Debug, Clone, Copy)]
pub enum Signer<'a> {
    Certificate(&'a [u8]),
    PublicKey(&'a [u8]),
}

/// The signature whose time is to be proven. Timestamps cover
/// `signature` (the raw signature bytes, as cosign and sigstore-go
/// timestamp them).
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub signed: Signed<'a>,
    pub signature: &'a [u8],
    pub signer: Signer<'a>,
}

/// Where a verified time comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeSource {
    /// A Rekor v1 entry's integrated time, under its signed entry timestamp.
    RekorEntry { index: u64, log: String },
    /// An RFC 3161 timestamp.
    Timestamp { authority: String },
}

impl fmt::Display for TimeSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeSource::RekorEntry { index, .. } => {
                write!(f, "Rekor entry {index} (integrated time)")
            }
            TimeSource::Timestamp { authority } => write!(f, "timestamp by {authority}"),
        }
    }
}

/// A time the signature provably existed at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedTime {
    pub at: Timestamp,
    pub source: TimeSource,
}

impl fmt::Display for VerifiedTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} per {}",
            self.at.strftime("%Y-%m-%d %H:%M:%S UTC"),
            self.source
        )
    }
}

/// What the proofs established.
#[derive(Debug, Clone)]
pub struct Proofs {
    /// Trusted times, log entries first; empty when only a Rekor v2 entry
    /// (which signs no time) and no timestamp was present.
    pub times: Vec<VerifiedTime>,
    /// Each verified log entry ("Rekor entry 123 in https://…").
    pub log_entries: Vec<String>,
    /// The trusted root that was used (its `source`).
    pub root: String,
}

/// Which part of a proof failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Bundle,
    LogEntry,
    SignedEntryTimestamp,
    InclusionProof,
    Checkpoint,
    EntryBody,
    Timestamp,
    Sct,
    Certificate,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Bundle => "bundle",
            Part::LogEntry => "transparency log entry",
            Part::SignedEntryTimestamp => "signed entry timestamp",
            Part::InclusionProof => "inclusion proof",
            Part::Checkpoint => "checkpoint",
            Part::EntryBody => "log entry body",
            Part::Timestamp => "RFC 3161 timestamp",
            Part::Sct => "SCT",
            Part::Certificate => "certificate",
        })
    }
}

/// A proof that did not hold: which part, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{part}: {message}")]
pub struct ProofError {
    pub part: Part,
    pub message: String,
}

impl ProofError {
    pub fn new(part: Part, message: impl Into<String>) -> ProofError {
        ProofError {
            part,
            message: message.into(),
        }
    }
}

/// Checks every log entry and timestamp of `evidence` for `subject`
/// against `root`; a certificate must be valid at each verified time.
/// Its SCTs are a separate question ([`verify_scts`]), as cosign's
/// `--insecure-ignore-sct` keeps them.
pub fn verify(
    evidence: &Evidence,
    subject: &Subject<'_>,
    root: &TrustedRoot,
) -> Result<Proofs, ProofError> {
    let mut proofs = Proofs {
        times: Vec::new(),
        log_entries: Vec::new(),
        root: root.source.clone(),
    };
    for (i, entry) in evidence.entries.iter().enumerate() {
        if evidence.entries[..i]
            .iter()
            .any(|e| e.log_id == entry.log_id && e.log_index == entry.log_index)
        {
            return Err(ProofError::new(
                Part::LogEntry,
                format!("entry {} is listed twice", entry.log_index),
            ));
        }
        let logged = rekor::verify_entry(entry, subject, root)?;
        proofs.log_entries.push(logged.description);
        proofs.times.extend(logged.time);
    }
    for token in &evidence.timestamps {
        proofs
            .times
            .push(timestamp::verify(token, subject.signature, root)?);
    }
    if let Signer::Certificate(der) = subject.signer {
        let certificate = Certificate::from_der(der)
            .map_err(|e| ProofError::new(Part::Certificate, format!("not X.509: {e}")))?;
        let validity = &certificate.tbs_certificate.validity;
        let seconds = |t: x509_cert::time::Time| {
            i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
        };
        let (from, to) = (seconds(validity.not_before), seconds(validity.not_after));
        if let Some(outside) = proofs
            .times
            .iter()
            .find(|t| t.at.as_second() < from || t.at.as_second() > to)
        {
            return Err(ProofError::new(
                Part::Certificate,
                format!(
                    "the certificate ({} to {}) was not valid at {outside}",
                    validity.not_before, validity.not_after
                ),
            ));
        }
    }
    Ok(proofs)
}

/// Checks the SCTs embedded in a certificate against the root's CT logs:
/// `Ok(None)` when it carries none.
pub fn verify_scts(
    certificate: &[u8],
    root: &TrustedRoot,
) -> Result<Option<SctVerified>, ProofError> {
    sct::verify(certificate, root)
}

#[cfg(test)]
mod tests;

/// A fuzzing entry point: parse a bundle's evidence and a checkpoint.
#[doc(hidden)]
pub mod fuzzing {
    pub use super::checkpoint::Checkpoint;
    pub use super::evidence::Evidence;
    pub use super::sct::parse_list as parse_sct_list;
}
