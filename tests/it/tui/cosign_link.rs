//! How the tree and the detail pane speak of attachments that do not name
//! their subject: a cosign `.sig` tag is attached by that tag (copy and
//! delete take it), a referrer listed for a subject its manifest does not
//! name is unlinked (copy and delete leave it).

use bytes::Bytes;
use regscope::graph::{Attachments, FoundBy, GraphNode};
use regscope::oci::{Digest, Manifest};
use regscope::store::{ReferrersSource, ReferrersSupport};
use regscope::tui::message::{Effect, Loaded, Msg};
use regscope::tui::tree::NodeId;

use super::app_support::{app, draw, image, job_of};

const SIMPLE_SIGNING: &str = "application/vnd.dev.cosign.simplesigning.v1+json";

/// A manifest of one layer of `layer_type`, distinct by `salt`.
fn manifest(layer_type: &str, salt: char) -> Manifest {
    let raw = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
          "config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{c}","size":2}},
          "layers":[{{"mediaType":"{layer_type}","digest":"sha256:{c}","size":2}}]}}"#,
        c = salt.to_string().repeat(64)
    );
    Manifest::parse(Bytes::from(raw), None).unwrap()
}

fn node(subject: &Digest, manifest: Manifest, found_by: FoundBy, artifact: &str) -> GraphNode {
    // As discovery labels it: the type read from the manifest.
    let mut descriptor = manifest.descriptor();
    descriptor.artifact_type = Some(artifact.to_owned());
    GraphNode {
        descriptor,
        artifact_type: Some(artifact.to_owned()),
        subject: subject.clone(),
        found_by: vec![found_by],
        predicate_type: None,
        verified: false,
        unfetched: None,
        manifest: Some(manifest),
        children: Vec::new(),
        depth_limited: false,
        warnings: Vec::new(),
    }
}

#[test]
fn a_cosign_tag_is_attached_by_its_tag_and_a_stray_referrer_is_unlinked() {
    let mut app = app();
    let effects = app.start_reference("net-monitor", "v1");
    let manifest_job = job_of(&effects, |e| matches!(e, Effect::FetchManifest { .. }));
    let effects = app.update(Msg::Loaded {
        job: manifest_job.clone(),
        result: Ok(Loaded::Manifest(image())),
    });
    let referrers_job = job_of(&effects, |e| matches!(e, Effect::FetchReferrers { .. }));
    let subject = image().digest().clone();
    let tag = format!("{}.sig", subject.fallback_tag());
    let signature = node(
        &subject,
        manifest(SIMPLE_SIGNING, '5'),
        FoundBy::CosignTag(tag),
        SIMPLE_SIGNING,
    );
    let stray = node(
        &subject,
        manifest("application/json", '6'),
        FoundBy::Referrers(ReferrersSource::Api),
        "stray/example",
    );
    let (signature_digest, stray_digest) = (signature.digest().clone(), stray.digest().clone());
    app.update(Msg::Loaded {
        job: referrers_job,
        result: Ok(Loaded::Referrers {
            attachments: Attachments {
                nodes: vec![signature, stray],
                warnings: Vec::new(),
            },
            support: ReferrersSupport::Api,
        }),
    });
    let select = |app: &mut regscope::tui::app::App, group: &str, digest: &Digest| {
        let mut path = manifest_job.node.clone();
        path.push(NodeId::group(group));
        path.push(NodeId::referrer(digest.clone()));
        let tree = &mut app.graph_mut().tree;
        assert!(tree.select(path.clone()) || tree.selected() == &path);
        draw(app, 160, 40).join("\n")
    };
    let row = |screen: &str, marker: &str| -> String {
        screen
            .lines()
            .find(|l| l.contains(marker))
            .unwrap_or_else(|| panic!("no row with {marker}: {screen}"))
            .to_owned()
    };
    let screen = select(&mut app, SIMPLE_SIGNING, &signature_digest);
    assert!(screen.contains("attached by cosign's tag"), "{screen}");
    assert!(!screen.contains("skip it"), "{screen}");
    assert!(
        !row(&screen, "via cosign tag").contains("unlinked"),
        "{screen}"
    );
    let screen = select(&mut app, "stray/example", &stray_digest);
    assert!(
        screen.contains("unlinked: its manifest does not name the subject"),
        "{screen}"
    );
    let stray_row = format!("▼ sha256:{}", stray_digest.short());
    assert!(row(&screen, &stray_row).contains("⚠ unlinked"), "{screen}");
}
