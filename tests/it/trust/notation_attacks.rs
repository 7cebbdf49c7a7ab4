//! Notation signatures that must not verify, made from one the real
//! `notation` signed: the same envelope over another image, its chain
//! running through a certificate the trusted CA issued but that is no CA
//! (a TLS server's, `CA:FALSE`, and one without basicConstraints), and an
//! expiry that is a number or that has passed once its UTC offset counts,
//! and a signing certificate that names no extended key usage.
//! notation refuses to sign through such chains, so openssl signs them
//! (RSA-PSS, as `PS256` says). `notation verify` rejects each; so must
//! regscope.

use std::path::Path;
use std::process::Command;

use base64::Engine as _;
use serde_json::{Value, json};

use super::{Differential, audit, gate, row};
use crate::support::fixture::push_image;
use crate::support::forge::Forge;
use crate::support::notation::Notation;
use crate::support::pki::{Issue, TestCa};
use crate::support::{Oras, Registry};

const NOTARY: &str = "application/vnd.cncf.notary.signature";
const RSA: &[&str] = &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"];

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn der_b64(pem: &Path) -> String {
    let out = Command::new("openssl")
        .args(["x509", "-outform", "DER", "-in"])
        .arg(pem)
        .output()
        .unwrap();
    assert!(out.status.success());
    base64::engine::general_purpose::STANDARD.encode(out.stdout)
}

/// PS256 over `input` with `key`, as JWS writes it.
fn ps256(dir: &Path, key: &Path, input: &str) -> String {
    let file = dir.join("signing-input");
    std::fs::write(&file, input).unwrap();
    let out = Command::new("openssl")
        .args([
            "dgst",
            "-sha256",
            "-sigopt",
            "rsa_padding_mode:pss",
            "-sigopt",
            "rsa_pss_saltlen:32",
            "-sign",
        ])
        .arg(key)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    b64url(&out.stdout)
}

/// `jws` re-signed by `key` with chain `chain` over `target`, its
/// protected header changed by `header`.
fn resign(
    dir: &Path,
    jws: &Value,
    key: &Path,
    chain: &[&Path],
    target: &Value,
    header: impl Fn(&mut Value),
) -> Vec<u8> {
    let mut jws = jws.clone();
    let mut protected: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(jws["protected"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    header(&mut protected);
    let protected = b64url(&serde_json::to_vec(&protected).unwrap());
    let payload = b64url(&serde_json::to_vec(&json!({"targetArtifact": target})).unwrap());
    jws["signature"] = ps256(dir, key, &format!("{protected}.{payload}")).into();
    jws["protected"] = protected.into();
    jws["payload"] = payload.into();
    jws["header"]["x5c"] = chain.iter().map(|c| Value::from(der_b64(c))).collect();
    serde_json::to_vec(&jws).unwrap()
}

const SIGNER: &str = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning";
const TLS_SERVER: &str = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth";
/// Each image, and what regscope's reason must say (empty: it verifies).
const EXPECTED: [(&str, &str); 6] = [
    ("good", ""),
    ("through-tls", "not a CA"),
    ("through-no-constraints", "not a CA"),
    ("expiry-number", "unreadable expiry"),
    ("expired-offset", "has expired"),
    ("no-code-signing", "not for code signing"),
];

/// An hour ago, written in +05:00: read without its offset it would be
/// four hours ahead.
fn an_hour_ago_in_plus_five() -> String {
    let an_hour_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1);
    an_hour_ago
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(5)))
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Signs "good" with notation, then pushes the forgeries for the others.
fn sign_and_forge(ca: &TestCa, notation: &Notation, forge: &Forge<'_>, digests: &[String]) {
    let issue = |name: &str, by: &str, extensions: &str| {
        let subject = format!("/O=acme/CN={name}");
        let extensions = extensions.to_owned();
        ca.issue(&Issue {
            name,
            subject: &subject,
            by,
            extensions,
            key: RSA,
            reuse_key: None,
            dates: None,
        })
    };
    let good = issue("signer", "root", SIGNER);
    let tls = issue("shop", "root", TLS_SERVER);
    let no_bc = issue(
        "no-constraints",
        "root",
        "keyUsage=critical,digitalSignature,keyCertSign",
    );
    let via_tls = issue("via-tls", "shop", SIGNER);
    let via_no_bc = issue("via-no-constraints", "no-constraints", SIGNER);
    let no_eku = SIGNER.replace("\nextendedKeyUsage=codeSigning", "");
    let no_eku = issue("no-eku", "root", &no_eku);
    notation.add_signing_key("signer", &good.key, &ca.chain_of(&["signer", "root"]));
    let at = |digest: &str| forge.registry.reference(&format!("notation@{digest}"));
    let sign = [
        "sign",
        "--insecure-registry",
        "--force-referrers-tag=false",
        "--key",
        "signer",
    ];
    notation.run(&[&sign[..], &[&at(&digests[0])]].concat());
    let (template, jws) = forge.referrer(&digests[0], Some(NOTARY));
    let jws: Value = serde_json::from_slice(&jws).unwrap();
    let descriptor = |digest: &str| -> Value {
        let found = forge
            .oras
            .json(&["manifest", "fetch", "--descriptor", &at(digest)]);
        json!({"mediaType": found["mediaType"], "digest": digest, "size": found["size"]})
    };
    let root = ca.dir().join("root.pem");
    let root = root.as_path();
    let (d, keep) = (forge.dir, |_: &mut Value| {});
    let local = an_hour_ago_in_plus_five();
    let forged = [
        resign(
            d,
            &jws,
            &via_tls.key,
            &[&via_tls.cert, &tls.cert, root],
            &descriptor(&digests[1]),
            keep,
        ),
        resign(
            d,
            &jws,
            &via_no_bc.key,
            &[&via_no_bc.cert, &no_bc.cert, root],
            &descriptor(&digests[2]),
            keep,
        ),
        resign(
            d,
            &jws,
            &good.key,
            &[&good.cert, root],
            &descriptor(&digests[3]),
            |h| {
                h["io.cncf.notary.expiry"] = 4_102_444_800_u64.into();
            },
        ),
        resign(
            d,
            &jws,
            &good.key,
            &[&good.cert, root],
            &descriptor(&digests[4]),
            |h| {
                h["io.cncf.notary.expiry"] = local.clone().into();
            },
        ),
        resign(
            d,
            &jws,
            &no_eku.key,
            &[&no_eku.cert, root],
            &descriptor(&digests[5]),
            keep,
        ),
    ];
    for (digest, bytes) in digests[1..].iter().zip(&forged) {
        forge.push_referrer(digest, &template, bytes, &[]);
    }
}

#[test]
fn notation_chains_through_non_cas_and_bad_expiries_never_verify() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let notation = Notation::new();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ca = TestCa::new(d, "acme");
    let store = notation.add_trust_store("acme", &ca.dir().join("root.pem"));
    let digests: Vec<String> = EXPECTED
        .iter()
        .map(|(tag, _)| {
            push_image(
                &oras,
                d,
                &registry.reference(&format!("notation:{tag}")),
                tag,
                "linux",
                tag,
            )
            .0
        })
        .collect();
    let forge = Forge {
        oras: &oras,
        registry: &registry,
        dir: d,
        repo: "notation",
    };
    sign_and_forge(&ca, &notation, &forge, &digests);

    let repo = registry.reference("notation");
    let args = ["--notation-trust-store", store.to_str().unwrap()];
    let (json, _) = audit(d, &repo, &args);
    let mut differential = Differential::default();
    for ((tag, why), digest) in EXPECTED.iter().zip(&digests) {
        let found = row(&json, tag);
        let signature = &found["details"]["signatures"][0]["verification"];
        let ours = signature["status"] == "verified";
        assert_eq!(ours, why.is_empty(), "{tag}: {found:#}");
        let said = if why.is_empty() {
            signature["time"].to_string()
        } else {
            signature["reasons"].to_string()
        };
        let expected = if why.is_empty() {
            "no timestamp checked"
        } else {
            why
        };
        assert!(said.contains(expected), "{tag}: {signature:#}");
        let image = registry.reference(&format!("notation@{digest}"));
        differential.record(tag, ours, notation.verifies("acme", &image));
    }
    let failing: Vec<&str> = EXPECTED[1..].iter().map(|(tag, _)| *tag).collect();
    gate(d, &repo, &args, &failing, &["good"]);
    // notation takes a signing certificate without extended key usage;
    // regscope wants code signing named (README, "Trust model").
    differential.check(&["no-code-signing"]);
}
