//! Turning a registry name and the user's connection flags into an origin
//! and one configured HTTP client (TLS, timeouts, no decompression, no
//! automatic redirects).

use url::Url;

use super::ConnectOptions;
use crate::oci::reference::api_host;
use crate::store::StoreError;

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

/// The store's one client, and so its one connection pool.
pub fn build_client(options: &ConnectOptions) -> Result<reqwest::Client, StoreError> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("regscope/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(options.connect_timeout)
        .read_timeout(options.read_timeout)
        // A digest is over the bytes as stored: never let the client inflate them.
        .no_gzip()
        .no_brotli()
        .no_deflate()
        .no_zstd()
        .referer(false)
        // Redirects are followed by hand, to keep credentials on one origin.
        .redirect(reqwest::redirect::Policy::none());
    if let Some(path) = &options.ca_file {
        let pem = std::fs::read(path)
            .map_err(|e| StoreError::io(format!("reading CA file {}", path.display()), e))?;
        let certificates = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            StoreError::Invalid(format!(
                "CA file {} holds no usable PEM certificates: {}",
                path.display(),
                e.without_url()
            ))
        })?;
        builder = builder.tls_certs_merge(certificates);
    }
    if options.insecure {
        tracing::warn!(
            "TLS certificate verification is OFF (--insecure): anyone on the network path can read and change what this registry sends"
        );
        builder = builder.tls_danger_accept_invalid_certs(true);
    }
    builder.build().map_err(|e| StoreError::Transport {
        operation: "set up the HTTP client".to_owned(),
        message: e.without_url().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_file_must_exist_and_hold_certificates() {
        let missing = ConnectOptions {
            ca_file: Some("/nonexistent/regscope-ca.pem".into()),
            ..ConnectOptions::default()
        };
        assert!(matches!(build_client(&missing), Err(StoreError::Io { .. })));
        let garbage = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(
            garbage.path(),
            "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
        )
        .expect("write");
        let garbage = ConnectOptions {
            ca_file: Some(garbage.path().to_owned()),
            ..ConnectOptions::default()
        };
        assert!(build_client(&garbage).is_err());
        let insecure = ConnectOptions {
            insecure: true,
            ..ConnectOptions::default()
        };
        assert!(build_client(&insecure).is_ok());
    }

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
