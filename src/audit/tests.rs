//! What `--require` reports missing, and the summary line.

use super::*;

fn row() -> ImageAudit {
    ImageAudit {
        repository: "app".to_owned(),
        digest: format!("sha256:{}", "a".repeat(64))
            .parse()
            .expect("digest"),
        media_type: crate::oci::media_type::OCI_INDEX.to_owned(),
        tags: vec!["v1".to_owned()],
        signatures: Vec::new(),
        sbom: SbomInfo::default(),
        provenance: false,
        scan: false,
        other_attestations: 0,
        newest: None,
        vulnerabilities: None,
        verification: Verification::Unverified,
        unfetched_platforms: Vec::new(),
        warnings: Vec::new(),
        error: None,
    }
}

#[test]
fn missing_names_what_and_where() {
    let all = [
        Requirement::Signature,
        Requirement::Sbom,
        Requirement::SignedSbom,
        Requirement::Provenance,
        Requirement::Verified,
    ];
    let mut image = row();
    assert_eq!(
        image.missing(&all),
        [
            "signature",
            "sbom",
            "signed-sbom",
            "provenance",
            "verified signature (no signature)"
        ]
    );
    // An index with an SBOM on one platform of two.
    image.sbom.digests.push(image.digest.clone());
    image.sbom.coverage = Some((1, 2));
    image.sbom.missing_platforms = vec!["linux/amd64".to_owned()];
    assert_eq!(image.missing(&[Requirement::Sbom]), ["sbom (linux/amd64)"]);
    // ...unless the index itself carries one.
    image.sbom.on_subject = true;
    assert!(image.missing(&[Requirement::Sbom]).is_empty());
    image.verification = Verification::Failed {
        reasons: vec!["abc: does not verify with k.pub".to_owned()],
    };
    assert_eq!(
        image.missing(&[Requirement::Verified]),
        ["verified signature (abc: does not verify with k.pub)"]
    );
    image.error = Some("boom".to_owned());
    assert_eq!(image.missing(&[]), ["audit failed: boom"]);
}

#[test]
fn summary_line_reads_like_the_issue() {
    let mut signed = row();
    signed.signatures.push(SignatureInfo {
        digest: signed.digest.clone(),
        scheme: SignatureScheme::CosignLegacy,
        found_by: Vec::new(),
        signer: None,
        verification: Verification::Verified {
            key: "k".to_owned(),
            time: "no transparency log entry (the key decided)".to_owned(),
            root: None,
        },
    });
    signed.verification = Verification::Verified {
        key: "k".to_owned(),
        time: "signed 2026-05-01 12:00 UTC per Rekor entry 123".to_owned(),
        root: Some("public-good (embedded, 2025-09-23)".to_owned()),
    };
    assert_eq!(
        signed.verification.line(),
        "verified by k · signed 2026-05-01 12:00 UTC per Rekor entry 123 · root: public-good (embedded, 2025-09-23)"
    );
    let summary = Summary::of([&signed, &row()]);
    assert_eq!(summary.line(), "1/2 signed · 0 with SBOM · 1 verified");
    assert_eq!(
        "signed-sbom".parse::<Requirement>(),
        Ok(Requirement::SignedSbom)
    );
    assert!("sbmo".parse::<Requirement>().is_err());
}

#[test]
fn an_index_needs_every_platform_present_and_its_sbom_signed() {
    let mut image = row();
    image.sbom.digests.push(image.digest.clone());
    image.sbom.coverage = Some((2, 2));
    image.sbom.signed_coverage = Some((1, 2));
    image.sbom.unsigned_platforms = vec!["linux/arm64".to_owned()];
    assert_eq!(
        image.missing(&[Requirement::SignedSbom]),
        ["signed-sbom (linux/arm64)"]
    );
    image.sbom.signed = true;
    assert!(image.missing(&[Requirement::SignedSbom]).is_empty());
    // A platform the registry no longer serves fails the row, asked or not.
    image.unfetched_platforms = vec!["linux/amd64 (sha256:1, 404)".to_owned()];
    assert_eq!(
        image.missing(&[]),
        ["the manifest of platform linux/amd64 (sha256:1, 404)"]
    );
}

#[test]
fn an_unsigned_image_is_unverified_and_a_bad_signature_failed() {
    let mut image = row();
    assert_eq!(image.verdict(), "unverified (no signature)");
    image.signatures.push(SignatureInfo {
        digest: image.digest.clone(),
        scheme: SignatureScheme::CosignLegacy,
        found_by: Vec::new(),
        signer: None,
        verification: Verification::Unverified,
    });
    assert_eq!(image.verdict(), "unverified");
    image.verification = Verification::Failed {
        reasons: vec!["abc: signed by another key".to_owned()],
    };
    assert_eq!(image.verdict(), "failed (abc: signed by another key)");
}
