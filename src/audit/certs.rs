//! X.509 certificates as keyless signatures and Notation use them: who a
//! certificate names (subject, SAN e-mail/URI/DNS, Fulcio's OIDC issuer
//! extensions), its key usage, when it is valid, and its key. Parsing is
//! `x509-cert` (strict DER); whether a path of certificates holds is
//! `chain`'s question, answered by rustls-webpki.

use x509_cert::Certificate;
use x509_cert::der::asn1::Utf8StringRef;
use x509_cert::der::{Decode, DecodePem, Encode};
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages};

use super::keys::{KeyError, TrustKey};

/// Fulcio's OIDC issuer, v1: the extension's value is the URL's bytes.
const FULCIO_ISSUER_V1: &str = "1.3.6.1.4.1.57264.1.1";
/// Fulcio's OIDC issuer, v2: a DER UTF8String.
const FULCIO_ISSUER_V2: &str = "1.3.6.1.4.1.57264.1.8";
const CODE_SIGNING: &str = "1.3.6.1.5.5.7.3.3";
const KEY_USAGE: &str = "2.5.29.15";
const SUBJECT_ALT_NAME: &str = "2.5.29.17";
const BASIC_CONSTRAINTS: &str = "2.5.29.19";
const EXTENDED_KEY_USAGE: &str = "2.5.29.37";

/// A parsed certificate and the DER it arrived as.
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

    /// Not before and not after.
    pub fn validity(&self) -> (jiff::Timestamp, jiff::Timestamp) {
        let validity = &self.cert.tbs_certificate.validity;
        let at = |time: &x509_cert::time::Time| {
            let seconds = time.to_unix_duration().as_secs();
            jiff::Timestamp::from_second(i64::try_from(seconds).unwrap_or(i64::MAX))
                .unwrap_or(jiff::Timestamp::MAX)
        };
        (at(&validity.not_before), at(&validity.not_after))
    }

    /// Whether `at` lies within the validity (both ends inclusive).
    pub fn valid_at(&self, at: jiff::Timestamp) -> bool {
        let (start, end) = self.validity();
        start <= at && at <= end
    }

    /// "valid 2026-11-29 23:30 UTC to 2026-11-30 23:30 UTC".
    pub fn validity_text(&self) -> String {
        let (start, end) = self.validity();
        format!("valid {} to {}", utc(start), utc(end))
    }

    /// The certificate's SubjectPublicKeyInfo, DER-encoded.
    pub fn spki_der(&self) -> Option<Vec<u8>> {
        self.cert
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .ok()
    }

    /// The certificate's public key, named `name`; weak and unknown keys
    /// are refused.
    pub fn key(&self, name: &str) -> Result<TrustKey, KeyError> {
        let spki = self.spki_der().ok_or_else(|| KeyError::Unsupported {
            name: name.to_owned(),
        })?;
        TrustKey::from_spki_der(name, &spki)
    }

    /// Every extension with this OID (RFC 5280 allows one; more is a sign of
    /// a certificate made to be read two ways).
    fn extensions(&self, oid: &str) -> Vec<&[u8]> {
        self.cert
            .tbs_certificate
            .extensions
            .iter()
            .flatten()
            .filter(|e| e.extn_id.to_string() == oid)
            .map(|e| e.extn_value.as_bytes())
            .collect()
    }

    fn extension(&self, oid: &str) -> Option<&[u8]> {
        self.extensions(oid).first().copied()
    }

    /// The OIDs of the extensions marked critical.
    pub fn critical_extensions(&self) -> Vec<String> {
        self.cert
            .tbs_certificate
            .extensions
            .iter()
            .flatten()
            .filter(|e| e.critical)
            .map(|e| e.extn_id.to_string())
            .collect()
    }

    /// `Some(path length limit)` for a CA certificate (basic constraints
    /// say `cA`); `None` when it is not one.
    pub fn ca(&self) -> Option<Option<u8>> {
        let constraints = self
            .extension(BASIC_CONSTRAINTS)
            .and_then(|v| BasicConstraints::from_der(v).ok())?;
        constraints.ca.then_some(constraints.path_len_constraint)
    }

    fn key_usage(&self) -> Option<KeyUsage> {
        self.extension(KEY_USAGE)
            .and_then(|v| KeyUsage::from_der(v).ok())
    }

    /// Whether the key usage extension is there and allows signing
    /// (`digitalSignature`).
    pub fn may_sign(&self) -> bool {
        self.key_usage()
            .is_some_and(|usage| usage.0.contains(KeyUsages::DigitalSignature))
    }

    /// Whether the key usage extension is there and allows issuing
    /// certificates (`keyCertSign`).
    pub fn may_issue(&self) -> bool {
        self.key_usage()
            .is_some_and(|usage| usage.0.contains(KeyUsages::KeyCertSign))
    }

    /// Whether the extended key usage is there and allows code signing
    /// (Fulcio's certificates say so; sigstore-go requires it).
    pub fn code_signing(&self) -> bool {
        self.extension(EXTENDED_KEY_USAGE)
            .and_then(|v| ExtendedKeyUsage::from_der(v).ok())
            .is_some_and(|eku| eku.0.iter().any(|oid| oid.to_string() == CODE_SIGNING))
    }

    /// The e-mail addresses, URIs and DNS names it was issued to (never the
    /// subject's common name).
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

    /// The OIDC issuer Fulcio wrote into the certificate. Its v1 and v2
    /// extensions must agree and appear once each: sigstore-go keeps
    /// whichever comes last, so a certificate with two different issuers
    /// would name a different one to each reader.
    pub fn oidc_issuer(&self) -> Result<Option<String>, String> {
        let v1 = self.extensions(FULCIO_ISSUER_V1);
        let v2 = self.extensions(FULCIO_ISSUER_V2);
        if v1.len() > 1 || v2.len() > 1 {
            return Err("the certificate names its OIDC issuer more than once".to_owned());
        }
        let v1 = match v1.first() {
            Some(raw) => Some(
                std::str::from_utf8(raw)
                    .map_err(|_| "the OIDC issuer (v1) is not UTF-8".to_owned())?
                    .to_owned(),
            ),
            None => None,
        };
        let v2 = match v2.first() {
            Some(raw) => Some(
                Utf8StringRef::from_der(raw)
                    .map_err(|_| "the OIDC issuer (v2) is not a UTF8String".to_owned())?
                    .as_str()
                    .to_owned(),
            ),
            None => None,
        };
        match (v1, v2) {
            (Some(one), Some(two)) if one != two => Err(format!(
                "the certificate names two OIDC issuers ({one} in the v1 extension, {two} in v2)"
            )),
            (one, two) => Ok(two.or(one)),
        }
    }
}

/// `2026-05-01 12:00 UTC`.
pub fn utc(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}
