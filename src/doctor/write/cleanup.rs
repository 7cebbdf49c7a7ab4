//! The delete checks (`manifest-delete`, `tag-delete`, `blob-delete`) on
//! what `--write` pushed, then deleting the rest of it again, naming what
//! the registry would not let go.

use reqwest::Method;

use super::super::prober::{Prober, evidence};
use super::super::report::{Check, CheckId, Evidence, Status};
use super::Scratch;
use crate::oci::Digest;
use crate::store::remote::auth::Scope;
use crate::store::remote::probe::{Exchange, Probe};

fn delete(repository: &str, what: &str, reference: &str) -> Probe {
    Probe::new(
        Method::DELETE,
        format!("/v2/{repository}/{what}/{reference}"),
        vec![Scope::Delete(repository.to_owned())],
    )
}

fn deleted(answer: &Result<Exchange, Evidence>) -> bool {
    answer
        .as_ref()
        .is_ok_and(|x| (200..300).contains(&x.status))
}

/// Why a delete was refused, in words.
fn refusal(answer: &Result<Exchange, Evidence>) -> String {
    match answer {
        Ok(x) if x.status == 405 || String::from_utf8_lossy(&x.body).contains("UNSUPPORTED") => {
            format!("deletes are turned off here ({})", x.status)
        }
        Ok(x) => format!("the registry answered {}", x.status),
        Err(_) => "no answer".to_owned(),
    }
}

/// Deletes one referrer by digest, one tag, and the chunked blob.
pub async fn delete_checks(prober: &Prober<'_>, scratch: &mut Scratch) -> Vec<Check> {
    let repository = scratch.repository.clone();
    let mut checks = Vec::new();
    checks.push(match scratch.referrers.pop() {
        Some(referrer) => {
            let answer = prober
                .send(delete(&repository, "manifests", &referrer.digest().to_string()))
                .await;
            let shown = vec![evidence(&answer, &[])];
            let check = if deleted(&answer) {
                Check::new(
                    CheckId::ManifestDelete,
                    Status::Pass,
                    "a manifest deleted by digest: `rm` works, and regscope deletes the fallback indexes it replaces",
                )
            } else {
                scratch.referrers.push(referrer);
                Check::new(
                    CheckId::ManifestDelete,
                    Status::Fail,
                    format!(
                        "{}: `rm` cannot delete here, and replaced fallback indexes stay behind",
                        refusal(&answer)
                    ),
                )
            };
            check.evidence(shown)
        }
        None => Check::new(CheckId::ManifestDelete, Status::Skip, "no referrer was pushed to delete"),
    });
    checks.push(match scratch.tags.last().cloned() {
        Some(tag) if scratch.image.is_some() => {
            let answer = prober.send(delete(&repository, "manifests", &tag)).await;
            let shown = vec![evidence(&answer, &[])];
            if deleted(&answer) {
                scratch.tags.pop();
                Check::new(CheckId::TagDelete, Status::Pass, "a tag deleted on its own")
            } else {
                Check::new(
                    CheckId::TagDelete,
                    Status::Fail,
                    format!(
                        "{}: a tag cannot be deleted on its own; regscope deletes manifests by digest, which takes their tags along",
                        refusal(&answer)
                    ),
                )
            }
            .evidence(shown)
        }
        _ => Check::new(CheckId::TagDelete, Status::Skip, "no tag was pushed to delete"),
    });
    // The blob uploaded in chunks, else (that upload failed) the image's layer.
    let blob = scratch
        .chunked
        .clone()
        .or_else(|| scratch.blobs.get(2).cloned());
    checks.push(match blob {
        Some(blob) => {
            let answer = prober
                .send(delete(&repository, "blobs", &blob.digest.to_string()))
                .await;
            let shown = vec![evidence(&answer, &[])];
            if deleted(&answer) {
                if scratch.chunked.take().is_none() {
                    scratch.blobs.retain(|b| b.digest != blob.digest);
                }
                Check::new(CheckId::BlobDelete, Status::Pass, "a blob deleted by digest")
            } else {
                Check::new(
                    CheckId::BlobDelete,
                    Status::Fail,
                    format!(
                        "{}: blobs stay until the registry collects them (regscope never deletes blobs itself)",
                        refusal(&answer)
                    ),
                )
            }
            .evidence(shown)
        }
        None => Check::new(CheckId::BlobDelete, Status::Skip, "no blob was pushed to delete"),
    });
    checks
}

/// Deletes everything `--write` left; returns what stayed.
pub async fn clean_up(prober: &Prober<'_>, scratch: &Scratch) -> Vec<String> {
    let repository = &scratch.repository;
    let mut stayed = Vec::new();
    let mut manifests: Vec<(Digest, String)> = scratch
        .referrers
        .iter()
        .map(|r| (r.digest().clone(), "a referrer".to_owned()))
        .collect();
    if let Some(image) = &scratch.image {
        if let Some(index) = fallback_index(prober, scratch, image.digest()).await {
            manifests.push((
                index,
                format!("the fallback index {}", image.digest().fallback_tag()),
            ));
        }
        let tags = scratch.tags.join(", ");
        manifests.push((image.digest().clone(), format!("the image, tagged {tags}")));
    }
    for (digest, what) in manifests {
        let answer = prober
            .send(delete(repository, "manifests", &digest.to_string()))
            .await;
        if !deleted(&answer) {
            stayed.push(format!("{repository}@{digest} ({what})"));
        }
    }
    let blobs = scratch
        .blobs
        .iter()
        .chain(scratch.chunked.iter())
        .map(|b| (repository.clone(), b))
        .chain(scratch.mounted.iter().map(|b| (scratch.mount_target(), b)));
    for (repository, blob) in blobs {
        let answer = prober
            .send(delete(&repository, "blobs", &blob.digest.to_string()))
            .await;
        if !deleted(&answer) {
            stayed.push(format!("blob {} in {repository}", blob.digest));
        }
    }
    stayed
}

/// The digest of the image's fallback index, if one was written (and it
/// is not the image itself, as a registry reading the tag as a digest
/// would serve).
async fn fallback_index(prober: &Prober<'_>, scratch: &Scratch, image: &Digest) -> Option<Digest> {
    let answer = prober
        .manifest(Method::GET, &scratch.repository, &image.fallback_tag())
        .await
        .ok()?;
    if answer.status != 200 || image.matches(&answer.body) {
        return None;
    }
    Some(Digest::sha256_of(&answer.body))
}
