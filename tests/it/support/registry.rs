//! Real registries on ephemeral loopback ports, one process per test,
//! killed on drop (also when the test panics).

use std::fmt;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::{free_port, http_request, tool};

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

/// One olareg ACL entry (see olareg `config/auth.go`). `repo` matches
/// exactly or, ending in `*`, by prefix (`"*"` matches everything, including
/// the `""` of `/v2/` pings); the longest matching entry wins. `access`:
/// `read`, `write`, `delete`, `*`. `members` are user or group names.
#[derive(Debug, Clone)]
pub struct OlaregAcl {
    pub repo: String,
    pub access: Vec<String>,
    pub members: Vec<String>,
    pub anonymous: bool,
}

impl OlaregAcl {
    pub fn new(repo: &str, access: &[&str], members: &[&str]) -> Self {
        OlaregAcl {
            repo: repo.to_string(),
            access: access.iter().map(|s| s.to_string()).collect(),
            members: members.iter().map(|s| s.to_string()).collect(),
            anonymous: false,
        }
    }
    /// Anonymous access to `repo`.
    pub fn anonymous(repo: &str, access: &[&str]) -> Self {
        OlaregAcl {
            repo: repo.to_string(),
            access: access.iter().map(|s| s.to_string()).collect(),
            members: Vec::new(),
            anonymous: true,
        }
    }
}

/// Users and per-repository access for olareg's `--auth-basic` and
/// `--auth-token-opaque` (one YAML file; passwords are bcrypt-hashed with
/// `olareg hash`).
#[derive(Debug, Clone, Default)]
pub struct OlaregAuth {
    pub users: Vec<(String, String)>,
    pub acls: Vec<OlaregAcl>,
}

impl OlaregAuth {
    /// One user with full access to every repository (and the `/v2/` ping).
    pub fn single_user(user: &str, pass: &str) -> Self {
        OlaregAuth {
            users: vec![(user.to_string(), pass.to_string())],
            acls: vec![OlaregAcl::new("*", &["*"], &[user])],
        }
    }
    pub fn user(mut self, user: &str, pass: &str) -> Self {
        self.users.push((user.to_string(), pass.to_string()));
        self
    }
    pub fn acl(mut self, acl: OlaregAcl) -> Self {
        self.acls.push(acl);
        self
    }

    fn to_yaml(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap();
        let list = |v: &[String]| {
            let items: Vec<String> = v.iter().map(|s| q(s)).collect();
            format!("[{}]", items.join(", "))
        };
        let mut y = String::from("users:\n");
        for (user, pass) in &self.users {
            y.push_str(&format!("  {}:\n    cred: {}\n", q(user), q(&bcrypt(pass))));
        }
        y.push_str("acls:\n");
        for a in &self.acls {
            y.push_str(&format!(
                "  - repo: {}\n    access: {}\n    members: {}\n    anonymous: {}\n",
                q(&a.repo),
                list(&a.access),
                list(&a.members),
                a.anonymous
            ));
        }
        y
    }
}

/// A bcrypt hash of `pass` (made by `olareg hash`), good for olareg's auth
/// file and for distribution's htpasswd file alike.
pub fn bcrypt(pass: &str) -> String {
    let out = Command::new(tool("olareg"))
        .args(["hash", "--pass", pass])
        .output()
        .expect("run olareg hash");
    assert!(
        out.status.success(),
        "olareg hash failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[derive(Debug, Clone)]
enum Launch {
    Distribution {
        htpasswd: bool,
        /// v3 (`registry3`) instead of 2.8 (`docker-registry`).
        v3: bool,
        /// `storage.delete.enabled`.
        delete: bool,
    },
    Olareg {
        extra: Vec<String>,
        auth: Option<(AuthMode, OlaregAuth)>,
        /// `--api-delete`.
        delete: bool,
    },
    Ggcr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AuthMode {
    Basic,
    Token,
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

    fn start(kind: RegistryKind, launch: Launch, credentials: Option<(String, String)>) -> Self {
        let mut last_err = String::new();
        for _attempt in 0..5 {
            let dir = tempfile::Builder::new()
                .prefix(&format!("regscope-{kind}-"))
                .tempdir()
                .expect("create temp dir");
            let port = free_port();
            let host = format!("127.0.0.1:{port}");
            let mut cmd = command_for(&launch, dir.path(), port, credentials.as_ref());
            let log = fs::File::create(dir.path().join("server.log")).expect("create server.log");
            cmd.stdin(Stdio::null())
                .stdout(log.try_clone().unwrap())
                .stderr(log);
            let child = match cmd.spawn() {
                Ok(c) => c,
                Err(e) => panic!("cannot start {kind} ({cmd:?}): {e}"),
            };
            let mut reg = Registry {
                kind,
                host,
                child,
                dir,
                credentials: credentials.clone(),
            };
            match reg.wait_up(Duration::from_secs(15)) {
                Ok(()) => return reg,
                Err(e) => {
                    last_err = format!("{e}\n--- server log ---\n{}", reg.log());
                    // Drop kills it; try another port.
                }
            }
        }
        panic!("{kind} did not come up after 5 attempts: {last_err}");
    }

    fn wait_up(&mut self, limit: Duration) -> Result<(), String> {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("process exited early with {status}"));
            }
            if let Ok(reply) = http_request("GET", &self.host, "/v2/", &[], b"")
                && (reply.status == 200 || reply.status == 401)
            {
                return Ok(());
            }
            if start.elapsed() > limit {
                return Err(format!("GET /v2/ did not answer within {limit:?}"));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn command_for(
    launch: &Launch,
    dir: &Path,
    port: u16,
    credentials: Option<&(String, String)>,
) -> Command {
    match launch {
        Launch::Distribution {
            htpasswd,
            v3,
            delete,
        } => {
            let storage = dir.join("storage");
            fs::create_dir_all(&storage).unwrap();
            let mut auth = String::new();
            if *htpasswd {
                let (user, pass) = credentials.expect("htpasswd needs credentials");
                let file = dir.join("htpasswd");
                fs::write(&file, format!("{user}:{}\n", bcrypt(pass))).unwrap();
                auth = format!(
                    "auth:\n  htpasswd:\n    realm: regscope-test\n    path: {}\n",
                    yaml_path(&file)
                );
            }
            let config = format!(
                "version: 0.1\n\
                 log:\n  level: warn\n  accesslog:\n    disabled: true\n\
                 storage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: {delete}\n  \
                 maintenance:\n    uploadpurging:\n      enabled: false\n\
                 http:\n  addr: 127.0.0.1:{port}\n  secret: regscope-test-secret\n\
                 {auth}",
                yaml_path(&storage)
            );
            let config_file = dir.join("config.yml");
            fs::write(&config_file, config).unwrap();
            let mut cmd = Command::new(tool(if *v3 { "registry3" } else { "docker-registry" }));
            cmd.arg("serve").arg(&config_file);
            // v3 traces with OpenTelemetry; keep it from looking for a collector.
            cmd.env("OTEL_TRACES_EXPORTER", "none");
            // Settings from the environment would override our config file.
            for (k, _) in std::env::vars_os() {
                if k.to_string_lossy().starts_with("REGISTRY_") {
                    cmd.env_remove(k);
                }
            }
            cmd
        }
        Launch::Olareg {
            extra,
            auth,
            delete,
        } => {
            let mut cmd = Command::new(tool("olareg"));
            cmd.args(["serve", "--store-type", "mem"]);
            if *delete {
                cmd.arg("--api-delete");
            }
            cmd.args(["--addr", "127.0.0.1", "--port", &port.to_string()]);
            if let Some((mode, auth)) = auth {
                let file = dir.join("auth.yaml");
                fs::write(&file, auth.to_yaml()).unwrap();
                match mode {
                    AuthMode::Basic => {
                        cmd.arg("--auth-basic").arg(&file);
                    }
                    AuthMode::Token => {
                        cmd.arg("--auth-token-opaque")
                            .arg(&file)
                            .arg("--external-url")
                            .arg(format!("http://127.0.0.1:{port}"));
                    }
                }
            }
            cmd.args(extra);
            cmd
        }
        Launch::Ggcr => {
            let mut cmd = Command::new(tool("ggcr-registry"));
            cmd.arg("-addr").arg(format!("127.0.0.1:{port}"));
            cmd
        }
    }
}

fn yaml_path(p: &Path) -> String {
    serde_json::to_string(&p.to_string_lossy()).unwrap()
}
