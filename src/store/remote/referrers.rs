//! Reading referrers: the referrers API where the registry has it (paged,
//! filtered by the registry when it says so, else here), the `sha256-<hex>`
//! fallback tag where it has not. Until the session knows which one works
//! it asks both at once; then it remembers (`capabilities`), so later calls
//! make one request.
//!
//! What counts as "no API" is what the registry does, not one answer: a 404
//! about a subject the registry does not have is Quay's way of saying
//! "nothing attached" (the spec says an empty index), so a 404 settles the
//! mode only once a `HEAD` of the subject shows that it is there.

use std::collections::HashSet;

use futures_util::future::join3;
use reqwest::Method;
use reqwest::header::{ACCEPT, HeaderMap};

use super::capabilities::{Observation, ReferrersMode};
use super::listing::next_link;
use super::response::{content_type, error_from};
use super::transport::Call;
use super::{RemoteStore, Scope, Target};
use crate::oci::manifest::MAX_MANIFEST_SIZE;
use crate::oci::media_type::OCI_INDEX;
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::{Referrers, ReferrersSource, StoreError};

/// Pages of one referrers listing followed at most.
pub const MAX_REFERRER_PAGES: usize = 100;

mod learn;

enum ApiAnswer {
    Listed(Referrers, Observation),
    /// 404: no API, or (Quay) a subject the registry does not have.
    NotFound(Observation),
    /// No API here (405, 501, or an answer that is not an index).
    Unavailable(Observation),
}

fn empty(source: ReferrersSource) -> Referrers {
    Referrers {
        descriptors: Vec::new(),
        source,
        warnings: Vec::new(),
    }
}

/// Whether the registry says it filtered a page by `artifactType`.
fn filtered_by_type(headers: &HeaderMap) -> bool {
    headers
        .get_all("oci-filters-applied")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|f| f.trim() == "artifactType"))
}

/// Why the manifest under `subject`'s fallback tag is not an index of its
/// referrers, if it is not: a registry that reads `sha256-<hex>` as the
/// digest itself (GitLab) serves the subject there, and an index subject's
/// own platforms would pass for its referrers.
pub fn fallback_index_problem(subject: &Digest, manifest: &Manifest) -> Option<String> {
    let tag = subject.fallback_tag();
    if subject.matches(manifest.raw()) {
        Some(format!(
            "the fallback tag {tag} resolves to the subject itself (this registry reads it as a digest); it is not an index of referrers"
        ))
    } else if !manifest.is_index() {
        Some(format!(
            "the fallback tag {tag} holds a {}, not an index of referrers; ignored",
            manifest.media_type
        ))
    } else {
        None
    }
}

/// Keeps the first descriptor of each digest, and only the asked-for type.
fn select(descriptors: Vec<Descriptor>, artifact_type: Option<&str>) -> Vec<Descriptor> {
    let mut seen = HashSet::new();
    descriptors
        .into_iter()
        .filter(|d| artifact_type.is_none_or(|t| d.artifact_type.as_deref() == Some(t)))
        .filter(|d| seen.insert(d.digest.clone()))
        .collect()
}

impl RemoteStore {
    pub(super) async fn list_referrers(
        &self,
        repository: &str,
        subject: &Digest,
        artifact_type: Option<&str>,
    ) -> Result<Referrers, StoreError> {
        let from_api = self.referrers_from_api(repository, subject, artifact_type);
        let from_fallback = self.referrers_from_fallback(repository, subject, artifact_type);
        match self.mode() {
            ReferrersMode::Fallback => return from_fallback.await,
            ReferrersMode::Api => {
                return match from_api.await? {
                    ApiAnswer::Listed(referrers, _) => Ok(referrers),
                    // The API is known to be there: a 404 is about the
                    // subject (Quay), and means nothing is attached.
                    ApiAnswer::NotFound(_) => Ok(empty(ReferrersSource::Api)),
                    ApiAnswer::Unavailable(seen) => Err(StoreError::Protocol(format!(
                        "the referrers API answered before, but now {seen}"
                    ))),
                };
            }
            ReferrersMode::Unknown => {}
        }
        // Not known yet: ask both ways at once (and, unless this store was
        // just served it, whether the subject is there: that tells a
        // Quay-style 404 from a missing API), so a registry without the
        // API costs no extra round trip.
        let (api, fallback, present) = join3(
            from_api,
            from_fallback,
            self.has_manifest(repository, subject),
        )
        .await;
        match api? {
            ApiAnswer::Listed(referrers, seen) => {
                self.capabilities.decide_referrers(ReferrersMode::Api, seen);
                Ok(referrers)
            }
            other => {
                self.learn_from(other, present);
                fallback
            }
        }
    }

    async fn referrers_from_api(
        &self,
        repository: &str,
        subject: &Digest,
        artifact_type: Option<&str>,
    ) -> Result<ApiAnswer, StoreError> {
        let what = format!("referrers of {repository}@{subject}");
        let mut url = self
            .transport
            .url(&format!("/v2/{repository}/referrers/{subject}"));
        if let Some(artifact_type) = artifact_type {
            url.query_pairs_mut()
                .append_pair("artifactType", artifact_type);
        }
        let mut seen = HashSet::new();
        let mut descriptors = Vec::new();
        let mut filtered = true;
        let mut warnings = Vec::new();
        let mut first_page = None;
        for page in 0..MAX_REFERRER_PAGES {
            if !seen.insert(url.to_string()) {
                return Err(StoreError::Protocol(format!(
                    "{what}: the registry sent the same page link twice"
                )));
            }
            let call = Call::new(
                Method::GET,
                url.clone(),
                "list referrers",
                vec![Scope::Pull(repository.to_owned())],
            )
            .header(ACCEPT, OCI_INDEX);
            let reply = self.transport.send(&call).await?;
            let status = reply.response.status();
            let seen = Observation::of("GET", &url, status.as_u16());
            if page == 0 && status.as_u16() == 404 {
                return Ok(ApiAnswer::NotFound(seen));
            }
            if page == 0 && matches!(status.as_u16(), 405 | 501) {
                return Ok(ApiAnswer::Unavailable(seen));
            }
            if page == 0 {
                first_page = Some(seen.clone());
            }
            if !status.is_success() {
                return Err(
                    error_from(reply.response, &self.registry, "list referrers", &what).await,
                );
            }
            let (headers, page_url, index) = self.read_index_page(reply, &what).await?;
            let Some(index) = index else {
                if page == 0 {
                    // A login page or a proxy's answer: there is no API here.
                    tracing::debug!(%what, "the referrers endpoint answered with something other than an index");
                    return Ok(ApiAnswer::Unavailable(seen));
                }
                return Err(StoreError::Protocol(format!(
                    "{what}: page {} is not an image index",
                    page + 1
                )));
            };
            filtered &= filtered_by_type(&headers);
            descriptors.extend(index.manifests);
            match next_link(&headers) {
                Some(link) => {
                    url = self.transport.same_origin_target(
                        &page_url,
                        &link,
                        "the referrers page Link",
                    )?;
                }
                None => break,
            }
            if page + 1 == MAX_REFERRER_PAGES {
                warnings.push(format!(
                    "only the first {MAX_REFERRER_PAGES} pages of referrers were read"
                ));
            }
        }
        let client_filter = if filtered { None } else { artifact_type };
        let seen = first_page.ok_or_else(|| {
            StoreError::Protocol(format!("{what}: no page of referrers was read"))
        })?;
        Ok(ApiAnswer::Listed(
            Referrers {
                descriptors: select(descriptors, client_filter),
                source: ReferrersSource::Api,
                warnings,
            },
            seen,
        ))
    }

    /// One page's headers, its URL (after redirects) and the index it
    /// holds; `None` when it is no index (a login page, a proxy's answer).
    async fn read_index_page(
        &self,
        reply: super::transport::Reply,
        what: &str,
    ) -> Result<(HeaderMap, url::Url, Option<Manifest>), StoreError> {
        let headers = reply.response.headers().clone();
        let page_url = reply.url.clone();
        let json_like = content_type(&headers)
            .as_deref()
            .is_none_or(|t| t == OCI_INDEX || t.ends_with("json"));
        let body = self
            .transport
            .read_metadata(reply, MAX_MANIFEST_SIZE, what)
            .await?;
        let index = Manifest::parse(body, Some(OCI_INDEX))
            .ok()
            .filter(|m| json_like && m.is_index());
        Ok((headers, page_url, index))
    }

    pub(super) async fn referrers_from_fallback(
        &self,
        repository: &str,
        subject: &Digest,
        artifact_type: Option<&str>,
    ) -> Result<Referrers, StoreError> {
        let tag = subject.fallback_tag();
        let mut referrers = empty(ReferrersSource::FallbackTag);
        let manifest = match self
            .fetch_verified_manifest(repository, &Target::Tag(tag.clone()))
            .await
        {
            Ok((manifest, _)) => manifest,
            Err(e) if e.is_not_found() => return Ok(referrers),
            Err(StoreError::InvalidManifest { cause, .. }) => {
                referrers.warnings.push(format!(
                    "the fallback tag {tag} is not a readable index ({cause}); ignored"
                ));
                return Ok(referrers);
            }
            Err(e) => return Err(e),
        };
        match fallback_index_problem(subject, &manifest) {
            Some(problem) => referrers.warnings.push(problem),
            None => referrers.descriptors = select(manifest.manifests, artifact_type),
        }
        Ok(referrers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_by_type_and_drops_duplicates() {
        let d = |hex: char, t: &str| {
            let digest = format!("sha256:{}", hex.to_string().repeat(64))
                .parse()
                .expect("digest");
            let mut descriptor = Descriptor::new("m", digest, 1);
            descriptor.artifact_type = Some(t.to_owned());
            descriptor
        };
        let all = vec![d('a', "sig"), d('b', "sbom"), d('a', "sig")];
        assert_eq!(select(all.clone(), None).len(), 2);
        assert_eq!(select(all, Some("sbom")), vec![d('b', "sbom")]);
    }
}
