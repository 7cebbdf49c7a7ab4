//! `regscope verify --bundle FILE --certificate-identity … --certificate-
//! oidc-issuer … DIGEST` on real public-good bundles (cosign's and
//! sigstore-go's test data: Fulcio certificates with SCTs, Rekor v1 entries)
//! with no other flag, as `cosign verify-blob --bundle` works: the embedded
//! public-good root vouches, and the verdict names the Rekor entry and the
//! root. Beside each, and each mutation of it, `cosign3 verify-blob-
//! attestation` offline against the same root: regscope never verifies
//! what cosign rejects (`Differential`).

use std::path::{Path, PathBuf};
use std::process::Output;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use regscope::audit::transparency::shipped;
use serde_json::Value;

use super::{Differential, status, verify};
use crate::support::Cosign;
use crate::transparency::{data_path, json};

mod mutations;

use self::mutations::{edited_roots, mutations};

/// One real bundle and what it was made for.
struct Case {
    file: &'static str,
    identity: &'static str,
    issuer: &'static str,
    /// `sha256:<hex>` or `sha512:<hex>`: the statement's subject.
    digest: String,
    predicate_type: String,
}

const GITHUB_ACTIONS: &str = "https://token.actions.githubusercontent.com";
const SIGSTORE_JS: &str =
    "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main";

fn case(file: &'static str, identity: &'static str, issuer: &'static str) -> Case {
    let bundle = json(file);
    let payload = STANDARD
        .decode(bundle["dsseEnvelope"]["payload"].as_str().unwrap())
        .unwrap();
    let statement: Value = serde_json::from_slice(&payload).unwrap();
    let digests = statement["subject"][0]["digest"].as_object().unwrap();
    let (algorithm, hex) = digests.iter().next().unwrap();
    Case {
        file,
        identity,
        issuer,
        digest: format!("{algorithm}:{}", hex.as_str().unwrap()),
        predicate_type: statement["predicateType"].as_str().unwrap().to_owned(),
    }
}

fn cases() -> Vec<Case> {
    vec![
        case(
            "cosign/oci-attestation.sigstore.json",
            "cody@soyland.com",
            "https://github.com/login/oauth",
        ),
        case(
            "sigstore-go/dsse.sigstore.json",
            "brian@dehamer.com",
            "https://github.com/login/oauth",
        ),
        case(
            "sigstore-go/sigstore.js@2.0.0-provenance.sigstore.json",
            SIGSTORE_JS,
            GITHUB_ACTIONS,
        ),
        case(
            "sigstore-go/bundle-provenance.json",
            SIGSTORE_JS,
            GITHUB_ACTIONS,
        ),
    ]
}

/// What one check is given: the bundle, the identity, and the extra flags.
struct Run<'a> {
    case: &'a Case,
    bundle: &'a Path,
    identity: &'a str,
    issuer: &'a str,
    /// A trusted root other than the public-good one.
    root: Option<&'a Path>,
    ignore_tlog: bool,
}

fn regscope_says(dir: &Path, run: &Run<'_>) -> Output {
    let bundle = run.bundle.to_str().unwrap();
    let mut args = vec![
        "--bundle",
        bundle,
        "--certificate-identity",
        run.identity,
        "--certificate-oidc-issuer",
        run.issuer,
        "--format",
        "json",
    ];
    if let Some(root) = run.root {
        args.extend(["--trusted-root", root.to_str().unwrap()]);
    }
    if run.ignore_tlog {
        args.push("--insecure-ignore-tlog");
    }
    args.push(&run.case.digest);
    verify(dir, &args)
}

fn cosign_says(cosign: &Cosign, public_good: &Path, run: &Run<'_>) -> bool {
    let (algorithm, hex) = run.case.digest.split_once(':').unwrap();
    let root = run.root.unwrap_or(public_good);
    let mut args = vec![
        "verify-blob-attestation",
        "--bundle",
        run.bundle.to_str().unwrap(),
        "--trusted-root",
        root.to_str().unwrap(),
        "--certificate-identity",
        run.identity,
        "--certificate-oidc-issuer",
        run.issuer,
        "--type",
        &run.case.predicate_type,
        "--digest",
        hex,
        "--digestAlg",
        algorithm,
    ];
    if run.ignore_tlog {
        args.push("--insecure-ignore-tlog");
    }
    // Offline: `Cosign` gives it an empty TUF cache of its own.
    cosign.output(&args).status.success()
}

fn write(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec(value).unwrap()).unwrap();
    path
}

/// Where each run is judged: regscope's verdict, and beside it cosign's,
/// offline, against the same public-good root.
struct Judge<'a> {
    dir: &'a Path,
    cosign: &'a Cosign,
    public_good: &'a Path,
    differential: Differential,
}

impl Judge<'_> {
    /// `good` verifies, naming the embedded root, the Rekor entry and the
    /// identity.
    fn verifies(&mut self, good: &Run<'_>) {
        let file = good.case.file;
        let out = regscope_says(self.dir, good);
        let said: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{file}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(status(&out), 0, "{file}: {said:#}");
        let verification = &said["verification"];
        assert_eq!(verification["root"], "public-good (embedded, 2025-09-23)");
        let time = verification["time"].as_str().unwrap();
        assert!(time.contains(" per Rekor entry "), "{time}");
        assert!(
            verification["key"]
                .as_str()
                .unwrap()
                .starts_with(good.case.identity),
            "{verification}"
        );
        self.record(format!("{file}: good"), &out, good);
    }

    /// `run` does not verify.
    fn refuses(&mut self, what: &str, run: &Run<'_>) {
        let out = regscope_says(self.dir, run);
        assert_ne!(
            status(&out),
            0,
            "{}: {what} verified: {}",
            run.case.file,
            String::from_utf8_lossy(&out.stdout)
        );
        self.record(format!("{}: {what}", run.case.file), &out, run);
    }

    /// regscope's verdict on `run` beside cosign's.
    fn record(&mut self, name: String, out: &Output, run: &Run<'_>) {
        let cosign_ok = cosign_says(self.cosign, self.public_good, run);
        let verified = status(out) == 0;
        self.differential.record(&name, verified, cosign_ok);
    }
}

#[test]
fn real_public_good_bundles_verify_with_identity_flags_alone_and_mutations_fail() {
    let cosign = Cosign::v3();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let public_good = d.join("public-good.json");
    std::fs::write(&public_good, shipped::PUBLIC_GOOD_JSON).unwrap();
    let roots = edited_roots(d);
    let cases = cases();
    let mut judge = Judge {
        dir: d,
        cosign: &cosign,
        public_good: &public_good,
        differential: Differential::default(),
    };
    for (n, case) in cases.iter().enumerate() {
        let bundle = data_path(case.file);
        let good = Run {
            case,
            bundle: &bundle,
            identity: case.identity,
            issuer: case.issuer,
            root: None,
            ignore_tlog: false,
        };
        judge.verifies(&good);

        let wrong_identity = format!("{}x", case.identity);
        for (what, run) in [
            (
                "wrong identity",
                Run {
                    identity: &wrong_identity,
                    ..good
                },
            ),
            (
                "wrong issuer",
                Run {
                    issuer: "https://accounts.google.com",
                    ..good
                },
            ),
            (
                "--insecure-ignore-tlog",
                Run {
                    ignore_tlog: true,
                    ..good
                },
            ),
        ] {
            judge.refuses(what, &run);
        }
        for (what, root) in &roots {
            let run = Run {
                root: Some(root),
                ..good
            };
            judge.refuses(what, &run);
        }
        let original = json(case.file);
        let other = json(cases[(n + 1) % cases.len()].file);
        for (m, (what, edit)) in mutations().into_iter().enumerate() {
            let mut bundle = original.clone();
            edit(&mut bundle, &other);
            let mutated = write(d, &format!("mutated-{n}-{m}.json"), &bundle);
            let run = Run {
                bundle: &mutated,
                ..good
            };
            judge.refuses(what, &run);
        }
    }
    judge.differential.check(&[]);
}
