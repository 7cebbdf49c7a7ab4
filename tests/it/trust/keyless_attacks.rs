//! Keyless signatures whose certificates should not be trusted
//! (`keyless_fixtures`): a leaf minted by a leaf, an intermediate carried
//! only in the signature, an expired leaf, an identity only in the CN,
//! disagreeing issuer extensions, key usage without digitalSignature, no
//! code-signing EKU, an unknown critical extension, 512- and 1024-bit RSA
//! leaves, a rogue CA, a cosign annotation beside a bundle's own
//! certificate, a CA outside its `validFor`, and no trusted time. Each must
//! read "failed" and fail the gate beside the good twins; cosign v3 judges
//! each too (`Differential`).

use std::path::Path;

use serde_json::Value;

use super::keyless_fixtures::{self as fixtures, Fixture, Form};
use super::{Differential, audit, gate, reasons, row, verified};
use crate::support::cosign::SIGSTORE_BUNDLE_TYPE;
use crate::support::fixture::push_image;
use crate::support::forge::Forge;
use crate::support::pki::{Issue, P256, TestCa, fulcio_extensions};
use crate::support::{Cosign, Oras, Registry};

/// A bundle signed with the good key under a rogue CA's certificate, with
/// the good certificate as a cosign annotation beside it: the bundle's own
/// material counts, never the annotation. Returns the fixture and digest.
fn annotation_override(
    registry: &Registry,
    oras: &Oras,
    cosign: &Cosign,
    dir: &Path,
    (ca, rogue_ca): (&TestCa, &TestCa),
) -> (Fixture, String) {
    let good = ca.dir().join("dev.key");
    let twin = rogue_ca.issue(&Issue {
        name: "twin",
        subject: "/O=regscope-test",
        by: "inter",
        extensions: fulcio_extensions(fixtures::IDENTITY, fixtures::ISSUER),
        key: P256,
        reuse_key: Some(&good),
        dates: None,
    });
    let reference = registry.reference("keyless:annotation-override");
    let digest = push_image(oras, dir, &reference, "override", "linux", "override").0;
    let fixture = Fixture {
        tag: "annotation-override",
        form: Form::Bundle,
        leaf: twin,
        chain: None,
        why: "does not chain",
    };
    fixtures::sign(
        cosign,
        dir,
        &fixture,
        &fixtures::image_ref(registry, &digest),
    );
    let forge = Forge {
        oras,
        registry,
        dir,
        repo: "keyless",
    };
    let (template, bundle) = forge.referrer(&digest, Some(SIGSTORE_BUNDLE_TYPE));
    let good_pem = std::fs::read_to_string(ca.dir().join("dev.pem")).unwrap();
    let annotation = [("dev.sigstore.cosign/certificate", good_pem.as_str())];
    forge.push_referrer(&digest, &template, &bundle, &annotation);
    (fixture, digest)
}

fn check_row(fixture: &Fixture, found: &Value) {
    if fixture.why.is_empty() {
        assert!(verified(found), "{}: {found:#}", fixture.tag);
        let time = found["details"]["verification"]["time"].as_str().unwrap();
        assert!(time.contains("--insecure-ignore-tlog"), "{time}");
    } else {
        assert!(!verified(found), "{}: {found:#}", fixture.tag);
        let why = reasons(found);
        assert!(why.contains(fixture.why), "{}: {why}", fixture.tag);
    }
}

/// The good twin without `--insecure-ignore-tlog`, and under a trusted
/// root whose CA window closed in 2021.
fn check_time(
    dir: &Path,
    registry: &Registry,
    ca: &TestCa,
    cosign3: &Cosign,
    image: &str,
    differential: &mut Differential,
) {
    let root = ca.trusted_root();
    let args = fixtures::keyless_args(&root);
    let strict: Vec<&str> = args[..args.len() - 1].iter().map(String::as_str).collect();
    let good = registry.reference("keyless:good");
    let (json, _) = audit(dir, &good, &strict);
    let found = row(&json, "good");
    assert!(
        !verified(found) && reasons(found).contains("no verified time"),
        "{found:#}"
    );
    let cosign_says = fixtures::cosign3_verifies(cosign3, &root, Form::Bundle, image, false);
    differential.record("good, no --insecure-ignore-tlog", false, cosign_says);

    let lapsed = ca.trusted_root_valid_for(
        "lapsed.json",
        "2020-01-01T00:00:00Z",
        Some("2021-01-01T00:00:00+00:00"),
    );
    let args = fixtures::keyless_args(&lapsed);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (json, _) = audit(dir, &good, &args);
    let found = row(&json, "good");
    assert!(
        !verified(found) && reasons(found).contains("is not valid for"),
        "{found:#}"
    );
    gate(dir, &good, &args, &["good"], &[]);
    let cosign_says = fixtures::cosign3_verifies(cosign3, &lapsed, Form::Bundle, image, true);
    differential.record("CA outside validFor", false, cosign_says);
}

#[test]
fn untrustworthy_certificates_never_verify() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let (cosign2, cosign3) = (Cosign::v2(), Cosign::v3());
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ca = TestCa::new(d, "ca");
    let rogue_ca = TestCa::new(d, "rogue");
    let mut cases = Vec::new();
    for fixture in fixtures::fixtures(&ca, &rogue_ca) {
        let reference = registry.reference(&format!("keyless:{}", fixture.tag));
        let digest = push_image(&oras, d, &reference, fixture.tag, "linux", fixture.tag).0;
        fixtures::sign(
            &cosign2,
            d,
            &fixture,
            &fixtures::image_ref(&registry, &digest),
        );
        cases.push((fixture, digest));
    }
    cases.push(annotation_override(
        &registry,
        &oras,
        &cosign2,
        d,
        (&ca, &rogue_ca),
    ));

    let root = ca.trusted_root();
    let args = fixtures::keyless_args(&root);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let repo = registry.reference("keyless");
    let (json, _) = audit(d, &repo, &args);
    let mut differential = Differential::default();
    for (fixture, digest) in &cases {
        let found = row(&json, fixture.tag);
        check_row(fixture, found);
        let image = fixtures::image_ref(&registry, digest);
        let cosign_says = fixtures::cosign3_verifies(&cosign3, &root, fixture.form, &image, true);
        differential.record(fixture.tag, verified(found), cosign_says);
    }
    let failing: Vec<&str> = cases
        .iter()
        .filter(|(f, _)| !f.why.is_empty())
        .map(|(f, _)| f.tag)
        .collect();
    gate(d, &repo, &args, &failing, &["good", "good-attached"]);
    let good = fixtures::image_ref(&registry, &cases[0].1);
    check_time(d, &registry, &ca, &cosign3, &good, &mut differential);

    // Where cosign v3 accepts and regscope does not (README, "Trust model"):
    // cosign reads the OIDC issuer from whichever extension comes last, and
    // Go's certificate verifier ignores key usage and RSA key sizes, and
    // takes a leaf without extended key usage as good for any.
    differential.check(&[
        "issuers-v2-expected",
        "no-code-signing",
        "no-digital-signature",
        "rsa1024-leaf",
    ]);
}
