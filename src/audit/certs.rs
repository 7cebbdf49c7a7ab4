//! X.509 certificates as keyless signatures and Notation use them: who a
//! certificate names (subject, SAN e-mail/URI, Fulcio's OIDC issuer
//! extension), when it is valid, whether it may sign code or certificates,
//! and whether another certificate's key signed it. Parsing is `x509-cert`
//! (strict DER); signatures are checked with the verifiers of `keys`.

use std::time::SystemTime;

use x509_cert::Certificate;
use x509_cert::der::asn1::Utf8StringRef;
use x509_cert::der::{Decode, DecodePem, Encode};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, SubjectAltName};

use super::TrustKey;

/// Fulcio's OIDC issuer, v1: the extension's value is the URL's bytes.
const FULCIO_ISSUER_V1: &str = "1.3.6.1.4.1.57264.1.1";
/// Fulcio's OIDC issuer, v2: a DER UTF8String.
const FULCIO_ISSUER_V2: &str = "1.3.6.1.4.1.57264.1.8";
const CODE_SIGNING: &str = "1.3.6.1.5.5.7.3.3";
const SUBJECT_ALT_NAME: &str = "2.5.29.17";
const BASIC_CONSTRAINTS: &str = "2.5.29.19";
const EXTENDED_KEY_USAGE: &str = "2.5.29.37";

/// A parsed certificate.
#[derive(Debug, Clone)]
pub struct Cert {
    cert: Certificate,
    der: Vec<u8>,
}

impl Cert {
    pub fn from_der(der: &[u8]) -> Result<Cert, String> {
        Certificate::from_der(der)
            .map(|cert| Cert {
                cert,
                der: der.to_vec(),
            })
            .map_err(|e| format!("not an X.509 certificate: {e}"))
    }

    pub fn from_pem(pem: &str) -> Result<Cert, String> {
        Certificate::from_pem(pem.trim())
            .map_err(|e| format!("not a PEM X.509 certificate: {e}"))
            .and_then(Cert::of)
    }

    /// Every certificate of a PEM file (a chain or a trust store file).
    pub fn all_from_pem(pem: &str) -> Result<Vec<Cert>, String> {
        Certificate::load_pem_chain(pem.as_bytes())
            .map_err(|e| format!("not PEM X.509 certificates: {e}"))?
            .into_iter()
            .map(Cert::of)
            .collect()
    }

    fn of(cert: Certificate) -> Result<Cert, String> {
        let der = cert
            .to_der()
            .map_err(|e| format!("cannot encode a certificate: {e}"))?;
        Ok(Cert { cert, der })
    }

    /// The certificate's DER encoding, as it arrived.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The subject, RFC 4514 style (`CN=root,O=acme`).
    pub fn subject(&self) -> String {
        self.cert.tbs_certificate.subject.to_string()
    }

    pub fn issuer(&self) -> String {
        self.cert.tbs_certificate.issuer.to_string()
    }

    /// Whether `at` lies within the certificate's validity.
    pub fn valid_at(&self, at: SystemTime) -> bool {
        let validity = &self.cert.tbs_certificate.validity;
        validity.not_before.to_system_time() <= at && at <= validity.not_after.to_system_time()
    }

    /// "valid 2026-11-29T23:30:29Z to 2026-11-30T23:30:29Z".
    pub fn validity(&self) -> String {
        let validity = &self.cert.tbs_certificate.validity;
        format!("valid {} to {}", validity.not_before, validity.not_after)
    }

    /// The certificate's public key, named `name`.
    pub fn key(&self, name: &str) -> Option<TrustKey> {
        let spki = self
            .cert
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .ok()?;
        TrustKey::from_spki_der(name, &spki)
    }

    fn extension(&self, oid: &str) -> Option<&[u8]> {
        self.cert
            .tbs_certificate
            .extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id.to_string() == oid)
            .map(|e| e.extn_value.as_bytes())
    }

    /// A CA certificate (basic constraints say so).
    pub fn is_ca(&self) -> bool {
        self.extension(BASIC_CONSTRAINTS)
            .and_then(|v| BasicConstraints::from_der(v).ok())
            .is_some_and(|bc| bc.ca)
    }

    /// Whether the extended key usage allows code signing (Fulcio's
    /// certificates say so; sigstore-go requires it).
    pub fn code_signing(&self) -> bool {
        self.extension(EXTENDED_KEY_USAGE)
            .and_then(|v| ExtendedKeyUsage::from_der(v).ok())
            .is_some_and(|eku| eku.0.iter().any(|oid| oid.to_string() == CODE_SIGNING))
    }

    /// The e-mail addresses, URIs and DNS names it was issued to.
    pub fn identities(&self) -> Vec<String> {
        let Some(san) = self
            .extension(SUBJECT_ALT_NAME)
            .and_then(|v| SubjectAltName::from_der(v).ok())
        else {
            return Vec::new();
        };
        san.0
            .iter()
            .filter_map(|name| match name {
                GeneralName::Rfc822Name(s)
                | GeneralName::UniformResourceIdentifier(s)
                | GeneralName::DnsName(s) => Some(s.to_string()),
                _ => None,
            })
            .collect()
    }

    /// The OIDC issuer Fulcio wrote into the certificate (v2 extension
    /// first, as sigstore-go reads it).
    pub fn oidc_issuer(&self) -> Option<String> {
        if let Some(value) = self.extension(FULCIO_ISSUER_V2) {
            return Utf8StringRef::from_der(value)
                .ok()
                .map(|s| s.as_str().to_owned());
        }
        self.extension(FULCIO_ISSUER_V1)
            .and_then(|v| std::str::from_utf8(v).ok())
            .map(str::to_owned)
    }

    /// Whether `issuer` issued this certificate: its subject is our issuer
    /// and its key signed our to-be-signed part.
    pub fn issued_by(&self, issuer: &Cert) -> bool {
        let (Ok(ours), Ok(theirs)) = (
            self.cert.tbs_certificate.issuer.to_der(),
            issuer.cert.tbs_certificate.subject.to_der(),
        ) else {
            return false;
        };
        if ours != theirs {
            return false;
        }
        let (Some(key), Ok(tbs)) = (issuer.key("issuer"), self.cert.tbs_certificate.to_der())
        else {
            return false;
        };
        let Some(signature) = self.cert.signature.as_bytes() else {
            return false;
        };
        key.verify_x509(
            &self.cert.signature_algorithm.oid.to_string(),
            &tbs,
            signature,
        )
    }

    /// Self-signed: a root.
    pub fn is_root(&self) -> bool {
        self.issued_by(self)
    }
}
