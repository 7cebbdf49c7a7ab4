//! Reading the seeds' graph (pushed by the ORAS CLI) through the store on
//! every kind of registry: paged tags, catalog, resolve, manifests, blobs,
//! referrers with and without a filter, compared with what `oras discover`
//! and the registry itself report.

use std::collections::BTreeMap;

use regscope::oci::media_type as mt;
use regscope::store::{ReferrersSource, ReferrersSupport, Store, StoreError};
use serde_json::Value;

use super::{digest, digests, read_blob, set, store, tag_pages};
use crate::support::fixture::{IMAGE_REPO, MANY_TAGS, MANY_TAGS_REPO, MULTI_REPO, SBOM_TYPE};
use crate::support::{FaultProxy, Fixture, Oras, Registry, RegistryKind, http_get, media};

const PAGE: u32 = 100;

async fn check_listings(reg: &Registry, fx: &Fixture) {
    let store = store(reg.host()).with_page_size(PAGE);
    let pages = tag_pages(&store, MANY_TAGS_REPO).await;
    let all: Vec<String> = pages.concat();
    assert_eq!(all.len(), MANY_TAGS, "no tag twice, none missing");
    assert_eq!(
        all.iter()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>(),
        fx.many_tags.iter().cloned().collect()
    );
    if reg.kind() == RegistryKind::Distribution && pages.len() == 1 {
        // distribution 2.8 ignores `n` for tags: one page with everything.
        assert_eq!(pages[0].len(), MANY_TAGS);
    } else {
        assert!(pages.len() >= 3, "{}: {} pages", reg.kind(), pages.len());
        assert!(
            pages.iter().all(|p| p.len() <= PAGE as usize),
            "{}",
            reg.kind()
        );
    }

    let mut repositories = Vec::new();
    let catalog = store.catalog(&mut |page| repositories.extend(page)).await;
    if reg.kind().has_catalog() {
        catalog.expect("catalog");
        for repo in [IMAGE_REPO, MULTI_REPO, MANY_TAGS_REPO] {
            assert!(
                repositories.iter().any(|r| r == repo),
                "{repo} in {repositories:?}"
            );
        }
        // One repository per page: the catalog pages too.
        let mut pages = Vec::new();
        super::store(reg.host())
            .with_page_size(1)
            .catalog(&mut |page| pages.push(page))
            .await
            .expect("paged catalog");
        // ggcr honours `n` but not `last` in its catalog: after one page the
        // store asks for the rest at once.
        let least = if reg.kind() == RegistryKind::Ggcr {
            2
        } else {
            3
        };
        assert!(pages.len() >= least, "{}: {pages:?}", reg.kind());
        assert_eq!(pages.concat().len(), repositories.len());
    } else {
        let error = catalog.expect_err("no catalog here");
        assert!(
            matches!(error, StoreError::CatalogUnavailable { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains("name a repository"), "{error}");
    }
}

async fn check_content(reg: &Registry, fx: &Fixture) {
    let store = store(reg.host());
    let by_tag = store.resolve(IMAGE_REPO, "v1").await.expect("resolve tag");
    assert_eq!(by_tag.digest, digest(&fx.image));
    assert_eq!(by_tag.media_type, mt::OCI_MANIFEST);
    let by_digest = store
        .resolve(IMAGE_REPO, &fx.image)
        .await
        .expect("resolve digest");
    assert_eq!(by_digest, by_tag);

    let image = store
        .fetch_manifest(IMAGE_REPO, "v1")
        .await
        .expect("fetch by tag");
    assert_eq!(image.digest(), &by_tag.digest);
    assert_eq!(image.size(), by_tag.size);
    assert_eq!(
        image.config.as_ref().map(|c| c.digest.to_string()),
        Some(fx.image_config.clone())
    );
    let layer = image.layers[0].clone();
    assert_eq!(layer.digest, digest(&fx.image_layer));
    assert_eq!(
        read_blob(&store, IMAGE_REPO, &layer).await,
        fx.image_layer_bytes
    );
    assert!(store.blob_exists(IMAGE_REPO, &layer).await.expect("exists"));
    let mut absent = layer.clone();
    absent.digest = regscope::oci::Digest::sha256_of(b"never pushed");
    assert!(
        !store
            .blob_exists(IMAGE_REPO, &absent)
            .await
            .expect("exists")
    );
    let missing = store.fetch_manifest(IMAGE_REPO, "no-such-tag").await;
    assert!(
        matches!(missing, Err(StoreError::NotFound { .. })),
        "{missing:?}"
    );

    let index = store
        .fetch_manifest(MULTI_REPO, &fx.multi_index)
        .await
        .expect("index by digest");
    assert!(index.is_index());
    assert_eq!(
        digests(&index.manifests),
        set(&[&fx.multi_amd64, &fx.multi_arm64])
    );
}

/// `oras discover`'s view of the image's referrers: digest → descriptor.
fn discovered(reg: &Registry, fx: &Fixture) -> BTreeMap<String, Value> {
    let tree = Oras::for_registry(reg).json(&["discover", "--format", "json", &fx.image_ref()]);
    tree["referrers"]
        .as_array()
        .expect("referrers")
        .iter()
        .map(|r| (r["digest"].as_str().expect("digest").to_owned(), r.clone()))
        .collect()
}

async fn check_referrers(reg: &Registry, fx: &Fixture) {
    let store = store(reg.host());
    assert_eq!(store.referrers_support(), ReferrersSupport::NotYetKnown);
    let image = digest(&fx.image);
    let referrers = store
        .referrers(IMAGE_REPO, &image, None)
        .await
        .expect("referrers");
    assert_eq!(
        digests(&referrers.descriptors),
        set(&[&fx.signature, &fx.sbom, &fx.readme])
    );
    let (source, support) = if reg.has_referrers_api() {
        (ReferrersSource::Api, ReferrersSupport::Api)
    } else {
        (ReferrersSource::FallbackTag, ReferrersSupport::FallbackTag)
    };
    assert_eq!(referrers.source, source);
    assert_eq!(store.referrers_support(), support);
    assert!(referrers.warnings.is_empty(), "{:?}", referrers.warnings);

    let sbom = store
        .referrers(IMAGE_REPO, &digest(&fx.sbom), None)
        .await
        .expect("depth 2");
    assert_eq!(digests(&sbom.descriptors), set(&[&fx.sbom_signature]));

    if reg.kind() == RegistryKind::Ggcr {
        // ggcr labels referrers by their config's media type and drops
        // annotations: the store hands on what the registry says.
        let raw = http_get(
            reg.host(),
            &format!("/v2/{IMAGE_REPO}/referrers/{}", fx.image),
            &[("Accept", media::OCI_INDEX)],
        )
        .json();
        for entry in raw["manifests"].as_array().expect("manifests") {
            let ours = referrers
                .descriptors
                .iter()
                .find(|d| d.digest.to_string() == entry["digest"])
                .expect("same entries");
            assert_eq!(
                ours.artifact_type.as_deref(),
                entry["artifactType"].as_str()
            );
            assert_eq!(
                ours.annotations.is_empty(),
                entry.get("annotations").is_none()
            );
        }
        let real = store
            .fetch_manifest(IMAGE_REPO, &fx.sbom)
            .await
            .expect("sbom manifest");
        assert_eq!(real.effective_artifact_type(), Some(SBOM_TYPE));
        return;
    }
    let filtered = store
        .referrers(IMAGE_REPO, &image, Some(SBOM_TYPE))
        .await
        .expect("filtered");
    assert_eq!(digests(&filtered.descriptors), set(&[&fx.sbom]));
    let none = store
        .referrers(IMAGE_REPO, &image, Some("application/x-nothing"))
        .await
        .expect("filtered");
    assert!(none.descriptors.is_empty());

    if reg.kind() == RegistryKind::OlaregFallback {
        // oras gives up on this registry's 405 from the referrers endpoint.
        return;
    }
    // Same descriptors as the ORAS CLI reads.
    let oras = discovered(reg, fx);
    assert_eq!(oras.len(), referrers.descriptors.len());
    for ours in &referrers.descriptors {
        let theirs = &oras[&ours.digest.to_string()];
        assert_eq!(theirs["mediaType"], ours.media_type.as_str());
        assert_eq!(theirs["size"], ours.size);
        assert_eq!(
            theirs["artifactType"].as_str(),
            ours.artifact_type.as_deref()
        );
        let their_annotations: BTreeMap<String, String> =
            serde_json::from_value(theirs.get("annotations").cloned().unwrap_or(Value::Null))
                .unwrap_or_default();
        assert_eq!(their_annotations, ours.annotations, "{theirs:#}");
    }
}

async fn check_all(reg: Registry) {
    let fx = Fixture::seed(&reg);
    check_listings(&reg, &fx).await;
    check_content(&reg, &fx).await;
    check_referrers(&reg, &fx).await;
}

#[tokio::test]
async fn remote_reads_the_seeded_graph_on_distribution() {
    check_all(Registry::distribution()).await;
}

#[tokio::test]
async fn remote_reads_the_seeded_graph_on_olareg() {
    check_all(Registry::olareg()).await;
}

#[tokio::test]
async fn remote_reads_the_seeded_graph_on_olareg_without_the_api() {
    check_all(Registry::olareg_fallback()).await;
}

#[tokio::test]
async fn remote_reads_the_seeded_graph_on_ggcr() {
    check_all(Registry::ggcr()).await;
}

/// Without a page size the registry picks its own (its cheapest): no `n`
/// goes out, and `Link` leads to the rest.
#[test]
fn tag_lists_let_the_registry_choose_the_page_size() {
    let reg = Registry::olareg();
    let _fx = Fixture::seed(&reg);
    let proxy = FaultProxy::start(reg.host());
    let all = super::run(async {
        tag_pages(&store(&proxy.host()), MANY_TAGS_REPO)
            .await
            .concat()
    });
    assert_eq!(all.len(), MANY_TAGS);
    let asked: Vec<String> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/tags/list"))
        .map(|r| r.path)
        .collect();
    assert!(
        !asked.is_empty() && asked.iter().all(|p| !p.contains("n=")),
        "{asked:?}"
    );
}
