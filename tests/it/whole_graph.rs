//! Every operation sees the whole graph, as real tools write it: cosign's
//! tags, OCI 1.1 referrers and Sigstore bundles; SBOMs from real generators
//! attached with `cosign attach sbom`, attested with `cosign attest`, and
//! per platform with `oras attach --platform` and `regctl artifact put
//! --platform`. Each on a registry without the referrers API (distribution
//! 2.8 or v3) and on one with it (olareg).
//!
//! An attested SBOM is compared with what cosign signed, not with the file
//! given to it: cosign re-encodes a predicate (compact, keys sorted), so
//! the pulled predicate equals the file as JSON and the signed statement's
//! predicate byte for byte.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cli::{regscope, regscope_output};
use crate::support::fixture::push_image;
use crate::support::regctl::{Put, tree_digest_tags};
use crate::support::{Cosign, CosignMode, Oras, Regctl, Registry, fallback_tag};

const DSSE: &str = "application/vnd.dsse.envelope.v1+json";

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/data/sbom")
        .join(name)
}

fn json_file(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The files a pull wrote, relative to `dir`, sorted.
fn written(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                found.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

struct Ground {
    registry: Registry,
    oras: Oras,
    regctl: Regctl,
    cosign: Cosign,
    work: tempfile::TempDir,
}

impl Ground {
    fn new(registry: Registry) -> Ground {
        Ground {
            oras: Oras::for_registry(&registry),
            regctl: Regctl::for_registry(&registry),
            cosign: Cosign::v2(),
            registry,
            work: tempfile::tempdir().unwrap(),
        }
    }

    fn image(&self, repo: &str, arch: &str) -> String {
        let (digest, ..) = push_image(
            &self.oras,
            self.work.path(),
            &self.registry.reference(&format!("{repo}:{arch}")),
            &format!("{repo}-{arch}"),
            "linux",
            arch,
        );
        digest
    }

    fn run(&self, args: &[&str]) -> String {
        regscope(self.work.path(), args)
    }

    /// `regscope pull` into a fresh directory; returns it and stderr.
    fn pull(&self, name: &str, args: &[&str]) -> (PathBuf, String) {
        let out = self.work.path().join(name);
        let mut all = vec!["pull"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-o", out.to_str().unwrap()]);
        let result = regscope_output(self.work.path(), &all);
        let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
        assert!(result.status.success(), "pull {args:?} failed:\n{stderr}");
        (out, stderr)
    }

    /// Whether the registry still serves `repo@digest`.
    fn exists(&self, repo: &str, digest: &str) -> bool {
        self.oras
            .output(&[
                "manifest",
                "fetch",
                &self.registry.reference(&format!("{repo}@{digest}")),
            ])
            .status
            .success()
    }

    fn tags(&self, repo: &str) -> Vec<String> {
        self.run(&["ls", &self.registry.reference(repo), "--all"])
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

/// cosign's legacy tags: the image signed, attested with a CycloneDX SBOM,
/// given an SPDX SBOM with `cosign attach sbom`, and that SBOM signed.
/// `pull --sbom` finds them, `cp -r` takes every tag along so cosign still
/// verifies the copy, `rm --with-referrers` leaves no tag and no manifest.
fn cosign_tags_travel_with_the_graph(registry: Registry) {
    let ground = Ground::new(registry);
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

    // The SBOM cosign attached, byte for byte; it ranks before the
    // attestation (see ops::pull::select).
    let source = ground.registry.reference("app:amd64");
    let (out, stderr) = ground.pull("sbom", &[&source, "--sbom"]);
    assert_eq!(written(&out), ["sbom.spdx.json"], "{stderr}");
    assert_eq!(
        std::fs::read(out.join("sbom.spdx.json")).unwrap(),
        std::fs::read(data("spdx.json")).unwrap()
    );
    assert!(
        stderr.contains("cosign SBOM") && stderr.contains(&sbom_tag),
        "{stderr}"
    );

    // Every SBOM: the attested one comes out of its envelope.
    let (out, stderr) = ground.pull("all", &[&source, "--sbom", "--all"]);
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
    let (raw, stderr) = ground.pull("raw", &[&source, "--sbom", "--all", "--raw"]);
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
    let (skipped, stderr) = ground.pull("dsse", &[&source, "--artifact-type", DSSE]);
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

    // The copy keeps every cosign tag: cosign verifies it there.
    let copy = ground.registry.reference("staging/app:v1");
    ground.run(&["cp", "-r", &source, &copy]);
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
    for node in [&digest, &sbom_digest] {
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

/// cosign's OCI 1.1 referrers and Sigstore bundles: the SBOM `cosign attach
/// sbom` made as a referrer is an SBOM, not a signature; the SBOM inside an
/// attestation bundle comes out unwrapped; the copy verifies.
fn referrer_and_bundle_modes(registry: Registry) {
    let ground = Ground::new(registry);
    let cosign = Cosign::v3();
    let digest = ground.image("modern", "amd64");
    let image = ground.registry.reference(&format!("modern@{digest}"));
    cosign.sign(&image, CosignMode::Oci11Referrers);
    cosign.attach_sbom(
        &image,
        CosignMode::Oci11Referrers,
        &data("spdx.json"),
        "spdx",
    );
    cosign.sign(&image, CosignMode::Bundle);
    cosign.attest(
        &image,
        CosignMode::Bundle,
        "cyclonedx",
        &data("cyclonedx.json"),
    );

    let tree = ground.run(&["tree", &image]);
    assert!(tree.contains("(attestation: CycloneDX SBOM)"), "{tree}");
    assert!(tree.contains("(signature)"), "{tree}");

    let (out, stderr) = ground.pull("sbom", &[&image, "--sbom", "--all"]);
    assert_eq!(
        written(&out),
        ["sbom.cdx.json", "sbom.spdx.json"],
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(out.join("sbom.spdx.json")).unwrap(),
        std::fs::read(data("spdx.json")).unwrap()
    );
    assert_eq!(
        json_file(&out.join("sbom.cdx.json")),
        json_file(&data("cyclonedx.json"))
    );
    assert!(stderr.contains("Sigstore bundle"), "{stderr}");

    let copy = ground.registry.reference("staging/modern:v1");
    ground.run(&["cp", "-r", &image, &copy]);
    let copied = ground
        .registry
        .reference(&format!("staging/modern@{digest}"));
    cosign.verify(&copied, CosignMode::Oci11Referrers);
    cosign.verify(&copied, CosignMode::Bundle);
    cosign.verify_attestation(&copied, CosignMode::Bundle, "cyclonedx");

    ground.run(&["rm", "--with-referrers", "-y", &copy]);
    assert!(!ground.exists("staging/modern", &digest));
    assert!(
        ground.tags("staging/modern").is_empty(),
        "{:?}",
        ground.tags("staging/modern")
    );
}

#[test]
fn referrer_and_bundle_modes_on_distribution3() {
    referrer_and_bundle_modes(Registry::distribution3());
}

#[test]
fn referrer_and_bundle_modes_on_olareg() {
    referrer_and_bundle_modes(Registry::olareg());
}

/// An index whose platforms carry their own SBOMs (`oras attach --platform`,
/// `regctl artifact put --platform`) and whose own SBOM is a cosign
/// attestation on the index.
fn platforms(registry: Registry) {
    let ground = Ground::new(registry);
    let amd64 = ground.image("multi", "amd64");
    let arm64 = ground.image("multi", "arm64");
    let index = ground.registry.reference("multi:v1");
    ground
        .oras
        .run(&["manifest", "index", "create", &index, "amd64", "arm64"]);
    std::fs::copy(
        data("cyclonedx.json"),
        ground.work.path().join("arm.cdx.json"),
    )
    .unwrap();
    ground.oras.run_in(
        ground.work.path(),
        &[
            "attach",
            "--platform",
            "linux/arm64",
            "--artifact-type",
            "application/vnd.cyclonedx+json",
            &index,
            "arm.cdx.json:application/vnd.cyclonedx+json",
        ],
    );
    ground.regctl.put(&Put {
        subject: &index,
        artifact_type: "application/spdx+json",
        file: &data("spdx.json"),
        file_media_type: "application/spdx+json",
        platform: Some("linux/amd64"),
        annotations: &[],
    });

    // No SBOM of its own: the host's platform, and the output says so.
    let (out, stderr) = ground.pull("host", &[&index, "--sbom"]);
    let host = regscope::oci::PlatformSpec::host();
    if host.architecture == "amd64" {
        assert_eq!(written(&out), ["spdx.json"], "{stderr}");
        assert!(stderr.contains("this machine's platform"), "{stderr}");
        assert!(
            stderr.contains(&amd64[..20]) || stderr.contains("linux/amd64"),
            "{stderr}"
        );
    }
    let (out, stderr) = ground.pull("arm", &[&index, "--sbom", "--platform", "linux/arm64"]);
    assert_eq!(written(&out), ["arm.cdx.json"], "{stderr}");
    let (out, stderr) = ground.pull("every", &[&index, "--sbom", "--platform", "all"]);
    assert_eq!(
        written(&out),
        ["linux-amd64/spdx.json", "linux-arm64/arm.cdx.json"],
        "{stderr}"
    );

    // An SBOM attested on the index itself is the index's SBOM.
    ground.cosign.attest(
        &ground.registry.reference(&format!(
            "multi@{}",
            ground.oras.run(&["resolve", &index]).trim()
        )),
        CosignMode::LegacyTags,
        "cyclonedx",
        &data("cyclonedx.json"),
    );
    let (out, stderr) = ground.pull("own", &[&index, "--sbom"]);
    assert_eq!(written(&out), ["sbom.cdx.json"], "{stderr}");
    assert!(!stderr.contains("this machine's platform"), "{stderr}");

    // Attach to one platform, as `oras attach --platform` does; copy one
    // platform with its attachments.
    std::fs::write(ground.work.path().join("note.txt"), b"arm only").unwrap();
    ground.run(&[
        "attach",
        &index,
        "--platform",
        "linux/arm64",
        "--artifact-type",
        "note/example",
        ground.work.path().join("note.txt").to_str().unwrap(),
    ]);
    let discovered = ground.oras.json(&[
        "discover",
        "--platform",
        "linux/arm64",
        "--format",
        "json",
        &index,
    ]);
    let types: Vec<&str> = discovered["referrers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["artifactType"].as_str())
        .collect();
    assert!(types.contains(&"note/example"), "{discovered}");
    let copy = ground.registry.reference("arm-only/multi:v1");
    ground.run(&["cp", "-r", "--platform", "linux/arm64", &index, &copy]);
    assert_eq!(
        ground.oras.run(&["resolve", &copy]).trim(),
        arm64,
        "the copy's tag names the arm64 manifest"
    );
    let tree = ground.run(&["tree", &copy, "--format", "json"]);
    assert!(
        tree.contains("note/example") && tree.contains("application/vnd.cyclonedx+json"),
        "{tree}"
    );
    assert!(!ground.exists("arm-only/multi", &amd64));
}

#[test]
fn platforms_on_distribution() {
    platforms(Registry::distribution());
}

#[test]
fn platforms_on_olareg() {
    platforms(Registry::olareg());
}
