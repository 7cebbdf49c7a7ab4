//! `regscope verify --bundle FILE FILE_OR_DIGEST`, next to `cosign
//! verify-blob --bundle`: bundles `cosign sign-blob` and `attest-blob`
//! wrote (a message signature and DSSE), against the file, another file
//! and the digest; the message digest's algorithm and length must hold
//! (three mutations); a keyless bundle needs a verified time or
//! `--insecure-ignore-tlog`; exit status 0, 1 or 2 as for an image.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde_json::Value;

use super::{Differential, status, verify};
use crate::support::pki::TestCa;
use crate::support::{Cosign, sha256_digest};

/// A release file, another file, and the bundles cosign v3 wrote over the
/// release with its key: a message signature and a CycloneDX attestation.
struct Blobs {
    cosign: Cosign,
    dir: tempfile::TempDir,
    release: PathBuf,
    other: PathBuf,
    message: PathBuf,
    attestation: PathBuf,
}

impl Blobs {
    fn new() -> Blobs {
        let cosign = Cosign::v3();
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (release, other) = (d.join("release.tar"), d.join("other.tar"));
        std::fs::write(&release, b"the release\n").unwrap();
        std::fs::write(&other, b"something else\n").unwrap();
        let (config, key) = (cosign.signing_config(), cosign.key());
        let signing = [
            "--key",
            key.to_str().unwrap(),
            "--signing-config",
            config.to_str().unwrap(),
        ];
        let message = d.join("message.json");
        let bundle = [
            "--bundle",
            message.to_str().unwrap(),
            release.to_str().unwrap(),
        ];
        cosign.run(&[&["sign-blob"][..], &signing, &bundle].concat());
        let predicate = d.join("bom.json");
        std::fs::write(
            &predicate,
            br#"{"bomFormat":"CycloneDX","specVersion":"1.5"}"#,
        )
        .unwrap();
        let attestation = d.join("attestation.json");
        let attest = [
            "--type",
            "cyclonedx",
            "--predicate",
            predicate.to_str().unwrap(),
        ];
        let bundle = [
            "--bundle",
            attestation.to_str().unwrap(),
            release.to_str().unwrap(),
        ];
        cosign.run(&[&["attest-blob"][..], &signing, &attest, &bundle].concat());
        Blobs {
            cosign,
            dir,
            release,
            other,
            message,
            attestation,
        }
    }

    /// regscope's verdict (exit status 0) and cosign v3's on `bundle` over
    /// `file`.
    fn judge(&self, bundle: &Path, file: &Path) -> (i32, bool) {
        let public = self.cosign.public_key();
        let (public, bundle, file) = (
            public.to_str().unwrap(),
            bundle.to_str().unwrap(),
            file.to_str().unwrap(),
        );
        let out = verify(
            self.dir.path(),
            &["--bundle", bundle, "--key", public, file],
        );
        let root = self.cosign.trusted_root();
        let cosign = self.cosign.output(&[
            "verify-blob",
            "--key",
            public,
            "--bundle",
            bundle,
            "--trusted-root",
            root.to_str().unwrap(),
            "--insecure-ignore-tlog",
            file,
        ]);
        (status(&out), cosign.status.success())
    }

    /// The message bundle with its digest changed, written to a file.
    fn mutated(&self, name: &str, algorithm: &str, digest: &[u8]) -> PathBuf {
        let mut bundle: Value =
            serde_json::from_slice(&std::fs::read(&self.message).unwrap()).unwrap();
        let field = &mut bundle["messageSignature"]["messageDigest"];
        field["algorithm"] = algorithm.into();
        field["digest"] = base64::engine::general_purpose::STANDARD
            .encode(digest)
            .into();
        let path = self.dir.path().join(format!("{name}.json"));
        std::fs::write(&path, serde_json::to_vec(&bundle).unwrap()).unwrap();
        path
    }

    fn digest(&self) -> Vec<u8> {
        let bundle: Value = serde_json::from_slice(&std::fs::read(&self.message).unwrap()).unwrap();
        let text = bundle["messageSignature"]["messageDigest"]["digest"]
            .as_str()
            .unwrap();
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .unwrap()
    }
}

#[test]
fn verify_a_bundle_over_a_file_like_cosign_verify_blob() {
    let blobs = Blobs::new();
    let digest = blobs.digest();
    let mut longer = digest.clone();
    longer.extend_from_slice(&[0; 16]);
    let mut cases = vec![
        ("message", blobs.message.clone(), &blobs.release, true),
        (
            "message, other file",
            blobs.message.clone(),
            &blobs.other,
            false,
        ),
        (
            "attestation",
            blobs.attestation.clone(),
            &blobs.release,
            true,
        ),
        (
            "attestation, other file",
            blobs.attestation.clone(),
            &blobs.other,
            false,
        ),
    ];
    for (name, algorithm, bytes) in [
        ("sha384-named", "SHA2_384", &digest),
        ("48-byte-digest", "SHA2_256", &longer),
        ("48-byte-sha384", "SHA2_384", &longer),
    ] {
        cases.push((
            name,
            blobs.mutated(name, algorithm, bytes),
            &blobs.release,
            false,
        ));
    }
    let mut differential = Differential::default();
    for (name, bundle, file, expected) in &cases {
        let (ours, cosign_says) = blobs.judge(bundle, file);
        assert_eq!(ours, if *expected { 0 } else { 1 }, "{name}");
        differential.record(name, ours == 0, cosign_says);
    }
    differential.check(&[]);
}

#[test]
fn verify_a_bundle_against_a_digest_and_refuse_bad_input() {
    let blobs = Blobs::new();
    let d = blobs.dir.path();
    let public = blobs.cosign.public_key();
    let (public, message) = (public.to_str().unwrap(), blobs.message.to_str().unwrap());
    let sha = sha256_digest(&std::fs::read(&blobs.release).unwrap());
    let out = verify(
        d,
        &[
            "--bundle", message, "--key", public, &sha, "--format", "json",
        ],
    );
    assert_eq!(status(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["artifact"], sha.as_str());
    assert_eq!(json["verification"]["status"], "verified");
    assert_eq!(
        json["verification"]["time"],
        "no transparency log entry (the key decided)"
    );
    let release = blobs.release.to_str().unwrap();
    for args in [
        vec!["--bundle", message, release],
        vec!["--bundle", message, "--key", public, "sha256:abc"],
        vec!["--bundle", "/nonexistent.json", "--key", public, release],
    ] {
        let out = verify(d, &args);
        assert_eq!(
            status(&out),
            2,
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_keyless_bundle_needs_a_verified_time() {
    let cosign = Cosign::v3();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ca = TestCa::new(d, "ca");
    let root = ca.trusted_root();
    let leaf = ca.leaf("dev", "dev@example.com", "https://issuer.example");
    let prefix = d.join("dev");
    cosign.run(&[
        "import-key-pair",
        "--key",
        leaf.key.to_str().unwrap(),
        "--output-key-prefix",
        prefix.to_str().unwrap(),
    ]);
    let file = d.join("release.tar");
    std::fs::write(&file, b"the release\n").unwrap();
    let bundle = d.join("keyless.json");
    let config = cosign.signing_config();
    let key = format!("{}.key", prefix.display());
    let (cert, root) = (leaf.cert.to_str().unwrap(), root.to_str().unwrap());
    let (bundle, file) = (bundle.to_str().unwrap(), file.to_str().unwrap());
    cosign.run(&[
        "sign-blob",
        "--key",
        &key,
        "--certificate",
        cert,
        "--trusted-root",
        root,
        "--signing-config",
        config.to_str().unwrap(),
        "--bundle",
        bundle,
        file,
    ]);

    let identity = [
        "--bundle",
        bundle,
        "--trusted-root",
        root,
        "--certificate-identity-regexp",
        "dev@example\\.com",
        "--certificate-oidc-issuer",
        "https://issuer.example",
        "--insecure-ignore-sct",
    ];
    let out = verify(d, &[&identity[..], &[file]].concat());
    assert_eq!(status(&out), 1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("no verified time") && stdout.contains("--insecure-ignore-tlog"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("is not anchored"),
        "an unanchored -regexp warns: {stderr}"
    );

    let out = verify(
        d,
        &[&identity[..], &["--insecure-ignore-tlog", file]].concat(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        status(&out),
        0,
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("verified by dev@example.com") && stdout.contains("--insecure-ignore-tlog"),
        "{stdout}"
    );
    let cosign_says = cosign.output(&[
        "verify-blob",
        "--bundle",
        bundle,
        "--trusted-root",
        root,
        "--certificate-identity",
        "dev@example.com",
        "--certificate-oidc-issuer",
        "https://issuer.example",
        "--insecure-ignore-tlog",
        "--insecure-ignore-sct",
        file,
    ]);
    assert!(
        cosign_says.status.success(),
        "{}",
        String::from_utf8_lossy(&cosign_says.stderr)
    );
}
