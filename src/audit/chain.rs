//! Certificate paths, validated by rustls-webpki: from a signing
//! certificate through the intermediates given to one of the anchors, each
//! link's signature checked with an algorithm its issuer's key allows (RSA
//! of at least 2048 bits), basicConstraints (an issuer must be a CA),
//! pathLen, name constraints, extended key usage (code signing, where an
//! intermediate names its usages too), unknown critical extensions, and
//! every certificate valid at the given time.
//!
//! What webpki leaves to its caller, done here: the signing certificate's
//! key usage must allow `digitalSignature` and its extended key usage must
//! name code signing (webpki accepts a certificate with none); every issuer
//! on the path, the anchor included, must allow `keyCertSign`; the anchor
//! must be a CA, valid at the time, whose pathLen the path keeps, and have
//! no critical extension nobody understands (webpki never reads an
//! anchor's extensions).

use rustls_pki_types::{CertificateDer, UnixTime};
use webpki::{EndEntityCert, KeyUsage, anchor_from_trusted_cert};

use super::certs::{Cert, utc};

/// `1.3.6.1.5.5.7.3.3`, DER without tag and length.
const CODE_SIGNING_OID: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03];

/// Critical extensions a certificate path may carry: those webpki
/// understands (it refuses others on leaves and intermediates).
const UNDERSTOOD_CRITICAL: [&str; 6] = [
    "2.5.29.15", // keyUsage
    "2.5.29.17", // subjectAltName
    "2.5.29.19", // basicConstraints
    "2.5.29.30", // nameConstraints
    "2.5.29.31", // cRLDistributionPoints
    "2.5.29.37", // extKeyUsage
];

/// A path that holds: the anchor it reached and how many intermediates it
/// went through.
#[derive(Debug, Clone)]
pub struct ValidPath {
    pub anchor: Cert,
    pub intermediates: usize,
}

/// Validates `leaf` at `at` through `intermediates` to one of `anchors`.
/// A leaf that is itself an anchor (a self-signed certificate in a
/// Notation trust store) is its own path.
pub fn validate(
    leaf: &Cert,
    intermediates: &[Cert],
    anchors: &[Cert],
    at: jiff::Timestamp,
) -> Result<ValidPath, String> {
    check_leaf(leaf)?;
    let seconds =
        u64::try_from(at.as_second()).map_err(|_| format!("cannot check a certificate at {at}"))?;
    let time = UnixTime::since_unix_epoch(std::time::Duration::from_secs(seconds));
    let leaf_der = CertificateDer::from(leaf.der());
    let end_entity = EndEntityCert::try_from(&leaf_der)
        .map_err(|e| format!("the signing certificate cannot be used: {}", reason(&e)))?;
    let anchor_ders: Vec<CertificateDer<'_>> = anchors
        .iter()
        .map(|a| CertificateDer::from(a.der()))
        .collect();
    let trust_anchors = anchor_ders
        .iter()
        .map(|der| anchor_from_trusted_cert(der).map_err(|e| reason(&e)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("a trust anchor cannot be read: {e}"))?;
    let intermediate_ders: Vec<CertificateDer<'_>> = intermediates
        .iter()
        .map(|c| CertificateDer::from(c.der()))
        .collect();
    let path = end_entity
        .verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &trust_anchors,
            &intermediate_ders,
            time,
            KeyUsage::required_if_present(CODE_SIGNING_OID),
            None,
            None,
        )
        .map_err(|e| format!("the certificate path does not hold: {}", reason(&e)))?;
    let used: Vec<Cert> = path
        .intermediate_certificates()
        .map(|c| Cert::from_der(c.der().as_ref()))
        .collect::<Result<_, _>>()?;
    for issuer in &used {
        if !issuer.may_issue() {
            return Err(format!(
                "{} issues certificates but its key usage does not allow keyCertSign",
                issuer.subject()
            ));
        }
    }
    let anchor = anchors
        .iter()
        .zip(&trust_anchors)
        .find(|(_, ta)| {
            ta.subject == path.anchor().subject
                && ta.subject_public_key_info == path.anchor().subject_public_key_info
        })
        .map(|(cert, _)| cert.clone())
        .ok_or("the path reached an anchor that was not given")?;
    if anchor.der() != leaf.der() {
        check_anchor(&anchor, used.len(), at)?;
    }
    Ok(ValidPath {
        anchor,
        intermediates: used.len(),
    })
}

/// What the signing certificate itself must say, beyond webpki's checks.
fn check_leaf(leaf: &Cert) -> Result<(), String> {
    if !leaf.may_sign() {
        return Err(
            "the signing certificate's key usage does not allow digitalSignature".to_owned(),
        );
    }
    if !leaf.code_signing() {
        return Err(
            "the signing certificate is not for code signing (no codeSigning extended key usage)"
                .to_owned(),
        );
    }
    Ok(())
}

fn check_anchor(anchor: &Cert, intermediates: usize, at: jiff::Timestamp) -> Result<(), String> {
    let name = anchor.subject();
    let Some(path_len) = anchor.ca() else {
        return Err(format!("the trust anchor {name} is not a CA certificate"));
    };
    if path_len.is_some_and(|limit| intermediates > usize::from(limit)) {
        return Err(format!(
            "the path goes through {intermediates} intermediates, more than the pathLen of {name} allows"
        ));
    }
    if !anchor.may_issue() {
        return Err(format!(
            "the trust anchor {name} has no key usage allowing keyCertSign"
        ));
    }
    if let Some(oid) = anchor
        .critical_extensions()
        .into_iter()
        .find(|oid| !UNDERSTOOD_CRITICAL.contains(&oid.as_str()))
    {
        return Err(format!(
            "the trust anchor {name} has a critical extension regscope does not understand ({oid})"
        ));
    }
    if !anchor.valid_at(at) {
        return Err(format!(
            "the trust anchor {name} is not valid at {} ({})",
            utc(at),
            anchor.validity_text()
        ));
    }
    Ok(())
}

/// webpki's error as a person reads it.
fn reason(error: &webpki::Error) -> String {
    use webpki::Error as E;
    match error {
        E::CaUsedAsEndEntity => "a CA certificate is used to sign".to_owned(),
        E::EndEntityUsedAsCa => {
            "an issuer on the path is not a CA (basicConstraints without cA, or none)".to_owned()
        }
        E::PathLenConstraintViolated => "a CA's pathLen is exceeded".to_owned(),
        E::CertExpired { .. } => "a certificate on the path has expired".to_owned(),
        E::CertNotValidYet { .. } => "a certificate on the path is not valid yet".to_owned(),
        E::UnknownIssuer => "it does not chain to a trusted certificate".to_owned(),
        E::UnsupportedCriticalExtension => {
            "a certificate has a critical extension nobody understands".to_owned()
        }
        E::RequiredEkuNotFoundContext(_) => {
            "a certificate on the path does not allow code signing".to_owned()
        }
        E::InvalidSignatureForPublicKey => {
            "a certificate's signature does not verify with its issuer's key".to_owned()
        }
        E::UnsupportedSignatureAlgorithmContext(_)
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => {
            "a certificate is signed with an algorithm or key regscope does not accept (RSA under 2048 bits, or unknown)".to_owned()
        }
        other => format!("{other:?}"),
    }
}
