//! The tag-schema fallback on registries without the referrers API: the
//! index follows pushes and deletes, concurrent writers all land, other
//! clients' entries are kept verbatim, and a fallback tag that is not an
//! index of referrers is refused.

use regscope::oci::Descriptor;
use regscope::store::remote::RemoteStore;
use regscope::store::{ReferrersSource, Store, StoreError};
use serde_json::Value;

use super::{
    annotations, digests, push_blob, push_image, push_referrer, push_signature, set, store,
    subject_of,
};
use crate::support::{Oras, Registry, fallback_tag, http_get, media};

const REPO: &str = "app";

/// The fallback index as the registry holds it (status, JSON).
pub(super) fn raw_fallback(host: &str, subject: &Descriptor) -> (u16, Value) {
    let reply = http_get(
        host,
        &format!(
            "/v2/{REPO}/manifests/{}",
            fallback_tag(&subject.digest.to_string())
        ),
        &[("Accept", media::ACCEPT_ALL)],
    );
    let body = if reply.status == 200 {
        reply.json()
    } else {
        Value::Null
    };
    (reply.status, body)
}

/// Whether the fallback index lists `referrer`.
pub(super) fn listed(index: &Value, referrer: &regscope::oci::Manifest) -> bool {
    entry(index, &referrer.digest().to_string()).is_some()
}

fn entry<'a>(index: &'a Value, digest: &str) -> Option<&'a Value> {
    index["manifests"]
        .as_array()?
        .iter()
        .find(|e| e["digest"] == digest)
}

async fn fallback_follows_push_and_delete(reg: Registry) {
    let store = store(reg.host());
    let image = push_image(&store, REPO, "v1", "fallback").await;
    let subject = subject_of(&image);
    let (signature, pushed) = push_signature(&store, REPO, &subject, "{\"sig\":1}").await;
    assert_eq!(
        pushed.referrer_indexed_by,
        Some(ReferrersSource::FallbackTag),
        "{}",
        reg.kind()
    );
    assert_eq!(pushed.descriptor.digest, *signature.digest());
    let created = annotations(&[("org.opencontainers.image.created", "2024-01-01T00:00:00Z")]);
    let (sbom, _) = push_referrer(
        &store,
        REPO,
        &subject,
        "sbom/example",
        ("sbom.json", b"{\"sbom\":1}"),
        created,
    )
    .await;

    let (status, index) = raw_fallback(reg.host(), &subject);
    assert_eq!(status, 200);
    assert_eq!(index["mediaType"], media::OCI_INDEX);
    let sbom_entry = entry(&index, &sbom.digest().to_string()).expect("sbom in the index");
    assert_eq!(sbom_entry["artifactType"], "sbom/example");
    assert_eq!(sbom_entry["size"], sbom.size());
    assert_eq!(
        sbom_entry["annotations"]["org.opencontainers.image.created"],
        "2024-01-01T00:00:00Z"
    );
    assert!(
        entry(&index, &signature.digest().to_string()).is_some(),
        "{index:#}"
    );

    let listed = store
        .referrers(REPO, &subject.digest, None)
        .await
        .expect("referrers");
    assert_eq!(listed.source, ReferrersSource::FallbackTag);
    assert_eq!(listed.descriptors.len(), 2);
    let only_sbom = store
        .referrers(REPO, &subject.digest, Some("sbom/example"))
        .await
        .expect("filtered");
    assert_eq!(
        digests(&only_sbom.descriptors),
        set(&[&sbom.digest().to_string()])
    );

    // Pushing the same referrer again changes nothing.
    store
        .push_manifest(REPO, &sbom, None)
        .await
        .expect("push again");
    let (_, again) = raw_fallback(reg.host(), &subject);
    assert_eq!(
        again["manifests"].as_array().map(Vec::len),
        Some(2),
        "{again:#}"
    );

    store
        .delete_manifest(REPO, signature.digest())
        .await
        .expect("delete signature");
    let (_, index) = raw_fallback(reg.host(), &subject);
    assert!(
        entry(&index, &signature.digest().to_string()).is_none(),
        "{index:#}"
    );
    assert!(
        entry(&index, &sbom.digest().to_string()).is_some(),
        "{index:#}"
    );

    store
        .delete_manifest(REPO, sbom.digest())
        .await
        .expect("delete sbom");
    let (status, index) = raw_fallback(reg.host(), &subject);
    assert!(
        status == 404 || index["manifests"].as_array().is_some_and(Vec::is_empty),
        "{status} {index:#}"
    );
    let listed = store
        .referrers(REPO, &subject.digest, None)
        .await
        .expect("referrers");
    assert!(listed.descriptors.is_empty());
    let gone = store.fetch_manifest(REPO, &sbom.digest().to_string()).await;
    assert!(matches!(gone, Err(StoreError::NotFound { .. })), "{gone:?}");
}

#[tokio::test]
async fn remote_fallback_index_follows_push_and_delete_on_distribution() {
    fallback_follows_push_and_delete(Registry::distribution()).await;
}

#[tokio::test]
async fn remote_fallback_index_follows_push_and_delete_on_olareg_without_the_api() {
    fallback_follows_push_and_delete(Registry::olareg_fallback()).await;
}

#[tokio::test]
async fn remote_concurrent_referrers_of_one_subject_all_land_in_the_fallback_index() {
    let reg = Registry::distribution();
    let setup = store(reg.host());
    let image = push_image(&setup, REPO, "v1", "race").await;
    let subject = subject_of(&image);
    // Separate stores: no shared in-process lock, as two processes would be.
    let (one, two) = (store(reg.host()), store(reg.host()));
    let mut expected = Vec::new();
    for round in 0..3 {
        let a = format!("{{\"writer\":\"one\",\"round\":{round}}}");
        let b = format!("{{\"writer\":\"two\",\"round\":{round}}}");
        let ((first, _), (second, _)) = tokio::join!(
            push_signature(&one, REPO, &subject, &a),
            push_signature(&two, REPO, &subject, &b),
        );
        expected.push(first.digest().to_string());
        expected.push(second.digest().to_string());
        let (_, index) = raw_fallback(reg.host(), &subject);
        for digest in &expected {
            assert!(
                entry(&index, digest).is_some(),
                "round {round}: {digest} lost: {index:#}"
            );
        }
    }
}

#[tokio::test]
async fn remote_fallback_tags_that_are_not_referrer_indexes_are_refused() {
    let reg = Registry::distribution();
    let store = store(reg.host());
    let image = push_image(&store, REPO, "v1", "subject").await;
    let subject = subject_of(&image);
    let tag = subject.digest.fallback_tag();
    push_blob(&store, REPO, media::OCI_EMPTY, b"{}").await;

    // What GitLab does: the fallback tag resolves to the subject itself.
    store
        .push_manifest(REPO, &image, Some(&tag))
        .await
        .expect("tag the subject");
    refuses_the_fallback_tag(&store, &subject, "subject itself", "subject itself").await;

    // A fallback tag holding an image, not an index.
    let other = push_image(&store, REPO, &tag, "not an index").await;
    refuses_the_fallback_tag(&store, &subject, "not an index", "not an image index").await;
    let still = store.resolve(REPO, &tag).await.expect("tag kept");
    assert_eq!(still.digest, *other.digest(), "the tag was not overwritten");
}

/// Reading the subject's referrers finds none and warns (`read_warning`);
/// attaching to it is refused (`write_error`), leaving the tag alone.
async fn refuses_the_fallback_tag(
    store: &RemoteStore,
    subject: &Descriptor,
    read_warning: &str,
    write_error: &str,
) {
    let read = store
        .referrers(REPO, &subject.digest, None)
        .await
        .expect("referrers");
    assert!(read.descriptors.is_empty());
    assert!(
        read.warnings.iter().any(|w| w.contains(read_warning)),
        "{:?}",
        read.warnings
    );
    let refused = store.push_manifest(REPO, &referrer_of(subject), None).await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(m)) if m.contains(write_error)),
        "{refused:?}"
    );
}

/// A referrer made of the empty blob `{}` only.
fn referrer_of(subject: &Descriptor) -> regscope::oci::Manifest {
    let empty = Descriptor::of_bytes(regscope::oci::media_type::OCI_EMPTY, b"{}");
    super::manifest(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": media::OCI_MANIFEST,
        "artifactType": "signature/example",
        "config": empty,
        "layers": [empty],
        "subject": subject,
    }))
}

#[tokio::test]
async fn remote_keeps_entries_other_clients_wrote_in_the_fallback_index() {
    let reg = Registry::distribution();
    let store = store(reg.host());
    let image = push_image(&store, REPO, "v1", "shared").await;
    let subject = subject_of(&image);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("theirs.txt"), "attached by oras\n").expect("write");
    let oras = Oras::for_registry(&reg);
    let subject_ref = reg.reference(&format!("{REPO}@{}", subject.digest));
    oras.run_in(
        dir.path(),
        &[
            "attach",
            "--artifact-type",
            "doc/example",
            "--annotation",
            "by=oras",
            &subject_ref,
            "theirs.txt",
        ],
    );
    let (_, before) = raw_fallback(reg.host(), &subject);
    let theirs = before["manifests"][0].clone();
    assert_eq!(theirs["annotations"]["by"], "oras", "{before:#}");

    let (ours, pushed) = push_referrer(
        &store,
        REPO,
        &subject,
        "sbom/example",
        ("sbom.json", b"{}"),
        annotations(&[]),
    )
    .await;
    assert_eq!(
        pushed.referrer_indexed_by,
        Some(ReferrersSource::FallbackTag)
    );
    let (_, after) = raw_fallback(reg.host(), &subject);
    let digest = theirs["digest"].as_str().expect("digest");
    assert_eq!(
        entry(&after, digest),
        Some(&theirs),
        "oras's entry kept as it was"
    );
    assert!(entry(&after, &ours.digest().to_string()).is_some());
    let discovered = oras.json(&["discover", "--format", "json", &subject_ref]);
    assert_eq!(
        discovered["referrers"].as_array().map(Vec::len),
        Some(2),
        "{discovered:#}"
    );
}
