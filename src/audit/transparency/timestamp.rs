//! RFC 3161 timestamps against the trusted root's timestamp authorities:
//! the token is CMS SignedData over a TSTInfo; its signed attributes must
//! name that content and its digest, the signature over them must be the
//! authority's signing certificate's, that certificate must chain to the
//! authority's root (rustls-webpki: EKU time stamping, validity at the
//! stamped time), the message imprint must be the hash of the signature
//! bytes, and the time must fall within the authority's `validFor`.

use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use jiff::Timestamp;
use rustls_pki_types::{CertificateDer, UnixTime};
use x509_cert::Certificate;
use x509_cert::der::{Decode, Encode};
use x509_tsp::{TimeStampResp, TstInfo};

use super::keys::{Hash, PublicKey};
use super::root::{Authority, TrustedRoot};
use super::{Part, ProofError, TimeSource, VerifiedTime};

const ID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const ID_CT_TST_INFO: &str = "1.2.840.113549.1.9.16.1.4";
const ATTR_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const ATTR_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
/// id-kp-timeStamping (1.3.6.1.5.5.7.3.8), as DER content octets.
const EKU_TIME_STAMPING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08];

fn fail(message: impl Into<String>) -> ProofError {
    ProofError::new(Part::Timestamp, message)
}

/// Checks one timestamp (a TimeStampResp, or the bare token) over
/// `signature` and returns the time it proves.
pub fn verify(
    der: &[u8],
    signature: &[u8],
    root: &TrustedRoot,
) -> Result<VerifiedTime, ProofError> {
    let token = token(der)?;
    if token.content_type.to_string() != ID_SIGNED_DATA {
        return Err(fail("the timestamp token is not CMS SignedData"));
    }
    let signed_data = token
        .content
        .to_der()
        .and_then(|der| SignedData::from_der(&der))
        .map_err(|e| fail(format!("the timestamp token's SignedData: {e}")))?;
    let encapsulated = &signed_data.encap_content_info;
    if encapsulated.econtent_type.to_string() != ID_CT_TST_INFO {
        return Err(fail("the timestamp token does not hold a TSTInfo"));
    }
    let tst_der = encapsulated
        .econtent
        .as_ref()
        .map(|any| any.value().to_vec())
        .ok_or_else(|| fail("the timestamp token has no TSTInfo"))?;
    let tst = TstInfo::from_der(&tst_der).map_err(|e| fail(format!("the TSTInfo: {e}")))?;
    let imprint_hash = Hash::from_oid(&tst.message_imprint.hash_algorithm.oid.to_string())
        .ok_or_else(|| fail("the message imprint's hash is not SHA-2"))?;
    if tst.message_imprint.hashed_message.as_bytes() != imprint_hash.digest(signature).as_slice() {
        return Err(fail(
            "the timestamp is over other bytes than this signature",
        ));
    }
    let at = Timestamp::from_second(
        i64::try_from(tst.gen_time.to_unix_duration().as_secs()).map_err(|_| fail("genTime"))?,
    )
    .map_err(|_| fail("an impossible genTime"))?;
    let signer = match signed_data.signer_infos.0.as_slice() {
        [one] => one,
        _ => return Err(fail("the timestamp token must have exactly one signer")),
    };
    let signed_attributes = check_signed_attributes(signer, &tst_der)?;
    let embedded = embedded_certificates(&signed_data);
    let mut reasons = Vec::new();
    for authority in &root.timestamp_authorities {
        match check_authority(authority, signer, &signed_attributes, &embedded, at) {
            Ok(()) => {
                return Ok(VerifiedTime {
                    at,
                    source: TimeSource::Timestamp {
                        authority: authority_name(authority),
                    },
                });
            }
            Err(reason) => reasons.push(format!("{}: {reason}", authority_name(authority))),
        }
    }
    if reasons.is_empty() {
        return Err(fail(format!(
            "the trusted root lists no timestamp authorities (root {})",
            root.source
        )));
    }
    Err(fail(format!(
        "no timestamp authority of the trusted root signed it (root {}: {})",
        root.source,
        reasons.join("; ")
    )))
}

fn token(der: &[u8]) -> Result<ContentInfo, ProofError> {
    if let Ok(response) = TimeStampResp::from_der(der) {
        // 0 granted, 1 granted with modifications.
        let status = response.status.status as u8;
        if status > 1 {
            return Err(fail("the timestamp authority refused the request"));
        }
        return response
            .time_stamp_token
            .ok_or_else(|| fail("the timestamp response has no token"));
    }
    ContentInfo::from_der(der).map_err(|e| fail(format!("not an RFC 3161 timestamp: {e}")))
}

/// The signed attributes must name TSTInfo as the content and carry its
/// digest; returns them DER-encoded as the SET OF that is signed.
fn check_signed_attributes(signer: &SignerInfo, tst_der: &[u8]) -> Result<Vec<u8>, ProofError> {
    let attributes = signer
        .signed_attrs
        .as_ref()
        .ok_or_else(|| fail("the timestamp's signer has no signed attributes"))?;
    let value = |oid: &str| {
        let mut found = attributes.iter().filter(|a| a.oid.to_string() == oid);
        match (found.next(), found.next()) {
            (Some(attr), None) if attr.values.len() == 1 => attr.values.iter().next(),
            _ => None,
        }
    };
    let content_type = value(ATTR_CONTENT_TYPE)
        .and_then(|v| v.decode_as::<x509_cert::der::asn1::ObjectIdentifier>().ok())
        .ok_or_else(|| fail("the timestamp's signed attributes have no content type"))?;
    if content_type.to_string() != ID_CT_TST_INFO {
        return Err(fail("the timestamp's signed content type is not TSTInfo"));
    }
    let hash = Hash::from_oid(&signer.digest_alg.oid.to_string())
        .ok_or_else(|| fail("the timestamp's digest algorithm is not SHA-2"))?;
    let digest = value(ATTR_MESSAGE_DIGEST)
        .and_then(|v| v.decode_as::<x509_cert::der::asn1::OctetString>().ok())
        .ok_or_else(|| fail("the timestamp's signed attributes have no message digest"))?;
    if digest.as_bytes() != hash.digest(tst_der).as_slice() {
        return Err(fail("the timestamp's signed digest is not its TSTInfo's"));
    }
    attributes
        .to_der()
        .map_err(|e| fail(format!("cannot encode the signed attributes: {e}")))
}

fn embedded_certificates(signed_data: &SignedData) -> Vec<Vec<u8>> {
    signed_data
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|choice| match choice {
            cms::cert::CertificateChoices::Certificate(cert) => cert.to_der().ok(),
            _ => None,
        })
        .collect()
}

/// Whether `authority` signed: its signing certificate (from the trusted
/// root, else one the token carries) is the one the signer names, its key
/// signed the attributes, and it chains to the authority's root at `at`.
fn check_authority(
    authority: &Authority,
    signer: &SignerInfo,
    signed_attributes: &[u8],
    embedded: &[Vec<u8>],
    at: Timestamp,
) -> Result<(), String> {
    if !authority.valid_for.contains(at) {
        return Err(format!(
            "{at} is outside its window ({})",
            authority.valid_for.describe()
        ));
    }
    let leaf = authority
        .chain
        .iter()
        .chain(embedded)
        .find(|der| names_signer(der, &signer.sid))
        .ok_or("its certificates are not the token's signer")?;
    let certificate = Certificate::from_der(leaf).map_err(|e| e.to_string())?;
    let spki = certificate
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|e| e.to_string())?;
    let key = PublicKey::from_spki_der(&spki)?;
    let hash = Hash::from_oid(&signer.digest_alg.oid.to_string()).ok_or("digest")?;
    if let Some(named) = Hash::from_oid(&signer.signature_algorithm.oid.to_string())
        && named != hash
    {
        return Err("its signature algorithm's hash is not the digest algorithm".to_owned());
    }
    if !key.verify_digest(
        hash,
        &hash.digest(signed_attributes),
        signer.signature.as_bytes(),
    ) {
        return Err("the signature is not its signing certificate's".to_owned());
    }
    chain_at(leaf, authority, at)
}

fn names_signer(der: &[u8], sid: &SignerIdentifier) -> bool {
    let Ok(certificate) = Certificate::from_der(der) else {
        return false;
    };
    let tbs = &certificate.tbs_certificate;
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(id) => {
            id.issuer == tbs.issuer && id.serial_number == tbs.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => tbs
            .extensions
            .iter()
            .flatten()
            .filter(|e| e.extn_id.to_string() == "2.5.29.14")
            .any(|e| {
                x509_cert::der::asn1::OctetString::from_der(e.extn_value.as_bytes())
                    .is_ok_and(|v| v.as_bytes() == ski.0.as_bytes())
            }),
    }
}

/// The signing certificate chains through the authority's intermediates
/// to its last certificate, for time stamping, at `at`.
fn chain_at(leaf: &[u8], authority: &Authority, at: Timestamp) -> Result<(), String> {
    let (anchor_der, intermediates) = authority.chain.split_last().ok_or("no certificates")?;
    let anchor_der = CertificateDer::from(anchor_der.as_slice());
    let anchor =
        webpki::anchor_from_trusted_cert(&anchor_der).map_err(|e| format!("its root: {e:?}"))?;
    let intermediates: Vec<CertificateDer<'_>> = intermediates
        .iter()
        .filter(|der| der.as_slice() != leaf)
        .map(|der| CertificateDer::from(der.as_slice()))
        .collect();
    let leaf_der = CertificateDer::from(leaf);
    let end_entity = webpki::EndEntityCert::try_from(&leaf_der)
        .map_err(|e| format!("its signing certificate: {e:?}"))?;
    let seconds = u64::try_from(at.as_second()).map_err(|_| "a time before 1970")?;
    end_entity
        .verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &[anchor],
            &intermediates,
            UnixTime::since_unix_epoch(std::time::Duration::from_secs(seconds)),
            webpki::KeyUsage::required(EKU_TIME_STAMPING),
            None,
            None,
        )
        .map(|_| ())
        .map_err(|e| format!("its signing certificate does not chain to its root at {at}: {e:?}"))
}

fn authority_name(authority: &Authority) -> String {
    if !authority.uri.is_empty() {
        return authority.uri.clone();
    }
    authority
        .chain
        .first()
        .and_then(|der| Certificate::from_der(der).ok())
        .map_or_else(
            || "an unnamed authority".to_owned(),
            |c| c.tbs_certificate.subject.to_string(),
        )
}
