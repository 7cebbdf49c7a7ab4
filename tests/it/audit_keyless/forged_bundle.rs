//! A keyless bundle copied onto another image with its DSSE payload
//! rewritten, pushed with the real oras: what a forger can do without the
//! signing key.

use std::path::Path;

use base64::Engine as _;
use serde_json::Value;

use crate::support::forge::Forge;
use crate::support::{Oras, Registry};

/// Copies `from`'s bundle onto `onto`, its DSSE payload rewritten to name
/// `onto`: the signature no longer covers what the payload says.
pub(super) fn forge_bundle(oras: &Oras, dir: &Path, registry: &Registry, from: &str, onto: &str) {
    let forge = Forge {
        oras,
        registry,
        dir,
        repo: "keyless",
    };
    let (manifest, bytes) = forge.referrer(from, None);
    let mut bundle: Value = serde_json::from_slice(&bytes).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    let payload = b64
        .decode(bundle["dsseEnvelope"]["payload"].as_str().unwrap())
        .unwrap();
    let payload = String::from_utf8(payload).unwrap();
    let hex = |d: &str| d.trim_start_matches("sha256:").to_owned();
    assert!(payload.contains(&hex(from)), "{payload}");
    let forged = payload.replace(&hex(from), &hex(onto));
    bundle["dsseEnvelope"]["payload"] = Value::from(b64.encode(forged));
    forge.push_referrer(onto, &manifest, &serde_json::to_vec(&bundle).unwrap(), &[]);
}
