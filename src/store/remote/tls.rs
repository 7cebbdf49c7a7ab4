//! TLS verification that loads the system's trust store only when a TLS
//! handshake needs it. reqwest's built-in rustls setup loads it while the
//! client is built: about 6 ms of reading and parsing every certificate in
//! `/etc/ssl/certs` on each run, paid even by a command that only speaks
//! plain HTTP to a loopback registry (a third of a discovery there).

use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use rustls_platform_verifier::Verifier;

/// The rustls configuration of the verifying client: the platform's
/// verifier (system roots, plus `extra_roots` from `--ca-file`), built at
/// the first handshake; HTTP/2 offered before HTTP/1.1, as reqwest does.
pub(super) fn client_config(
    extra_roots: Vec<CertificateDer<'static>>,
) -> Result<rustls::ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = LazyVerifier {
        provider: Arc::clone(&provider),
        extra_roots,
        built: OnceLock::new(),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

#[derive(Debug)]
struct LazyVerifier {
    provider: Arc<CryptoProvider>,
    extra_roots: Vec<CertificateDer<'static>>,
    /// The platform verifier, or why it could not be built (no trust
    /// store at all), kept so every handshake says the same.
    built: OnceLock<Result<Verifier, String>>,
}

impl LazyVerifier {
    fn verifier(&self) -> Result<&Verifier, rustls::Error> {
        let built = self.built.get_or_init(|| {
            let provider = Arc::clone(&self.provider);
            let verifier = if self.extra_roots.is_empty() {
                Verifier::new(provider)
            } else {
                Verifier::new_with_extra_roots(self.extra_roots.iter().cloned(), provider)
            };
            verifier.map_err(|e| format!("loading the system's trusted certificates: {e}"))
        });
        built
            .as_ref()
            .map_err(|why| rustls::Error::General(why.clone()))
    }
}

impl ServerCertVerifier for LazyVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.verifier()?.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.verifier()?.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.verifier()?.verify_tls13_signature(message, cert, dss)
    }

    /// Asked before any certificate arrives: answered from the provider,
    /// which is what the platform verifier answers too, without loading it.
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
