//! `audit --key` with every key type it takes, signed by the real cosign:
//! ECDSA P-384, Ed25519 and RSA keys made by openssl and imported with
//! `cosign import-key-pair`, used to sign in the legacy and bundle modes.
//! Each must verify with its public key, and fail with another type's key.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::cli::regscope_output;
use crate::support::cosign::CosignOp;
use crate::support::fixture::push_image;
use crate::support::{Cosign, CosignMode, Oras, Registry};

/// An openssl private key of `algorithm`, imported into cosign; returns
/// (cosign private key, public key PEM).
fn key_pair(cosign: &Cosign, dir: &Path, name: &str, openssl: &[&str]) -> (String, String) {
    let pem = dir.join(format!("{name}.pem"));
    let status = Command::new("openssl")
        .args(["genpkey"])
        .args(openssl)
        .arg("-out")
        .arg(&pem)
        .output()
        .expect("openssl");
    assert!(status.status.success(), "{status:?}");
    let prefix = dir.join(format!("imported-{name}"));
    cosign.run(&[
        "import-key-pair",
        "--key",
        pem.to_str().unwrap(),
        "--output-key-prefix",
        prefix.to_str().unwrap(),
    ]);
    let key = format!("{}.key", prefix.display());
    let public = format!("{}.pub", prefix.display());
    (key, public)
}

fn sign_with(cosign: &Cosign, key: &str, image: &str, mode: CosignMode) {
    let mut args = cosign.args(CosignOp::Sign, mode);
    let at = args.iter().position(|a| a == "--key").unwrap() + 1;
    args[at] = key.to_owned();
    args.push(image.to_owned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    cosign.run(&args);
}

#[test]
fn every_key_type_verifies_what_cosign_signed_with_it() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let cosign = Cosign::v2();
    let dir = tempfile::tempdir().unwrap();
    let keys = [
        (
            "p384",
            vec!["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
        ),
        ("ed25519", vec!["-algorithm", "ed25519"]),
        (
            "rsa",
            vec!["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        ),
    ];
    let arches = ["amd64", "arm64", "386", "ppc64le", "s390x", "riscv64"];
    let mut arch = arches.iter();
    let mut publics = Vec::new();
    for (name, openssl) in &keys {
        let (key, public) = key_pair(&cosign, dir.path(), name, openssl);
        for mode in [CosignMode::LegacyTags, CosignMode::Bundle] {
            let tag = format!("{name}-{mode:?}").to_ascii_lowercase();
            let (digest, ..) = push_image(
                &oras,
                dir.path(),
                &registry.reference(&format!("keys:{tag}")),
                &tag,
                "linux",
                arch.next().unwrap(),
            );
            sign_with(
                &cosign,
                &key,
                &registry.reference(&format!("keys@{digest}")),
                mode,
            );
        }
        publics.push((name, public));
    }
    for (i, (name, public)) in publics.iter().enumerate() {
        let out = regscope_output(
            dir.path(),
            &[
                "audit",
                &registry.reference("keys"),
                "--format",
                "json",
                "--key",
                public,
            ],
        );
        let json: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        for image in json["images"].as_array().unwrap() {
            let tag = image["tags"][0].as_str().unwrap();
            let expected = if tag.starts_with(*name) {
                "verified"
            } else {
                "failed"
            };
            assert_eq!(
                image["verification"], expected,
                "{tag} with the {name} key ({i}): {image:#}"
            );
        }
    }
}
