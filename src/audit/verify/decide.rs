//! Which trust decides a signature, and at what time.
//!
//! - A certificate and keyless trust: the certificate's key must verify the
//!   signature; its proofs (log entries, timestamps) must verify against
//!   the keyless trusted root and give a time (or `--insecure-ignore-tlog`
//!   gives the current one); at each time the certificate's path must hold
//!   to a CA whose `validFor` holds it, naming the expected identity; its
//!   SCTs must verify against the root's CT logs (`--insecure-ignore-sct`
//!   skips them).
//! - Otherwise the user's keys: one must verify the signature; a proof
//!   that is present must verify against the trusted root for the key (or
//!   the signature's certificate, when it holds that key), none lets the
//!   key decide; `--require-tlog` demands one.

use super::envelope::Checked;
use super::material::Material;
use super::{Trust, Verdict};
use crate::audit::certs::Cert;
use crate::audit::keyless::{self, Keyless};
use crate::audit::keys::TrustKey;
use crate::audit::time::{self, ProofOutcome, TimePolicy};
use crate::audit::transparency::{self, Signed, Signer, Subject, TrustedRoot};

/// Decides one signature over `signed`: `check` verifies it with the keys
/// it is given and says which key verified which signature bytes.
pub(super) fn decide(
    material: Material,
    trust: Trust<'_>,
    signed: Signed<'_>,
    check: impl Fn(&[TrustKey]) -> Result<Checked, String>,
) -> Result<Verdict, String> {
    match (&material.certificate, trust.keyless) {
        (Some(certificate), Some(keyless)) => {
            let certificate = certificate.as_ref().map_err(Clone::clone)?;
            keyless_verdict(certificate, &material, keyless, trust, signed, check)
        }
        (Some(_), None) if trust.keys.is_empty() => Err(
            "signed with a certificate (keyless): verify it with --certificate-identity and --certificate-oidc-issuer"
                .to_owned(),
        ),
        (None, _) if trust.keys.is_empty() && trust.keyless.is_some() => {
            Err("signed with a key, not a certificate: verify it with --key".to_owned())
        }
        (None, _) if trust.keys.is_empty() => {
            Err("signed with a key: verify it with --key".to_owned())
        }
        _ => keyed_verdict(&material, trust, signed, check),
    }
}

fn keyless_verdict(
    certificate: &Cert,
    material: &Material,
    keyless: &Keyless,
    trust: Trust<'_>,
    signed: Signed<'_>,
    check: impl Fn(&[TrustKey]) -> Result<Checked, String>,
) -> Result<Verdict, String> {
    let key = keyless::signing_key(certificate)?;
    let checked = check(std::slice::from_ref(&key))?;
    let subject = Subject {
        signed,
        signature: &checked.signature,
        signer: Signer::Certificate(certificate.der()),
    };
    let root = keyless.root.as_ref();
    let outcome = time::check_proofs(&material.evidence, &subject, root, trust.policy);
    let (times, mut described) = time::keyless_times(outcome, trust.policy, trust.now)?;
    // The path must hold at every verified time, as sigstore-go checks it.
    let mut signer = None;
    for at in &times {
        let accepted = keyless.check(certificate, at.at)?;
        signer.get_or_insert(accepted);
    }
    let signer = signer.ok_or("no time to check the certificate at")?;
    described.push_str(&certificate_transparency(certificate, root, trust.policy)?);
    Ok(Verdict {
        key: signer.label(),
        time: described,
        root: Some(root.source.clone()),
    })
}

/// Checks the certificate's SCTs; returns what the verdict adds ("" when
/// they verified).
fn certificate_transparency(
    certificate: &Cert,
    root: &TrustedRoot,
    policy: TimePolicy,
) -> Result<String, String> {
    if policy.insecure_ignore_sct {
        return Ok("; SCTs not checked (--insecure-ignore-sct)".to_owned());
    }
    match transparency::verify_scts(certificate.der(), root) {
        Ok(Some(_)) => Ok(String::new()),
        Ok(None) => Err(
            "the certificate carries no SCT (no proof it was logged for certificate transparency); pass --insecure-ignore-sct to accept it without"
                .to_owned(),
        ),
        Err(e) => Err(format!("{e} (root {})", root.source)),
    }
}

fn keyed_verdict(
    material: &Material,
    trust: Trust<'_>,
    signed: Signed<'_>,
    check: impl Fn(&[TrustKey]) -> Result<Checked, String>,
) -> Result<Verdict, String> {
    let checked = check(trust.keys)?;
    let key = trust
        .keys
        .get(checked.key)
        .ok_or("the key that verified is not among the keys given")?;
    // A log entry records the certificate when the signature carries one
    // that holds this key, else the key.
    let certificate = match &material.certificate {
        Some(Ok(certificate)) if certificate.spki_der().as_deref() == Some(&key.spki[..]) => {
            Some(certificate)
        }
        _ => None,
    };
    let signer = match certificate {
        Some(certificate) => Signer::Certificate(certificate.der()),
        None => Signer::PublicKey(&key.spki),
    };
    let subject = Subject {
        signed,
        signature: &checked.signature,
        signer,
    };
    let present = !material
        .evidence
        .as_ref()
        .is_ok_and(transparency::Evidence::is_empty);
    let (outcome, root) = match trust.root {
        Some(root) => (
            time::check_proofs(&material.evidence, &subject, root, trust.policy),
            Some(root.source.clone()),
        ),
        None if present => (
            ProofOutcome::Failed(
                "a transparency log entry or timestamp is present, and no trusted root to check it against".to_owned(),
            ),
            None,
        ),
        None => (ProofOutcome::Absent { skipped: 0 }, None),
    };
    let checked_proofs = matches!(outcome, ProofOutcome::Verified { .. });
    let time = time::keyed_time(outcome, trust.policy)?;
    Ok(Verdict {
        key: key.label(),
        time,
        root: root.filter(|_| checked_proofs),
    })
}
