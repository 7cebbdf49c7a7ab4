//! Starting a registry: the command line and config of each kind, a free
//! loopback port (tried again on another when it does not come up), and
//! waiting until `/v2/` answers.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{OlaregAuth, Registry, RegistryKind, bcrypt};
use crate::support::{free_port, http_request, tool};

#[derive(Debug, Clone)]
pub(super) enum Launch {
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
pub(super) enum AuthMode {
    Basic,
    Token,
}

impl Registry {
    pub(super) fn start(
        kind: RegistryKind,
        launch: Launch,
        credentials: Option<(String, String)>,
    ) -> Self {
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
