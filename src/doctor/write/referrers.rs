//! What pushing two referrers showed: whether `OCI-Subject` came back
//! where the API answers (`subject-header`), and then the listing itself:
//! the API's filter on real referrers, or the fallback index as regscope
//! wrote it.

use reqwest::Method;

use super::super::prober::{Answer, Prober, evidence};
use super::super::referrers::judge_fallback_tag;
use super::super::report::{Check, CheckId, Evidence, Status};
use super::{SIGNATURE_TYPE, Scratch};
use crate::oci::{Digest, Manifest};
use crate::store::remote::capabilities::{ReferrersMode, SubjectHeaderSeen};
use crate::store::{PushedManifest, StoreError};

pub async fn judge(
    prober: &Prober<'_>,
    scratch: &Scratch,
    image: &Manifest,
    pushed: Result<Vec<PushedManifest>, StoreError>,
) -> Vec<Check> {
    let capabilities = prober.store.capabilities();
    let mode = capabilities.referrers_mode();
    let seen = capabilities.findings_now().subject_header;
    let mut checks = vec![subject_header(mode, seen.as_ref(), pushed.as_ref().err())];
    let listing = match (&pushed, mode) {
        (Err(error), _) => Check::new(
            CheckId::FallbackTags,
            Status::Fail,
            format!("pushing referrers of the scratch image failed: {error}"),
        ),
        (Ok(_), ReferrersMode::Api) => filter(prober, scratch, image).await,
        (Ok(_), _) => fallback_index(prober, scratch, image).await,
    };
    checks.push(listing);
    checks
}

fn subject_header(
    mode: ReferrersMode,
    seen: Option<&SubjectHeaderSeen>,
    error: Option<&StoreError>,
) -> Check {
    let Some(seen) = seen else {
        let why = error.map_or_else(|| "no referrer was pushed".to_owned(), ToString::to_string);
        return Check::new(CheckId::SubjectHeader, Status::Fail, why);
    };
    let shown = vec![Evidence {
        request: seen.push.request.clone(),
        status: Some(seen.push.status),
        headers: Default::default(),
        body_size: None,
        note: Some(if seen.header {
            "OCI-Subject came back".to_owned()
        } else {
            "no OCI-Subject in the answer".to_owned()
        }),
    }];
    let api = mode == ReferrersMode::Api;
    let (status, summary) = match (seen.header, api) {
        (true, true) => (
            Status::Pass,
            "OCI-Subject came back and the referrers API answers: the registry indexes referrers, and regscope leaves it to it",
        ),
        (true, false) => (
            Status::Fail,
            "OCI-Subject came back, but the referrers API does not answer (as Docker Hub did): tools that trust the header (oras, regctl) write no fallback index and their referrers are lost here; regscope wrote the fallback index",
        ),
        (false, true) => (
            Status::Warn,
            "no OCI-Subject although the referrers API answers: tools that decide on the header write a fallback index as well; regscope asked the API",
        ),
        (false, false) => (
            Status::Pass,
            "no OCI-Subject and no referrers API, consistently: regscope writes the fallback index",
        ),
    };
    Check::new(CheckId::SubjectHeader, status, summary).evidence(shown)
}

/// The digests an answer lists, if it is an index.
fn listed(answer: &Answer) -> Option<Vec<Digest>> {
    match answer {
        Ok(x) if x.status == 200 => {
            Manifest::parse(x.body.clone(), Some(crate::oci::media_type::OCI_INDEX))
                .ok()
                .filter(Manifest::is_index)
                .map(|index| index.manifests.into_iter().map(|d| d.digest).collect())
        }
        _ => None,
    }
}

/// `?artifactType=` on the image's two referrers of different types.
async fn filter(prober: &Prober<'_>, scratch: &Scratch, image: &Manifest) -> Check {
    let answer = prober
        .referrers(&scratch.repository, image.digest(), Some(SIGNATURE_TYPE))
        .await;
    let shown = vec![evidence(&answer, &["oci-filters-applied", "content-type"])];
    let (Some(wanted), Some(other)) = (scratch.referrers.first(), scratch.referrers.get(1)) else {
        return Check::new(
            CheckId::ReferrersFilter,
            Status::Fail,
            "no referrers were made",
        );
    };
    let Some(digests) = listed(&answer) else {
        return Check::new(
            CheckId::ReferrersFilter,
            Status::Fail,
            "a filtered listing of the scratch image's referrers is not an index",
        )
        .evidence(shown);
    };
    let claims = answer.as_ref().is_ok_and(|x| {
        x.headers_named("oci-filters-applied")
            .any(|v| v.split(',').any(|f| f.trim() == "artifactType"))
    });
    let has = |m: &Manifest| digests.contains(m.digest());
    let (status, summary) = match (has(wanted), has(other), claims) {
        (false, _, _) => (
            Status::Fail,
            "the referrers API does not list a referrer just pushed",
        ),
        (true, false, true) => (
            Status::Pass,
            "filtered by artifactType, and OCI-Filters-Applied says so",
        ),
        (true, false, false) => (
            Status::Warn,
            "filtered by artifactType without saying so in OCI-Filters-Applied: regscope filters again itself",
        ),
        (true, true, true) => (
            Status::Fail,
            "OCI-Filters-Applied says artifactType, but the listing has other types: regscope checks each referrer's type in its manifest",
        ),
        (true, true, false) => (
            Status::Warn,
            "not filtered by the registry (the spec allows it): regscope filters the listing itself",
        ),
    };
    Check::new(CheckId::ReferrersFilter, status, summary).evidence(shown)
}

/// The fallback index regscope wrote for the image, read back.
async fn fallback_index(prober: &Prober<'_>, scratch: &Scratch, image: &Manifest) -> Check {
    let tag = image.digest().fallback_tag();
    let answer = prober
        .manifest(Method::GET, &scratch.repository, &tag)
        .await;
    let shown = vec![evidence(
        &answer,
        &["docker-content-digest", "content-type"],
    )];
    let (mut status, mut summary) = judge_fallback_tag(image.digest(), &tag, &answer);
    if status == Status::Pass {
        let digests = listed(&answer).unwrap_or_default();
        let all = scratch
            .referrers
            .iter()
            .all(|r| digests.contains(r.digest()));
        if all {
            summary = format!(
                "regscope wrote {tag} listing both referrers, and it reads back as written"
            );
        } else {
            status = Status::Fail;
            summary = format!("{tag} does not list the referrers regscope wrote into it");
        }
    }
    Check::new(CheckId::FallbackTags, status, summary).evidence(shown)
}
