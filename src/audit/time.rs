//! When a signature was made, as far as something verified says so.
//!
//! A keyless certificate (Fulcio's live ten minutes) is only worth checking
//! at a time someone vouches for: a transparency log entry's signed time or
//! an RFC 3161 timestamp, each verified against the trusted root. Proofs a
//! signature carries (`TimeProofs`) become a `TrustedTime` in exactly one
//! place, `check_proofs`: the transparency checks plug in there, and
//! whatever it says about a present proof is never dropped on the way to a
//! verdict.
//!
//! Until those checks are wired in, a present proof is `Unchecked`: a
//! keyless signature then has no trusted time and fails, unless
//! `--insecure-ignore-tlog` asks to check its certificate against the
//! current time (as cosign's flag of that name does); a key-signed one is
//! decided by its key, and its verdict says the proof was not checked.

use serde_json::Value;

use super::certs::utc;
use super::keyless::Keyless;

/// Where a trusted time came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeSource {
    /// A transparency log entry whose proofs verified.
    LogEntry { log: String, index: u64 },
    /// An RFC 3161 timestamp verified against a timestamp authority.
    Timestamp { authority: String },
    /// `--insecure-ignore-tlog`: nothing vouches for the time; the
    /// certificate is checked against the current time.
    IgnoredTlog,
}

/// A time a certificate is checked at, and who vouches for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedTime {
    pub at: jiff::Timestamp,
    pub source: TimeSource,
}

impl TrustedTime {
    /// "signed 2026-05-01 12:00 UTC per Rekor entry 123", or what was
    /// skipped.
    pub fn describe(&self) -> String {
        match &self.source {
            TimeSource::LogEntry { log, index } => {
                format!("signed {} per {log} entry {index}", utc(self.at))
            }
            TimeSource::Timestamp { authority } => {
                format!("signed {} per timestamp by {authority}", utc(self.at))
            }
            TimeSource::IgnoredTlog => format!(
                "no verified time: --insecure-ignore-tlog (transparency log and timestamps not checked; certificate valid now, {})",
                utc(self.at)
            ),
        }
    }
}

/// What the user asked of time proofs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimePolicy {
    /// `--insecure-ignore-tlog`: check certificates against the current
    /// time when no proof verifies.
    pub insecure_ignore_tlog: bool,
    /// `--require-tlog`: a signature without a verified log entry or
    /// timestamp fails, key-signed ones too.
    pub require_tlog: bool,
}

/// The proofs of time a signature carries, as found: a bundle's
/// `tlogEntries` and `rfc3161Timestamps`, or cosign's
/// `dev.sigstore.cosign/bundle` and `…/rfc3161timestamp` annotations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimeProofs {
    pub tlog_entries: Vec<Value>,
    pub timestamps: Vec<Value>,
}

impl TimeProofs {
    pub fn is_empty(&self) -> bool {
        self.tlog_entries.is_empty() && self.timestamps.is_empty()
    }

    /// "a transparency log entry", "2 timestamps", ….
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        match self.tlog_entries.len() {
            0 => {}
            1 => parts.push("a transparency log entry".to_owned()),
            n => parts.push(format!("{n} transparency log entries")),
        }
        match self.timestamps.len() {
            0 => {}
            1 => parts.push("an RFC 3161 timestamp".to_owned()),
            n => parts.push(format!("{n} RFC 3161 timestamps")),
        }
        parts.join(" and ")
    }
}

/// What the signed bytes are, for matching a log entry's body against.
#[derive(Debug, Clone, Copy)]
pub struct SignedContent<'a> {
    pub signature: &'a [u8],
    /// The signing certificate's DER, for keyless signatures.
    pub certificate: Option<&'a [u8]>,
    /// What the signature covers (a payload, PAE, or a digest).
    pub signed: &'a [u8],
}

/// What checking the proofs found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofOutcome {
    /// The signature carries none.
    Absent,
    /// A proof verified: the time it vouches for.
    Verified(TrustedTime),
    /// A proof is there and does not verify: the signature fails.
    Failed(String),
    /// A proof is there and could not be checked (why).
    Unchecked(String),
}

/// Why present proofs are not checked yet.
pub const NOT_WIRED: &str = "transparency log and timestamp checking are not wired in";

/// The one place proofs become a trusted time. `root` is the trusted root
/// whose transparency logs and timestamp authorities vouch.
pub fn check_proofs(
    proofs: &TimeProofs,
    _content: SignedContent<'_>,
    _root: Option<&Keyless>,
) -> ProofOutcome {
    if proofs.is_empty() {
        return ProofOutcome::Absent;
    }
    ProofOutcome::Unchecked(format!(
        "{} present, not checked: {NOT_WIRED}",
        proofs.describe()
    ))
}

/// The time a keyless signature's certificate is checked at, or why there
/// is none.
pub fn keyless_time(
    outcome: ProofOutcome,
    policy: TimePolicy,
    now: jiff::Timestamp,
) -> Result<TrustedTime, String> {
    match outcome {
        ProofOutcome::Verified(time) => Ok(time),
        ProofOutcome::Failed(why) => Err(why),
        ProofOutcome::Absent | ProofOutcome::Unchecked(_) if policy.require_tlog => Err(format!(
            "no verified transparency log entry or timestamp (--require-tlog): {}",
            describe_missing(&outcome)
        )),
        ProofOutcome::Absent | ProofOutcome::Unchecked(_) if policy.insecure_ignore_tlog => {
            Ok(TrustedTime {
                at: now,
                source: TimeSource::IgnoredTlog,
            })
        }
        ProofOutcome::Absent | ProofOutcome::Unchecked(_) => Err(format!(
            "no verified time: {NOT_WIRED}; pass --insecure-ignore-tlog to check the certificate against the current time ({})",
            describe_missing(&outcome)
        )),
    }
}

/// What a key-signed signature's verdict says about time, or why it fails.
pub fn keyed_time(outcome: ProofOutcome, policy: TimePolicy) -> Result<String, String> {
    match outcome {
        ProofOutcome::Verified(time) => Ok(time.describe()),
        ProofOutcome::Failed(why) => Err(why),
        ProofOutcome::Absent | ProofOutcome::Unchecked(_) if policy.require_tlog => Err(format!(
            "no verified transparency log entry or timestamp (--require-tlog): {}",
            describe_missing(&outcome)
        )),
        ProofOutcome::Absent => Ok("no transparency log entry (the key decided)".to_owned()),
        ProofOutcome::Unchecked(why) if policy.insecure_ignore_tlog => {
            Ok(format!("--insecure-ignore-tlog: {why} (the key decided)"))
        }
        ProofOutcome::Unchecked(why) => Ok(format!("{why} (the key decided)")),
    }
}

fn describe_missing(outcome: &ProofOutcome) -> String {
    match outcome {
        ProofOutcome::Unchecked(why) => why.clone(),
        _ => "the signature carries none".to_owned(),
    }
}

#[cfg(test)]
#[path = "time_tests.rs"]
mod tests;
