//! Learning, once per session, whether the registry lists referrers
//! itself: the API must have answered with an index; a 404 settles "no
//! API" only for a subject the repository has (Quay answers 404 about one
//! it has not), and a 405, a 501 or something that is not an index always.

use futures_util::future::join;
use reqwest::Method;

use super::ApiAnswer;
use crate::oci::Digest;
use crate::store::StoreError;
use crate::store::remote::RemoteStore;
use crate::store::remote::capabilities::ReferrersMode;
use crate::store::remote::response::error_from;

impl RemoteStore {
    /// Whether referrers pushed to this registry are indexed by it: the API
    /// must have answered, never a header alone. Asks once per session when
    /// nothing is known yet. `false` also when it cannot be told (a 404
    /// about a subject not there yet): writing the fallback index then
    /// loses nothing.
    pub(in crate::store::remote) async fn uses_referrers_api(
        &self,
        repository: &str,
        subject: &Digest,
    ) -> Result<bool, StoreError> {
        match self.mode() {
            ReferrersMode::Api => return Ok(true),
            ReferrersMode::Fallback => return Ok(false),
            ReferrersMode::Unknown => {}
        }
        let (api, present) = join(
            self.referrers_from_api(repository, subject, None),
            self.has_manifest(repository, subject),
        )
        .await;
        let api = api?;
        let listed = matches!(api, ApiAnswer::Listed(..));
        self.learn_from(api, present);
        Ok(listed)
    }

    /// Remembers what an answer of the API showed; `present` is whether the
    /// subject asked about is in the repository.
    pub(super) fn learn_from(&self, api: ApiAnswer, present: Result<bool, StoreError>) {
        let capabilities = &self.capabilities;
        match (api, present) {
            (ApiAnswer::Listed(_, seen), _) => {
                capabilities.decide_referrers(ReferrersMode::Api, seen);
            }
            (ApiAnswer::NotFound(seen), Ok(false)) => {
                capabilities.saw_unknown_subject_not_found(seen);
            }
            (ApiAnswer::NotFound(seen) | ApiAnswer::Unavailable(seen), _) => {
                capabilities.decide_referrers(ReferrersMode::Fallback, seen);
            }
        }
    }

    /// Whether the repository has a manifest: known without a request when
    /// this store has been served it, else a `HEAD` by digest.
    pub(super) async fn has_manifest(
        &self,
        repository: &str,
        digest: &Digest,
    ) -> Result<bool, StoreError> {
        if self.seen.contains(repository, digest) {
            return Ok(true);
        }
        let call = self.manifest_call(
            Method::HEAD,
            repository,
            &digest.to_string(),
            "look for the subject",
        );
        let reply = self.transport.send(&call).await?;
        match reply.response.status().as_u16() {
            200..=299 => Ok(true),
            404 => Ok(false),
            _ => {
                let what = format!("manifest {repository}@{digest}");
                Err(error_from(
                    reply.response,
                    &self.registry,
                    "look for the subject",
                    &what,
                )
                .await)
            }
        }
    }
}
