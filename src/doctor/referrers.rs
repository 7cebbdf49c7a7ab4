//! The referrer checks without writing: `referrers-api` (what the
//! session's store learned, and why), `referrers-unknown-subject`,
//! `referrers-filter` (what `OCI-Filters-Applied` says) and
//! `fallback-tags` (whether `sha256-<hex>` is read as the digest itself).

use futures_util::future::join4;
use reqwest::Method;

use super::content::Subject;
use super::prober::{Answer, Prober, evidence, zero_digest};
use super::report::{Check, CheckId, Evidence, Status};
use crate::oci::{Digest, Manifest};
use crate::store::Store;
use crate::store::remote::capabilities::ReferrersMode;

/// The artifact type the filter probes ask for: no referrer has it.
pub const PROBE_ARTIFACT_TYPE: &str = "application/vnd.regscope.doctor.probe";

const REFERRER_HEADERS: &[&str] = &["content-type", "oci-filters-applied", "link"];

/// The probe that needs no manifest: referrers of the zero digest. It
/// goes out with the first round.
pub async fn probe_unknown(prober: &Prober<'_>, repository: &str, zero: &Digest) -> Answer {
    prober.referrers(repository, zero, None).await
}

/// The four checks, in report order, once a manifest of the repository
/// (if any) is known: the store learns from it, since a 404 about a
/// subject that is not there says nothing (Quay), and the filter is asked
/// about it (registries say they filtered only when there was something
/// to filter).
pub async fn judge(
    prober: &Prober<'_>,
    repository: &str,
    subject: Option<&Subject>,
    unknown: Answer,
) -> Vec<Check> {
    let asked_about = subject.map_or_else(zero_digest, |s| s.digest().clone());
    let ((), fallback, filtered, listed) = join4(
        prober
            .store
            .learn_referrers_support(repository, &asked_about),
        fallback_tags(prober, repository, subject),
        prober.referrers(repository, &asked_about, Some(PROBE_ARTIFACT_TYPE)),
        prober.referrers(repository, &asked_about, None),
    )
    .await;
    let mode = prober.store.capabilities().referrers_mode();
    vec![
        api(prober, mode, &unknown, subject.is_some()),
        unknown_subject(mode, &unknown),
        filter(mode, &filtered, &listed),
        fallback,
    ]
}

/// An answer that is an OCI index, and how many entries it lists.
pub fn index_entries(answer: &Answer) -> Option<usize> {
    match answer {
        Ok(x) if x.status == 200 => {
            Manifest::parse(x.body.clone(), Some(crate::oci::media_type::OCI_INDEX))
                .ok()
                .filter(Manifest::is_index)
                .map(|index| index.manifests.len())
        }
        _ => None,
    }
}

fn api(prober: &Prober<'_>, mode: ReferrersMode, unknown: &Answer, had_subject: bool) -> Check {
    let findings = prober.store.capabilities().findings_now();
    let because = findings
        .referrers_decided_by
        .as_ref()
        .map(ToString::to_string);
    let mut shown: Vec<Evidence> = Vec::new();
    if let Some(seen) = &findings.referrers_decided_by {
        shown.push(Evidence {
            request: seen.request.clone(),
            status: Some(seen.status),
            headers: Default::default(),
            body_size: None,
            note: Some("the answer the session's store decided on".to_owned()),
        });
    }
    shown.push(evidence(unknown, REFERRER_HEADERS));
    let because = because.unwrap_or_else(|| "an earlier answer this session".to_owned());
    match mode {
        ReferrersMode::Api => Check::new(
            CheckId::ReferrersApi,
            Status::Pass,
            format!("referrers: the API, because {because}; regscope lists referrers there and leaves them to the registry when it pushes"),
        ),
        // No API is allowed by the spec (clients fall back to tags), so it
        // warns: a CI gate on `fail` must pass on a registry that works.
        ReferrersMode::Fallback => Check::new(
            CheckId::ReferrersApi,
            Status::Warn,
            format!("referrers: fallback tags, because {because}; regscope reads and writes sha256-<hex> index tags"),
        ),
        ReferrersMode::Unknown => Check::new(
            CheckId::ReferrersApi,
            Status::Warn,
            if had_subject {
                "the API answered neither an index nor a refusal regscope could settle on; regscope asks both ways and writes fallback indexes".to_owned()
            } else {
                "the API answered 404 about a subject no registry has, and there is no manifest to ask about instead (a registry that answers 404 for unknown subjects, as Quay does, looks the same as one with no API): regscope reads both ways and writes fallback indexes until the API answers; name a repository with a tag, or use --write".to_owned()
            },
        ),
    }
    .evidence(shown)
}

fn unknown_subject(mode: ReferrersMode, unknown: &Answer) -> Check {
    let shown = vec![evidence(unknown, REFERRER_HEADERS)];
    let status_code = unknown.as_ref().ok().map(|x| x.status);
    let (status, summary) = match (index_entries(unknown), status_code) {
        (Some(0), _) => (
            Status::Pass,
            "200 and an empty index for a subject no registry has, as the spec says".to_owned(),
        ),
        (Some(n), _) => (
            Status::Fail,
            format!("{n} referrers listed for a subject no registry has"),
        ),
        (None, Some(404)) if mode == ReferrersMode::Api => (
            Status::Warn,
            "404 for an unknown subject (as Quay answers; the spec says 200 and an empty index): regscope reads it as nothing attached, not as a missing API".to_owned(),
        ),
        (None, Some(200)) => (
            Status::Fail,
            "200 with something that is not an image index: regscope does not take it for a referrers API".to_owned(),
        ),
        (None, Some(code)) if mode != ReferrersMode::Api => (
            Status::Skip,
            format!("no referrers API to ask (it answered {code})"),
        ),
        (None, Some(code)) => (Status::Fail, format!("the referrers API answered {code}")),
        (None, None) => (Status::Fail, "no answer".to_owned()),
    };
    Check::new(CheckId::ReferrersUnknownSubject, status, summary).evidence(shown)
}

fn filter(mode: ReferrersMode, filtered: &Answer, listed: &Answer) -> Check {
    let shown = vec![
        evidence(filtered, REFERRER_HEADERS),
        evidence(listed, REFERRER_HEADERS),
    ];
    let (Some(kept), Some(all)) = (index_entries(filtered), index_entries(listed)) else {
        let (status, summary) = if mode == ReferrersMode::Api {
            (
                Status::Warn,
                "a referrers listing did not answer with an index".to_owned(),
            )
        } else {
            (Status::Skip, "no referrers API to filter".to_owned())
        };
        return Check::new(CheckId::ReferrersFilter, status, summary).evidence(shown);
    };
    let said: Vec<String> = filtered
        .as_ref()
        .map(|x| {
            x.headers_named("oci-filters-applied")
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let claims = said
        .iter()
        .any(|v| v.split(',').any(|f| f.trim() == "artifactType"));
    let (status, summary) = if claims {
        (
            Status::Pass,
            format!(
                "OCI-Filters-Applied: artifactType ({kept} of {all} referrers kept); regscope still checks each referrer's type in its manifest"
            ),
        )
    } else if let Some(value) = said.first() {
        (
            Status::Warn,
            format!(
                "OCI-Filters-Applied carries {value:?}, not the word artifactType (as Harbor sends): regscope does not take the listing as filtered and filters it itself"
            ),
        )
    } else if all == 0 {
        (
            Status::Skip,
            "nothing to filter (no referrers here), and registries say they filtered only when something was: with --write, doctor pushes two referrers and checks".to_owned(),
        )
    } else if kept == 0 {
        (
            Status::Warn,
            "filtered by artifactType without saying so in OCI-Filters-Applied: regscope filters again itself".to_owned(),
        )
    } else {
        (
            Status::Warn,
            format!(
                "not filtered ({kept} referrers of a type none has), and no OCI-Filters-Applied: regscope filters the listing itself (the spec allows a registry not to)"
            ),
        )
    };
    Check::new(CheckId::ReferrersFilter, status, summary).evidence(shown)
}

/// What the subject's `sha256-<hex>` tag serves.
pub async fn fallback_tags(
    prober: &Prober<'_>,
    repository: &str,
    subject: Option<&Subject>,
) -> Check {
    let Some(subject) = subject else {
        return Check::new(
            CheckId::FallbackTags,
            Status::Skip,
            "needs a manifest to look up a fallback tag for: name a repository with a tag, or use --write",
        );
    };
    let digest = subject.digest();
    let tag = digest.fallback_tag();
    let answer = prober.manifest(Method::GET, repository, &tag).await;
    let shown = vec![evidence(
        &answer,
        &["docker-content-digest", "content-type"],
    )];
    let (status, summary) = judge_fallback_tag(digest, &tag, &answer);
    Check::new(CheckId::FallbackTags, status, summary).evidence(shown)
}

/// What `GET …/manifests/<tag>` for `digest`'s fallback tag showed.
pub fn judge_fallback_tag(digest: &Digest, tag: &str, answer: &Answer) -> (Status, String) {
    match answer {
        Ok(x) if x.status == 404 => (
            Status::Pass,
            format!("{tag} is not there, and not read as {digest}"),
        ),
        Ok(x) if (200..300).contains(&x.status) && digest.matches(&x.body) => (
            Status::Fail,
            format!(
                "{tag} serves the subject {digest} itself: this registry reads sha256-<hex> as a digest (as GitLab does), so referrers cannot live in fallback tags here; regscope ignores what it serves and refuses to write there"
            ),
        ),
        Ok(x) if (200..300).contains(&x.status) => {
            match Manifest::parse(x.body.clone(), x.header("content-type")) {
                Ok(index) if index.is_index() => (
                    Status::Pass,
                    format!(
                        "{tag} is a fallback index of {} referrers",
                        index.manifests.len()
                    ),
                ),
                _ => (
                    Status::Warn,
                    format!(
                        "{tag} holds something that is not an index: regscope ignores it and refuses to overwrite it"
                    ),
                ),
            }
        }
        Ok(x) => (Status::Fail, format!("GET of {tag} answered {}", x.status)),
        Err(_) => (Status::Fail, format!("GET of {tag} got no answer")),
    }
}
