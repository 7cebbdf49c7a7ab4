//! The real cosign, offline, against loopback registries: a key pair made
//! with `cosign generate-key-pair` (empty password), no transparency log, no
//! Fulcio, no TUF. Two majors: v2 (`cosign`) and v3 (`cosign3`), both built
//! by `scripts/install-test-tools`.
//!
//! Every command runs with `COSIGN_PASSWORD=` (empty), `COSIGN_YES=true`,
//! `COSIGN_EXPERIMENTAL=1`, a private `HOME`/`DOCKER_CONFIG` and `TUF_ROOT`,
//! and `--allow-http-registry` where cosign talks to a registry.
//!
//! What works, found by running cosign v2.6.5 and v3.1.3 against olareg
//! (referrers API), CNCF distribution 2.8 and distribution v3.0.0 (no API,
//! fallback tag): every combination below works on all three registries,
//! with the same flags (see [`Cosign::args`]):
//!
//! | mode             | sign | attest          | attach sbom | verify(-attestation) |
//! |------------------|------|-----------------|-------------|----------------------|
//! | `LegacyTags`     | yes  | yes (`.att`)    | yes         | yes                  |
//! | `Oci11Referrers` | yes  | no such mode    | yes         | yes                  |
//! | `Bundle`         | yes  | yes             | no such mode| yes                  |
//!
//! - `LegacyTags`: v2 `sign|attest --key K --tlog-upload=false`; v3 adds
//!   `--new-bundle-format=false --use-signing-config=false` (its defaults are
//!   the bundle and the TUF signing config). `attach sbom
//!   --registry-referrers-mode=legacy`. Verify: `verify|verify-attestation
//!   --key P --insecure-ignore-tlog --trusted-root R` (v3 adds
//!   `--new-bundle-format=false`).
//! - `Oci11Referrers`: `sign ... --registry-referrers-mode=oci-1-1` with
//!   `COSIGN_EXPERIMENTAL=1` (refused without it); `attach sbom
//!   --registry-referrers-mode=oci-1-1`; verify adds `--experimental-oci11`.
//!   `attest` has no `--registry-referrers-mode`: it always writes the `.att`
//!   tag, so [`CosignMode::supports`] says no and tests attest in the other
//!   two modes.
//! - `Bundle`: v2 `sign|attest --key K --tlog-upload=false
//!   --new-bundle-format`; v3 `sign|attest --key K --signing-config S` where
//!   `S` is `cosign signing-config create --out S` (no services). Verify:
//!   v2 `--new-bundle-format`, v3 nothing extra; both need `--trusted-root
//!   R` even with a key ("trusted root is required when using new bundle
//!   format"), and an empty trusted root (`{"mediaType": "application/vnd.
//!   dev.sigstore.trustedroot+json;version=0.1"}`) is enough with
//!   `--insecure-ignore-tlog`. `verify` then lists the attestation bundles
//!   too (both are bundles referring to the image).
//!
//! `--trusted-root R` (that empty root) is passed to every verification:
//! without it cosign tries TUF (`tuf-repo-cdn.sigstore.dev`) first. Signing
//! with a key and no tlog never asks TUF.
//!
//! Quirks seen (things regscope has to live with):
//! - without a referrers API (distribution 2.8 and v3) cosign v2.6.5's
//!   `Bundle` referrers land in the `sha256-<hex>` fallback index with
//!   `artifactType: application/vnd.oci.empty.v1+json` (the config media
//!   type), while the manifest itself says `application/vnd.dev.sigstore.
//!   bundle.v0.3+json`; cosign v3.1.3 writes the bundle type there. v2 also
//!   puts an `artifactType` into the manifest's config descriptor.
//! - `Oci11Referrers` signatures have artifact type `application/vnd.dev.
//!   cosign.artifact.sig.v1+json`, `attach sbom` ones `application/vnd.dev.
//!   cosign.artifact.sbom.v1+json`; on a registry without the API they go
//!   into the fallback index (no `.sig` tag).
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

use super::tool;

mod modes;

use modes::op_args;
pub use modes::{COSIGN_SBOM_TYPE, CosignMode, CosignOp, CosignVersion, SIGSTORE_BUNDLE_TYPE};

/// A cosign with its own key pair and private state.
pub struct Cosign {
    version: CosignVersion,
    bin: PathBuf,
    dir: TempDir,
}

impl Cosign {
    /// A cosign of `version` with a fresh key pair (`cosign.key`,
    /// `cosign.pub`) made offline with an empty password.
    pub fn new(version: CosignVersion) -> Self {
        let bin = tool(version.binary());
        let dir = tempfile::Builder::new()
            .prefix("regscope-cosign-")
            .tempdir()
            .expect("temp dir for cosign");
        fs::create_dir_all(dir.path().join("home")).unwrap();
        fs::create_dir_all(dir.path().join("tuf")).unwrap();
        // A trusted root with no services: all key-based offline
        // verification needs, and it keeps cosign from asking TUF.
        fs::write(
            dir.path().join("trusted_root.json"),
            "{\"mediaType\": \"application/vnd.dev.sigstore.trustedroot+json;version=0.1\"}\n",
        )
        .unwrap();
        let cosign = Cosign { version, bin, dir };
        cosign.run_in(cosign.dir.path(), &["generate-key-pair"]);
        assert!(cosign.key().is_file() && cosign.public_key().is_file());
        if version == CosignVersion::V3 {
            // A signing config naming no services: sign with the key only.
            let out = cosign.signing_config().to_string_lossy().into_owned();
            cosign.run(&["signing-config", "create", "--out", &out]);
        }
        cosign
    }

    pub fn v2() -> Self {
        Self::new(CosignVersion::V2)
    }
    pub fn v3() -> Self {
        Self::new(CosignVersion::V3)
    }

    pub fn version(&self) -> CosignVersion {
        self.version
    }
    /// The private key (`cosign.key`, encrypted with the empty password).
    pub fn key(&self) -> PathBuf {
        self.dir.path().join("cosign.key")
    }
    /// The public key (`cosign.pub`).
    pub fn public_key(&self) -> PathBuf {
        self.dir.path().join("cosign.pub")
    }
    /// The trusted root with no services passed to verification.
    pub fn trusted_root(&self) -> PathBuf {
        self.dir.path().join("trusted_root.json")
    }
    /// The empty signing config (v3 only).
    pub fn signing_config(&self) -> PathBuf {
        self.dir.path().join("signing_config.json")
    }

    /// The `Command` for `cosign <args>` with the private environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let home = self.dir.path().join("home");
        let mut cmd = Command::new(&self.bin);
        cmd.args(args)
            .env("HOME", &home)
            .env("DOCKER_CONFIG", home.join(".docker"))
            .env("TUF_ROOT", self.dir.path().join("tuf"))
            .env("COSIGN_PASSWORD", "")
            .env("COSIGN_YES", "true")
            .env("COSIGN_EXPERIMENTAL", "1")
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost")
            .env_remove("SIGSTORE_ROOT_FILE")
            .env_remove("SIGSTORE_REKOR_PUBLIC_KEY")
            .env_remove("SIGSTORE_CT_LOG_PUBLIC_KEY_FILE")
            .env_remove("SIGSTORE_TSA_CERTIFICATE_FILE")
            .current_dir(self.dir.path())
            .stdin(Stdio::null());
        cmd
    }

    /// Run without judging the exit status.
    pub fn output(&self, args: &[&str]) -> Output {
        self.command(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {} {args:?}: {e}", self.version.binary()))
    }

    /// Run; stdout on success, panic with both streams otherwise.
    pub fn run(&self, args: &[&str]) -> String {
        self.run_in(self.dir.path(), args)
    }

    fn run_in(&self, dir: &Path, args: &[&str]) -> String {
        let out = self
            .command(args)
            .current_dir(dir)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {} {args:?}: {e}", self.version.binary()));
        if !out.status.success() {
            panic!(
                "{} {} failed ({}):\n--- stderr ---\n{}\n--- stdout ---\n{}",
                self.version.binary(),
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stderr),
                String::from_utf8_lossy(&out.stdout)
            );
        }
        String::from_utf8(out.stdout).expect("cosign stdout is UTF-8")
    }

    /// The arguments of `op` in `mode` (without the image reference and the
    /// op's own `--type`/`--predicate`/`--sbom`). Panics when cosign has no
    /// such mode for `op` ([`CosignMode::supports`]).
    pub fn args(&self, op: CosignOp, mode: CosignMode) -> Vec<String> {
        assert!(mode.supports(op), "cosign has no {op:?} in {mode:?} mode");
        op_args(self, op, mode)
    }

    /// `cosign sign` `image` (a reference by digest is best) in `mode`.
    pub fn sign(&self, image: &str, mode: CosignMode) -> String {
        self.run_op(CosignOp::Sign, mode, &[image])
    }

    /// `cosign attest --type <predicate_type> --predicate <file>` in `mode`
    /// (`LegacyTags` or `Bundle`). `predicate_type`: `cyclonedx`, `spdxjson`,
    /// `slsaprovenance`, ... or a URI.
    pub fn attest(
        &self,
        image: &str,
        mode: CosignMode,
        predicate_type: &str,
        predicate: &Path,
    ) -> String {
        let predicate = predicate.to_string_lossy();
        self.run_op(
            CosignOp::Attest,
            mode,
            &["--type", predicate_type, "--predicate", &predicate, image],
        )
    }

    /// `cosign attach sbom --sbom <file> --type <sbom_type>` (`cyclonedx`,
    /// `spdx`, `syft`) in `mode` (`LegacyTags` or `Oci11Referrers`).
    pub fn attach_sbom(
        &self,
        image: &str,
        mode: CosignMode,
        sbom: &Path,
        sbom_type: &str,
    ) -> String {
        let sbom = sbom.to_string_lossy();
        self.run_op(
            CosignOp::AttachSbom,
            mode,
            &["--sbom", &sbom, "--type", sbom_type, image],
        )
    }

    /// `cosign verify --key cosign.pub` offline; returns the verified
    /// payloads (cosign prints one JSON array of them).
    pub fn verify(&self, image: &str, mode: CosignMode) -> serde_json::Value {
        let out = self.run_op(CosignOp::Verify, mode, &[image]);
        parse_json_lines(&out)
    }

    /// `cosign verify-attestation --key cosign.pub --type <predicate_type>`
    /// offline; returns the verified DSSE envelopes (one JSON per line).
    pub fn verify_attestation(
        &self,
        image: &str,
        mode: CosignMode,
        predicate_type: &str,
    ) -> serde_json::Value {
        let out = self.run_op(
            CosignOp::VerifyAttestation,
            mode,
            &["--type", predicate_type, image],
        );
        parse_json_lines(&out)
    }

    /// `cosign tree` of `image`: the text listing of what is attached.
    pub fn tree(&self, image: &str, mode: CosignMode) -> String {
        self.run_op(CosignOp::Tree, mode, &[image])
    }

    fn run_op(&self, op: CosignOp, mode: CosignMode, rest: &[&str]) -> String {
        let mut args = self.args(op, mode);
        args.extend(rest.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.run(&args)
    }
}

/// cosign prints verified payloads one JSON document per line (`verify`
/// prints one array); collect them into one JSON array.
fn parse_json_lines(out: &str) -> serde_json::Value {
    let mut items = Vec::new();
    for line in out.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("cosign output line is not JSON ({e}): {line}"));
        match v {
            serde_json::Value::Array(list) => items.extend(list),
            other => items.push(other),
        }
    }
    serde_json::Value::Array(items)
}
