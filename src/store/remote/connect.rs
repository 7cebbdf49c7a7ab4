//! The user's connection flags ([`ConnectOptions`]), and turning them and
//! a registry name into an origin (the clients they configure are in
//! `clients`).

use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use super::session::Session;
use crate::oci::reference::api_host;
use crate::store::StoreError;

/// How to connect to a registry; the same flags as `oras` and `regctl`.
///
/// The scheme: plain HTTP when `plain_http` is set; HTTPS when TLS was
/// spoken about (`https_on_loopback`, `ca_file` or `insecure`: whoever
/// names a CA means TLS, even for `localhost`); otherwise plain HTTP for
/// loopback hosts (where local test registries live, as docker treats them)
/// and HTTPS everywhere else. oras always uses HTTPS unless `--plain-http`;
/// regscope differs only for loopback hosts with no TLS option given.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Speak plain HTTP (also the default for loopback hosts).
    pub plain_http: bool,
    /// Speak HTTPS to a loopback host too (implied by `ca_file`/`insecure`).
    pub https_on_loopback: bool,
    /// A PEM file of extra CA certificates.
    pub ca_file: Option<PathBuf>,
    /// Skip TLS verification (loudly) for the registry's own host and port
    /// only; redirect targets and token realms elsewhere are verified.
    pub insecure: bool,
    pub username: Option<String>,
    pub password: Option<String>,
    /// How long to wait for a connection to open.
    pub connect_timeout: Duration,
    /// How long to wait for the next bytes of an answer (headers or body).
    /// There is no total timeout: a large blob at a steady rate is never
    /// cut off.
    pub read_timeout: Duration,
    /// How long one metadata body (a manifest, a page of tags or of
    /// referrers) may take in all: a registry trickling a byte at a time
    /// never trips the read timeout. Blobs have no such limit.
    pub metadata_timeout: Duration,
    /// What registries showed about themselves: shared by every store
    /// opened with a clone of these options (one session).
    pub session: Session,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            plain_http: false,
            https_on_loopback: false,
            ca_file: None,
            insecure: false,
            username: None,
            password: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            metadata_timeout: DEFAULT_METADATA_TIMEOUT,
            session: Session::default(),
        }
    }
}

/// See [`ConnectOptions::connect_timeout`].
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// See [`ConnectOptions::read_timeout`].
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// See [`ConnectOptions::metadata_timeout`]: a 16 MiB page of tags still
/// arrives at 150 KB/s.
pub const DEFAULT_METADATA_TIMEOUT: Duration = Duration::from_secs(120);

/// `https://host[:port]/`, or `http://` when asked for or for a loopback
/// host with no TLS option given (the rules are on [`ConnectOptions`]).
pub fn origin(registry: &str, options: &ConnectOptions) -> Result<Url, StoreError> {
    let host = api_host(registry);
    let tls_asked_for = options.https_on_loopback || options.ca_file.is_some() || options.insecure;
    let scheme = if options.plain_http || (is_loopback(host) && !tls_asked_for) {
        "http"
    } else {
        "https"
    };
    Url::parse(&format!("{scheme}://{host}/"))
        .map_err(|e| StoreError::Invalid(format!("registry {registry:?} is not a host name: {e}")))
}

/// `localhost`, `127.x.y.z` or `[::1]`, with or without a port.
pub fn is_loopback(host_and_port: &str) -> bool {
    let host = if let Some(rest) = host_and_port.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else {
        host_and_port.split(':').next().unwrap_or(host_and_port)
    };
    host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host.strip_prefix("127.").is_some_and(|rest| {
            rest.split('.').count() == 3 && rest.split('.').all(|p| p.parse::<u8>().is_ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_speak_plain_http_by_default() {
        for host in [
            "localhost",
            "localhost:5000",
            "127.0.0.1:5000",
            "127.1.2.3",
            "[::1]:5000",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "ghcr.io",
            "127.0.0.1.example.com",
            "10.0.0.1:5000",
            "localhost.example",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
        let options = ConnectOptions::default();
        assert_eq!(
            origin("localhost:5000", &options).expect("origin").as_str(),
            "http://localhost:5000/"
        );
        assert_eq!(
            origin("docker.io", &options).expect("origin").as_str(),
            "https://registry-1.docker.io/"
        );
        let plain = ConnectOptions {
            plain_http: true,
            ..ConnectOptions::default()
        };
        assert_eq!(
            origin("r.example:80", &plain).expect("origin").scheme(),
            "http"
        );
        let with_ca = ConnectOptions {
            ca_file: Some("ca.pem".into()),
            ..ConnectOptions::default()
        };
        let forced = ConnectOptions {
            https_on_loopback: true,
            ..ConnectOptions::default()
        };
        for tls in [with_ca, forced] {
            assert_eq!(
                origin("127.0.0.1:5000", &tls).expect("origin").as_str(),
                "https://127.0.0.1:5000/"
            );
        }
    }
}
