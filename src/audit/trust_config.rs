//! `[trust]` of the config file: the trust material the audit uses, per
//! scope (`"*"`, a registry, or a `registry/repository` prefix). The TUI
//! and `regscope audit` read the same table; flags given to the CLI
//! replace what the file says, kind by kind.
//!
//! ```toml
//! [trust]
//! "*" = ["~/keys/cosign.pub"]                 # a list: public keys
//! "localhost:5000" = ["~/keys/dev.pub"]
//!
//! [trust."ghcr.io/acme"]                      # a table: every kind
//! keys = ["~/keys/acme.pub"]
//! trusted-root = "~/sigstore/trusted_root.json"
//! certificate-identity = "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main"
//! certificate-oidc-issuer = "https://token.actions.githubusercontent.com"
//! notation-trust-store = "~/.config/notation/truststore/x509/ca/acme"
//! insecure-ignore-tlog = false                # as the flag of that name
//! insecure-ignore-sct = false
//! require-tlog = false
//! ```
//!
//! The identity without `trusted-root` checks keyless signatures against
//! the Sigstore public-good root; `trusted-root` without an identity only
//! checks the transparency proofs of key-signed signatures.
//!
//! Files are read when the config is loaded, so a missing key or trust
//! root is an error naming its scope. Keys of every matching scope apply;
//! a trusted root or trust store comes from the most specific scope that
//! names one; the time settings of any matching scope apply. The CLI uses
//! none of this when any trust flag is given.

use std::path::PathBuf;
use std::sync::Arc;

use super::keyless::Keyless;
use super::keys::TrustKey;
use super::notation::NotationTrust;
use super::run::proof_root;
use super::time::TimePolicy;
use super::transparency::TrustedRoot;

mod entry;

pub use entry::entry;

/// The trust material of one scope.
#[derive(Debug, Clone, Default)]
pub struct TrustEntry {
    pub scope: String,
    pub keys: Vec<TrustKey>,
    pub keyless: Option<Arc<Keyless>>,
    /// A trusted root for the proofs of key-signed signatures alone (no
    /// identity given with it).
    pub root: Option<Arc<TrustedRoot>>,
    pub notation: Option<Arc<NotationTrust>>,
    pub policy: TimePolicy,
    /// What a person should know about this scope (an unanchored
    /// regular expression).
    pub warnings: Vec<String>,
}

/// What applies to one audit target.
#[derive(Debug, Clone, Default)]
pub struct TrustMaterial {
    pub keys: Vec<TrustKey>,
    pub keyless: Option<Arc<Keyless>>,
    /// A trusted root for the proofs of key-signed signatures alone.
    pub root: Option<Arc<TrustedRoot>>,
    pub notation: Option<Arc<NotationTrust>>,
    pub policy: TimePolicy,
    pub warnings: Vec<String>,
    /// The scopes it came from, for saying which material was used.
    pub scopes: Vec<String>,
}

impl TrustMaterial {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.keyless.is_none() && self.notation.is_none()
    }

    /// The trusted root that checks the proofs of key-signed signatures.
    pub fn proof_root(&self) -> Option<Arc<TrustedRoot>> {
        proof_root(
            self.root.as_ref(),
            self.keyless.as_deref(),
            !self.keys.is_empty(),
        )
    }

    /// "keys a.pub, b.pub; trusted root r.json (identity …); Notation trust
    /// store DIR": what a verdict can rest on.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.keys.is_empty() {
            let names: Vec<&str> = self.keys.iter().map(|k| k.name.as_str()).collect();
            parts.push(format!("keys {}", names.join(", ")));
        }
        if let Some(keyless) = &self.keyless {
            parts.push(format!(
                "keyless identity {}, OIDC issuer {} (trusted root {})",
                keyless.identity, keyless.issuer, keyless.root.source
            ));
        }
        if let Some(root) = &self.root {
            parts.push(format!("trusted root {} for log keys", root.source));
        }
        if let Some(notation) = &self.notation {
            parts.push(format!("Notation trust store {}", notation.source));
        }
        if self.policy.insecure_ignore_tlog {
            parts.push("--insecure-ignore-tlog".to_owned());
        }
        if self.policy.insecure_ignore_sct {
            parts.push("--insecure-ignore-sct".to_owned());
        }
        if self.policy.require_tlog {
            parts.push("--require-tlog".to_owned());
        }
        if parts.is_empty() {
            "none".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// The config file the TUI reads, `<config dir>/regscope/config.toml`.
pub fn config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "regscope")
        .map(|dirs| dirs.config_dir().join("config.toml"))
}

/// Reads only `[trust]` of a config file (what `regscope audit` needs; the
/// TUI's other settings do not concern it). A missing file is no trust.
pub fn load(path: &std::path::Path) -> Result<Vec<TrustEntry>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let table: toml::Table =
        toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message()))?;
    match table.get("trust") {
        None => Ok(Vec::new()),
        Some(toml::Value::Table(scopes)) => scopes
            .iter()
            .map(|(scope, value)| entry(scope, value))
            .collect::<Result<_, _>>()
            .map_err(|e| format!("{}: {e}", path.display())),
        Some(_) => Err(format!("{}: trust is not a table", path.display())),
    }
}

/// The trust material for `repository` of `registry` (or, without a
/// repository, for the registry as a whole).
pub fn for_target(
    entries: &[TrustEntry],
    registry: &str,
    repository: Option<&str>,
) -> TrustMaterial {
    let mut matching: Vec<&TrustEntry> = entries
        .iter()
        .filter(|entry| matches(entry, registry, repository))
        .collect();
    // Most specific last, so it wins below.
    matching.sort_by_key(|entry| {
        if entry.scope == "*" {
            0
        } else {
            entry.scope.len()
        }
    });
    let mut material = TrustMaterial::default();
    for entry in matching {
        material.scopes.push(entry.scope.clone());
        material.warnings.extend(entry.warnings.iter().cloned());
        material.policy.insecure_ignore_tlog |= entry.policy.insecure_ignore_tlog;
        material.policy.insecure_ignore_sct |= entry.policy.insecure_ignore_sct;
        material.policy.require_tlog |= entry.policy.require_tlog;
        material.keys.extend(entry.keys.iter().cloned());
        if entry.keyless.is_some() {
            material.keyless.clone_from(&entry.keyless);
        }
        if entry.root.is_some() {
            material.root.clone_from(&entry.root);
        }
        if entry.notation.is_some() {
            material.notation.clone_from(&entry.notation);
        }
    }
    material
}

fn matches(entry: &TrustEntry, registry: &str, repository: Option<&str>) -> bool {
    let name = repository.map(|r| format!("{registry}/{r}"));
    entry.scope == "*"
        || entry.scope == registry
        || name.as_deref().is_some_and(|name| {
            name == entry.scope || name.starts_with(&format!("{}/", entry.scope))
        })
}

#[cfg(test)]
mod tests;
