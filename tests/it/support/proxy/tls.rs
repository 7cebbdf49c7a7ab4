//! The certificate a fault proxy speaks HTTPS with: made by the same
//! `openssl` steps as the TLS registry's, for `127.0.0.1` and `localhost`,
//! signed by a CA of its own that a client trusts with `--ca-file`.

use std::path::PathBuf;
use std::sync::Arc;

use tempfile::TempDir;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring::default_provider;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::super::tls::make_certificates;

/// A test CA and a server certificate it signed.
pub struct TestCa {
    dir: TempDir,
}

impl TestCa {
    pub fn new() -> TestCa {
        let dir = tempfile::Builder::new()
            .prefix("regscope-proxy-tls-")
            .tempdir()
            .expect("create temp dir");
        make_certificates(dir.path());
        TestCa { dir }
    }

    /// The PEM of the CA, for `--ca-file`.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    pub(super) fn server_config(&self) -> Arc<ServerConfig> {
        let chain: Vec<CertificateDer<'static>> =
            CertificateDer::pem_file_iter(self.dir.path().join("server.pem"))
                .expect("read server.pem")
                .collect::<Result<_, _>>()
                .expect("parse server.pem");
        let key = PrivateKeyDer::from_pem_file(self.dir.path().join("server.key"))
            .expect("read server.key");
        let config = ServerConfig::builder_with_provider(Arc::new(default_provider()))
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("server certificate");
        Arc::new(config)
    }
}

impl Default for TestCa {
    fn default() -> Self {
        Self::new()
    }
}
