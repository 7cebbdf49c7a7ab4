//! `--write`: a scratch repository gets an image under three tags (so the
//! read-only checks have something to read), two referrers of it pushed
//! the way `attach` pushes them, a blob in PATCH chunks and a mount; then
//! the deletes are tried and everything pushed is deleted again where the
//! registry allows it, and what stays is named.

mod cleanup;
mod referrers;
mod uploads;

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use serde_json::json;

use super::prober::{Prober, evidence, push};
use super::report::{Check, CheckId, Evidence, Status};
use crate::oci::media_type::{EMPTY_JSON, OCI_EMPTY, OCI_MANIFEST};
use crate::oci::{Descriptor, Manifest};
use crate::store::remote::probe::Probe;
use crate::store::{Store, bytes_stream};

pub use cleanup::{clean_up, delete_checks};
pub use uploads::{chunked_upload, mount};

const IMAGE_TYPE: &str = "application/vnd.regscope.doctor.image";
const CONFIG_TYPE: &str = "application/vnd.regscope.doctor.config+json";
const LAYER_TYPE: &str = "application/vnd.regscope.doctor.layer";
/// The two referrers' types: the filter check asks for the first.
pub const SIGNATURE_TYPE: &str = "application/vnd.regscope.doctor.signature";
pub const SBOM_TYPE: &str = "application/vnd.regscope.doctor.sbom";

/// What `--write` pushed, for the checks and the clean-up.
#[derive(Debug, Clone)]
pub struct Scratch {
    pub repository: String,
    pub nonce: String,
    /// The tags the image got, in order.
    pub tags: Vec<String>,
    pub blobs: Vec<Descriptor>,
    pub image: Option<Manifest>,
    pub referrers: Vec<Manifest>,
    /// The blob `chunked-upload` pushed, until `blob-delete` deletes it.
    pub chunked: Option<Descriptor>,
    /// The blob `blob-mount` linked into [`Scratch::mount_target`].
    pub mounted: Option<Descriptor>,
}

impl Scratch {
    /// `repository`, or `regscope-doctor/<nonce>`.
    pub fn new(repository: Option<&str>) -> Scratch {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let nonce = format!(
            "{:012x}",
            (nanos ^ u128::from(std::process::id())) & 0xffff_ffff_ffff
        );
        Scratch {
            repository: repository
                .map_or_else(|| format!("regscope-doctor/{nonce}"), str::to_owned),
            tags: ["a", "b", "c"]
                .iter()
                .map(|s| format!("regscope-doctor-{nonce}-{s}"))
                .collect(),
            nonce,
            blobs: Vec::new(),
            image: None,
            referrers: Vec::new(),
            chunked: None,
            mounted: None,
        }
    }

    /// The second repository a blob is mounted into.
    pub fn mount_target(&self) -> String {
        format!("{}-mount", self.repository)
    }

    /// Pushes the image's blobs (the store's own upload) and the image
    /// under its three tags; the evidence of what failed, if anything did.
    pub async fn set_up(&mut self, prober: &Prober<'_>) -> Result<(), Evidence> {
        let store = prober.store;
        let config = format!("{{\"regscope-doctor\":\"{}\"}}", self.nonce);
        let layer = format!("regscope doctor {}\n", self.nonce);
        let blobs = [
            (OCI_EMPTY, Bytes::from_static(EMPTY_JSON)),
            (CONFIG_TYPE, Bytes::from(config)),
            (LAYER_TYPE, Bytes::from(layer)),
        ];
        for (media_type, bytes) in blobs {
            let descriptor = Descriptor::of_bytes(media_type, &bytes);
            let target = format!("/v2/{}/blobs/uploads/", self.repository);
            store
                .push_blob(&self.repository, &descriptor, bytes_stream(bytes))
                .await
                .map_err(|e| Evidence::failed(format!("POST {target}"), e.to_string()))?;
            self.blobs.push(descriptor);
        }
        let image = manifest(&json!({
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "artifactType": IMAGE_TYPE,
            "config": self.blobs[1],
            "layers": [self.blobs[2]],
        }))?;
        for tag in &self.tags {
            let answer = put_manifest(prober, &self.repository, tag, &image).await;
            if !answer
                .as_ref()
                .is_ok_and(|x| (200..300).contains(&x.status))
            {
                return Err(evidence(&answer, &["docker-content-digest"]));
            }
        }
        self.image = Some(image);
        Ok(())
    }

    /// Pushes two referrers of the image as `attach` does (the store
    /// decides whether the fallback index is written), then judges what
    /// the registry showed: `subject-header`, and with the API the
    /// filter, without it the fallback index.
    pub async fn referrer_checks(&mut self, prober: &Prober<'_>) -> Vec<Check> {
        let Some(image) = self.image.clone() else {
            return Vec::new();
        };
        let subject = image.descriptor();
        let mut made = Vec::new();
        for artifact_type in [SIGNATURE_TYPE, SBOM_TYPE] {
            match manifest(&json!({
                "schemaVersion": 2,
                "mediaType": OCI_MANIFEST,
                "artifactType": artifact_type,
                "config": self.blobs[0],
                "layers": [self.blobs[0]],
                "subject": subject,
                "annotations": {"regscope-doctor": self.nonce},
            })) {
                Ok(referrer) => made.push(referrer),
                Err(evidence) => return failed_referrers(&evidence),
            }
        }
        let batch: Vec<(&Manifest, Option<&str>)> = made.iter().map(|m| (m, None)).collect();
        let pushed = prober.store.push_manifests(&self.repository, &batch).await;
        self.referrers = made;
        referrers::judge(prober, self, &image, pushed).await
    }
}

fn failed_referrers(evidence: &Evidence) -> Vec<Check> {
    vec![
        Check::new(
            CheckId::SubjectHeader,
            Status::Fail,
            "could not make the referrers to push",
        )
        .evidence(vec![evidence.clone()]),
    ]
}

/// A manifest from JSON made here.
fn manifest(document: &serde_json::Value) -> Result<Manifest, Evidence> {
    let raw = serde_json::to_vec(document)
        .map_err(|e| Evidence::failed("encode a scratch manifest", e.to_string()))?;
    Manifest::parse(Bytes::from(raw), Some(OCI_MANIFEST))
        .map_err(|e| Evidence::failed("encode a scratch manifest", e.to_string()))
}

/// A raw `PUT` of `manifest` under `reference`.
async fn put_manifest(
    prober: &Prober<'_>,
    repository: &str,
    reference: &str,
    manifest: &Manifest,
) -> super::prober::Answer {
    let probe = Probe::new(
        Method::PUT,
        format!("/v2/{repository}/manifests/{reference}"),
        push(repository),
    )
    .header(CONTENT_TYPE, manifest.media_type.clone())
    .body(manifest.raw().clone());
    prober.send(probe).await
}

/// Every write check, skipped with the reason.
pub fn skipped(why: &str) -> Vec<Check> {
    [
        CheckId::SubjectHeader,
        CheckId::ManifestDelete,
        CheckId::TagDelete,
        CheckId::BlobDelete,
        CheckId::BlobMount,
        CheckId::ChunkedUpload,
    ]
    .into_iter()
    .map(|id| Check::new(id, Status::Skip, why))
    .collect()
}
