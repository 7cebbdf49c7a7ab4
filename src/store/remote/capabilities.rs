//! What a registry showed about itself this session, learned from what it
//! did (never from one header) and remembered per registry origin (in the
//! `session`), so `regscope doctor`'s probe, a copy's target and the TUI's
//! stores agree on one answer: a registry is asked once.

use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, PoisonError};

use serde::Serialize;

const MODE_UNKNOWN: u8 = 0;
const MODE_API: u8 = 1;
const MODE_FALLBACK: u8 = 2;

/// How a registry serves referrers, as far as it has shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferrersMode {
    /// Nothing settled it yet (or only answers about unknown subjects came).
    Unknown,
    /// `GET /v2/<name>/referrers/<digest>` answered with an index.
    Api,
    /// It answered 404/405/501 or something that is not an index for a
    /// subject the registry has: referrers live in `sha256-<hex>` tags.
    Fallback,
}

/// One request and the status it got, as evidence: the method and the path
/// with its query (never a host's credentials or a signed URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Observation {
    pub request: String,
    pub status: u16,
}

impl Observation {
    /// `METHOD /path?query` of `url` and the status it got.
    pub fn of(method: &str, url: &url::Url, status: u16) -> Observation {
        let mut request = format!("{method} {}", url.path());
        if let Some(query) = url.query() {
            request.push('?');
            request.push_str(query);
        }
        Observation { request, status }
    }
}

impl fmt::Display for Observation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} answered {}", self.request, self.status)
    }
}

/// What a push of a manifest with a `subject` got back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectHeaderSeen {
    pub push: Observation,
    /// Whether the reply carried `OCI-Subject`.
    pub header: bool,
}

/// The evidence behind what is remembered, for `doctor` and the TUI.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// The answer that settled the referrers mode.
    pub referrers_decided_by: Option<Observation>,
    /// A 404 from the referrers API about a subject the registry does not
    /// have (Quay's answer; the spec says an empty index): read as
    /// "nothing attached", and not as "no API".
    pub unknown_subject_not_found: Option<Observation>,
    /// The last referrer pushed this session and whether `OCI-Subject` came.
    pub subject_header: Option<SubjectHeaderSeen>,
}

/// The memory of one registry origin.
#[derive(Debug, Default)]
pub struct Capabilities {
    referrers: AtomicU8,
    findings: Mutex<Findings>,
}

impl Capabilities {
    pub fn referrers_mode(&self) -> ReferrersMode {
        match self.referrers.load(Ordering::Relaxed) {
            MODE_API => ReferrersMode::Api,
            MODE_FALLBACK => ReferrersMode::Fallback,
            _ => ReferrersMode::Unknown,
        }
    }

    /// Settles the referrers mode on what `because` showed. The first
    /// answer stands: concurrent probes of one registry see the same thing.
    pub fn decide_referrers(&self, mode: ReferrersMode, because: Observation) {
        let value = match mode {
            ReferrersMode::Api => MODE_API,
            ReferrersMode::Fallback => MODE_FALLBACK,
            ReferrersMode::Unknown => return,
        };
        if self
            .referrers
            .compare_exchange(MODE_UNKNOWN, value, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
        {
            self.findings().referrers_decided_by = Some(because);
        }
    }

    pub fn saw_unknown_subject_not_found(&self, observation: Observation) {
        self.findings().unknown_subject_not_found = Some(observation);
    }

    pub fn saw_subject_header(&self, seen: SubjectHeaderSeen) {
        self.findings().subject_header = Some(seen);
    }

    /// A copy of the evidence gathered so far.
    pub fn findings_now(&self) -> Findings {
        self.findings().clone()
    }

    fn findings(&self) -> std::sync::MutexGuard<'_, Findings> {
        self.findings.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(status: u16) -> Observation {
        Observation {
            request: "GET /v2/a/referrers/sha256:x".to_owned(),
            status,
        }
    }

    #[test]
    fn the_first_answer_stands_and_is_shared_by_origin() {
        let session = super::super::session::Session::default();
        let one = session.for_origin("http://127.0.0.1:5000/");
        let two = session.clone().for_origin("http://127.0.0.1:5000/");
        let other = session.for_origin("http://127.0.0.1:5001/");
        assert_eq!(one.referrers_mode(), ReferrersMode::Unknown);
        one.decide_referrers(ReferrersMode::Unknown, seen(404));
        assert_eq!(two.referrers_mode(), ReferrersMode::Unknown);
        two.decide_referrers(ReferrersMode::Fallback, seen(404));
        one.decide_referrers(ReferrersMode::Api, seen(200));
        assert_eq!(one.referrers_mode(), ReferrersMode::Fallback);
        assert_eq!(
            one.findings_now().referrers_decided_by.map(|o| o.status),
            Some(404)
        );
        assert_eq!(other.referrers_mode(), ReferrersMode::Unknown);
        let fresh = super::super::session::Session::default().for_origin("http://127.0.0.1:5000/");
        assert_eq!(fresh.referrers_mode(), ReferrersMode::Unknown);
    }
}
