//! When a signature was made, as far as something verified says so.
//!
//! A keyless certificate (Fulcio's live ten minutes) is only worth checking
//! at a time someone vouches for: a transparency log entry's signed time or
//! an RFC 3161 timestamp, each verified against the trusted root
//! (`transparency::verify`). The proofs a signature carries become an
//! outcome in exactly one place, `check_proofs`, and whatever it says about
//! a present proof reaches the verdict:
//!
//! - keyless (`keyless_times`): a verified time, or the signature fails;
//!   `--insecure-ignore-tlog` leaves log entries unchecked and, without a
//!   verified timestamp, checks the certificate against the current time;
//! - with a key (`keyed_time`): a present proof must verify, none lets the
//!   key decide; `--require-tlog` demands one.

use super::certs::utc;
use super::transparency::{self, Evidence, ProofError, Proofs, Subject, TrustedRoot};

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
            TimeSource::LogEntry { index, .. } => {
                format!("signed {} per Rekor entry {index}", utc(self.at))
            }
            TimeSource::Timestamp { authority } => {
                format!("signed {} per timestamp by {authority}", utc(self.at))
            }
            TimeSource::IgnoredTlog => format!(
                "no verified time: --insecure-ignore-tlog (certificate checked against the current time, {})",
                utc(self.at)
            ),
        }
    }

    fn from_verified(verified: &transparency::VerifiedTime) -> TrustedTime {
        let source = match &verified.source {
            transparency::TimeSource::RekorEntry { index, log } => TimeSource::LogEntry {
                log: log.clone(),
                index: *index,
            },
            transparency::TimeSource::Timestamp { authority } => TimeSource::Timestamp {
                authority: authority.clone(),
            },
        };
        TrustedTime {
            at: verified.at,
            source,
        }
    }
}

/// What the user asked of time proofs and certificate transparency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimePolicy {
    /// `--insecure-ignore-tlog`: transparency log entries are not checked;
    /// a keyless certificate without a verified timestamp is checked
    /// against the current time.
    pub insecure_ignore_tlog: bool,
    /// `--insecure-ignore-sct`: a keyless certificate's SCTs are not
    /// checked.
    pub insecure_ignore_sct: bool,
    /// `--require-tlog`: a signature without a verified log entry or
    /// timestamp fails, key-signed ones too.
    pub require_tlog: bool,
}

/// What checking a signature's proofs found.
#[derive(Debug, Clone)]
pub enum ProofOutcome {
    /// None was there to check; `skipped` log entries were left
    /// unchecked by `--insecure-ignore-tlog`.
    Absent { skipped: usize },
    /// Every proof checked verified.
    Verified { proofs: Proofs, skipped: usize },
    /// A proof is there and does not verify (or cannot be read): the
    /// signature fails.
    Failed(String),
}

/// The one place proofs become an outcome: every log entry and timestamp
/// of `evidence` (log entries left out under `--insecure-ignore-tlog`)
/// checked for `subject` against `root`.
pub fn check_proofs(
    evidence: &Result<Evidence, ProofError>,
    subject: &Subject<'_>,
    root: &TrustedRoot,
    policy: TimePolicy,
) -> ProofOutcome {
    let evidence = match evidence {
        Ok(evidence) => evidence,
        Err(e) => return ProofOutcome::Failed(format!("its proofs cannot be read: {e}")),
    };
    let skipped = if policy.insecure_ignore_tlog {
        evidence.entries.len()
    } else {
        0
    };
    let kept;
    let checked = if skipped > 0 {
        kept = Evidence {
            entries: Vec::new(),
            timestamps: evidence.timestamps.clone(),
        };
        &kept
    } else {
        evidence
    };
    if checked.is_empty() {
        return ProofOutcome::Absent { skipped };
    }
    match transparency::verify(checked, subject, root) {
        Ok(proofs) => ProofOutcome::Verified { proofs, skipped },
        Err(e) => ProofOutcome::Failed(format!("{e} (root {})", root.source)),
    }
}

fn skipped_note(skipped: usize) -> Option<String> {
    match skipped {
        0 => None,
        1 => Some("a transparency log entry not checked (--insecure-ignore-tlog)".to_owned()),
        n => Some(format!(
            "{n} transparency log entries not checked (--insecure-ignore-tlog)"
        )),
    }
}

fn joined(parts: impl IntoIterator<Item = String>) -> String {
    parts.into_iter().collect::<Vec<_>>().join("; ")
}

/// The times a keyless signature's certificate is checked at (each must
/// hold) and what the verdict says of them, or why there is none.
pub fn keyless_times(
    outcome: ProofOutcome,
    policy: TimePolicy,
    now: jiff::Timestamp,
) -> Result<(Vec<TrustedTime>, String), String> {
    match outcome {
        ProofOutcome::Failed(why) => Err(why),
        ProofOutcome::Verified { proofs, skipped } if !proofs.times.is_empty() => {
            let times: Vec<TrustedTime> =
                proofs.times.iter().map(TrustedTime::from_verified).collect();
            let text = joined(
                times
                    .iter()
                    .map(TrustedTime::describe)
                    .chain(skipped_note(skipped)),
            );
            Ok((times, text))
        }
        ProofOutcome::Verified { proofs, .. } => Err(format!(
            "no verified time: {} signs no time (Rekor v2), and no RFC 3161 timestamp came with it",
            proofs.log_entries.join(", ")
        )),
        ProofOutcome::Absent { skipped } if policy.insecure_ignore_tlog => {
            let time = TrustedTime {
                at: now,
                source: TimeSource::IgnoredTlog,
            };
            let text = joined([time.describe()].into_iter().chain(skipped_note(skipped)));
            Ok((vec![time], text))
        }
        ProofOutcome::Absent { .. } if policy.require_tlog => Err(
            "no verified transparency log entry or timestamp (--require-tlog): the signature carries none"
                .to_owned(),
        ),
        ProofOutcome::Absent { .. } => Err(
            "no verified time: the signature carries no transparency log entry or RFC 3161 timestamp; pass --insecure-ignore-tlog to check the certificate against the current time"
                .to_owned(),
        ),
    }
}

/// What a key-signed signature's verdict says about time, or why it fails.
pub fn keyed_time(outcome: ProofOutcome, policy: TimePolicy) -> Result<String, String> {
    match outcome {
        ProofOutcome::Failed(why) => Err(why),
        ProofOutcome::Verified { proofs, skipped } => {
            let times = proofs
                .times
                .iter()
                .map(|t| TrustedTime::from_verified(t).describe());
            let logged = proofs
                .times
                .is_empty()
                .then(|| format!("logged as {} (the log signs no time)", proofs.log_entries.join(", ")));
            Ok(joined(times.chain(logged).chain(skipped_note(skipped))))
        }
        ProofOutcome::Absent { .. } if policy.require_tlog => Err(
            "no verified transparency log entry or timestamp (--require-tlog): the signature carries none"
                .to_owned(),
        ),
        ProofOutcome::Absent { skipped } => Ok(match skipped_note(skipped) {
            Some(note) => format!("{note}; the key decided"),
            None => "no transparency log entry (the key decided)".to_owned(),
        }),
    }
}

/// An RFC 3339 time with its offset (`2021-03-07T03:20:29.000Z`,
/// `2021-03-07T05:20:29+02:00`).
pub(super) fn rfc3339(text: &str) -> Option<jiff::Timestamp> {
    text.parse::<jiff::Timestamp>().ok()
}

#[cfg(test)]
#[path = "time_tests.rs"]
mod tests;
