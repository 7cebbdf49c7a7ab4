//! Where a registry's credentials come from, in docker's order: the
//! `--username`/`--password-stdin` options first, then the docker config
//! (`$DOCKER_CONFIG/config.json` or `~/.docker/config.json`):
//! `credHelpers[server]`, then `credsStore`, then `auths[server]`.
//!
//! After the docker config come the files podman, skopeo and buildah
//! write (containers-auth.json(5)): `$REGISTRY_AUTH_FILE` when set, else
//! `$XDG_RUNTIME_DIR/containers/auth.json` and
//! `~/.config/containers/auth.json`. Their `auths` keys may name a host, or
//! a namespace or repository on it (`host/ns`, `host/ns/repo`); the most
//! specific key that matches wins.
//!
//! Credential helpers (`docker-credential-<name>`) run with a timeout, and a
//! helper that cannot run is an error naming it, never a reason to look
//! elsewhere (docker's CVE-2021-41092 sent credentials to Docker Hub that
//! way). Nothing here prints a secret or a helper's output.

mod docker_config;
mod helper;
mod source;

pub use source::CredentialSource;

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use super::ConnectOptions;
use crate::oci::reference::{DOCKER_HUB_API_HOST, DOCKER_HUB_CREDENTIAL_KEY, credential_key};
use crate::store::StoreError;

/// A credential for one registry.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    Basic {
        username: String,
        password: String,
    },
    /// A refresh token for the OAuth2 flow (docker config `identitytoken`,
    /// or a helper's answer with the user name `<token>`).
    IdentityToken(String),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"<redacted>")
                .finish(),
            Credential::IdentityToken(_) => f.write_str("IdentityToken(<redacted>)"),
        }
    }
}

/// How long a credential helper may take before it is killed.
pub const HELPER_TIMEOUT: Duration = Duration::from_secs(10);

/// What a lookup reads from the environment, spelled out so tests (and
/// callers with their own environment) can pass it explicitly.
#[derive(Debug, Clone)]
pub struct LookupEnv {
    /// The directory holding `config.json`; `None` when there is none.
    pub config_dir: Option<PathBuf>,
    /// The `PATH` searched for `docker-credential-*` helpers.
    pub path: Option<OsString>,
    pub helper_timeout: Duration,
    /// containers-auth.json(5) files, read in order after the docker config.
    pub containers_auth_files: Vec<PathBuf>,
}

impl LookupEnv {
    /// `$DOCKER_CONFIG` or `~/.docker`, and this process's `PATH`.
    pub fn from_process() -> LookupEnv {
        let config_dir = std::env::var_os("DOCKER_CONFIG")
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from)
            .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".docker")));
        LookupEnv {
            config_dir,
            path: std::env::var_os("PATH"),
            helper_timeout: HELPER_TIMEOUT,
            containers_auth_files: containers_auth_files(
                std::env::var_os("REGISTRY_AUTH_FILE"),
                std::env::var_os("XDG_RUNTIME_DIR"),
                directories::BaseDirs::new().map(|d| d.home_dir().to_owned()),
            ),
        }
    }
}

/// Where podman and skopeo keep credentials: `$REGISTRY_AUTH_FILE` alone
/// when it is set, otherwise the per-session file and then the one in the
/// home directory (containers-auth.json(5)).
pub fn containers_auth_files(
    registry_auth_file: Option<OsString>,
    xdg_runtime_dir: Option<OsString>,
    home: Option<PathBuf>,
) -> Vec<PathBuf> {
    if let Some(file) = registry_auth_file.filter(|f| !f.is_empty()) {
        return vec![PathBuf::from(file)];
    }
    let runtime = xdg_runtime_dir
        .filter(|d| !d.is_empty())
        .map(|d| PathBuf::from(d).join("containers/auth.json"));
    let home = home.map(|h| h.join(".config/containers/auth.json"));
    runtime.into_iter().chain(home).collect()
}

/// The credential for `registry` (as written in a reference: `docker.io`,
/// `ghcr.io`, `localhost:5000`): `options.username`/`options.password`
/// first, then the docker config. Blocks while a helper runs (up to
/// [`HELPER_TIMEOUT`]); async code goes through [`CredentialSource`],
/// which runs it on a blocking thread.
pub fn lookup(registry: &str, options: &ConnectOptions) -> Result<Option<Credential>, StoreError> {
    lookup_with(registry, options, &LookupEnv::from_process())
}

/// [`lookup`] with the environment given explicitly.
pub fn lookup_with(
    registry: &str,
    options: &ConnectOptions,
    env: &LookupEnv,
) -> Result<Option<Credential>, StoreError> {
    match (&options.username, &options.password) {
        (Some(username), Some(password)) => {
            return Ok(Some(Credential::Basic {
                username: username.clone(),
                password: password.clone(),
            }));
        }
        (Some(_), None) => {
            return Err(StoreError::Invalid(
                "--username needs a password (--password-stdin)".to_owned(),
            ));
        }
        (None, Some(_)) => {
            return Err(StoreError::Invalid(
                "a password was given without --username".to_owned(),
            ));
        }
        (None, None) => {}
    }
    let server = server_key(registry);
    let docker_config = match &env.config_dir {
        Some(dir) => docker_config::DockerConfig::read(&dir.join("config.json"))?,
        None => None,
    };
    if let Some(config) = docker_config {
        if let Some(helper) = config.helper_for(server) {
            return helper::get(helper, server, env);
        }
        // A store that has nothing for this server leaves `auths` to answer.
        if let Some(store) = config.creds_store()
            && let Some(credential) = helper::get(store, server, env)?
        {
            return Ok(Some(credential));
        }
        if let Some(credential) = config.auth_for(server)? {
            return Ok(Some(credential));
        }
    }
    lookup_containers_auth(registry, None, env)
}

/// The credential for `registry` (and, when given, `repository` on it) in
/// the containers-auth.json(5) files of `env`, the first file that has one.
pub fn lookup_containers_auth(
    registry: &str,
    repository: Option<&str>,
    env: &LookupEnv,
) -> Result<Option<Credential>, StoreError> {
    let host = credential_key(registry);
    for file in &env.containers_auth_files {
        let Some(config) = docker_config::DockerConfig::read(file)? else {
            continue;
        };
        if let Some(credential) = config.auth_for_repository(host, repository)? {
            return Ok(Some(credential));
        }
    }
    Ok(None)
}

/// The key docker's config and helpers use for `registry`: Docker Hub's
/// historic `https://index.docker.io/v1/`, otherwise the host itself.
pub fn server_key(registry: &str) -> &str {
    match registry {
        DOCKER_HUB_API_HOST | "index.docker.io" => DOCKER_HUB_CREDENTIAL_KEY,
        other => credential_key(other),
    }
}

/// A config key reduced to its host, the way docker compares them:
/// `https://index.docker.io/v1/` and `index.docker.io` are one server.
fn normalise_key(key: &str) -> String {
    let without_scheme = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    let host = without_scheme.split('/').next().unwrap_or(without_scheme);
    let host = host.to_ascii_lowercase();
    match host.as_str() {
        "docker.io" | "registry-1.docker.io" => "index.docker.io".to_owned(),
        _ => host,
    }
}
