//! The real `notation` CLI (Notary Project, built by
//! `scripts/install-test-tools`), offline: test keys from `notation cert
//! generate-test` (an RSA key and a self-signed code-signing certificate,
//! added to a trust store named after the key), signing over plain HTTP
//! (`--insecure-registry`), verifying with a trust policy that trusts one
//! store. `XDG_CONFIG_HOME` and `HOME` point into a private temp dir, so the
//! user's notation config is never read or written.
#![allow(dead_code)]

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

use super::tool;

pub struct Notation {
    bin: PathBuf,
    dir: TempDir,
}

impl Notation {
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("regscope-notation-")
            .tempdir()
            .expect("temp dir for notation");
        fs::create_dir_all(dir.path().join("home")).unwrap();
        Notation {
            bin: tool("notation"),
            dir,
        }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.args(args)
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("HOME", self.dir.path().join("home"))
            .env_remove("NOTATION_CONFIG")
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost")
            .current_dir(self.dir.path())
            .stdin(Stdio::null());
        cmd
    }

    pub fn output(&self, args: &[&str]) -> Output {
        self.command(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run notation {args:?}: {e}"))
    }

    /// Runs; stdout on success, panics with both streams otherwise.
    pub fn run(&self, args: &[&str]) -> String {
        let out = self.output(args);
        assert!(
            out.status.success(),
            "notation {} failed ({}):\n{}\n{}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config").join("notation")
    }

    /// A test key and certificate named `name` (CN=`name`), its
    /// certificate in the trust store `name`.
    pub fn generate_test_key(&self, name: &str) {
        self.run(&["cert", "generate-test", name]);
    }

    /// A signing key notation signs with as `name`: a PEM key and its
    /// certificate chain (signing certificate first, root last), as
    /// `signingkeys.json` lists them.
    pub fn add_signing_key(&self, name: &str, key: &std::path::Path, chain: &std::path::Path) {
        fs::create_dir_all(self.config()).unwrap();
        let keys = serde_json::json!({
            "default": name,
            "keys": [{"name": name, "keyPath": key, "certPath": chain}],
        });
        fs::write(
            self.config().join("signingkeys.json"),
            serde_json::to_vec(&keys).unwrap(),
        )
        .unwrap();
    }

    /// A trust store `name` holding the PEM certificate `cert`.
    pub fn add_trust_store(&self, name: &str, cert: &std::path::Path) -> PathBuf {
        let store = self.trust_store(name);
        fs::create_dir_all(&store).unwrap();
        fs::copy(cert, store.join("root.pem")).unwrap();
        store
    }

    /// The trust store directory holding `name`'s certificate.
    pub fn trust_store(&self, name: &str) -> PathBuf {
        self.config()
            .join("truststore")
            .join("x509")
            .join("ca")
            .join(name)
    }

    /// Signs `image` (by digest) with key `name`, envelope `format`
    /// (`jws` or `cose`). notation's default (`--force-referrers-tag`)
    /// writes the `sha256-<hex>` fallback index even where the registry has
    /// the referrers API; `referrers_api` asks it to use the API instead.
    /// On olareg v0.2.1 a signature pushed the default way was not listed by
    /// the referrers API: `oras discover`, `notation verify` and regscope
    /// (which read the fallback tag only where the API is missing) all
    /// missed it; only the `sha256-<hex>` tag held it.
    pub fn sign(&self, name: &str, format: &str, image: &str, referrers_api: bool) {
        let force_tag = format!("--force-referrers-tag={}", !referrers_api);
        self.run(&[
            "sign",
            "--insecure-registry",
            &force_tag,
            "--key",
            name,
            "--signature-format",
            format,
            image,
        ]);
    }

    /// Whether `notation verify` accepts `image` trusting only the store
    /// `trusted` (strict verification, any identity of that store).
    pub fn verifies(&self, trusted: &str, image: &str) -> bool {
        let policy = serde_json::json!({
            "version": "1.0",
            "trustPolicies": [{
                "name": "regscope-test",
                "registryScopes": ["*"],
                "signatureVerification": {"level": "strict"},
                "trustStores": [format!("ca:{trusted}")],
                "trustedIdentities": ["*"],
            }],
        });
        fs::write(
            self.config().join("trustpolicy.json"),
            serde_json::to_vec(&policy).unwrap(),
        )
        .unwrap();
        self.output(&["verify", "--insecure-registry", image])
            .status
            .success()
    }
}
