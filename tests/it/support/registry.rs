//! Real registries on ephemeral loopback ports, one process per test,
//! killed on drop (also when the test panics): the kinds and their
//! variants here, how each is started in `launch`, olareg's users and
//! ACLs in `olareg_auth`.

use std::fmt;
use std::fs;
use std::path::Path;
use std::process::Child;

use tempfile::TempDir;

mod launch;
mod olareg_auth;

use launch::{AuthMode, Launch};
pub use olareg_auth::{OlaregAcl, OlaregAuth, bcrypt};

/// Which registry implementation a [`Registry`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegistryKind {
    /// CNCF distribution 2.8 (Debian `docker-registry`): no referrers API,
    /// tag-schema fallback, `_catalog`, delete enabled.
    Distribution,
    /// CNCF distribution v3 (`registry3`, built by `scripts/install-test-tools`):
    /// still no referrers API (404), tag-schema fallback, `_catalog`, delete
    /// enabled; started from the same config file as 2.8.
    Distribution3,
    /// olareg with the referrers API (close to the spec: filter, paging,
    /// `OCI-Subject`), delete enabled, no `_catalog`.
    Olareg,
    /// olareg with `--api-referrer=false`: a fallback-only registry. Quirk:
    /// its referrers endpoint answers 405, not 404, so `oras discover` needs
    /// `--distribution-spec v1.1-referrers-tag` there (oras's push and attach
    /// fall back by themselves: no `OCI-Subject` in the reply).
    OlaregFallback,
    /// go-containerregistry's `pkg/registry` with referrers support: an API
    /// that cuts corners (no filter, no annotations, no `OCI-Subject`).
    Ggcr,
}

impl RegistryKind {
    /// Whether the registry serves `GET /v2/<name>/referrers/<digest>`.
    pub fn has_referrers_api(self) -> bool {
        matches!(self, RegistryKind::Olareg | RegistryKind::Ggcr)
    }
    /// Whether `GET /v2/_catalog` works.
    pub fn has_catalog(self) -> bool {
        matches!(
            self,
            RegistryKind::Distribution | RegistryKind::Distribution3 | RegistryKind::Ggcr
        )
    }
}

impl fmt::Display for RegistryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RegistryKind::Distribution => "distribution",
            RegistryKind::Distribution3 => "distribution3",
            RegistryKind::Olareg => "olareg",
            RegistryKind::OlaregFallback => "olareg-fallback",
            RegistryKind::Ggcr => "ggcr",
        })
    }
}

/// A running registry on `127.0.0.1:<ephemeral port>`. Dropping it kills the
/// process and removes its storage.
pub struct Registry {
    kind: RegistryKind,
    host: String,
    child: Child,
    dir: TempDir,
    credentials: Option<(String, String)>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("kind", &self.kind)
            .field("host", &self.host)
            .finish()
    }
}

impl Registry {
    /// CNCF distribution 2.8, filesystem storage in a temp dir, delete on.
    pub fn distribution() -> Self {
        Self::start(
            RegistryKind::Distribution,
            Launch::Distribution {
                htpasswd: false,
                v3: false,
                delete: true,
            },
            None,
        )
    }

    /// CNCF distribution 2.8 with deletes turned off (its default).
    pub fn distribution_without_deletes() -> Self {
        Self::start(
            RegistryKind::Distribution,
            Launch::Distribution {
                htpasswd: false,
                v3: false,
                delete: false,
            },
            None,
        )
    }

    /// olareg with the referrers API and without `--api-delete`.
    pub fn olareg_without_deletes() -> Self {
        Self::start(
            RegistryKind::Olareg,
            Launch::Olareg {
                extra: Vec::new(),
                auth: None,
                delete: false,
            },
            None,
        )
    }

    /// CNCF distribution v3, filesystem storage in a temp dir, delete on.
    pub fn distribution3() -> Self {
        Self::start(
            RegistryKind::Distribution3,
            Launch::Distribution {
                htpasswd: false,
                v3: true,
                delete: true,
            },
            None,
        )
    }

    /// CNCF distribution 2.8 with htpasswd Basic auth for one user.
    pub fn distribution_htpasswd(user: &str, pass: &str) -> Self {
        Self::start(
            RegistryKind::Distribution,
            Launch::Distribution {
                htpasswd: true,
                v3: false,
                delete: true,
            },
            Some((user.to_string(), pass.to_string())),
        )
    }

    /// olareg with the referrers API: `serve --store-type mem --api-delete`.
    pub fn olareg() -> Self {
        Self::olareg_with_args(&[])
    }

    /// olareg without the referrers API (`--api-referrer=false`).
    pub fn olareg_fallback() -> Self {
        Self::start(
            RegistryKind::OlaregFallback,
            Launch::Olareg {
                extra: vec!["--api-referrer=false".into()],
                auth: None,
                delete: true,
            },
            None,
        )
    }

    /// olareg with extra `serve` flags, e.g. `["--rate-limit", "5"]`,
    /// `["--warning", "text"]`. Passing `--api-referrer=false` makes it an
    /// [`RegistryKind::OlaregFallback`].
    pub fn olareg_with_args(extra: &[&str]) -> Self {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let kind = if extra.iter().any(|a| a == "--api-referrer=false") {
            RegistryKind::OlaregFallback
        } else {
            RegistryKind::Olareg
        };
        Self::start(
            kind,
            Launch::Olareg {
                extra,
                auth: None,
                delete: true,
            },
            None,
        )
    }

    /// olareg with Basic auth (`--auth-basic <file>`): challenges with
    /// `WWW-Authenticate: Basic realm=...`.
    pub fn olareg_basic_auth(auth: &OlaregAuth) -> Self {
        let creds = auth.users.first().cloned();
        Self::start(
            RegistryKind::Olareg,
            Launch::Olareg {
                extra: Vec::new(),
                auth: Some((AuthMode::Basic, auth.clone())),
                delete: true,
            },
            creds,
        )
    }

    /// olareg with Bearer auth (`--auth-token-opaque <file> --external-url
    /// http://127.0.0.1:<port>`): challenges with `Bearer
    /// realm="http://127.0.0.1:<port>/token",service=...,scope=...`; the
    /// built-in token server takes Basic credentials (or none, for anonymous)
    /// on `GET /token?service=...` and returns an opaque token valid 5 min
    /// (its `expires_in` is in nanoseconds, an olareg quirk). Tokens are not
    /// scope-restricted: access is checked against the ACLs per request.
    pub fn olareg_token_auth(auth: &OlaregAuth) -> Self {
        let creds = auth.users.first().cloned();
        Self::start(
            RegistryKind::Olareg,
            Launch::Olareg {
                extra: Vec::new(),
                auth: Some((AuthMode::Token, auth.clone())),
                delete: true,
            },
            creds,
        )
    }

    /// go-containerregistry's in-memory registry with referrers support.
    pub fn ggcr() -> Self {
        Self::start(RegistryKind::Ggcr, Launch::Ggcr, None)
    }

    /// One registry of each kind, for tests that run on all of them.
    pub fn all() -> Vec<Self> {
        vec![
            Self::distribution(),
            Self::olareg(),
            Self::olareg_fallback(),
            Self::ggcr(),
        ]
    }

    /// `127.0.0.1:<port>`.
    pub fn host(&self) -> &str {
        &self.host
    }
    pub fn kind(&self) -> RegistryKind {
        self.kind
    }
    /// The server's process id (the audit bench reads its CPU time).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
    pub fn has_referrers_api(&self) -> bool {
        self.kind.has_referrers_api()
    }
    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.host)
    }
    /// `127.0.0.1:<port>/<repo_and_ref>`, e.g. `reference("net-monitor:v1")`.
    pub fn reference(&self, repo_and_ref: &str) -> String {
        format!("{}/{}", self.host, repo_and_ref)
    }
    /// The user and password the registry was started with, if any.
    pub fn credentials(&self) -> Option<(&str, &str)> {
        self.credentials
            .as_ref()
            .map(|(u, p)| (u.as_str(), p.as_str()))
    }
    /// The server's own log so far (stdout and stderr), for debugging.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }
    /// The registry's private temp dir (storage, config).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
