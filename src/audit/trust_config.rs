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
//! ```
//!
//! Files are read when the config is loaded, so a missing key or trust
//! root is an error naming its scope. Keys of every matching scope apply;
//! a trusted root or trust store comes from the most specific scope that
//! names one.

use std::path::PathBuf;
use std::sync::Arc;

use super::{Keyless, Matcher, NotationTrust, TrustKey};
use crate::text::expand_home;

/// The trust material of one scope.
#[derive(Debug, Clone)]
pub struct TrustEntry {
    pub scope: String,
    pub keys: Vec<TrustKey>,
    pub keyless: Option<Arc<Keyless>>,
    pub notation: Option<Arc<NotationTrust>>,
}

/// What applies to one audit target.
#[derive(Debug, Clone, Default)]
pub struct TrustMaterial {
    pub keys: Vec<TrustKey>,
    pub keyless: Option<Arc<Keyless>>,
    pub notation: Option<Arc<NotationTrust>>,
}

/// Reads one `scope = …` of `[trust]`.
pub fn entry(scope: &str, value: &toml::Value) -> Result<TrustEntry, String> {
    let at = |message: String| format!("trust.{scope:?}: {message}");
    let mut entry = TrustEntry {
        scope: scope.to_owned(),
        keys: Vec::new(),
        keyless: None,
        notation: None,
    };
    let table = match value {
        toml::Value::Array(_) => {
            entry.keys = keys(value).map_err(at)?;
            return Ok(entry);
        }
        toml::Value::Table(table) => table,
        _ => return Err(at("a list of public key files, or a table".to_owned())),
    };
    let text = |name: &str| -> Result<Option<String>, String> {
        match table.get(name) {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(at(format!("{name} is not a string"))),
        }
    };
    for name in table.keys() {
        const KNOWN: [&str; 7] = [
            "keys",
            "trusted-root",
            "certificate-identity",
            "certificate-identity-regexp",
            "certificate-oidc-issuer",
            "certificate-oidc-issuer-regexp",
            "notation-trust-store",
        ];
        if !KNOWN.contains(&name.as_str()) {
            return Err(at(format!("unknown setting {name:?}")));
        }
    }
    if let Some(list) = table.get("keys") {
        entry.keys = keys(list).map_err(at)?;
    }
    if let Some(root) = text("trusted-root")? {
        let matcher = |exact: &str, what: &str| -> Result<Matcher, String> {
            match (text(exact)?, text(&format!("{exact}-regexp"))?) {
                (Some(value), _) => Ok(Matcher::Exact(value)),
                (None, Some(regexp)) => Matcher::regex(&regexp).map_err(at),
                (None, None) => Err(at(format!(
                    "trusted-root needs {exact} or {exact}-regexp (the {what})"
                ))),
            }
        };
        let identity = matcher("certificate-identity", "signer's identity")?;
        let issuer = matcher("certificate-oidc-issuer", "OIDC issuer")?;
        let path = expand_home(&root);
        let json = std::fs::read(&path).map_err(|e| at(format!("cannot read {root}: {e}")))?;
        let keyless = Keyless::from_json(&root, &json, identity, issuer).map_err(at)?;
        entry.keyless = Some(Arc::new(keyless));
    }
    if let Some(store) = text("notation-trust-store")? {
        let trust = NotationTrust::from_dir(&expand_home(&store)).map_err(at)?;
        entry.notation = Some(Arc::new(trust));
    }
    Ok(entry)
}

fn keys(value: &toml::Value) -> Result<Vec<TrustKey>, String> {
    let paths = value
        .as_array()
        .ok_or_else(|| "keys: a list of public key files".to_owned())?;
    paths
        .iter()
        .map(|path| {
            let path = path
                .as_str()
                .ok_or_else(|| format!("{path} is not a file name"))?;
            TrustKey::from_file(&expand_home(path)).map_err(|e| e.to_string())
        })
        .collect()
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
        material.keys.extend(entry.keys.iter().cloned());
        if entry.keyless.is_some() {
            material.keyless.clone_from(&entry.keyless);
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
