//! Manifests: resolve (HEAD, falling back to GET) and fetch with
//! verification; `write` pushes and deletes them.

mod order;
mod write;

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{ACCEPT, HeaderMap};

use super::response::{content_type, declared_length, error_from};
use super::transport::Call;
use super::{RemoteStore, Scope, Target};
use crate::oci::manifest::MAX_MANIFEST_SIZE;
use crate::oci::media_type::MANIFEST_TYPES;
use crate::oci::verify::VerifyError;
use crate::oci::{Algorithm, Descriptor, Digest, DigestHasher, Manifest};
use crate::store::StoreError;

pub const DOCKER_CONTENT_DIGEST: &str = "docker-content-digest";
/// Times a manifest body that broke off mid-way is fetched again.
const MAX_BROKEN_BODIES: u32 = 2;

/// Every manifest type, as one `Accept` value.
pub fn accept_manifests() -> String {
    MANIFEST_TYPES.join(", ")
}

/// `bytes` hashed with `algorithm`.
pub fn hash_with(algorithm: Algorithm, bytes: &[u8]) -> Digest {
    let mut hasher = DigestHasher::new(algorithm);
    hasher.update(bytes);
    hasher.finish()
}

/// `Docker-Content-Digest`, strictly parsed: a header that is present but
/// not a digest is the registry's mistake, not something to guess around.
fn header_digest(headers: &HeaderMap) -> Result<Option<Digest>, StoreError> {
    let Some(value) = headers.get(DOCKER_CONTENT_DIGEST) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .map_err(|_| StoreError::Protocol("Docker-Content-Digest is not text".to_owned()))?;
    text.trim()
        .parse()
        .map(Some)
        .map_err(|e| StoreError::Protocol(format!("Docker-Content-Digest: {e}")))
}

fn describe(repository: &str, target: &Target) -> String {
    match target {
        Target::Tag(tag) => format!("manifest {repository}:{tag}"),
        Target::Digest(digest) => format!("manifest {repository}@{digest}"),
    }
}

impl RemoteStore {
    fn manifest_url(&self, repository: &str, reference: &str) -> url::Url {
        self.transport
            .url(&format!("/v2/{repository}/manifests/{reference}"))
    }

    pub(super) fn manifest_call(
        &self,
        method: Method,
        repository: &str,
        reference: &str,
        operation: &str,
    ) -> Call {
        let url = self.manifest_url(repository, reference);
        Call::new(
            method,
            url,
            operation,
            vec![Scope::Pull(repository.to_owned())],
        )
        .header(ACCEPT, &accept_manifests())
    }

    /// `DELETE` of a manifest by digest (a referrer, or a fallback index).
    pub(super) fn delete_call(&self, repository: &str, digest: &Digest, operation: &str) -> Call {
        Call::new(
            Method::DELETE,
            self.manifest_url(repository, &digest.to_string()),
            operation,
            vec![Scope::Delete(repository.to_owned())],
        )
    }

    /// A descriptor from `HEAD` when its headers say enough: the digest is
    /// then the registry's word, not a hash regscope made (a lie shows up
    /// later, because every fetch by digest hashes what it receives).
    /// Without the header, the bytes are fetched and hashed.
    pub(super) async fn resolve_manifest(
        &self,
        repository: &str,
        target: &Target,
    ) -> Result<Descriptor, StoreError> {
        if let Target::Digest(digest) = target
            && let Some(manifest) = self.cached_manifest(repository, digest)
        {
            return Ok(Descriptor::new(
                manifest.media_type.clone(),
                digest.clone(),
                manifest.size(),
            ));
        }
        let what = describe(repository, target);
        let call = self.manifest_call(Method::HEAD, repository, &target.as_path(), "resolve");
        let reply = self.transport.send(&call).await?;
        let status = reply.response.status();
        if status.is_success() {
            let headers = reply.response.headers();
            let digest = header_digest(headers)?;
            let size = declared_length(headers).filter(|size| *size > 0);
            // A registry that calls a manifest `application/json` leaves
            // the type to the document itself.
            let media_type = content_type(headers).filter(|t| MANIFEST_TYPES.contains(&t.as_str()));
            match (target, digest, size, media_type) {
                (Target::Digest(asked), Some(said), _, _) if said != *asked => {
                    return Err(StoreError::Protocol(format!(
                        "{what}: the registry says its digest is {said}"
                    )));
                }
                (Target::Digest(asked), _, Some(size), Some(media_type)) => {
                    self.seen.record(repository, asked);
                    return Ok(Descriptor::new(media_type, asked.clone(), size));
                }
                (Target::Tag(_), Some(said), Some(size), Some(media_type)) => {
                    self.seen.record(repository, &said);
                    return Ok(Descriptor::new(media_type, said, size));
                }
                // Something is missing: the bytes will tell.
                _ => {}
            }
        } else if matches!(status.as_u16(), 401 | 403 | 404 | 429) {
            return Err(error_from(reply.response, &self.registry, "resolve", &what).await);
        }
        let (manifest, digest) = self.fetch_verified_manifest(repository, target).await?;
        Ok(Descriptor::new(
            manifest.media_type.clone(),
            digest,
            manifest.size(),
        ))
    }

    pub(super) async fn get_manifest(
        &self,
        repository: &str,
        target: &Target,
    ) -> Result<Manifest, StoreError> {
        Ok(self.fetch_verified_manifest(repository, target).await?.0)
    }

    /// The manifest and its digest in the algorithm asked for (by tag:
    /// SHA-256 of the bytes received, checked against the header if any).
    pub(super) async fn fetch_verified_manifest(
        &self,
        repository: &str,
        target: &Target,
    ) -> Result<(Manifest, Digest), StoreError> {
        if let Target::Digest(digest) = target
            && let Some(manifest) = self.cached_manifest(repository, digest)
        {
            return Ok((manifest, digest.clone()));
        }
        let what = describe(repository, target);
        let call = self.manifest_call(Method::GET, repository, &target.as_path(), "fetch manifest");
        let (said, served_as, raw) = self.read_manifest_reply(&call, &what).await?;
        let digest = match target {
            Target::Digest(expected) => {
                let actual = hash_with(expected.algorithm(), &raw);
                if actual != *expected {
                    return Err(VerifyError::DigestMismatch {
                        expected: expected.clone(),
                        actual,
                    }
                    .into());
                }
                actual
            }
            Target::Tag(_) => {
                if let Some(said) = said {
                    let actual = hash_with(said.algorithm(), &raw);
                    if actual != said {
                        return Err(VerifyError::DigestMismatch {
                            expected: said,
                            actual,
                        }
                        .into());
                    }
                }
                Digest::sha256_of(&raw)
            }
        };
        self.seen.record(repository, &digest);
        let manifest = Manifest::parse(raw, served_as.as_deref()).map_err(|source| {
            StoreError::InvalidManifest {
                what,
                cause: source,
            }
        })?;
        // Hashed here, by the digest asked for or (by tag) SHA-256: a
        // later fetch by that digest needs no request.
        self.content
            .keep_manifest(&self.content_place(repository), &digest, &manifest);
        Ok((manifest, digest))
    }

    /// A manifest this session fetched and verified from `repository`.
    fn cached_manifest(&self, repository: &str, digest: &Digest) -> Option<Manifest> {
        let manifest = self
            .content
            .manifest(&self.content_place(repository), digest)?;
        self.seen.record(repository, digest);
        Some(manifest)
    }

    /// GETs a manifest: (`Docker-Content-Digest`, `Content-Type`, bytes).
    /// A connection that breaks inside the body is tried again (the
    /// transport only retries what fails before the headers).
    async fn read_manifest_reply(
        &self,
        call: &Call,
        what: &str,
    ) -> Result<(Option<Digest>, Option<String>, Bytes), StoreError> {
        let mut broken_bodies = 0;
        loop {
            let reply = self.transport.send(call).await?;
            if !reply.response.status().is_success() {
                return Err(
                    error_from(reply.response, &self.registry, &call.operation, what).await,
                );
            }
            let said = header_digest(reply.response.headers())?;
            let served_as = content_type(reply.response.headers());
            match self
                .transport
                .read_metadata(reply, MAX_MANIFEST_SIZE, what)
                .await
            {
                Ok(raw) => return Ok((said, served_as, raw)),
                Err(StoreError::Transport { .. }) if broken_bodies < MAX_BROKEN_BODIES => {
                    broken_bodies += 1;
                    tracing::debug!(what, "the manifest body broke off; fetching it again");
                }
                Err(e) => return Err(e),
            }
        }
    }
}
