//! Reading referrers: the referrers API where the registry has it (paged,
//! filtered by the registry when it says so, else here), the `sha256-<hex>`
//! fallback tag where it answers 404 or something that is not an index. Until
//! a store knows which one works it asks both at once; then it remembers,
//! so later calls make one request.

use std::collections::HashSet;

use futures_util::future::join;
use reqwest::Method;
use reqwest::header::ACCEPT;

use super::listing::next_link;
use super::manifests::hash_with;
use super::response::{content_type, error_from};
use super::transport::Call;
use super::{MODE_API, MODE_FALLBACK, RemoteStore, Scope, Target};
use crate::oci::manifest::MAX_MANIFEST_SIZE;
use crate::oci::media_type::OCI_INDEX;
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::{Referrers, ReferrersSource, StoreError};

/// Pages of one referrers listing followed at most.
pub const MAX_REFERRER_PAGES: usize = 100;

enum ApiAnswer {
    Listed(Referrers),
    /// No API here (404, or an answer that is not an index).
    Unavailable,
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
        let (api, fallback) = match self.mode() {
            MODE_FALLBACK => return from_fallback.await,
            MODE_API => (from_api.await?, None),
            // Not known yet: ask both ways at once, so a registry without
            // the API costs no extra round trip; the API's answer decides,
            // and is remembered so later calls make one request.
            _ => {
                let (api, fallback) = join(from_api, from_fallback).await;
                (api?, Some(fallback))
            }
        };
        match api {
            ApiAnswer::Listed(referrers) => {
                self.set_mode(MODE_API);
                Ok(referrers)
            }
            ApiAnswer::Unavailable => {
                self.set_mode(MODE_FALLBACK);
                match fallback {
                    Some(fallback) => fallback,
                    None => {
                        self.referrers_from_fallback(repository, subject, artifact_type)
                            .await
                    }
                }
            }
        }
    }

    /// Whether referrers pushed to this registry are indexed by it. Asks the
    /// API once per store when nothing is known yet (as `oras` does when a
    /// push reply lacks `OCI-Subject`).
    pub(super) async fn uses_referrers_api(
        &self,
        repository: &str,
        subject: &Digest,
    ) -> Result<bool, StoreError> {
        match self.mode() {
            MODE_API => Ok(true),
            MODE_FALLBACK => Ok(false),
            _ => match self.referrers_from_api(repository, subject, None).await? {
                ApiAnswer::Listed(_) => {
                    self.set_mode(MODE_API);
                    Ok(true)
                }
                ApiAnswer::Unavailable => {
                    self.set_mode(MODE_FALLBACK);
                    Ok(false)
                }
            },
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
            if page == 0 && matches!(status.as_u16(), 404 | 405 | 501) {
                return Ok(ApiAnswer::Unavailable);
            }
            if !status.is_success() {
                return Err(
                    error_from(reply.response, &self.registry, "list referrers", &what).await,
                );
            }
            let headers = reply.response.headers().clone();
            let page_url = reply.url.clone();
            let served_as = content_type(&headers);
            let json_like = served_as
                .as_deref()
                .is_none_or(|t| t == OCI_INDEX || t.ends_with("json"));
            let body = self
                .transport
                .read_metadata(reply, MAX_MANIFEST_SIZE, &what)
                .await?;
            let index = Manifest::parse(body, Some(OCI_INDEX))
                .ok()
                .filter(|m| json_like && m.is_index());
            let Some(index) = index else {
                if page == 0 {
                    // A login page or a proxy's answer: there is no API here.
                    tracing::debug!(%what, "the referrers endpoint answered with something other than an index");
                    return Ok(ApiAnswer::Unavailable);
                }
                return Err(StoreError::Protocol(format!(
                    "{what}: page {} is not an image index",
                    page + 1
                )));
            };
            filtered &= headers
                .get_all("oci-filters-applied")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .any(|v| v.split(',').any(|f| f.trim() == "artifactType"));
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
        Ok(ApiAnswer::Listed(Referrers {
            descriptors: select(descriptors, client_filter),
            source: ReferrersSource::Api,
            warnings,
        }))
    }

    async fn referrers_from_fallback(
        &self,
        repository: &str,
        subject: &Digest,
        artifact_type: Option<&str>,
    ) -> Result<Referrers, StoreError> {
        let tag = subject.fallback_tag();
        let mut referrers = Referrers {
            descriptors: Vec::new(),
            source: ReferrersSource::FallbackTag,
            warnings: Vec::new(),
        };
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
        if hash_with(subject.algorithm(), manifest.raw()) == *subject {
            referrers.warnings.push(format!(
                "the fallback tag {tag} resolves to the subject itself (this registry reads it as a digest); it is not an index of referrers"
            ));
        } else if !manifest.is_index() {
            referrers.warnings.push(format!(
                "the fallback tag {tag} holds a {}, not an index of referrers; ignored",
                manifest.media_type
            ));
        } else {
            referrers.descriptors = select(manifest.manifests, artifact_type);
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
