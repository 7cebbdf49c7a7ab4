//! Notation signatures made by the real `notation` CLI: the audit names the
//! signing certificate's subject and issuer without trust material, and
//! with `--notation-trust-store` agrees with `notation verify` on a JWS
//! signature from the trusted key, one from another key, and one whose
//! payload was rewritten to name another image, in JWS and COSE.

use std::path::Path;

use base64::Engine as _;
use serde_json::Value;

use crate::cli::regscope_output;
use crate::support::fixture::push_image;
use crate::support::forge::Forge;
use crate::support::notation::Notation;
use crate::support::{Oras, Registry};

const NOTARY: &str = "application/vnd.cncf.notary.signature";

/// Copies `from`'s JWS signature onto `onto` with its payload rewritten to
/// name `onto`: the signature no longer covers the payload.
fn forge_jws(oras: &Oras, dir: &Path, registry: &Registry, from: &str, onto: &str) {
    let forge = Forge {
        oras,
        registry,
        dir,
        repo: "signed",
    };
    let (manifest, bytes) = forge.referrer(from, Some(NOTARY));
    let mut jws: Value = serde_json::from_slice(&bytes).unwrap();
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = b64.decode(jws["payload"].as_str().unwrap()).unwrap();
    let payload = String::from_utf8(payload).unwrap();
    assert!(payload.contains(from), "{payload}");
    jws["payload"] = Value::from(b64.encode(payload.replace(from, onto)));
    forge.push_referrer(onto, &manifest, &serde_json::to_vec(&jws).unwrap(), &[]);
}

fn audit(dir: &Path, registry: &Registry, extra: &[&str]) -> Vec<Value> {
    let repo = registry.reference("signed");
    let mut args = vec!["audit", repo.as_str(), "--format", "json"];
    args.extend(extra);
    let out = regscope_output(dir, &args);
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    json["images"].as_array().unwrap().clone()
}

fn notation_signature<'a>(images: &'a [Value], tag: &str) -> &'a Value {
    let image = images
        .iter()
        .find(|i| i["tags"].as_array().unwrap().iter().any(|t| t == tag))
        .unwrap_or_else(|| panic!("no row for {tag}: {images:#?}"));
    image["details"]["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["scheme"] == "notation")
        .unwrap_or_else(|| panic!("{tag} has no notation signature: {image:#}"))
}

#[test]
fn notation_signatures_name_their_signer_and_verify_like_notation() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let notation = Notation::new();
    notation.generate_test_key("alice");
    notation.generate_test_key("mallory");
    let dir = tempfile::tempdir().unwrap();
    let mut digests = std::collections::BTreeMap::new();
    let arches = ["amd64", "arm64", "386", "ppc64le"];
    for (tag, arch) in ["jws", "stranger", "altered", "cose"].iter().zip(arches) {
        let reference = registry.reference(&format!("signed:{tag}"));
        let (digest, ..) = push_image(&oras, dir.path(), &reference, tag, "linux", arch);
        digests.insert(*tag, digest);
    }
    let image = |tag: &str| registry.reference(&format!("signed@{}", digests[tag]));
    // Through the referrers API: with notation's default fallback tag,
    // olareg's API does not list the signature (see support::notation).
    notation.sign("alice", "jws", &image("jws"), true);
    notation.sign("mallory", "jws", &image("stranger"), true);
    notation.sign("alice", "cose", &image("cose"), true);
    forge_jws(
        &oras,
        dir.path(),
        &registry,
        &digests["jws"],
        &digests["altered"],
    );

    // Without trust material: who signed, nothing verified.
    let images = audit(dir.path(), &registry, &[]);
    let signer = notation_signature(&images, "jws")["signer"]
        .as_str()
        .unwrap();
    assert!(
        signer.starts_with("subject CN=alice,") && signer.contains("; issuer CN=alice,"),
        "{signer}"
    );
    let signer = notation_signature(&images, "stranger")["signer"]
        .as_str()
        .unwrap();
    assert!(signer.starts_with("subject CN=mallory,"), "{signer}");

    let store = notation.trust_store("alice");
    let images = audit(
        dir.path(),
        &registry,
        &["--notation-trust-store", store.to_str().unwrap()],
    );
    let cases = [
        ("jws", true, ""),
        ("stranger", false, "does not chain to a certificate of"),
        ("altered", false, "does not verify with the key of CN=alice"),
        ("cose", true, ""),
    ];
    for (tag, notation_says, why) in cases {
        assert_eq!(
            notation.verifies("alice", &image(tag)),
            notation_says,
            "notation on {tag}"
        );
        let verification = &notation_signature(&images, tag)["verification"];
        if why.is_empty() {
            assert_eq!(
                verification["status"], "verified",
                "{tag}: {verification:#}"
            );
            let by = verification["key"].as_str().unwrap();
            assert!(
                by.starts_with("CN=alice,") && by.contains("Notation"),
                "{by}"
            );
        } else {
            assert_eq!(verification["status"], "failed", "{tag}: {verification:#}");
            let reasons = verification["reasons"].to_string();
            assert!(reasons.contains(why), "{tag}: {reasons}");
        }
    }
}
