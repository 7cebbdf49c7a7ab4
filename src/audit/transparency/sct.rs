//! Signed certificate timestamps embedded in a Fulcio certificate (RFC
//! 6962 §3.3), checked against the trusted root's CT logs: each SCT signs
//! the precertificate, i.e. the certificate's to-be-signed part without
//! the SCT list extension, with the SHA-256 of the issuer's key.

use jiff::Timestamp;
use x509_cert::Certificate;
use x509_cert::der::asn1::OctetString;
use x509_cert::der::{Decode, Encode};

use super::keys::sha256;
use super::root::TrustedRoot;
use super::{Part, ProofError};

/// The embedded SCT list extension.
const SCT_LIST: &str = "1.3.6.1.4.1.11129.2.4.2";

fn fail(message: impl Into<String>) -> ProofError {
    ProofError::new(Part::Sct, message)
}

/// One SCT as the certificate carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sct {
    pub log_id: [u8; 32],
    pub timestamp_ms: u64,
    pub extensions: Vec<u8>,
    pub hash_algorithm: u8,
    pub signature_algorithm: u8,
    pub signature: Vec<u8>,
}

/// What checking a certificate's SCTs found: the CT logs whose SCT
/// verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SctVerified {
    pub logs: Vec<String>,
}

/// Checks the SCTs embedded in `certificate` (DER). `Ok(None)` when it
/// carries none; an error when one from a log of the root fails, or when
/// none is from a log the root lists.
pub fn verify(certificate: &[u8], root: &TrustedRoot) -> Result<Option<SctVerified>, ProofError> {
    let cert =
        Certificate::from_der(certificate).map_err(|e| fail(format!("the certificate: {e}")))?;
    let extensions = cert
        .tbs_certificate
        .extensions
        .as_deref()
        .unwrap_or_default();
    let Some(list) = extensions
        .iter()
        .find(|e| e.extn_id.to_string() == SCT_LIST)
    else {
        return Ok(None);
    };
    let inner = OctetString::from_der(list.extn_value.as_bytes())
        .map_err(|e| fail(format!("the SCT list extension: {e}")))?;
    let scts = parse_list(inner.as_bytes()).ok_or_else(|| fail("the SCT list is malformed"))?;
    let precertificate = precertificate_tbs(&cert)?;
    let issuer_hashes = issuer_key_hashes(&cert, root);
    if issuer_hashes.is_empty() {
        return Err(fail(format!(
            "no certificate authority of the trusted root issued the certificate (root {}, issuer {})",
            root.source, cert.tbs_certificate.issuer
        )));
    }
    let mut logs = Vec::new();
    for sct in &scts {
        let Some(log) = root.ctlog(&sct.log_id) else {
            continue;
        };
        let at = i64::try_from(sct.timestamp_ms / 1000)
            .ok()
            .and_then(|s| Timestamp::from_second(s).ok())
            .ok_or_else(|| fail("an SCT with an impossible time"))?;
        if !log.valid_for.contains(at) {
            return Err(fail(format!(
                "the SCT by {} is from {at}, outside its key's window ({})",
                log.base_url,
                log.valid_for.describe()
            )));
        }
        let verified = issuer_hashes.iter().any(|issuer| {
            log.key
                .verify(&signed_data(sct, issuer, &precertificate), &sct.signature)
        });
        if !verified {
            return Err(fail(format!("the SCT by {} does not verify", log.base_url)));
        }
        logs.push(log.base_url.clone());
    }
    if logs.is_empty() {
        return Err(fail(format!(
            "none of the certificate's {} SCTs is from a CT log of the trusted root (root {})",
            scts.len(),
            root.source
        )));
    }
    Ok(Some(SctVerified { logs }))
}

/// The TLS `SignedCertificateTimestampList`.
pub fn parse_list(bytes: &[u8]) -> Option<Vec<Sct>> {
    let mut reader = Reader(bytes);
    let mut list = Reader(reader.vector(2)?);
    if !reader.0.is_empty() {
        return None;
    }
    let mut scts = Vec::new();
    while !list.0.is_empty() {
        let mut sct = Reader(list.vector(2)?);
        if sct.take(1)? != [0] {
            return None; // only v1 SCTs exist
        }
        let log_id = sct.take(32)?.try_into().ok()?;
        let timestamp_ms = u64::from_be_bytes(sct.take(8)?.try_into().ok()?);
        let extensions = sct.vector(2)?.to_vec();
        let algorithms = sct.take(2)?;
        let signature = sct.vector(2)?.to_vec();
        if !sct.0.is_empty() {
            return None;
        }
        scts.push(Sct {
            log_id,
            timestamp_ms,
            extensions,
            hash_algorithm: algorithms[0],
            signature_algorithm: algorithms[1],
            signature,
        });
    }
    Some(scts)
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    /// A TLS vector with a `width`-byte big-endian length.
    fn vector(&mut self, width: usize) -> Option<&'a [u8]> {
        let len = self
            .take(width)?
            .iter()
            .fold(0usize, |n, b| (n << 8) | usize::from(*b));
        self.take(len)
    }
}

/// The certificate's to-be-signed part without the SCT list: what the CT
/// log saw as the precertificate.
fn precertificate_tbs(cert: &Certificate) -> Result<Vec<u8>, ProofError> {
    let mut tbs = cert.tbs_certificate.clone();
    if let Some(extensions) = tbs.extensions.as_mut() {
        extensions.retain(|e| e.extn_id.to_string() != SCT_LIST);
    }
    tbs.to_der()
        .map_err(|e| fail(format!("cannot rebuild the precertificate: {e}")))
}

/// SHA-256 of the key of each CA certificate of the root whose subject is
/// the certificate's issuer.
fn issuer_key_hashes(cert: &Certificate, root: &TrustedRoot) -> Vec<[u8; 32]> {
    root.certificate_authorities
        .iter()
        .flat_map(|ca| &ca.chain)
        .filter_map(|der| Certificate::from_der(der).ok())
        .filter(|ca| ca.tbs_certificate.subject == cert.tbs_certificate.issuer)
        .filter_map(|ca| ca.tbs_certificate.subject_public_key_info.to_der().ok())
        .map(|spki| sha256(&spki))
        .collect()
}

/// RFC 6962 §3.2's `digitally-signed` struct for a precertificate entry.
fn signed_data(sct: &Sct, issuer_key_hash: &[u8; 32], tbs: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(tbs.len() + 64);
    out.push(0); // v1
    out.push(0); // certificate_timestamp
    out.extend_from_slice(&sct.timestamp_ms.to_be_bytes());
    out.extend_from_slice(&1u16.to_be_bytes()); // precert_entry
    out.extend_from_slice(issuer_key_hash);
    let len = u32::try_from(tbs.len()).unwrap_or(u32::MAX).to_be_bytes();
    out.extend_from_slice(&len[1..]); // 24-bit length
    out.extend_from_slice(tbs);
    out.extend_from_slice(
        &u16::try_from(sct.extensions.len())
            .unwrap_or(u16::MAX)
            .to_be_bytes(),
    );
    out.extend_from_slice(&sct.extensions);
    out
}
