//! Reading docker's `config.json`: the `auths`, `credHelpers` and
//! `credsStore` entries (docker/cli `configfile/file.go`).

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::Deserialize;

use super::{Credential, normalise_key};
use crate::store::StoreError;

/// A config file is the user's own, but a cap keeps a wrong path (a device,
/// a huge file) from eating memory.
const MAX_CONFIG_SIZE: u64 = 4 * 1024 * 1024;

pub(super) struct DockerConfig {
    path: PathBuf,
    auths: BTreeMap<String, AuthEntry>,
    creds_store: Option<String>,
    cred_helpers: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct RawConfig {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
    #[serde(rename = "credsStore", default)]
    creds_store: Option<String>,
    #[serde(rename = "credHelpers", default)]
    cred_helpers: BTreeMap<String, String>,
}

/// One `auths` entry. No `Debug`: it holds secrets.
#[derive(Deserialize, Default)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    identitytoken: Option<String>,
}

impl DockerConfig {
    /// The config at `path`, or `None` when there is no such file.
    pub(super) fn read(path: &Path) -> Result<Option<DockerConfig>, StoreError> {
        let context = || format!("reading the docker config {}", path.display());
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StoreError::io(context(), e)),
        };
        let mut text = Vec::new();
        file.take(MAX_CONFIG_SIZE + 1)
            .read_to_end(&mut text)
            .map_err(|e| StoreError::io(context(), e))?;
        if text.len() as u64 > MAX_CONFIG_SIZE {
            return Err(StoreError::TooLarge {
                what: format!("the docker config {}", path.display()),
                limit: MAX_CONFIG_SIZE,
            });
        }
        // serde_json's own message may quote the file, secrets and all, so
        // only its position is kept.
        let raw: RawConfig = serde_json::from_slice(&text).map_err(|e| {
            StoreError::Invalid(format!(
                "the docker config {} is not valid (line {}, column {})",
                path.display(),
                e.line(),
                e.column()
            ))
        })?;
        Ok(Some(DockerConfig {
            path: path.to_owned(),
            auths: raw.auths,
            creds_store: raw.creds_store.filter(|s| !s.is_empty()),
            cred_helpers: raw.cred_helpers,
        }))
    }

    /// The helper `credHelpers` names for `server`.
    pub(super) fn helper_for(&self, server: &str) -> Option<&str> {
        find(&self.cred_helpers, server)
            .map(String::as_str)
            .filter(|h| !h.is_empty())
    }

    pub(super) fn creds_store(&self) -> Option<&str> {
        self.creds_store.as_deref()
    }

    /// The credential stored inline in `auths` for `server`.
    pub(super) fn auth_for(&self, server: &str) -> Result<Option<Credential>, StoreError> {
        self.auth_for_key(server, find(&self.auths, server))
    }

    /// containers-auth.json(5): the entry whose key is the most specific
    /// match for `repository` on `host` (`host/a/b/c`, then `host/a/b`,
    /// `host/a`, `host`; legacy `https://host/v1/` keys count as `host`).
    pub(super) fn auth_for_repository(
        &self,
        host: &str,
        repository: Option<&str>,
    ) -> Result<Option<Credential>, StoreError> {
        let mut path = repository.unwrap_or("").trim_matches('/').to_owned();
        while !path.is_empty() {
            let key = format!("{host}/{path}");
            if let Some(credential) = self.auth_for_key(&key, self.auths.get(&key))? {
                return Ok(Some(credential));
            }
            path = path
                .rsplit_once('/')
                .map(|(p, _)| p.to_owned())
                .unwrap_or_default();
        }
        let entry = self.auths.get(host).or_else(|| {
            let wanted = normalise_key(host);
            self.auths
                .iter()
                .filter(|(key, _)| is_host_key(key))
                .find(|(key, _)| normalise_key(key) == wanted)
                .map(|(_, entry)| entry)
        });
        self.auth_for_key(host, entry)
    }

    fn auth_for_key(
        &self,
        server: &str,
        entry: Option<&AuthEntry>,
    ) -> Result<Option<Credential>, StoreError> {
        let Some(entry) = entry else {
            return Ok(None);
        };
        if let Some(token) = entry.identitytoken.as_ref().filter(|t| !t.is_empty()) {
            return Ok(Some(Credential::IdentityToken(token.clone())));
        }
        if let Some(auth) = entry.auth.as_ref().filter(|a| !a.is_empty()) {
            return self.decode_auth(server, auth).map(Some);
        }
        match (&entry.username, &entry.password) {
            (Some(username), Some(password)) if !username.is_empty() => {
                Ok(Some(Credential::Basic {
                    username: username.clone(),
                    password: password.clone(),
                }))
            }
            _ => Ok(None),
        }
    }

    /// `auth` is base64 of `user:password`.
    fn decode_auth(&self, server: &str, auth: &str) -> Result<Credential, StoreError> {
        let malformed = || {
            StoreError::Invalid(format!(
                "the docker config {} holds a malformed `auth` for {server} (expected base64 of user:password)",
                self.path.display()
            ))
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(auth.trim())
            .map_err(|_| malformed())?;
        let text = String::from_utf8(bytes).map_err(|_| malformed())?;
        let (username, password) = text.split_once(':').ok_or_else(malformed)?;
        if username.is_empty() {
            return Err(malformed());
        }
        Ok(Credential::Basic {
            username: username.to_owned(),
            password: password.to_owned(),
        })
    }
}

/// The entry for `server`: an exact key first, then any key naming the same
/// host (`https://h/v1/`, `http://h`, `h`), as docker does.
fn find<'a, T>(map: &'a BTreeMap<String, T>, server: &str) -> Option<&'a T> {
    if let Some(value) = map.get(server) {
        return Some(value);
    }
    let wanted = normalise_key(server);
    map.iter()
        .find(|(key, _)| normalise_key(key) == wanted)
        .map(|(_, value)| value)
}

/// A key that names a whole host: `host`, or a URL with at most docker's
/// legacy `/v1/` or `/v2/` path; `host/ns/repo` keys name less.
fn is_host_key(key: &str) -> bool {
    match key.split_once("://") {
        Some((_, rest)) => rest
            .split_once('/')
            .is_none_or(|(_, path)| matches!(path.trim_matches('/'), "" | "v1" | "v2")),
        None => !key.contains('/'),
    }
}
