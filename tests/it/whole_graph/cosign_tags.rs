//! cosign's legacy tags travel with the graph: found by `pull --sbom`,
//! copied by `cp -r` so cosign still verifies the copy, removed by `rm
//! --with-referrers`.

use super::{DSSE, Ground, data, json_file, written};
use crate::cli::regscope_output;
use crate::support::regctl::tree_digest_tags;
use crate::support::{CosignMode, Registry, fallback_tag};

/// cosign's legacy tags: the image signed, attested with a CycloneDX SBOM,
/// given an SPDX SBOM with `cosign attach sbom`, and that SBOM signed.
/// `pull --sbom` finds them, `cp -r` takes every tag along so cosign still
/// verifies the copy, `rm --with-referrers` leaves no tag and no manifest.
fn cosign_tags_travel_with_the_graph(registry: Registry) {
    let ground = Ground::new(registry);
    let (digest, sbom_tag, sbom_digest) = legacy_graph(&ground);
    let source = ground.registry.reference("app:amd64");
    pull_finds_every_sbom(&ground, &source, &sbom_tag);
    copy_then_delete_the_copy(&ground, &source, &digest, &sbom_tag, &sbom_digest);
}

/// `app:amd64` signed, attested, given an SBOM with `cosign attach sbom`
/// and that SBOM signed, all in cosign's legacy tags; its digest, the SBOM's
/// tag and the SBOM's digest.
fn legacy_graph(ground: &Ground) -> (String, String, String) {
    let digest = ground.image("app", "amd64");
    let image = ground.registry.reference(&format!("app@{digest}"));
    let mode = CosignMode::LegacyTags;
    ground.cosign.sign(&image, mode);
    ground
        .cosign
        .attest(&image, mode, "cyclonedx", &data("cyclonedx.json"));
    ground
        .cosign
        .attach_sbom(&image, mode, &data("spdx.json"), "spdx");
    let sbom_tag = format!("{}.sbom", fallback_tag(&digest));
    let sbom_digest = ground
        .oras
        .run(&[
            "resolve",
            &ground.registry.reference(&format!("app:{sbom_tag}")),
        ])
        .trim()
        .to_owned();
    let sbom_ref = ground.registry.reference(&format!("app@{sbom_digest}"));
    ground.cosign.sign(&sbom_ref, mode);
    (digest, sbom_tag, sbom_digest)
}

/// `pull --sbom` takes cosign's attached SBOM, `--all` every SBOM (the
/// attested one out of its envelope), `--raw` the envelope as stored.
fn pull_finds_every_sbom(ground: &Ground, source: &str, sbom_tag: &str) {
    // The SBOM cosign attached, byte for byte; it ranks before the
    // attestation (see ops::pull::select).
    let (out, stderr) = ground.pull("sbom", &[source, "--sbom"]);
    assert_eq!(written(&out), ["sbom.spdx.json"], "{stderr}");
    assert_eq!(
        std::fs::read(out.join("sbom.spdx.json")).unwrap(),
        std::fs::read(data("spdx.json")).unwrap()
    );
    assert!(
        stderr.contains("cosign SBOM") && stderr.contains(sbom_tag),
        "{stderr}"
    );

    // Every SBOM: the attested one comes out of its envelope.
    let (out, stderr) = ground.pull("all", &[source, "--sbom", "--all"]);
    assert_eq!(
        written(&out),
        ["sbom.cdx.json", "sbom.spdx.json"],
        "{stderr}"
    );
    assert_eq!(
        json_file(&out.join("sbom.cdx.json")),
        json_file(&data("cyclonedx.json"))
    );
    // `--raw` keeps the envelope as it is stored.
    let (raw, stderr) = ground.pull("raw", &[source, "--sbom", "--all", "--raw"]);
    let files = written(&raw);
    assert_eq!(files.len(), 2, "{stderr}");
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("attestation-") && f.ends_with(".dsse.json")),
        "{files:?}"
    );
    // cosign's `.att` layer has no file name: skipped as oras skips it,
    // with the command that writes it.
    let (skipped, stderr) = ground.pull("dsse", &[source, "--artifact-type", DSSE]);
    assert!(written(&skipped).is_empty(), "{stderr}");
    let advice = stderr
        .lines()
        .find(|l| l.contains("without a file name"))
        .unwrap_or_else(|| panic!("no word of the skipped layer: {stderr}"));
    let layer_ref = advice
        .split('`')
        .nth(1)
        .and_then(|command| command.split_whitespace().nth(2))
        .unwrap_or_else(|| panic!("no command in {advice}"))
        .to_owned();
    let (envelope, stderr) = ground.pull("dsse-layer", &[&layer_ref, "--layer", "0"]);
    let files = written(&envelope);
    assert_eq!(files.len(), 1, "{stderr}");
    let statement =
        regscope::document::unwrap_statement(&std::fs::read(envelope.join(&files[0])).unwrap())
            .expect("the .att layer is a DSSE envelope");
    assert_eq!(
        statement.predicate_bytes().unwrap(),
        std::fs::read(out.join("sbom.cdx.json")).unwrap(),
        "the pulled SBOM is the predicate cosign signed, byte for byte"
    );
}

/// `cp -r` takes every tag along, so cosign verifies the copy; `rm
/// --with-referrers` then leaves no tag and no manifest of it.
fn copy_then_delete_the_copy(
    ground: &Ground,
    source: &str,
    digest: &str,
    sbom_tag: &str,
    sbom_digest: &str,
) {
    let image = ground.registry.reference(&format!("app@{digest}"));
    let mode = CosignMode::LegacyTags;
    // The copy keeps every cosign tag: cosign verifies it there.
    let copy = ground.registry.reference("staging/app:v1");
    ground.run(&["cp", "-r", source, &copy]);
    let copied_image = ground.registry.reference(&format!("staging/app@{digest}"));
    ground.cosign.verify(&copied_image, mode);
    ground
        .cosign
        .verify_attestation(&copied_image, mode, "cyclonedx");
    ground.cosign.verify(
        &ground
            .registry
            .reference(&format!("staging/app@{sbom_digest}")),
        mode,
    );
    let mut before = tree_digest_tags(&ground.regctl.tree(&image));
    let mut after = tree_digest_tags(&ground.regctl.tree(&copied_image));
    before.sort();
    after.sort();
    assert_eq!(before, after, "regctl artifact tree --digest-tags differs");
    assert_eq!(after.len(), 4, "{after:?}");

    // Deleting the copy's graph leaves nothing of it.
    let plan = regscope_output(ground.work.path(), &["rm", "--with-referrers", "-y", &copy]);
    let said = String::from_utf8_lossy(&plan.stderr);
    assert!(plan.status.success(), "{said}");
    assert!(
        said.contains(&format!("{sbom_tag})")),
        "the plan names the tags: {said}"
    );
    let left = ground.tags("staging/app");
    assert!(left.is_empty(), "tags left behind: {left:?}");
    for node in [digest, sbom_digest] {
        assert!(!ground.exists("staging/app", node), "{node} left behind");
    }
    // The source is untouched.
    assert_eq!(ground.tags("app").len(), 5);
}

#[test]
fn cosign_tags_travel_with_the_graph_on_distribution() {
    cosign_tags_travel_with_the_graph(Registry::distribution());
}

#[test]
fn cosign_tags_travel_with_the_graph_on_olareg() {
    cosign_tags_travel_with_the_graph(Registry::olareg());
}
