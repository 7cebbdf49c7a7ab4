//! Rekor v2 entries and RFC 3161 timestamps made by Sigstore's own
//! servers: rekor-tiles (the Rekor v2 server, its POSIX tile log) and
//! Sigstore's timestamp authority, with cosign v3 signing through them
//! (`sign-blob --signing-config`) as it does against the public-good
//! instance, and cosign v2 stamping an image signature (the legacy `.sig`
//! annotation). They run inside their own network namespace
//! (`tests/it/data/transparency/sigstore-instance.sh` under `unshare
//! --net`); the bundles they leave are checked here. cosign verifies each
//! bundle first; then regscope must verify it too, and fail each change.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use regscope::audit::transparency::{self, Evidence, Part, TimeSource, TrustedRoot};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::support::{tool, tools_dir};
use crate::transparency::{Parts, check, pem_der};

/// A change to a bundle.
type Change = Box<dyn Fn(&mut Value)>;

/// What the private instance left: bundles, the trusted root, the key.
struct Instance {
    dir: tempfile::TempDir,
}

impl Instance {
    fn start() -> Instance {
        let dir = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/it/data/transparency/sigstore-instance.sh");
        for needed in [
            "rekor-tiles",
            "timestamp-server",
            "cosign",
            "cosign3",
            "olareg",
            "oras",
        ] {
            tool(needed);
        }
        let out = Command::new("unshare")
            .args(["--net", "bash"])
            .arg(&script)
            .arg(dir.path())
            .arg(tools_dir().join("bin"))
            .output()
            .expect("run unshare (util-linux) as root");
        assert!(
            out.status.success() && dir.path().join("done").is_file(),
            "{} failed: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        Instance { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn bundle(&self, name: &str) -> Value {
        serde_json::from_slice(&std::fs::read(self.path(name)).unwrap()).unwrap()
    }

    /// cosign v3's offline verdict on `bundle` for `artifact`.
    fn cosign_verifies(&self, artifact: &str, bundle: &Value) -> bool {
        let file = self.path("check.sigstore.json");
        std::fs::write(&file, bundle.to_string()).unwrap();
        let (key, root, artifact) = (
            self.path("cosign.pub"),
            self.path("trusted_root.json"),
            self.path(artifact),
        );
        Command::new(tool("cosign3"))
            .args([
                "verify-blob",
                "--key",
                key.to_str().unwrap(),
                "--bundle",
                file.to_str().unwrap(),
            ])
            .args([
                "--trusted-root",
                root.to_str().unwrap(),
                artifact.to_str().unwrap(),
            ])
            .env("HOME", self.path("home"))
            .env("TUF_ROOT", self.path("tuf"))
            .output()
            .unwrap()
            .status
            .success()
    }

    /// `regscope verify --bundle` of `bundle` over second.txt with the
    /// key, and `--trusted-root` the instance's root when `extra` asks
    /// for it: the exit status and stdout.
    fn regscope_verdict(&self, bundle: &Value, extra: &[&str]) -> (i32, String) {
        let file = self.path("regscope.sigstore.json");
        std::fs::write(&file, bundle.to_string()).unwrap();
        let (key, root) = (self.path("cosign.pub"), self.path("trusted_root.json"));
        let mut args = vec![
            "verify",
            "--bundle",
            file.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
        ];
        for flag in extra {
            args.push(flag);
            if *flag == "--trusted-root" {
                args.push(root.to_str().unwrap());
            }
        }
        let artifact = self.path("second.txt");
        args.push(artifact.to_str().unwrap());
        let out = crate::cli::regscope_output(self.dir.path(), &args);
        let said = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.code().unwrap_or(-1), said)
    }

    fn root(&self) -> TrustedRoot {
        TrustedRoot::from_json(
            "the test instance",
            &std::fs::read(self.path("trusted_root.json")).unwrap(),
        )
        .unwrap()
    }

    fn key_der(&self) -> Vec<u8> {
        pem_der(&std::fs::read_to_string(self.path("cosign.pub")).unwrap())
    }

    fn parts(&self, signature: Vec<u8>, content: &[u8]) -> Parts {
        Parts {
            signature,
            signer: self.key_der(),
            certificate: false,
            digest: Some(Sha256::digest(content).to_vec()),
            payload_type: String::new(),
            payload: Vec::new(),
        }
    }
}

#[test]
fn rekor_v2_entries_and_timestamps_from_sigstores_servers_verify_and_their_changes_fail() {
    let instance = Instance::start();
    // The second of two entries, so its inclusion proof has a hash.
    let bundle = instance.bundle("second.sigstore.json");
    let content = b"second artifact\n";
    let entry = &bundle["verificationMaterial"]["tlogEntries"][0];
    assert_eq!(entry["kindVersion"]["version"], "0.0.2", "{bundle}");
    assert!(
        instance.cosign_verifies("second.txt", &bundle),
        "cosign rejects its own bundle: {bundle}"
    );
    let root = instance.root();
    let signature = STANDARD
        .decode(bundle["messageSignature"]["signature"].as_str().unwrap())
        .unwrap();
    let parts = instance.parts(signature.clone(), content);
    let proofs = check(&bundle, &parts, &root).unwrap();
    assert_eq!(proofs.log_entries.len(), 1);
    assert_eq!(
        proofs.times.len(),
        1,
        "only the timestamp gives a time: {:?}",
        proofs.times
    );
    assert!(matches!(
        proofs.times[0].source,
        TimeSource::Timestamp { .. }
    ));
    let age = jiff::Timestamp::now().as_second() - proofs.times[0].at.as_second();
    assert!((0..600).contains(&age), "stamped {age} s ago");

    let mut changes: Vec<(Part, Change)> = Vec::new();
    changes.push((Part::Checkpoint, Box::new(|b: &mut Value| {
        let envelope = &mut b["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["checkpoint"]["envelope"];
        let text = envelope.as_str().unwrap().to_owned();
        let (head, sig) = text.trim_end().rsplit_once(' ').unwrap();
        let mut bytes = STANDARD.decode(sig).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        *envelope = Value::String(format!("{head} {}\n", STANDARD.encode(bytes)));
    })));
    changes.push((
        Part::InclusionProof,
        Box::new(|b: &mut Value| {
            let hash =
                &mut b["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["hashes"][0];
            let mut bytes = STANDARD.decode(hash.as_str().unwrap()).unwrap();
            bytes[0] ^= 1;
            *hash = Value::String(STANDARD.encode(bytes));
        }),
    ));
    changes.push((Part::Timestamp, Box::new(|b: &mut Value| {
        let token = &mut b["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"][0]["signedTimestamp"];
        let mut bytes = STANDARD.decode(token.as_str().unwrap()).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        *token = Value::String(STANDARD.encode(bytes));
    })));
    for (part, change) in &changes {
        let mut changed = bundle.clone();
        change(&mut changed);
        // cosign with a key needs no time, and passes over a timestamp
        // that does not verify; regscope fails any proof that is present.
        let cosign_accepts = instance.cosign_verifies("second.txt", &changed);
        assert_eq!(
            cosign_accepts,
            *part == Part::Timestamp,
            "cosign on a changed {part}"
        );
        let err = check(&changed, &parts, &root).unwrap_err();
        assert_eq!(err.part, *part, "{err}");
        let (status, said) = instance.regscope_verdict(&changed, &["--trusted-root"]);
        assert_eq!(status, 1, "regscope verify on a changed {part}: {said}");
    }
    regscope_verify_key_with_a_root_for_its_logs(&instance, &bundle);
    // Another artifact: the entry records this one's digest.
    let other = instance.parts(signature, b"another artifact\n");
    assert_eq!(
        check(&bundle, &other, &root).unwrap_err().part,
        Part::EntryBody
    );
}

/// A key and a trusted root for its logs alone (no identity flags): the
/// entry and the timestamp verify and the verdict names both and the root;
/// against the public-good root, which does not list this log, it fails.
fn regscope_verify_key_with_a_root_for_its_logs(instance: &Instance, bundle: &Value) {
    let (status, said) = instance.regscope_verdict(bundle, &["--trusted-root"]);
    assert_eq!(status, 0, "{said}");
    assert!(
        said.contains("per timestamp by http://127.0.0.1:3004")
            && said.contains("root: ")
            && said.contains("trusted_root.json"),
        "{said}"
    );
    let (status, said) = instance.regscope_verdict(bundle, &[]);
    assert_eq!(status, 1, "{said}");
    assert!(
        said.contains("root: public-good") || said.contains("public-good ("),
        "the failure names the root it used: {said}"
    );
    let (status, said) =
        instance.regscope_verdict(bundle, &["--trusted-root", "--insecure-ignore-tlog"]);
    assert_eq!(status, 0, "{said}");
    assert!(
        said.contains("per timestamp by") && said.contains("not checked (--insecure-ignore-tlog)"),
        "{said}"
    );
}

#[test]
fn cosigns_legacy_timestamp_annotation_verifies_and_binds_the_signature() {
    // cosign v2 signing an image with `--timestamp-server-url` writes the
    // token into the `.sig` layer's `dev.sigstore.cosign/rfc3161timestamp`
    // annotation, over the raw signature bytes.
    let instance = Instance::start();
    let manifest = instance.bundle("stamped.sig.json");
    let layer = &manifest["layers"][0];
    let annotation = |name: &str| {
        layer["annotations"][name]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: {layer}"))
            .to_owned()
    };
    let payload = std::fs::read(instance.path("stamped.payload")).unwrap();
    let signature = STANDARD
        .decode(annotation("dev.cosignproject.cosign/signature"))
        .unwrap();
    let mut parts = instance.parts(signature, &payload);
    let timestamp = annotation("dev.sigstore.cosign/rfc3161timestamp");
    let evidence = Evidence::from_cosign_annotations(None, Some(&timestamp)).unwrap();
    let root = instance.root();
    let proofs = transparency::verify(&evidence, &parts.subject(), &root).unwrap();
    assert_eq!(proofs.times.len(), 1);
    let authority = "http://127.0.0.1:3004/api/v1/timestamp".to_owned();
    assert_eq!(proofs.times[0].source, TimeSource::Timestamp { authority });
    // The same token for another signature.
    parts.signature[4] ^= 1;
    let err = transparency::verify(&evidence, &parts.subject(), &root).unwrap_err();
    assert_eq!(err.part, Part::Timestamp, "{err}");
}
