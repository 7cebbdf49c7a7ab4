//! Mirror parity: `regscope diff SRC DST --only attachments --exit-code` as
//! the check after a mirror job. An image signed and attested by cosign
//! (its legacy `.sig` and `.att` tags) with an SBOM attached by oras, on
//! distribution (no referrers API): `oras cp -r` leaves cosign's tags
//! behind and the check fails naming them; `regscope cp -r` takes them and
//! the check passes.

use serde_json::Value;

use crate::diff::diff_json;
use crate::diff_sbom::{attach, data, tiny_image};
use crate::files::{ok, regscope_files};
use crate::support::{Cosign, CosignMode, Oras, Registry};

#[test]
fn a_mirror_made_by_oras_misses_cosign_tags_and_one_made_by_regscope_does_not() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let registry = Registry::distribution();
    let oras = Oras::for_registry(&registry);
    let source = registry.reference("app:v1");
    let digest = tiny_image(&oras, dir, &source, "mirror", "amd64");
    let by_digest = registry.reference(&format!("app@{digest}"));
    let cosign = Cosign::v2();
    cosign.sign(&by_digest, CosignMode::LegacyTags);
    cosign.attest(
        &by_digest,
        CosignMode::LegacyTags,
        "cyclonedx",
        &data("cyclonedx.json"),
    );
    attach(&oras, &source, "spdx.json", "application/spdx+json", None);

    let by_oras = registry.reference("mirror-oras/app:v1");
    // `oras cp` spells plain HTTP per side; `--` keeps the helper from
    // adding the one-sided flag.
    oras.run(&[
        "cp",
        "-r",
        "--from-plain-http",
        "--to-plain-http",
        "--",
        &source,
        &by_oras,
    ]);
    let by_regscope = registry.reference("mirror-regscope/app:v1");
    ok(dir, &["cp", "-r", &source, &by_regscope]);

    let check = |mirror: &str| {
        regscope_files(
            dir,
            &[
                "diff",
                &source,
                mirror,
                "--only",
                "attachments",
                "--exit-code",
            ],
        )
    };
    let failed = check(&by_oras);
    assert_eq!(
        failed.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );
    let first = String::from_utf8_lossy(&failed.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(first.contains("signature missing on the right"), "{first}");
    assert!(
        first.contains("attestation missing on the right")
            || first.contains("sbom missing on the right"),
        "{first}"
    );

    check_what_oras_left_behind(dir, &source, &by_oras);

    let passed = check(&by_regscope);
    assert_eq!(
        passed.status.code(),
        Some(0),
        "{}\n{}",
        String::from_utf8_lossy(&passed.stdout),
        String::from_utf8_lossy(&passed.stderr)
    );
    let report = diff_json(dir, &[&source, &by_regscope, "--only", "attachments"]);
    assert_eq!(report["same"], true);
    assert_eq!(report["attachments"]["both"].as_array().unwrap().len(), 3);
    let markdown = String::from_utf8(ok(
        dir,
        &[
            "diff",
            &source,
            &by_oras,
            "--only",
            "attachments",
            "--format",
            "markdown",
        ],
    ))
    .unwrap();
    assert!(
        markdown.contains("| missing on the right | signature |"),
        "{markdown}"
    );
}

/// The oras mirror: cosign's signature and attestation (found by their
/// tags) only on the left, the SBOM oras copied on both, by digest.
fn check_what_oras_left_behind(dir: &std::path::Path, source: &str, by_oras: &str) {
    let report = diff_json(dir, &[source, by_oras, "--only", "attachments"]);
    let attachments = &report["attachments"];
    let only_left = attachments["onlyLeft"].as_array().unwrap();
    let kinds: Vec<&str> = only_left
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 2, "{attachments:#}");
    assert!(kinds.contains(&"signature"), "{kinds:?}");
    for item in only_left {
        let found_by = item["foundBy"][0].as_str().unwrap();
        assert!(found_by.starts_with("cosign tag sha256-"), "{item}");
        assert!(item["digest"].as_str().unwrap().starts_with("sha256:"));
        assert!(item.get("artifactType").is_some());
    }
    assert_eq!(attachments["onlyRight"], Value::Array(vec![]));
    let both = attachments["both"].as_array().unwrap();
    assert_eq!(both.len(), 1, "the SBOM oras copied: {attachments:#}");
    assert_eq!(both[0]["matchedBy"], "digest");
    assert_eq!(both[0]["artifactType"], "application/spdx+json");
}
