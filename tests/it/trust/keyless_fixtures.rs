//! The keyless attack fixtures: certificates made with openssl by a
//! Fulcio-shaped test CA (and a rogue one), each signed over its own image
//! by the real cosign v2 (`sign --new-bundle-format` takes any
//! certificate) or, for keys cosign refuses to import, by openssl and
//! `cosign attach signature --certificate`.

use std::path::{Path, PathBuf};

use crate::support::pki::{Issue, Leaf, P256, TestCa, fulcio_extensions};
use crate::support::{Cosign, Registry};

pub const IDENTITY: &str = "dev@example.com";
pub const ISSUER: &str = "https://issuer.example";
const RSA512: &[&str] = &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:512"];
const RSA1024: &[&str] = &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"];
const RSA2048: &[&str] = &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"];

/// How a fixture is signed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// cosign v2 `sign --new-bundle-format`: a Sigstore bundle referrer.
    Bundle,
    /// openssl over `cosign generate`'s payload, `cosign attach signature
    /// --certificate`: a legacy `.sig` tag.
    Attached,
}

pub struct Fixture {
    pub tag: &'static str,
    pub form: Form,
    pub leaf: Leaf,
    pub chain: Option<PathBuf>,
    /// What regscope's reason must say (empty: it verifies).
    pub why: &'static str,
}

fn fixture(tag: &'static str, form: Form, leaf: Leaf, why: &'static str) -> Fixture {
    Fixture {
        tag,
        form,
        leaf,
        chain: None,
        why,
    }
}

fn issue(
    ca: &TestCa,
    name: &str,
    subject: &str,
    by: &str,
    extensions: String,
    key: &[&str],
) -> Leaf {
    ca.issue(&Issue {
        name,
        subject,
        by,
        extensions,
        key,
        reuse_key: None,
        dates: None,
    })
}

fn fulcio() -> String {
    fulcio_extensions(IDENTITY, ISSUER)
}

fn fulcio_without(line: &str) -> String {
    fulcio()
        .lines()
        .filter(|l| !l.starts_with(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Fulcio's extensions with issuer `v1` in 1.3.6.1.4.1.57264.1.1 and `v2`
/// in .1.8 (in that order, as openssl writes them).
fn conflicting(v1: &str, v2: &str) -> String {
    let hex: String = v1.bytes().map(|b| format!("{b:02x}")).collect();
    let keep = fulcio_without("1.3.6.1.4.1.57264");
    format!("{keep}\n1.3.6.1.4.1.57264.1.1=DER:{hex}\n1.3.6.1.4.1.57264.1.8=ASN1:UTF8String:{v2}")
}

/// Every certificate attack, and two good twins.
pub fn fixtures(ca: &TestCa, rogue_ca: &TestCa) -> Vec<Fixture> {
    let mut all = path_fixtures(ca, rogue_ca);
    all.extend(field_fixtures(ca));
    all
}

fn leaf(ca: &TestCa, name: &str, by: &str, extensions: String, key: &[&str]) -> Leaf {
    issue(ca, name, "/O=regscope-test", by, extensions, key)
}

/// The good twins and the attacks on the path: who issued the leaf, and
/// when it was valid.
fn path_fixtures(ca: &TestCa, rogue_ca: &TestCa) -> Vec<Fixture> {
    ca.leaf("dev", IDENTITY, ISSUER);
    let rogue_inter = "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign\nextendedKeyUsage=codeSigning";
    let subject = "/O=regscope-test/CN=rogue intermediate";
    issue(
        ca,
        "rogue-inter",
        subject,
        "root",
        rogue_inter.to_owned(),
        P256,
    );
    let dates = Some(("20210101000000Z", "20210102000000Z"));
    let expired = ca.issue(&Issue {
        name: "expired",
        subject: "/O=regscope-test",
        by: "inter",
        extensions: fulcio(),
        key: P256,
        reuse_key: None,
        dates,
    });
    let carried = leaf(ca, "carried", "rogue-inter", fulcio(), P256);
    let mut carried = fixture(
        "carried-intermediate",
        Form::Bundle,
        carried,
        "does not chain",
    );
    carried.chain = Some(ca.chain_of(&["rogue-inter", "root"]));
    let good_rsa = leaf(ca, "good-rsa", "inter", fulcio(), RSA2048);
    let minted = leaf(ca, "minted", "dev", fulcio(), P256);
    let rogue = rogue_ca.leaf("dev", IDENTITY, ISSUER);
    vec![
        fixture("good", Form::Bundle, ca.leaf("good", IDENTITY, ISSUER), ""),
        fixture("good-attached", Form::Attached, good_rsa, ""),
        fixture("minted", Form::Bundle, minted, "does not chain"),
        carried,
        fixture("expired", Form::Bundle, expired, "expired"),
        fixture("rogue-ca", Form::Bundle, rogue, "does not chain"),
    ]
}

/// The attacks on what the leaf says: its identity, issuer, usages,
/// extensions and key.
fn field_fixtures(ca: &TestCa) -> Vec<Fixture> {
    let cn_subject = format!("/O=regscope-test/CN={IDENTITY}");
    let cn_only = issue(
        ca,
        "cn-only",
        &cn_subject,
        "inter",
        fulcio_without("subjectAltName"),
        P256,
    );
    let attacker = "https://attacker.example";
    let v2_expected = leaf(
        ca,
        "conflict-a",
        "inter",
        conflicting(attacker, ISSUER),
        P256,
    );
    let v1_expected = leaf(
        ca,
        "conflict-b",
        "inter",
        conflicting(ISSUER, attacker),
        P256,
    );
    let usage = fulcio().replace(
        "keyUsage=critical,digitalSignature",
        "keyUsage=critical,keyAgreement",
    );
    let no_signing = leaf(ca, "no-ds", "inter", usage, P256);
    let no_eku = leaf(
        ca,
        "no-eku",
        "inter",
        fulcio_without("extendedKeyUsage"),
        P256,
    );
    let critical = format!("{}\n1.2.3.4.5=critical,ASN1:NULL", fulcio());
    let critical = leaf(ca, "critical", "inter", critical, P256);
    let rsa512 = leaf(ca, "rsa512", "inter", fulcio(), RSA512);
    let rsa1024 = leaf(ca, "rsa1024", "inter", fulcio(), RSA1024);
    let san_only = "found none (identities are read from the SAN only)";
    vec![
        fixture("cn-only", Form::Bundle, cn_only, san_only),
        fixture(
            "issuers-v2-expected",
            Form::Bundle,
            v2_expected,
            "two OIDC issuers",
        ),
        fixture(
            "issuers-v1-expected",
            Form::Bundle,
            v1_expected,
            "two OIDC issuers",
        ),
        fixture(
            "no-digital-signature",
            Form::Bundle,
            no_signing,
            "does not allow digitalSignature",
        ),
        fixture(
            "no-code-signing",
            Form::Bundle,
            no_eku,
            "not for code signing",
        ),
        fixture(
            "unknown-critical",
            Form::Bundle,
            critical,
            "critical extension",
        ),
        fixture(
            "rsa512-leaf",
            Form::Attached,
            rsa512,
            "512-bit RSA key: too weak",
        ),
        fixture(
            "rsa1024-leaf",
            Form::Attached,
            rsa1024,
            "1024-bit RSA key: too weak",
        ),
    ]
}

/// Signs `image` as `fixture` says.
pub fn sign(cosign: &Cosign, dir: &Path, fixture: &Fixture, image: &str) {
    let cert = fixture.leaf.cert.to_str().unwrap();
    match fixture.form {
        Form::Bundle => {
            let prefix = dir.join(format!("cosign-{}", fixture.tag));
            let key = fixture.leaf.key.to_str().unwrap();
            cosign.run(&[
                "import-key-pair",
                "--key",
                key,
                "--output-key-prefix",
                prefix.to_str().unwrap(),
            ]);
            let key = format!("{}.key", prefix.display());
            let mut args = vec![
                "sign",
                "--key",
                &key,
                "--certificate",
                cert,
                "--tlog-upload=false",
            ];
            args.extend(["--new-bundle-format", "--allow-http-registry", "--yes"]);
            if let Some(chain) = &fixture.chain {
                args.extend(["--certificate-chain", chain.to_str().unwrap()]);
            }
            args.push(image);
            cosign.run(&args);
        }
        Form::Attached => {
            super::sign_by_hand(
                cosign,
                dir,
                &fixture.leaf.key,
                Some(&fixture.leaf.cert),
                image,
            );
        }
    }
}

/// Whether cosign v3 accepts `image` for the expected identity against
/// `root`.
pub fn cosign3_verifies(
    cosign: &Cosign,
    root: &Path,
    form: Form,
    image: &str,
    ignore_tlog: bool,
) -> bool {
    let mut args = vec!["verify", "--trusted-root", root.to_str().unwrap()];
    args.extend([
        "--certificate-identity",
        IDENTITY,
        "--certificate-oidc-issuer",
        ISSUER,
    ]);
    args.extend(["--insecure-ignore-sct", "--allow-http-registry"]);
    if ignore_tlog {
        args.push("--insecure-ignore-tlog");
    }
    if form == Form::Attached {
        args.push("--new-bundle-format=false");
    }
    args.push(image);
    cosign.output(&args).status.success()
}

/// The keyless audit flags for `root`.
pub fn keyless_args(root: &Path) -> Vec<String> {
    [
        "--trusted-root",
        root.to_str().unwrap(),
        "--certificate-identity",
        IDENTITY,
    ]
    .into_iter()
    .chain([
        "--certificate-oidc-issuer",
        ISSUER,
        "--insecure-ignore-sct",
        "--insecure-ignore-tlog",
    ])
    .map(str::to_owned)
    .collect()
}

/// A push target for the fixtures' images.
pub fn image_ref(registry: &Registry, digest: &str) -> String {
    registry.reference(&format!("keyless@{digest}"))
}
