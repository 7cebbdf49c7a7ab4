//! `regscope verify IMAGE`: exit status 0 when a signature of the image
//! verifies, 1 when none does, 2 on a usage or input error; a verdict per
//! signature with who verified it and what vouches for its time, as text
//! and JSON; stderr names the trust material used.

use serde_json::Value;

use super::{status, verify};
use crate::support::fixture::push_image;
use crate::support::{Cosign, CosignMode, Oras, Registry};

/// An olareg with "signed" (a cosign v3 bundle) and "unsigned".
struct Ground {
    registry: Registry,
    cosign: Cosign,
    dir: tempfile::TempDir,
    signed: String,
}

impl Ground {
    fn new() -> Ground {
        let registry = Registry::olareg();
        let oras = Oras::for_registry(&registry);
        let cosign = Cosign::v3();
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let signed = push_image(
            &oras,
            d,
            &registry.reference("app:signed"),
            "signed",
            "linux",
            "amd64",
        )
        .0;
        push_image(
            &oras,
            d,
            &registry.reference("app:unsigned"),
            "unsigned",
            "linux",
            "arm64",
        );
        cosign.sign(
            &registry.reference(&format!("app@{signed}")),
            CosignMode::Bundle,
        );
        Ground {
            registry,
            cosign,
            dir,
            signed,
        }
    }

    /// `regscope verify app:TAG ARGS`: status, stdout, stderr.
    fn verify(&self, tag: &str, args: &[&str]) -> (i32, String, String) {
        let image = self.registry.reference(&format!("app:{tag}"));
        let out = verify(self.dir.path(), &[&[image.as_str()][..], args].concat());
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        (status(&out), text(&out.stdout), text(&out.stderr))
    }
}

#[test]
fn verify_an_image_exits_as_a_gate_does() {
    let ground = Ground::new();
    let key = ground.cosign.public_key();
    let key = key.to_str().unwrap();
    let (code, text, stderr) = ground.verify("signed", &["--key", key]);
    assert_eq!(code, 0, "{text}{stderr}");
    assert!(
        text.contains("sigstore-bundle") && text.contains("verified by"),
        "{text}"
    );
    assert!(
        text.contains("no transparency log entry (the key decided)"),
        "{text}"
    );
    assert!(text.contains("1 of 1 signatures verified"), "{text}");
    assert!(
        stderr.contains("trust material: keys"),
        "says what it used: {stderr}"
    );

    let (code, json, _) = ground.verify("signed", &["--key", key, "--format", "json"]);
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["verified"], true);
    assert_eq!(json["digest"], ground.signed.as_str());
    assert_eq!(json["signatures"][0]["verification"]["status"], "verified");

    // Another key: a verdict of "failed", exit 1.
    let stranger = Cosign::v3();
    let other = stranger.public_key();
    let (code, text, _) = ground.verify("signed", &["--key", other.to_str().unwrap()]);
    assert_eq!((code, text.contains("failed: ")), (1, true), "{text}");
    // --require-tlog: the key alone no longer decides.
    let (code, text, _) = ground.verify("signed", &["--key", key, "--require-tlog"]);
    assert_eq!((code, text.contains("--require-tlog")), (1, true), "{text}");
    let (code, text, _) = ground.verify("unsigned", &["--key", key]);
    assert_eq!(
        (code, text.contains("no signature attached")),
        (1, true),
        "{text}"
    );
}

#[test]
fn verify_refuses_bad_input_with_status_2() {
    let ground = Ground::new();
    let key = ground.cosign.public_key();
    let key = key.to_str().unwrap();
    let absent = ground.dir.path().join("absent.pub");
    for (tag, args) in [
        ("signed", vec!["--key", absent.to_str().unwrap()]),
        ("signed", vec![]),
        ("absent", vec!["--key", key]),
        ("signed", vec!["--no-such-flag"]),
        (
            "signed",
            vec!["--insecure-ignore-tlog", "--require-tlog", "--key", key],
        ),
        (
            "signed",
            vec!["--certificate-identity", "dev@example.com", "--key", key],
        ),
    ] {
        let (code, _, stderr) = ground.verify(tag, &args);
        assert_eq!(code, 2, "{tag} {args:?}: {stderr}");
    }
}
