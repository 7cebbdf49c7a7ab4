//! The doctor's report as plain data: what a front end renders (the CLI's
//! table and JSON, later a TUI screen) and what `--format json` promises:
//! `{"registry","repository","write","referrersMode","checks":[{"id",
//! "status","summary","evidence"}]}`, with stable check ids.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::store::remote::probe::Exchange;

/// Every check, by its stable id (`as_str`), in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckId {
    Ping,
    Auth,
    Catalog,
    TagsList,
    TagsPagination,
    ManifestHeadDigest,
    BlobRange,
    ReferrersApi,
    ReferrersUnknownSubject,
    ReferrersFilter,
    FallbackTags,
    SubjectHeader,
    ManifestDelete,
    TagDelete,
    BlobDelete,
    BlobMount,
    ChunkedUpload,
    RateLimit,
}

impl CheckId {
    pub const ALL: [CheckId; 18] = [
        CheckId::Ping,
        CheckId::Auth,
        CheckId::Catalog,
        CheckId::TagsList,
        CheckId::TagsPagination,
        CheckId::ManifestHeadDigest,
        CheckId::BlobRange,
        CheckId::ReferrersApi,
        CheckId::ReferrersUnknownSubject,
        CheckId::ReferrersFilter,
        CheckId::FallbackTags,
        CheckId::SubjectHeader,
        CheckId::ManifestDelete,
        CheckId::TagDelete,
        CheckId::BlobDelete,
        CheckId::BlobMount,
        CheckId::ChunkedUpload,
        CheckId::RateLimit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::Ping => "ping",
            CheckId::Auth => "auth",
            CheckId::Catalog => "catalog",
            CheckId::TagsList => "tags-list",
            CheckId::TagsPagination => "tags-pagination",
            CheckId::ManifestHeadDigest => "manifest-head-digest",
            CheckId::BlobRange => "blob-range",
            CheckId::ReferrersApi => "referrers-api",
            CheckId::ReferrersUnknownSubject => "referrers-unknown-subject",
            CheckId::ReferrersFilter => "referrers-filter",
            CheckId::FallbackTags => "fallback-tags",
            CheckId::SubjectHeader => "subject-header",
            CheckId::ManifestDelete => "manifest-delete",
            CheckId::TagDelete => "tag-delete",
            CheckId::BlobDelete => "blob-delete",
            CheckId::BlobMount => "blob-mount",
            CheckId::ChunkedUpload => "chunked-upload",
            CheckId::RateLimit => "rate-limit",
        }
    }

    /// What the check asks of the registry, in one line.
    pub fn question(self) -> &'static str {
        match self {
            CheckId::Ping => "GET /v2/ answers 200 (with credentials when it asks for them)",
            CheckId::Auth => "the challenge, the token realm, and whether anonymous pull works",
            CheckId::Catalog => "GET /v2/_catalog lists repositories, page by page",
            CheckId::TagsList => "GET /v2/<name>/tags/list lists the tags",
            CheckId::TagsPagination => {
                "tags/list honours n and last, and names the next page in Link"
            }
            CheckId::ManifestHeadDigest => {
                "HEAD of a manifest carries the right Docker-Content-Digest"
            }
            CheckId::BlobRange => {
                "a Range request gets 206 with a right Content-Range; a bad range 416"
            }
            CheckId::ReferrersApi => "GET /v2/<name>/referrers/<digest> answers 200 with an index",
            CheckId::ReferrersUnknownSubject => {
                "referrers of an unknown subject: 200 and an empty index, not 404"
            }
            CheckId::ReferrersFilter => {
                "?artifactType= is honoured and OCI-Filters-Applied says so correctly"
            }
            CheckId::FallbackTags => "sha256-<hex> tags are tags, not read as digests",
            CheckId::SubjectHeader => {
                "(--write) OCI-Subject comes back exactly where the API answers"
            }
            CheckId::ManifestDelete => "(--write) DELETE of a manifest by digest",
            CheckId::TagDelete => "(--write) DELETE of a tag",
            CheckId::BlobDelete => "(--write) DELETE of a blob",
            CheckId::BlobMount => "(--write) a blob mounted from another repository",
            CheckId::ChunkedUpload => "(--write) a blob uploaded in PATCH chunks",
            CheckId::RateLimit => "RateLimit and Docker's ratelimit-* headers, read and reported",
        }
    }
}

/// `warn`: it works, with a deviation regscope works around; `skip`: not
/// tried, and the summary says why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }
}

/// One request and what came back: the headers that matter to the check,
/// the body's size, and a note where something broke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub request: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Evidence {
    /// `exchange` with only the headers named in `matters` (lowercase).
    pub fn of(exchange: &Exchange, matters: &[&str]) -> Evidence {
        let mut headers = BTreeMap::new();
        for name in matters {
            let values: Vec<&str> = exchange.headers_named(name).collect();
            if !values.is_empty() {
                headers.insert((*name).to_owned(), values.join(", "));
            }
        }
        Evidence {
            request: exchange.request.clone(),
            status: Some(exchange.status),
            headers,
            body_size: Some(exchange.body_size),
            note: exchange.body_error.clone(),
        }
    }

    /// A request that got no answer.
    pub fn failed(request: impl Into<String>, why: impl Into<String>) -> Evidence {
        Evidence {
            request: request.into(),
            status: None,
            headers: BTreeMap::new(),
            body_size: None,
            note: Some(why.into()),
        }
    }

    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Evidence {
        self.note = Some(note.into());
        self
    }
}

/// One check's verdict. The summary says what was found and what regscope
/// therefore does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub id: CheckId,
    pub status: Status,
    pub summary: String,
    pub evidence: Vec<Evidence>,
}

impl Check {
    pub fn new(id: CheckId, status: Status, summary: impl Into<String>) -> Check {
        Check {
            id,
            status,
            summary: summary.into(),
            evidence: Vec::new(),
        }
    }

    #[must_use]
    pub fn evidence(mut self, evidence: Vec<Evidence>) -> Check {
        self.evidence = evidence;
        self
    }
}

/// How regscope will keep and read referrers on this registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReferrersModeName {
    Api,
    Fallback,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub registry: String,
    pub repository: Option<String>,
    pub write: bool,
    pub referrers_mode: ReferrersModeName,
    pub checks: Vec<Check>,
    /// With `--write`: what could not be deleted again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_behind: Option<Vec<String>>,
}

impl Report {
    pub fn check(&self, id: CheckId) -> Option<&Check> {
        self.checks.iter().find(|check| check.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for id in CheckId::ALL {
            assert!(seen.insert(id.as_str()), "{id:?}");
            let json = serde_json::to_value(id).expect("id as JSON");
            assert_eq!(json, id.as_str(), "serialised as its id");
        }
        assert_eq!(
            CheckId::ReferrersUnknownSubject.as_str(),
            "referrers-unknown-subject"
        );
    }

    #[test]
    fn the_json_has_the_promised_shape() {
        let check = Check::new(CheckId::Ping, Status::Warn, "ok-ish")
            .evidence(vec![Evidence::failed("GET /v2/", "refused")]);
        let mut report = Report {
            registry: "r.example".to_owned(),
            repository: None,
            write: false,
            referrers_mode: ReferrersModeName::Fallback,
            checks: vec![check],
            left_behind: None,
        };
        let json = serde_json::to_value(&report).expect("report as JSON");
        let keys: Vec<&String> = json.as_object().expect("object").keys().collect();
        assert_eq!(
            keys,
            ["checks", "referrersMode", "registry", "repository", "write"]
        );
        assert_eq!(json["referrersMode"], "fallback");
        assert_eq!(
            json["checks"][0],
            serde_json::json!({"id": "ping", "status": "warn", "summary": "ok-ish",
                "evidence": [{"request": "GET /v2/", "note": "refused"}]})
        );
        report.write = true;
        report.left_behind = Some(vec!["blob x".to_owned()]);
        let json = serde_json::to_value(&report).expect("report as JSON");
        assert_eq!(json["leftBehind"], serde_json::json!(["blob x"]));
    }
}
