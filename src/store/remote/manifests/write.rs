//! Pushing a manifest (then making a referrer discoverable) and deleting
//! one (then dropping it from its subject's fallback index).

use std::collections::{HashMap, HashSet};

use bytes::Bytes;
use futures_util::stream::{self, StreamExt, TryStreamExt};
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap};

use super::{describe, header_digest, order};
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::ReferrersSource;
use crate::store::remote::capabilities::{Observation, ReferrersMode, SubjectHeaderSeen};
use crate::store::remote::response::error_from;
use crate::store::remote::transport::Call;
use crate::store::remote::{RemoteStore, Scope, Target};
use crate::store::{PushedManifest, StoreError};

/// Manifest PUTs of one batch in flight at once (the transport bounds the
/// store as a whole).
const PUSH_CONCURRENCY: usize = 16;

impl RemoteStore {
    /// PUTs raw manifest bytes; returns the reply's status and headers.
    pub(in crate::store::remote) async fn put_manifest_bytes(
        &self,
        repository: &str,
        reference: &str,
        media_type: &str,
        raw: Bytes,
    ) -> Result<(u16, HeaderMap), StoreError> {
        let call = Call::new(
            Method::PUT,
            self.manifest_url(repository, reference),
            "push manifest",
            vec![Scope::Push(repository.to_owned())],
        )
        .header(CONTENT_TYPE, media_type)
        .body(raw);
        let reply = self.transport.send(&call).await?;
        if !reply.response.status().is_success() {
            let what = format!("manifest {repository}:{reference}");
            return Err(error_from(reply.response, &self.registry, "push manifest", &what).await);
        }
        Ok((
            reply.response.status().as_u16(),
            reply.response.headers().clone(),
        ))
    }

    pub(in crate::store::remote) async fn put_manifest(
        &self,
        repository: &str,
        manifest: &Manifest,
        tag: Option<&str>,
    ) -> Result<PushedManifest, StoreError> {
        let reference = tag.map_or_else(|| manifest.digest().to_string(), str::to_owned);
        let reply = self
            .put_manifest_bytes(
                repository,
                &reference,
                &manifest.media_type,
                manifest.raw().clone(),
            )
            .await?;
        let headers = &reply.1;
        if let Ok(Some(said)) = header_digest(headers)
            && said != *manifest.digest()
        {
            tracing::warn!(%said, ours = %manifest.digest(), "the registry reports another digest for the manifest just pushed");
        }
        let descriptor = manifest.descriptor();
        let referrer_indexed_by = match &manifest.subject {
            None => None,
            Some(subject) => {
                self.note_subject_header(repository, &reference, &reply);
                let indexed = self
                    .index_referrer(repository, &subject.digest, &descriptor)
                    .await
                    .map_err(|e| match e {
                        // Say what did happen: the manifest itself is there.
                        StoreError::Invalid(why) => StoreError::Invalid(format!(
                            "pushed {repository}@{}, but could not list it under its subject: {why}",
                            descriptor.digest
                        )),
                        other => other,
                    })?;
                Some(indexed)
            }
        };
        Ok(PushedManifest {
            descriptor,
            referrer_indexed_by,
        })
    }

    /// Remembers whether a referrer's push got `OCI-Subject` back: evidence
    /// for `doctor`, never a reason to skip the fallback index.
    fn note_subject_header(&self, repository: &str, reference: &str, reply: &(u16, HeaderMap)) {
        let url = self.manifest_url(repository, reference);
        self.capabilities.saw_subject_header(SubjectHeaderSeen {
            push: Observation::of("PUT", &url, reply.0),
            header: reply.1.contains_key("oci-subject"),
        });
    }

    /// PUTs independent manifests side by side, then indexes their
    /// referrers: where the referrers API answered they are the registry's
    /// business, the rest go into their subjects' fallback indexes, one
    /// update per subject.
    pub(in crate::store::remote) async fn put_manifests(
        &self,
        repository: &str,
        manifests: &[(&Manifest, Option<&str>)],
    ) -> Result<Vec<PushedManifest>, StoreError> {
        // A manifest goes after what it names in the batch (a whole graph
        // may come at once), and the fallback indexes are updated once, after
        // every PUT: one settle for the batch, not one per level.
        let only_manifests: Vec<&Manifest> = manifests.iter().map(|(m, _)| *m).collect();
        let mut replies: Vec<(usize, (u16, HeaderMap))> = Vec::with_capacity(manifests.len());
        for wave in order::waves(&only_manifests) {
            replies.extend(self.put_wave(repository, manifests, wave).await?);
        }
        replies.sort_by_key(|(at, _)| *at);
        let replies: Vec<(u16, HeaderMap)> = replies.into_iter().map(|(_, reply)| reply).collect();
        // Subject → the referrers its fallback index must list (each once,
        // however many tags it was pushed under).
        let mut by_subject: HashMap<Digest, Vec<Descriptor>> = HashMap::new();
        let mut indexed_by = Vec::with_capacity(manifests.len());
        let mut seen = HashSet::new();
        for ((manifest, tag), reply) in manifests.iter().zip(&replies) {
            let Some(subject) = &manifest.subject else {
                indexed_by.push(None);
                continue;
            };
            let reference = tag.map_or_else(|| manifest.digest().to_string(), str::to_owned);
            self.note_subject_header(repository, &reference, reply);
            if self.uses_referrers_api(repository, &subject.digest).await? {
                indexed_by.push(Some(ReferrersSource::Api));
                continue;
            }
            indexed_by.push(Some(ReferrersSource::FallbackTag));
            if seen.insert(manifest.digest().clone()) {
                by_subject
                    .entry(subject.digest.clone())
                    .or_default()
                    .push(manifest.descriptor());
            }
        }
        let updates: Vec<_> = by_subject
            .iter()
            .map(|(subject, referrers)| self.index_referrers(repository, subject, referrers))
            .collect();
        futures_util::future::try_join_all(updates).await?;
        Ok(manifests
            .iter()
            .zip(indexed_by)
            .map(|((manifest, _), referrer_indexed_by)| PushedManifest {
                descriptor: manifest.descriptor(),
                referrer_indexed_by,
            })
            .collect())
    }

    /// PUTs the `wave` positions of `manifests`. On a registry that may
    /// index referrers itself, referrers of one subject go one after
    /// another, different subjects side by side: olareg indexes a referrer
    /// by reading its subject's referrers response and writing the
    /// extended one back under two separate locks (`referrerAdd` in its
    /// referrer.go), so of two referrers of one subject PUT at once it can
    /// keep only one. Where the registry is known not to (fallback tags,
    /// written once per subject after the batch), all go at once: a copy
    /// finds that out while it reads the source's graph
    /// (`Store::learn_referrers_support`).
    async fn put_wave(
        &self,
        repository: &str,
        manifests: &[(&Manifest, Option<&str>)],
        wave: Vec<usize>,
    ) -> Result<Vec<(usize, (u16, HeaderMap))>, StoreError> {
        let registry_indexes = self.mode() != ReferrersMode::Fallback;
        let mut lanes: Vec<(Option<&Digest>, Vec<usize>)> = Vec::new();
        for at in wave {
            let subject = manifests[at]
                .0
                .subject
                .as_ref()
                .map(|s| &s.digest)
                .filter(|_| registry_indexes);
            match lanes
                .iter_mut()
                .find(|(lane, _)| subject.is_some() && *lane == subject)
            {
                Some((_, members)) => members.push(at),
                None => lanes.push((subject, vec![at])),
            }
        }
        let runs: Vec<_> = lanes
            .into_iter()
            .map(|(_, members)| async move {
                let mut replies = Vec::with_capacity(members.len());
                for at in members {
                    let (manifest, tag) = &manifests[at];
                    let reference =
                        tag.map_or_else(|| manifest.digest().to_string(), |t| t.to_owned());
                    let raw = manifest.raw().clone();
                    let reply = self
                        .put_manifest_bytes(repository, &reference, &manifest.media_type, raw)
                        .await?;
                    replies.push((at, reply));
                }
                Ok::<_, StoreError>(replies)
            })
            .collect();
        Ok(stream::iter(runs)
            .buffer_unordered(PUSH_CONCURRENCY)
            .try_collect::<Vec<_>>()
            .await?
            .into_iter()
            .flatten()
            .collect())
    }

    /// `DELETE /v2/<name>/manifests/<tag>`: only a `202 Accepted` counts
    /// (as regctl's `TagDelete` has it); distribution 2.8 answers 400
    /// `DIGEST_INVALID`, others 404 or 405, and then the tag is untouched.
    pub(in crate::store::remote) async fn remove_tag(
        &self,
        repository: &str,
        tag: &str,
    ) -> Result<bool, StoreError> {
        let call = Call::new(
            Method::DELETE,
            self.manifest_url(repository, tag),
            "delete tag",
            vec![Scope::Delete(repository.to_owned())],
        );
        let reply = self.transport.send(&call).await?;
        let status = reply.response.status();
        tracing::debug!(repository, tag, %status, "tag-delete API");
        Ok(status == reqwest::StatusCode::ACCEPTED)
    }

    pub(in crate::store::remote) async fn remove_manifest(
        &self,
        repository: &str,
        digest: &Digest,
    ) -> Result<(), StoreError> {
        let target = Target::Digest(digest.clone());
        // Read it first: a referrer must also leave its subject's index.
        let (manifest, _) = self.fetch_verified_manifest(repository, &target).await?;
        let call = self.delete_call(repository, digest, "delete manifest");
        let reply = self.transport.send(&call).await?;
        let status = reply.response.status();
        let gone_after_retry = status.as_u16() == 404 && reply.retried;
        if !status.is_success() && !gone_after_retry {
            let what = describe(repository, &target);
            return Err(
                match error_from(reply.response, &self.registry, "deleting manifests", &what).await
                {
                    StoreError::Unsupported {
                        registry,
                        operation,
                        detail,
                    } => StoreError::Unsupported {
                        registry,
                        operation,
                        detail: format!(
                            "{detail} (the registry does not allow deletes; distribution needs storage.delete.enabled)"
                        ),
                    },
                    other => other,
                },
            );
        }
        self.seen.forget(repository, digest);
        self.content.forget(&self.content_place(repository), digest);
        if let Some(subject) = &manifest.subject {
            if !self.uses_referrers_api(repository, &subject.digest).await? {
                self.remove_from_fallback(repository, &subject.digest, digest)
                    .await?;
            } else if let Err(error) = self
                .remove_from_fallback(repository, &subject.digest, digest)
                .await
            {
                // A registry with the API may still hold a fallback index
                // written by a tool told to use tags (discovery reads it
                // too); that it could not be tidied does not undo the
                // delete.
                tracing::warn!(%error, "the fallback index of {subject} was left as it was", subject = subject.digest);
            }
        }
        Ok(())
    }
}
