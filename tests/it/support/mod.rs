//! The test ground: real registries started on ephemeral loopback ports, the
//! real ORAS CLI, the seeds' scenario as a fixture, a fault-injecting proxy
//! plus a recording sink for the fault and leak tests, and the real
//! supply-chain tools (cosign v2 and v3, regctl) for attachments made the
//! way they are made in the wild.
//!
//! Tools come from `$REGSCOPE_TOOLS_DIR/bin` (default
//! `~/.cache/regscope/test-tools/bin`), put there by
//! `scripts/install-test-tools`. A missing tool fails the test with the
//! command that fixes it; nothing is ever skipped.
#![allow(dead_code)]

pub mod conformance;
pub mod cosign;
pub mod fixture;
pub mod forge;
pub mod notation;
pub mod oras;
pub mod pki;
pub mod proxy;
pub mod regctl;
pub mod registry;
pub mod tls;
pub mod two_platforms;

// Re-exports for the test modules; not every module uses every one.
#[allow(unused_imports)]
pub use cosign::{Cosign, CosignMode, CosignVersion};
#[allow(unused_imports)]
pub use fixture::Fixture;
#[allow(unused_imports)]
pub use oras::Oras;
#[allow(unused_imports)]
pub use proxy::{FaultProxy, Gate, Quirk, RecordedRequest, RecordingSink, Rule, TestCa};
#[allow(unused_imports)]
pub use regctl::Regctl;
#[allow(unused_imports)]
pub use registry::{OlaregAcl, OlaregAuth, Registry, RegistryKind};

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::time::Duration;

/// Media types the fixture and tests use.
pub mod media {
    pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
    pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
    pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
    pub const OCI_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
    pub const OCI_EMPTY: &str = "application/vnd.oci.empty.v1+json";
    /// Every manifest type, for `Accept` headers.
    pub const ACCEPT_ALL: &str = "application/vnd.oci.image.manifest.v1+json, \
        application/vnd.oci.image.index.v1+json, \
        application/vnd.docker.distribution.manifest.v2+json, \
        application/vnd.docker.distribution.manifest.list.v2+json, \
        application/vnd.oci.artifact.manifest.v1+json";
}

/// The directory holding the test tools (`.../bin` is below it).
pub fn tools_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("REGSCOPE_TOOLS_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").expect("HOME is not set; set REGSCOPE_TOOLS_DIR");
    PathBuf::from(home).join(".cache/regscope/test-tools")
}

/// Path of a test tool. Panics with the fixing command when it is missing.
///
/// `docker-registry` comes from Debian's package (`/usr/bin`); the Go tools
/// (`olareg`, `oras`, `ggcr-registry`, `registry3`, `cosign`, `cosign3`,
/// `regctl`) from the tools cache.
pub fn tool(name: &str) -> PathBuf {
    let candidates: Vec<PathBuf> = if name == "docker-registry" {
        vec![
            tools_dir().join("bin").join(name),
            PathBuf::from("/usr/bin/docker-registry"),
        ]
    } else {
        vec![tools_dir().join("bin").join(name)]
    };
    for c in &candidates {
        if c.is_file() {
            return c.clone();
        }
    }
    panic!(
        "test tool `{name}` not found (looked in {candidates:?}).\n\
         Run `scripts/install-test-tools` (or `scripts/test`, which runs it) to install it."
    );
}

/// A port on 127.0.0.1 that was free a moment ago. Someone may take it
/// before the server binds it: callers retry with a new one.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().unwrap().port()
}

/// A minimal HTTP reply, read with a plain blocking request.
#[derive(Debug, Clone)]
pub struct HttpReply {
    pub status: u16,
    /// Header names lowercased; repeated headers joined with ", ".
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl HttpReply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "reply is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Send one HTTP/1.1 request to `host` (`127.0.0.1:port`) over a fresh
/// connection, with `Connection: close`. Handles `Content-Length`, chunked
/// and read-to-close bodies. Independent of regscope's own client, so tests
/// can check the registry directly; usable from sync and async tests.
pub fn http_request(
    method: &str,
    host: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<HttpReply> {
    let mut s = TcpStream::connect(host)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || matches!(method, "PUT" | "POST" | "PATCH") {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    parse_http_reply(&raw, method == "HEAD")
}

/// `GET http://{host}{path}`; panics on I/O errors.
pub fn http_get(host: &str, path: &str, headers: &[(&str, &str)]) -> HttpReply {
    http_request("GET", host, path, headers, b"")
        .unwrap_or_else(|e| panic!("GET http://{host}{path}: {e}"))
}

fn parse_http_reply(raw: &[u8], head: bool) -> std::io::Result<HttpReply> {
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of headers"))?;
    let head_text = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head_text.split("\r\n");
    let status_line = lines.next().ok_or_else(|| bad("no status line"))?;
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad status line"))?;
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            let k = k.trim().to_ascii_lowercase();
            let v = v.trim().to_string();
            headers
                .entry(k)
                .and_modify(|old| {
                    old.push_str(", ");
                    old.push_str(&v);
                })
                .or_insert(v);
        }
    }
    let rest = &raw[end + 4..];
    let body = if head || status == 204 || status == 304 {
        Vec::new()
    } else if headers
        .get("transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
    {
        dechunk(rest).ok_or_else(|| bad("bad chunked body"))?
    } else if let Some(len) = headers
        .get("content-length")
        .and_then(|l| l.parse::<usize>().ok())
    {
        rest[..len.min(rest.len())].to_vec()
    } else {
        rest.to_vec()
    };
    Ok(HttpReply {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

/// `sha256:<hex>` of some bytes.
pub fn sha256_digest(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    let d = sha2::Sha256::digest(bytes);
    let mut s = String::with_capacity(71);
    s.push_str("sha256:");
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The tag-schema fallback tag of a digest: `sha256:abc` → `sha256-abc`.
pub fn fallback_tag(digest: &str) -> String {
    digest.replacen(':', "-", 1)
}
