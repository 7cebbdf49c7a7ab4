//! Keyless Sigstore signatures, offline: a test CA shaped like Fulcio's
//! (`support::pki`), leaves whose keys the real cosign v3 signs with
//! (`--certificate`, in a bundle with and without the chain, and in the
//! legacy `.sig` scheme), and a trusted root naming the CA. regscope's
//! verdict per image must agree with `cosign3 verify --trusted-root …
//! --certificate-identity … --certificate-oidc-issuer … --insecure-ignore-
//! tlog --insecure-ignore-sct`, and say who signed or why not. Nothing
//! here carries a transparency log entry, so regscope too is given
//! `--insecure-ignore-tlog` (without it: "no verified time").

use std::path::Path;

use serde_json::Value;

use crate::cli::regscope_output;
use crate::support::fixture::push_image;
use crate::support::pki::{Leaf, TestCa};
use crate::support::{Cosign, Oras, Registry};

mod forged_bundle;

use self::forged_bundle::forge_bundle;

const ISSUER: &str = "https://issuer.example";
const IDENTITY: &str = "dev@example.com";

/// `leaf`'s key imported into cosign; returns the cosign key file.
fn import(cosign: &Cosign, dir: &Path, leaf: &Leaf, name: &str) -> String {
    let prefix = dir.join(format!("cosign-{name}"));
    cosign.run(&[
        "import-key-pair",
        "--key",
        leaf.key.to_str().unwrap(),
        "--output-key-prefix",
        prefix.to_str().unwrap(),
    ]);
    format!("{}.key", prefix.display())
}

/// `cosign3 sign` with a certificate, no transparency log, no TUF.
fn sign(cosign: &Cosign, key: &str, leaf: &Leaf, root: &Path, extra: &[&str], image: &str) {
    let mut args = vec![
        "sign",
        "--key",
        key,
        "--certificate",
        leaf.cert.to_str().unwrap(),
        "--trusted-root",
        root.to_str().unwrap(),
        "--allow-http-registry",
        "--yes",
    ];
    let signing_config = cosign.signing_config();
    if !extra.contains(&"--use-signing-config=false") {
        args.extend(["--signing-config", signing_config.to_str().unwrap()]);
    }
    args.extend(extra);
    args.push(image);
    cosign.run(&args);
}

/// Whether `cosign3 verify` accepts `image` for `identity`.
fn cosign_verifies(cosign: &Cosign, root: &Path, identity: &str, image: &str) -> bool {
    cosign
        .output(&[
            "verify",
            "--trusted-root",
            root.to_str().unwrap(),
            "--certificate-identity",
            identity,
            "--certificate-oidc-issuer",
            ISSUER,
            "--insecure-ignore-tlog",
            "--insecure-ignore-sct",
            "--allow-certificate-chain",
            "--allow-http-registry",
            image,
        ])
        .status
        .success()
}

fn audit(dir: &Path, registry: &Registry, root: &Path, identity: &[&str]) -> Vec<Value> {
    let repo = registry.reference("keyless");
    let mut args = vec![
        "audit",
        &repo,
        "--format",
        "json",
        "--trusted-root",
        root.to_str().unwrap(),
        "--insecure-ignore-sct",
        "--insecure-ignore-tlog",
    ];
    args.extend(identity);
    let out = regscope_output(dir, &args);
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--insecure-ignore-tlog"),
        "the audit says what it used"
    );
    json["images"].as_array().unwrap().clone()
}

fn row<'a>(images: &'a [Value], tag: &str) -> &'a Value {
    images
        .iter()
        .find(|i| i["tags"].as_array().unwrap().iter().any(|t| t == tag))
        .unwrap_or_else(|| panic!("no row for {tag}: {images:#?}"))
}

fn reasons(image: &Value) -> String {
    image["details"]["verification"]["reasons"].to_string()
}

#[test]
fn keyless_bundles_verify_against_a_trusted_root_like_cosign() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let cosign = Cosign::v3();
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(dir.path(), "trusted");
    let rogue_ca = TestCa::new(dir.path(), "rogue");
    let root = ca.trusted_root();
    let leaf = ca.leaf("dev", IDENTITY, ISSUER);
    let rogue = rogue_ca.leaf("dev", IDENTITY, ISSUER);
    let key = import(&cosign, dir.path(), &leaf, "dev");
    let rogue_key = import(&cosign, dir.path(), &rogue, "rogue");
    let chain = ca.chain();

    let arches = ["amd64", "arm64", "386", "ppc64le", "s390x"];
    let mut digests = std::collections::BTreeMap::new();
    for (tag, arch) in ["good", "chain", "legacy", "rogue", "altered"]
        .iter()
        .zip(arches)
    {
        let reference = registry.reference(&format!("keyless:{tag}"));
        let (digest, ..) = push_image(&oras, dir.path(), &reference, tag, "linux", arch);
        digests.insert(*tag, digest);
    }
    let image = |tag: &str| registry.reference(&format!("keyless@{}", digests[tag]));
    sign(&cosign, &key, &leaf, &root, &[], &image("good"));
    let with_chain = ["--certificate-chain", chain.to_str().unwrap()];
    sign(&cosign, &key, &leaf, &root, &with_chain, &image("chain"));
    let legacy = [
        "--certificate-chain",
        chain.to_str().unwrap(),
        "--new-bundle-format=false",
        "--use-signing-config=false",
        "--tlog-upload=false",
    ];
    sign(&cosign, &key, &leaf, &root, &legacy, &image("legacy"));
    let rogue_root = rogue_ca.trusted_root();
    sign(
        &cosign,
        &rogue_key,
        &rogue,
        &rogue_root,
        &[],
        &image("rogue"),
    );
    forge_bundle(
        &oras,
        dir.path(),
        &registry,
        &digests["good"],
        &digests["altered"],
    );

    let expected = [
        ("good", true, ""),
        ("chain", true, ""),
        ("legacy", true, ""),
        ("rogue", false, "does not chain to a trusted certificate"),
        (
            "altered",
            false,
            "does not verify with the certificate of dev@example.com",
        ),
    ];
    let images = audit(
        dir.path(),
        &registry,
        &root,
        &[
            "--certificate-identity",
            IDENTITY,
            "--certificate-oidc-issuer",
            ISSUER,
        ],
    );
    for (tag, verified, why) in expected {
        let found = row(&images, tag);
        assert_eq!(
            cosign_verifies(&cosign, &root, IDENTITY, &image(tag)),
            verified,
            "cosign on {tag}"
        );
        says_verified(found, tag, verified, why);
    }

    other_identities_fail(&cosign, dir.path(), &registry, &root, &image("good"));
}

/// The row says verified by the identity (with no verified time, as no
/// log was asked), or failed for `why`.
fn says_verified(found: &Value, tag: &str, verified: bool, why: &str) {
    if verified {
        assert_eq!(found["verification"], "verified", "{tag}: {found:#}");
        let by = found["details"]["verification"]["key"].as_str().unwrap();
        assert!(
            by.starts_with(IDENTITY) && by.contains(ISSUER),
            "{tag}: {by}"
        );
        let time = found["details"]["verification"]["time"].as_str().unwrap();
        assert!(
            time.starts_with("no verified time: --insecure-ignore-tlog"),
            "{time}"
        );
    } else {
        assert_eq!(found["verification"], "failed", "{tag}: {found:#}");
        assert!(reasons(found).contains(why), "{tag}: {}", reasons(found));
    }
}

/// Another identity: cosign refuses, regscope says what it expected and
/// what it found; the regular-expression spellings, and an issuer that does
/// not match.
fn other_identities_fail(
    cosign: &Cosign,
    dir: &Path,
    registry: &Registry,
    root: &Path,
    good_image: &str,
) {
    let wrong = "x@example.com";
    assert!(!cosign_verifies(cosign, root, wrong, good_image));
    let images = audit(
        dir,
        registry,
        root,
        &[
            "--certificate-identity",
            wrong,
            "--certificate-oidc-issuer",
            ISSUER,
        ],
    );
    let good = row(&images, "good");
    assert_eq!(good["verification"], "failed");
    assert!(
        reasons(good).contains("expected identity x@example.com, found dev@example.com"),
        "{}",
        reasons(good)
    );

    // The regular-expression spellings, and an issuer that does not match.
    let images = audit(
        dir,
        registry,
        root,
        &[
            "--certificate-identity-regexp",
            "@example\\.com$",
            "--certificate-oidc-issuer-regexp",
            "^https://other\\.",
        ],
    );
    let good = row(&images, "good");
    assert_eq!(good["verification"], "failed");
    assert!(
        reasons(good)
            .contains("expected OIDC issuer /^https://other\\\\./, found https://issuer.example"),
        "{}",
        reasons(good)
    );
}
