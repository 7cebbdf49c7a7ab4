//! `manifest-head-digest` and `blob-range`, on a manifest the repository
//! has (the reference given, else its first tag): the digest `HEAD`
//! names against the hash of what `GET` serves, and a one-byte `Range`
//! of one of its blobs.

use futures_util::future::join;
use reqwest::Method;
use reqwest::header::RANGE;

use super::prober::{Answer, Prober, evidence, pull};
use super::report::{Check, CheckId, Status};
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::remote::probe::Probe;

/// A manifest found in the repository, for the checks that need one.
#[derive(Debug, Clone)]
pub struct Subject {
    pub manifest: Manifest,
}

impl Subject {
    pub fn digest(&self) -> &Digest {
        self.manifest.digest()
    }
}

fn served_manifest(answer: &Answer) -> Option<Manifest> {
    match answer {
        Ok(x) if (200..300).contains(&x.status) => {
            Manifest::parse(x.body.clone(), x.header("content-type")).ok()
        }
        _ => None,
    }
}

/// HEAD and GET of `reference` at once; the check and the manifest.
pub async fn manifest_head(
    prober: &Prober<'_>,
    repository: &str,
    reference: &str,
) -> (Check, Option<Subject>) {
    let (head, get) = join(
        prober.manifest(Method::HEAD, repository, reference),
        prober.manifest(Method::GET, repository, reference),
    )
    .await;
    let shown = vec![
        evidence(
            &head,
            &["docker-content-digest", "content-type", "content-length"],
        ),
        evidence(&get, &["docker-content-digest", "content-type"]),
    ];
    let Some(manifest) = served_manifest(&get) else {
        let check = Check::new(
            CheckId::ManifestHeadDigest,
            Status::Fail,
            format!("GET of {repository}:{reference} did not serve a manifest"),
        );
        return (check.evidence(shown), None);
    };
    let hashed = manifest.digest().clone();
    let said = head
        .as_ref()
        .ok()
        .filter(|x| (200..300).contains(&x.status))
        .map(|x| x.header("docker-content-digest").map(str::trim));
    let (status, summary) = match said {
        None => (
            Status::Warn,
            "HEAD of a manifest does not answer 200: regscope resolves tags with a GET and hashes what it gets".to_owned(),
        ),
        Some(None) => (
            Status::Warn,
            "HEAD answers without Docker-Content-Digest: regscope resolves tags with a GET and hashes what it gets".to_owned(),
        ),
        Some(Some(said)) if said == hashed.to_string() => (
            Status::Pass,
            format!("HEAD names {hashed}, the hash of what GET serves; regscope resolves tags with HEAD"),
        ),
        Some(Some(said)) => (
            Status::Fail,
            format!(
                "HEAD names {said}, but GET serves bytes that hash to {hashed}: regscope shows only what it hashed and says so"
            ),
        ),
    };
    let subject = Subject { manifest };
    (
        Check::new(CheckId::ManifestHeadDigest, status, summary).evidence(shown),
        Some(subject),
    )
}

/// A blob of `subject` with at least one byte: its config, else a layer,
/// else (an index) one of its first platform manifest's.
pub async fn some_blob(
    prober: &Prober<'_>,
    repository: &str,
    subject: &Subject,
) -> Option<Descriptor> {
    let of = |manifest: &Manifest| {
        manifest
            .config
            .iter()
            .chain(manifest.layers.iter())
            .find(|d| d.size > 0)
            .cloned()
    };
    if let Some(blob) = of(&subject.manifest) {
        return Some(blob);
    }
    let child = subject.manifest.manifests.first()?;
    let answer = prober
        .manifest(Method::GET, repository, &child.digest.to_string())
        .await;
    served_manifest(&answer).and_then(|m| of(&m))
}

pub async fn blob_range(prober: &Prober<'_>, repository: &str, blob: Option<Descriptor>) -> Check {
    let Some(blob) = blob else {
        return Check::new(
            CheckId::BlobRange,
            Status::Skip,
            "no blob to ask for: name a repository with an image, or use --write",
        );
    };
    let target = format!("/v2/{repository}/blobs/{}", blob.digest);
    let past_end = format!("bytes={}-{}", blob.size + 100, blob.size + 200);
    let (first_byte, beyond) = join(
        prober.send(
            Probe::new(Method::GET, target.clone(), pull(repository)).header(RANGE, "bytes=0-0"),
        ),
        prober.send(Probe::new(Method::GET, target, pull(repository)).header(RANGE, past_end)),
    )
    .await;
    let matters = ["content-range", "content-length", "accept-ranges"];
    let mut shown = vec![evidence(&first_byte, &matters), evidence(&beyond, &matters)];
    let expected_range = format!("bytes 0-0/{}", blob.size);
    let mut deviations = Vec::new();
    let mut broken = false;
    match &first_byte {
        Ok(x) if x.status == 206 => {
            if x.header("content-range") != Some(expected_range.as_str()) || x.body_size != 1 {
                broken = true;
                deviations.push(format!(
                    "206 with Content-Range {:?} and {} bytes, not {expected_range:?} and 1 byte",
                    x.header("content-range").unwrap_or("missing"),
                    x.body_size
                ));
            }
        }
        Ok(x) if x.status == 200 => deviations.push(
            "Range is ignored (200 with the whole blob): eStargz and zstd:chunked listings read whole layers".to_owned(),
        ),
        Ok(x) => {
            broken = true;
            deviations.push(format!("a Range request answered {}", x.status));
        }
        Err(_) => {
            broken = true;
            deviations.push("a Range request got no answer".to_owned());
        }
    }
    match &beyond {
        Ok(x) if x.status == 416 => {
            if let Some(why) = &x.body_error {
                deviations.push(format!("the 416 answer's body is broken ({why})"));
            }
        }
        Ok(x) => deviations.push(format!(
            "a range past the end answered {}, not 416",
            x.status
        )),
        Err(_) => deviations.push("a range past the end got no answer".to_owned()),
    }
    let (status, summary) = if deviations.is_empty() {
        (
            Status::Pass,
            "206 with the right Content-Range, 416 past the end: eStargz and zstd:chunked files are read by range".to_owned(),
        )
    } else if broken {
        (Status::Fail, deviations.join("; "))
    } else {
        (Status::Warn, deviations.join("; "))
    };
    shown.dedup();
    Check::new(CheckId::BlobRange, status, summary).evidence(shown)
}
