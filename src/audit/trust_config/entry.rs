//! Reading one `scope = …` of `[trust]`: a list of public keys, or a
//! table naming every kind of trust material, each file read now so a
//! missing one is an error naming its scope.

use std::sync::Arc;

use super::TrustEntry;
use crate::audit::keyless::{Keyless, Matcher};
use crate::audit::keys::TrustKey;
use crate::audit::notation::NotationTrust;
use crate::audit::time::TimePolicy;
use crate::audit::transparency::{TrustedRoot, shipped};
use crate::text::expand_home;

/// Reads one `scope = …` of `[trust]`.
pub fn entry(scope: &str, value: &toml::Value) -> Result<TrustEntry, String> {
    let at = |message: String| format!("trust.{scope:?}: {message}");
    let mut entry = TrustEntry {
        scope: scope.to_owned(),
        ..TrustEntry::default()
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
        const KNOWN: [&str; 10] = [
            "keys",
            "trusted-root",
            "certificate-identity",
            "certificate-identity-regexp",
            "certificate-oidc-issuer",
            "certificate-oidc-issuer-regexp",
            "notation-trust-store",
            "insecure-ignore-tlog",
            "insecure-ignore-sct",
            "require-tlog",
        ];
        if !KNOWN.contains(&name.as_str()) {
            return Err(at(format!("unknown setting {name:?}")));
        }
    }
    if let Some(list) = table.get("keys") {
        entry.keys = keys(list).map_err(at)?;
    }
    let flag = |name: &str| -> Result<bool, String> {
        match table.get(name) {
            None => Ok(false),
            Some(toml::Value::Boolean(value)) => Ok(*value),
            Some(_) => Err(at(format!("{name} is not true or false"))),
        }
    };
    entry.policy = TimePolicy {
        insecure_ignore_tlog: flag("insecure-ignore-tlog")?,
        insecure_ignore_sct: flag("insecure-ignore-sct")?,
        require_tlog: flag("require-tlog")?,
    };
    let root = text("trusted-root")?
        .map(|root| {
            let path = expand_home(&root);
            let json = std::fs::read(&path).map_err(|e| at(format!("cannot read {root}: {e}")))?;
            TrustedRoot::from_json(&root, &json)
                .map(Arc::new)
                .map_err(at)
        })
        .transpose()?;
    let named =
        |name: &str| table.contains_key(name) || table.contains_key(&format!("{name}-regexp"));
    if named("certificate-identity") || named("certificate-oidc-issuer") {
        let matcher = |exact: &str, what: &str| -> Result<Matcher, String> {
            match (text(exact)?, text(&format!("{exact}-regexp"))?) {
                (Some(value), _) => Ok(Matcher::Exact(value)),
                (None, Some(regexp)) => Matcher::regex(&regexp).map_err(at),
                (None, None) => Err(at(format!(
                    "a keyless identity needs {exact} or {exact}-regexp (the {what})"
                ))),
            }
        };
        let identity = matcher("certificate-identity", "signer's identity")?;
        let issuer = matcher("certificate-oidc-issuer", "OIDC issuer")?;
        for (matcher, name) in [
            (&identity, "certificate-identity-regexp"),
            (&issuer, "certificate-oidc-issuer-regexp"),
        ] {
            let name = format!("trust.{scope:?}.{name}");
            entry.warnings.extend(matcher.unanchored_warning(&name));
        }
        let root = match root {
            Some(root) => root,
            None => shipped::shared().map_err(at)?.0,
        };
        let keyless = Keyless::new(root, identity, issuer).map_err(at)?;
        entry.keyless = Some(Arc::new(keyless));
    } else {
        entry.root = root;
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
