//! Trust you can gate a release on: the attack fixtures of issue 18. Each
//! forged or weakened signature is made from what the real tools write
//! (cosign v2 and v3, notation, openssl), pushed to olareg, and must read
//! "failed" and fail `--require verified`, beside a good twin that
//! verifies. Each is also put to the real verifier (cosign v3, notation):
//! regscope never says "verified" where it rejects, and every case where
//! it accepts and regscope rejects is listed with why (`Differential`).

mod forgeries;
mod keyless_attacks;
mod keyless_fixtures;
mod notation_attacks;
mod public_good;
mod verify_bundle;
mod verify_image;
mod weak_keys;

use std::path::Path;
use std::process::{Command, Output};

use base64::Engine as _;
use serde_json::Value;

use crate::cli::regscope_output;
use crate::support::Cosign;

/// Runs openssl quietly (key generation prints progress); panics with its
/// stderr when it fails. Returns stdout.
pub fn openssl(args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `cosign generate`'s payload for `image`, signed by `key` with openssl
/// (RSA PKCS#1 v1.5, SHA-256) and attached with `cosign attach signature`,
/// with `certificate` when given: what cosign cannot sign itself (it
/// refuses to import an RSA key under 2048 bits).
pub fn sign_by_hand(
    cosign: &Cosign,
    dir: &Path,
    key: &Path,
    certificate: Option<&Path>,
    image: &str,
) {
    let payload = cosign.run(&["generate", "--allow-http-registry", image]);
    let name = &crate::support::sha256_digest(image.as_bytes())[7..19];
    let payload_file = dir.join(format!("{name}.payload"));
    std::fs::write(&payload_file, payload.trim_end()).unwrap();
    let signature = openssl(&[
        "dgst".as_ref(),
        "-sha256".as_ref(),
        "-sign".as_ref(),
        key.as_os_str(),
        payload_file.as_os_str(),
    ]);
    let signature_file = dir.join(format!("{name}.sig.b64"));
    std::fs::write(
        &signature_file,
        base64::engine::general_purpose::STANDARD.encode(signature),
    )
    .unwrap();
    let mut args = vec![
        "attach",
        "signature",
        "--allow-http-registry",
        "--payload",
        payload_file.to_str().unwrap(),
        "--signature",
        signature_file.to_str().unwrap(),
    ];
    if let Some(certificate) = certificate {
        args.extend(["--certificate", certificate.to_str().unwrap()]);
    }
    args.push(image);
    cosign.run(&args);
}

/// The exit status of a finished command.
pub fn status(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// `regscope verify ARGS`.
pub fn verify(dir: &Path, args: &[&str]) -> Output {
    regscope_output(dir, &[&["verify"], args].concat())
}

/// `regscope audit REPO --format json ARGS`: the JSON and the output.
pub fn audit(dir: &Path, repo: &str, args: &[&str]) -> (Value, Output) {
    let mut all = vec!["audit", repo, "--format", "json"];
    all.extend(args);
    let out = regscope_output(dir, &all);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "audit {args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (json, out)
}

/// The row of the image tagged `tag`.
pub fn row<'a>(json: &'a Value, tag: &str) -> &'a Value {
    json["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["tags"].as_array().unwrap().iter().any(|t| t == tag))
        .unwrap_or_else(|| panic!("no row for {tag}: {json:#}"))
}

pub fn verified(row: &Value) -> bool {
    row["verification"] == "verified"
}

pub fn reasons(row: &Value) -> String {
    row["details"]["verification"]["reasons"].to_string()
}

/// `--require verified` fails and names each of `failing` (by tag), and
/// none of `passing`.
pub fn gate(dir: &Path, repo: &str, args: &[&str], failing: &[&str], passing: &[&str]) {
    let mut all = vec!["audit", repo, "--require", "verified"];
    all.extend(args);
    let out = regscope_output(dir, &all);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the gate passed: {stderr}");
    for tag in failing {
        assert!(
            stderr.contains(&format!("({tag}): missing verified signature")),
            "{tag} not named: {stderr}"
        );
    }
    for tag in passing {
        assert!(
            !stderr.contains(&format!("({tag}): missing")),
            "{tag} named: {stderr}"
        );
    }
}

/// regscope's and the real verifier's verdict on each fixture.
#[derive(Default)]
pub struct Differential {
    cases: Vec<(String, bool, bool)>,
}

impl Differential {
    pub fn record(&mut self, case: &str, regscope: bool, verifier: bool) {
        self.cases.push((case.to_owned(), regscope, verifier));
    }

    /// regscope never says "verified" where the verifier rejects; the
    /// cases where the verifier accepts and regscope rejects are exactly
    /// `stricter` (each listed in the README with why).
    pub fn check(&self, stricter: &[&str]) {
        let looser: Vec<&str> = self
            .cases
            .iter()
            .filter(|(_, regscope, verifier)| *regscope && !*verifier)
            .map(|(case, ..)| case.as_str())
            .collect();
        assert!(
            looser.is_empty(),
            "regscope verified what the verifier rejects: {looser:?}"
        );
        let mut found: Vec<&str> = self
            .cases
            .iter()
            .filter(|(_, regscope, verifier)| !*regscope && *verifier)
            .map(|(case, ..)| case.as_str())
            .collect();
        found.sort_unstable();
        let mut expected = stricter.to_vec();
        expected.sort_unstable();
        assert_eq!(
            found, expected,
            "cases where the verifier accepts and regscope rejects"
        );
    }
}
