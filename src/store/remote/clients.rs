//! The HTTP clients a store speaks through, configured from the user's
//! connection flags: TLS (the system's trust store loaded lazily, a CA
//! file, `--insecure` for one host), timeouts, no decompression, no
//! automatic redirects.

use std::path::Path;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use url::Url;

use super::connect::{ConnectOptions, origin};
use crate::store::StoreError;

/// The HTTP clients of one store: one that verifies TLS, and, with
/// `--insecure`, one that does not, used only for the host and port the
/// user named (H4). A redirect target or token realm elsewhere is verified
/// like any other host: the user vouched for one server, not for wherever
/// it sends us.
#[derive(Clone)]
pub struct Clients {
    verified: reqwest::Client,
    insecure: Option<(reqwest::Client, String, u16)>,
}

impl Clients {
    /// The clients for `options`, with `--insecure` scoped to `origin`.
    pub fn new(options: &ConnectOptions, origin: &Url) -> Result<Clients, StoreError> {
        let verified = build_client(options)?;
        let insecure = match (options.insecure, origin.host_str()) {
            (true, Some(host)) => {
                tracing::warn!(
                    "TLS certificate verification is OFF for {host} (--insecure): anyone on the network path can read and change what this registry sends"
                );
                let port = origin.port_or_known_default().unwrap_or(443);
                Some((
                    client_builder(options, true)?,
                    host.to_ascii_lowercase(),
                    port,
                ))
            }
            _ => None,
        };
        Ok(Clients { verified, insecure })
    }

    /// [`Clients::new`] for `registry` as written in a reference.
    pub fn for_registry(registry: &str, options: &ConnectOptions) -> Result<Clients, StoreError> {
        Clients::new(options, &origin(registry, options)?)
    }

    /// The client for a request to `url`: the unverifying one only for
    /// `https` to the very host and port that was named.
    pub fn for_url(&self, url: &Url) -> &reqwest::Client {
        match &self.insecure {
            Some((client, host, port))
                if url.scheme() == "https"
                    && url.host_str().is_some_and(|h| h.eq_ignore_ascii_case(host))
                    && url.port_or_known_default() == Some(*port) =>
            {
                client
            }
            _ => &self.verified,
        }
    }
}

impl From<reqwest::Client> for Clients {
    /// One verifying client for every host.
    fn from(client: reqwest::Client) -> Clients {
        Clients {
            verified: client,
            insecure: None,
        }
    }
}

impl std::fmt::Debug for Clients {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let insecure = self
            .insecure
            .as_ref()
            .map(|(_, host, port)| format!("{host}:{port}"));
        f.debug_struct("Clients")
            .field("insecure_for", &insecure)
            .finish_non_exhaustive()
    }
}

/// A client that verifies TLS (with `ca_file` if given) for every host;
/// `insecure` is honoured only through [`Clients`], scoped to one host.
pub fn build_client(options: &ConnectOptions) -> Result<reqwest::Client, StoreError> {
    client_builder(options, false)
}

fn client_builder(options: &ConnectOptions, insecure: bool) -> Result<reqwest::Client, StoreError> {
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
    if insecure {
        // Verifies nothing, so needs no trust store: reqwest's own setup
        // builds it without loading one.
        builder = builder.tls_danger_accept_invalid_certs(true);
    } else {
        let extra_roots = match &options.ca_file {
            Some(path) => ca_file_roots(path)?,
            None => Vec::new(),
        };
        let config = super::tls::client_config(extra_roots).map_err(|e| StoreError::Transport {
            operation: "set up TLS".to_owned(),
            message: e.to_string(),
        })?;
        builder = builder.tls_backend_preconfigured(config);
    }
    builder.build().map_err(|e| StoreError::Transport {
        operation: "set up the HTTP client".to_owned(),
        message: e.without_url().to_string(),
    })
}

/// The certificates of a `--ca-file`, to trust beside the system's.
fn ca_file_roots(path: &Path) -> Result<Vec<CertificateDer<'static>>, StoreError> {
    let pem = std::fs::read(path)
        .map_err(|e| StoreError::io(format!("reading CA file {}", path.display()), e))?;
    let certificates = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            StoreError::Invalid(format!(
                "CA file {} holds unreadable PEM: {e}",
                path.display()
            ))
        })?;
    if certificates.is_empty() {
        return Err(StoreError::Invalid(format!(
            "CA file {} holds no PEM certificates",
            path.display()
        )));
    }
    Ok(certificates)
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
        let empty = tempfile::NamedTempFile::new().expect("temp file");
        let empty = ConnectOptions {
            ca_file: Some(empty.path().to_owned()),
            ..ConnectOptions::default()
        };
        let error = build_client(&empty).expect_err("an empty CA file");
        assert!(error.to_string().contains("no PEM certificates"), "{error}");
        let insecure = ConnectOptions {
            insecure: true,
            ..ConnectOptions::default()
        };
        assert!(build_client(&insecure).is_ok());
    }

    #[test]
    fn insecure_is_for_the_named_host_and_port_only() {
        let insecure = ConnectOptions {
            insecure: true,
            ..ConnectOptions::default()
        };
        let origin = origin("r.example:5000", &insecure).expect("origin");
        let clients = Clients::new(&insecure, &origin).expect("clients");
        let is_insecure = |url: &str| {
            let url = Url::parse(url).expect("url");
            let picked: *const reqwest::Client = clients.for_url(&url);
            let verified: *const reqwest::Client = &clients.verified;
            picked != verified
        };
        assert!(is_insecure("https://r.example:5000/v2/"));
        assert!(is_insecure("https://R.Example:5000/token"));
        for elsewhere in [
            "https://r.example/v2/",
            "https://r.example:5001/v2/",
            "https://auth.r.example:5000/token",
            "https://storage.example/blob",
            "http://r.example:5000/v2/",
        ] {
            assert!(!is_insecure(elsewhere), "{elsewhere}");
        }
        let plain = Clients::new(&ConnectOptions::default(), &origin).expect("clients");
        assert!(plain.insecure.is_none());
    }
}
