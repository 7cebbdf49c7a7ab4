//! A registry speaking HTTPS: Debian's distribution with
//! `http.tls.certificate`/`key`, its certificate (for `127.0.0.1` and
//! `localhost`) signed by a CA made for the test with the `openssl` CLI.
//! `ca_file()` is what a client trusts with `--ca-file`.
//!
//! [`Registry`]'s launcher is private to its module (and its config has no
//! TLS section), so this starts its own process, with the harness's tool
//! lookup and port picking.

use std::fs;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::{Registry, free_port, tool};

/// A running TLS distribution; dropping it kills the process.
pub struct TlsRegistry {
    host: String,
    child: Child,
    dir: TempDir,
}

impl Registry {
    /// CNCF distribution 2.8 over HTTPS with a test CA, delete on.
    pub fn distribution_tls() -> TlsRegistry {
        let mut last_error = String::new();
        for _attempt in 0..5 {
            let dir = tempfile::Builder::new()
                .prefix("regscope-distribution-tls-")
                .tempdir()
                .expect("create temp dir");
            make_certificates(dir.path());
            let port = free_port();
            let config = write_config(dir.path(), port);
            let log = fs::File::create(dir.path().join("server.log")).expect("server.log");
            let mut command = Command::new(tool("docker-registry"));
            command
                .arg("serve")
                .arg(&config)
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log"))
                .stderr(log);
            // Settings from the environment would override the config file.
            for (key, _) in std::env::vars_os() {
                if key.to_string_lossy().starts_with("REGISTRY_") {
                    command.env_remove(key);
                }
            }
            let child = command.spawn().expect("start docker-registry");
            let mut registry = TlsRegistry {
                host: format!("127.0.0.1:{port}"),
                child,
                dir,
            };
            match registry.wait_up(Duration::from_secs(15)) {
                Ok(()) => return registry,
                Err(e) => last_error = format!("{e}\n--- server log ---\n{}", registry.log()),
            }
        }
        panic!("distribution with TLS did not come up after 5 attempts: {last_error}");
    }
}

impl TlsRegistry {
    /// `127.0.0.1:<port>`.
    pub fn host(&self) -> &str {
        &self.host
    }
    /// `127.0.0.1:<port>/<repo_and_ref>`.
    pub fn reference(&self, repo_and_ref: &str) -> String {
        format!("{}/{repo_and_ref}", self.host)
    }
    /// The PEM of the CA that signed the registry's certificate.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// Up once the port accepts connections and the process is alive (the
    /// certificate is loaded before anything is served; a bad one exits).
    fn wait_up(&mut self, limit: Duration) -> Result<(), String> {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("process exited early with {status}"));
            }
            if TcpStream::connect(&self.host).is_ok() {
                std::thread::sleep(Duration::from_millis(50));
                if let Ok(Some(status)) = self.child.try_wait() {
                    return Err(format!("process exited with {status}"));
                }
                return Ok(());
            }
            if start.elapsed() > limit {
                return Err(format!("{} did not accept within {limit:?}", self.host));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for TlsRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl (is it installed?)");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `ca.pem` (a CA, EC P-256) and `server.pem`/`server.key` signed by it,
/// valid for `127.0.0.1` and `localhost`.
pub(super) fn make_certificates(dir: &Path) {
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
    let mut ca = vec!["req", "-x509", "-nodes", "-days", "2"];
    ca.extend(ec);
    ca.extend(["-keyout", "ca.key", "-out", "ca.pem"]);
    ca.extend(["-subj", "/CN=regscope test CA"]);
    ca.extend(["-addext", "basicConstraints=critical,CA:TRUE"]);
    ca.extend(["-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
    openssl(dir, &ca);
    let mut request = vec!["req", "-nodes"];
    request.extend(ec);
    request.extend(["-keyout", "server.key", "-out", "server.csr"]);
    request.extend(["-subj", "/CN=127.0.0.1"]);
    openssl(dir, &request);
    fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n\
         basicConstraints=CA:FALSE\n\
         keyUsage=critical,digitalSignature\n\
         extendedKeyUsage=serverAuth\n",
    )
    .expect("write server.ext");
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "server.pem",
        ],
    );
}

fn write_config(dir: &Path, port: u16) -> PathBuf {
    let quoted = |p: PathBuf| serde_json::to_string(&p.to_string_lossy()).expect("path");
    let storage = dir.join("storage");
    fs::create_dir_all(&storage).expect("storage dir");
    let config = format!(
        "version: 0.1\n\
         log:\n  level: warn\n  accesslog:\n    disabled: true\n\
         storage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\n\
         http:\n  addr: 127.0.0.1:{port}\n  secret: regscope-test-secret\n  \
         tls:\n    certificate: {}\n    key: {}\n",
        quoted(storage),
        quoted(dir.join("server.pem")),
        quoted(dir.join("server.key")),
    );
    let file = dir.join("config.yml");
    fs::write(&file, config).expect("write config.yml");
    file
}
