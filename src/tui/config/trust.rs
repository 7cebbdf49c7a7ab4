//! `[trust]`: public keys the audit checks signatures with, per scope:
//!
//! ```toml
//! [trust]
//! "*" = ["~/keys/cosign.pub"]                 # everywhere
//! "ghcr.io/acme" = ["~/keys/acme.pub"]        # repositories under ghcr.io/acme
//! "localhost:5000" = ["~/keys/dev.pub"]       # one registry
//! ```
//!
//! Keys are read when the file is loaded, so a missing or unreadable key is
//! an error naming its line, like any other mistake in the file.

use crate::audit::TrustKey;

/// Keys for one scope: `*`, a registry, or `registry/repository-prefix`.
#[derive(Debug, Clone)]
pub struct TrustEntry {
    pub scope: String,
    pub keys: Vec<TrustKey>,
}

/// Reads one `scope = ["key.pub", …]` line.
pub fn entry(scope: &str, value: &toml::Value) -> Result<TrustEntry, String> {
    let paths = value
        .as_array()
        .ok_or_else(|| format!("trust.{scope:?}: a list of public key files"))?;
    let keys = paths
        .iter()
        .map(|path| {
            let path = path
                .as_str()
                .ok_or_else(|| format!("trust.{scope:?}: {path} is not a file name"))?;
            TrustKey::from_file(&super::expand_home(path)).map_err(|e| e.to_string())
        })
        .collect::<Result<_, _>>()?;
    Ok(TrustEntry {
        scope: scope.to_owned(),
        keys,
    })
}

/// The keys that apply to `repository` of `registry` (or, without a
/// repository, to the registry as a whole).
pub fn keys_for(entries: &[TrustEntry], registry: &str, repository: Option<&str>) -> Vec<TrustKey> {
    entries
        .iter()
        .filter(|entry| matches(entry, registry, repository))
        .flat_map(|entry| entry.keys.iter().cloned())
        .collect()
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
mod tests {
    use super::*;

    #[test]
    fn scopes_match_everything_a_registry_or_a_repository_prefix() {
        let entries: Vec<TrustEntry> = ["*", "r:5000", "r:5000/acme", "other"]
            .iter()
            .map(|scope| TrustEntry {
                scope: (*scope).to_owned(),
                keys: Vec::new(),
            })
            .collect();
        let scopes = |registry: &str, repository: Option<&str>| -> Vec<&str> {
            entries
                .iter()
                .filter(|e| matches(e, registry, repository))
                .map(|e| e.scope.as_str())
                .collect()
        };
        assert_eq!(
            scopes("r:5000", Some("acme/app")),
            ["*", "r:5000", "r:5000/acme"]
        );
        assert_eq!(scopes("r:5000", Some("acmeco")), ["*", "r:5000"]);
        assert_eq!(scopes("r:5000", None), ["*", "r:5000"]);
        assert_eq!(scopes("x.io", Some("acme")), ["*"]);
    }
}
