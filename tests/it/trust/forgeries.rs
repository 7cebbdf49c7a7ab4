//! DSSE statement confusion, the first forgery issue 18 reports: an
//! envelope cosign signed for image "signed" is lent to other images with
//! a second, unsigned statement naming them beside it, in a bundle (as a
//! top-level `payload`, or as bare statement fields) or in a `.att` layer
//! (the envelope moved under `dsseEnvelope`); with a key and keyless; for
//! signatures and for SBOM attestations. Each forgery reads "failed" and
//! fails the gate, cosign v3 rejects it too, and what cosign signed
//! verifies.

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine as _;
use serde_json::{Value, json};

use super::{Differential, audit, gate, reasons, row, verified};
use crate::support::cosign::{CosignOp, SIGSTORE_BUNDLE_TYPE};
use crate::support::fixture::push_image;
use crate::support::forge::Forge;
use crate::support::pki::TestCa;
use crate::support::{Cosign, CosignMode, Oras, Registry};

const IDENTITY: &str = "dev@example.com";
const ISSUER: &str = "https://issuer.example";
const SIGN_PREDICATE: &str = "https://sigstore.dev/cosign/sign/v1";
const CYCLONEDX: &str = "https://cyclonedx.org/bom";
const TAGS: [&str; 8] = [
    "signed",
    "payload",
    "statement",
    "sbom",
    "att-signed",
    "att",
    "keyless",
    "keyless-payload",
];

fn statement_naming(digest: &str, predicate_type: &str) -> Vec<u8> {
    let hex = digest.trim_start_matches("sha256:");
    serde_json::to_vec(&json!({
        "_type": "https://in-toto.io/Statement/v1",
        "predicateType": predicate_type,
        "subject": [{"name": "victim", "digest": {"sha256": hex}}],
        "predicate": {"bomFormat": "CycloneDX", "specVersion": "1.5", "components": []},
    }))
    .unwrap()
}

fn base64(bytes: &[u8]) -> Value {
    base64::engine::general_purpose::STANDARD
        .encode(bytes)
        .into()
}

/// A signed bundle with a second, unsigned statement naming `victim` at its
/// top level: as a DSSE `payload` (`as_payload`), or as bare statement
/// fields with the bundle's media type removed.
fn confuse(bundle: &[u8], victim: &str, predicate_type: &str, as_payload: bool) -> Vec<u8> {
    let mut doc: Value = serde_json::from_slice(bundle).unwrap();
    let statement = statement_naming(victim, predicate_type);
    if as_payload {
        doc["payloadType"] = "application/vnd.in-toto+json".into();
        doc["payload"] = base64(&statement);
    } else {
        doc.as_object_mut().unwrap().remove("mediaType");
        let fields: Value = serde_json::from_slice(&statement).unwrap();
        for (field, value) in fields.as_object().unwrap() {
            doc[field] = value.clone();
        }
    }
    serde_json::to_vec(&doc).unwrap()
}

/// A `.att` DSSE layer moved under `dsseEnvelope`, with a statement naming
/// `victim` as the top-level payload.
fn confuse_att(layer: &[u8], victim: &str) -> Vec<u8> {
    let envelope: Value = serde_json::from_slice(layer).unwrap();
    let doc = json!({
        "dsseEnvelope": envelope,
        "payloadType": "application/vnd.in-toto+json",
        "payload": base64(&statement_naming(victim, CYCLONEDX)),
    });
    serde_json::to_vec(&doc).unwrap()
}

struct Ground {
    registry: Registry,
    oras: Oras,
    cosign: Cosign,
    cosign2: Cosign,
    dir: tempfile::TempDir,
    digests: BTreeMap<&'static str, String>,
    root: PathBuf,
}

impl Ground {
    fn new() -> Ground {
        let registry = Registry::olareg();
        let oras = Oras::for_registry(&registry);
        let dir = tempfile::tempdir().unwrap();
        let mut digests = BTreeMap::new();
        for tag in TAGS {
            let reference = registry.reference(&format!("forged:{tag}"));
            digests.insert(
                tag,
                push_image(&oras, dir.path(), &reference, tag, "linux", tag).0,
            );
        }
        let root = dir.path().join("ca/trusted_root.json");
        Ground {
            registry,
            oras,
            cosign: Cosign::v3(),
            cosign2: Cosign::v2(),
            dir,
            digests,
            root,
        }
    }

    fn at(&self, tag: &str) -> String {
        self.registry
            .reference(&format!("forged@{}", self.digests[tag]))
    }

    fn forge(&self) -> Forge<'_> {
        Forge {
            oras: &self.oras,
            registry: &self.registry,
            dir: self.dir.path(),
            repo: "forged",
        }
    }

    /// cosign v3 signs and attests "signed" (bundles); its envelopes are
    /// lent to "payload", "statement" and "sbom".
    fn lend_keyed_bundles(&self) {
        let forge = self.forge();
        self.cosign.sign(&self.at("signed"), CosignMode::Bundle);
        let (template, signature) =
            forge.referrer(&self.digests["signed"], Some(SIGSTORE_BUNDLE_TYPE));
        for (tag, as_payload) in [("payload", true), ("statement", false)] {
            let forged = confuse(&signature, &self.digests[tag], SIGN_PREDICATE, as_payload);
            forge.push_referrer(&self.digests[tag], &template, &forged, &[]);
        }
        self.cosign.attest(
            &self.at("signed"),
            CosignMode::Bundle,
            "cyclonedx",
            &self.bom(),
        );
        let found = self
            .oras
            .json(&["discover", "--format", "json", &self.at("signed")]);
        let attestation = found["referrers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["annotations"]["dev.sigstore.bundle.predicateType"] == CYCLONEDX)
            .unwrap_or_else(|| panic!("no attestation: {found:#}"));
        let reference = self.registry.reference(&format!(
            "forged@{}",
            attestation["digest"].as_str().unwrap()
        ));
        let (template, bytes) = forge.manifest_and_layer(&reference);
        let forged = confuse(&bytes, &self.digests["sbom"], CYCLONEDX, true);
        forge.push_referrer(&self.digests["sbom"], &template, &forged, &[]);
    }

    fn bom(&self) -> PathBuf {
        let path = self.dir.path().join("bom.json");
        std::fs::write(
            &path,
            br#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}"#,
        )
        .unwrap();
        path
    }

    /// cosign v2's legacy `.att` of "att-signed", its envelope lent to "att".
    fn lend_legacy_att(&self) {
        self.cosign2.attest(
            &self.at("att-signed"),
            CosignMode::LegacyTags,
            "cyclonedx",
            &self.bom(),
        );
        let forge = self.forge();
        let (template, layer) = forge.cosign_tag(&self.digests["att-signed"], "att");
        let forged = confuse_att(&layer, &self.digests["att"]);
        forge.push_cosign_tag(&self.digests["att"], "att", &template, &forged, &[]);
    }

    /// cosign v2 signs "keyless" with a certificate of the test CA; its
    /// bundle is lent to "keyless-payload".
    fn lend_keyless_bundle(&self) {
        let ca = TestCa::new(self.dir.path(), "ca");
        assert_eq!(ca.trusted_root(), self.root);
        let leaf = ca.leaf("dev", IDENTITY, ISSUER);
        let prefix = self.dir.path().join("dev");
        let (key, cert) = (leaf.key.to_str().unwrap(), leaf.cert.to_str().unwrap());
        self.cosign2.run(&[
            "import-key-pair",
            "--key",
            key,
            "--output-key-prefix",
            prefix.to_str().unwrap(),
        ]);
        let key = format!("{}.key", prefix.display());
        let flags = [
            "--tlog-upload=false",
            "--new-bundle-format",
            "--allow-http-registry",
            "--yes",
        ];
        let image = self.at("keyless");
        self.cosign2.run(
            &[
                &["sign", "--key", &key, "--certificate", cert][..],
                &flags,
                &[&image],
            ]
            .concat(),
        );
        let forge = self.forge();
        let (template, signature) =
            forge.referrer(&self.digests["keyless"], Some(SIGSTORE_BUNDLE_TYPE));
        let victim = &self.digests["keyless-payload"];
        let forged = confuse(&signature, victim, SIGN_PREDICATE, true);
        forge.push_referrer(victim, &template, &forged, &[]);
    }

    fn cosign_verifies(&self, cosign: &Cosign, op: CosignOp, mode: CosignMode, tag: &str) -> bool {
        let mut args = cosign.args(op, mode);
        if op == CosignOp::VerifyAttestation {
            args.extend(["--type".to_owned(), "cyclonedx".to_owned()]);
        }
        args.push(self.at(tag));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cosign.output(&args).status.success()
    }
}

fn sbom_verified(row: &Value) -> bool {
    row["details"]["sbomVerification"]["status"] == "verified"
}

fn check_keyed(ground: &Ground, differential: &mut Differential) {
    let (d, repo) = (ground.dir.path(), ground.registry.reference("forged"));
    let key = ground.cosign.public_key();
    let args = ["--key", key.to_str().unwrap()];
    let (json, _) = audit(d, &repo, &args);
    for tag in ["signed", "payload", "statement"] {
        let found = row(&json, tag);
        assert_eq!(verified(found), tag == "signed", "{tag}: {found:#}");
        if tag != "signed" {
            assert!(
                reasons(found).contains("can be read two ways"),
                "{tag}: {}",
                reasons(found)
            );
        }
        let cosign_says =
            ground.cosign_verifies(&ground.cosign, CosignOp::Verify, CosignMode::Bundle, tag);
        differential.record(tag, verified(found), cosign_says);
    }
    for tag in ["sbom", "signed"] {
        let ours = sbom_verified(row(&json, tag));
        assert_eq!(ours, tag == "signed", "{tag}: {:#}", row(&json, tag));
        let op = CosignOp::VerifyAttestation;
        let cosign_says = ground.cosign_verifies(&ground.cosign, op, CosignMode::Bundle, tag);
        differential.record(&format!("{tag} attestation"), ours, cosign_says);
    }
    gate(d, &repo, &args, &["payload", "statement"], &["signed"]);

    let key = ground.cosign2.public_key();
    let (json, _) = audit(d, &repo, &["--key", key.to_str().unwrap()]);
    for tag in ["att", "att-signed"] {
        let ours = sbom_verified(row(&json, tag));
        assert_eq!(ours, tag == "att-signed", "{tag}: {:#}", row(&json, tag));
        let (op, mode) = (CosignOp::VerifyAttestation, CosignMode::LegacyTags);
        let cosign_says = ground.cosign_verifies(&ground.cosign2, op, mode, tag);
        differential.record(&format!("{tag} (legacy .att)"), ours, cosign_says);
    }
}

fn check_keyless(ground: &Ground, differential: &mut Differential) {
    let (d, repo) = (ground.dir.path(), ground.registry.reference("forged"));
    let root = ground.root.to_str().unwrap();
    let identity = [
        "--trusted-root",
        root,
        "--certificate-identity",
        IDENTITY,
        "--certificate-oidc-issuer",
        ISSUER,
    ];
    let args = [
        &identity[..],
        &["--insecure-ignore-sct", "--insecure-ignore-tlog"],
    ]
    .concat();
    let (json, _) = audit(d, &repo, &args);
    for tag in ["keyless", "keyless-payload"] {
        let found = row(&json, tag);
        assert_eq!(verified(found), tag == "keyless", "{tag}: {found:#}");
        let image = ground.at(tag);
        let flags = [
            "--insecure-ignore-tlog",
            "--insecure-ignore-sct",
            "--allow-http-registry",
            &image,
        ];
        let cosign_says = ground
            .cosign
            .output(&[&["verify"][..], &identity, &flags].concat())
            .status
            .success();
        differential.record(tag, verified(found), cosign_says);
    }
    gate(d, &repo, &args, &["keyless-payload"], &["keyless"]);
}

#[test]
fn dsse_statement_confusion_never_verifies() {
    let ground = Ground::new();
    ground.lend_keyed_bundles();
    ground.lend_legacy_att();
    ground.lend_keyless_bundle();
    let mut differential = Differential::default();
    check_keyed(&ground, &mut differential);
    check_keyless(&ground, &mut differential);
    differential.check(&[]);
}
