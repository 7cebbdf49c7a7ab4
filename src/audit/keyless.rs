//! Keyless Sigstore trust: a `trusted_root.json` (its certificate
//! authorities) and the identity the user expects, as cosign v3 spells it
//! (`--certificate-identity[-regexp]`, `--certificate-oidc-issuer[-regexp]`).
//!
//! A signing certificate is accepted when it chains, through the
//! intermediates the trusted root lists, to one of its CAs (each link's
//! signature checked, each certificate valid now and the CA within its
//! `validFor`), may sign code, names the expected identity in its SAN and
//! the expected OIDC issuer in Fulcio's extension. Its key then checks the
//! signature like `--key` does.
//!
//! Not checked, as with cosign's `--insecure-ignore-tlog
//! --insecure-ignore-sct`: transparency log inclusion (Rekor), signed
//! timestamps and certificate transparency. Without a verified timestamp the
//! certificate must be valid now, so short-lived Fulcio certificates only
//! verify within their lifetime.

use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::TrustKey;
use super::certs::Cert;
use crate::document::statement::decode_base64;

/// An exact string or a regular expression (unanchored, as cosign's Go
/// `regexp.MatchString`).
#[derive(Debug, Clone)]
pub enum Matcher {
    Exact(String),
    Regex(regex::Regex),
}

impl Matcher {
    pub fn regex(pattern: &str) -> Result<Matcher, String> {
        regex::Regex::new(pattern)
            .map(Matcher::Regex)
            .map_err(|e| format!("invalid regular expression {pattern:?}: {e}"))
    }

    fn matches(&self, value: &str) -> bool {
        match self {
            Matcher::Exact(expected) => expected == value,
            Matcher::Regex(regex) => regex.is_match(value),
        }
    }
}

impl std::fmt::Display for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Matcher::Exact(value) => write!(f, "{value}"),
            Matcher::Regex(regex) => write!(f, "/{}/", regex.as_str()),
        }
    }
}

/// One certificate authority of the trusted root: its chain (issuing
/// certificate first, root last) and when it may issue.
#[derive(Debug, Clone)]
struct Authority {
    name: String,
    chain: Vec<Cert>,
    start: Option<SystemTime>,
    end: Option<SystemTime>,
}

/// The trusted root's CAs and the identity to expect.
#[derive(Debug, Clone)]
pub struct Keyless {
    /// Where the trusted root came from (for messages).
    pub source: String,
    authorities: Vec<Authority>,
    pub identity: Matcher,
    pub issuer: Matcher,
}

/// Who signed: the certificate's identity and issuer, and its key.
#[derive(Debug, Clone)]
pub struct Signer {
    pub identity: String,
    pub issuer: String,
    pub authority: String,
    pub key: TrustKey,
}

impl Signer {
    /// `dev@example.com (OIDC issuer https://…, CA …)`.
    pub fn label(&self) -> String {
        format!(
            "{} (OIDC issuer {}, CA {})",
            self.identity, self.issuer, self.authority
        )
    }
}

impl Keyless {
    /// Reads `trusted_root.json` (`application/vnd.dev.sigstore.trustedroot
    /// +json`); only its `certificateAuthorities` are used.
    pub fn from_json(
        source: &str,
        json: &[u8],
        identity: Matcher,
        issuer: Matcher,
    ) -> Result<Keyless, String> {
        let doc: Value = serde_json::from_slice(json)
            .map_err(|e| format!("{source} is not a trusted root (JSON): {e}"))?;
        let mut authorities = Vec::new();
        let listed = doc.get("certificateAuthorities").and_then(Value::as_array);
        for (i, ca) in listed.into_iter().flatten().enumerate() {
            let chain = ca
                .pointer("/certChain/certificates")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|c| {
                    let der = c
                        .get("rawBytes")
                        .and_then(Value::as_str)
                        .and_then(decode_base64)
                        .ok_or("a certificate without base64 rawBytes".to_owned())?;
                    Cert::from_der(&der)
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("{source}: certificate authority {i}: {e}"))?;
            let Some(first) = chain.first() else {
                return Err(format!(
                    "{source}: certificate authority {i} has no certificates"
                ));
            };
            let name = ca
                .get("uri")
                .and_then(Value::as_str)
                .map_or_else(|| first.subject(), str::to_owned);
            let time = |field: &str| ca.pointer(field).and_then(Value::as_str).and_then(rfc3339);
            authorities.push(Authority {
                name,
                start: time("/validFor/start"),
                end: time("/validFor/end"),
                chain,
            });
        }
        if authorities.is_empty() {
            return Err(format!("{source} lists no certificate authorities"));
        }
        Ok(Keyless {
            source: source.to_owned(),
            authorities,
            identity,
            issuer,
        })
    }

    /// Checks a signing certificate against the trusted root and the
    /// expected identity, at `now`.
    pub fn check(&self, leaf: &Cert, now: SystemTime) -> Result<Signer, String> {
        let authority = self
            .authorities
            .iter()
            .find(|ca| chains_to(leaf, ca, now))
            .ok_or_else(|| {
                format!(
                    "the signing certificate (issued by {}) does not chain to a certificate authority of {} valid now",
                    leaf.issuer(),
                    self.source
                )
            })?;
        if !leaf.valid_at(now) {
            return Err(format!(
                "the signing certificate is not valid now ({}; no transparency log or signed timestamp is checked)",
                leaf.validity()
            ));
        }
        if !leaf.code_signing() {
            return Err("the signing certificate is not for code signing".to_owned());
        }
        let identities = leaf.identities();
        let identity = identities
            .iter()
            .find(|id| self.identity.matches(id))
            .ok_or_else(|| {
                format!(
                    "expected identity {}, found {}",
                    self.identity,
                    if identities.is_empty() {
                        "none".to_owned()
                    } else {
                        identities.join(", ")
                    }
                )
            })?;
        let issuer = leaf.oidc_issuer().unwrap_or_default();
        if !self.issuer.matches(&issuer) {
            return Err(format!(
                "expected OIDC issuer {}, found {}",
                self.issuer,
                if issuer.is_empty() { "none" } else { &issuer }
            ));
        }
        let key = leaf
            .key(&format!("the certificate of {identity}"))
            .ok_or("the signing certificate's key is not ECDSA, Ed25519 or RSA".to_owned())?;
        Ok(Signer {
            identity: identity.clone(),
            issuer,
            authority: authority.name.clone(),
            key,
        })
    }
}

/// Whether `leaf` chains through `ca`'s certificates to its root, every
/// link signed by the next, valid now, and the CA within its window.
fn chains_to(leaf: &Cert, ca: &Authority, now: SystemTime) -> bool {
    if ca.start.is_some_and(|start| now < start) || ca.end.is_some_and(|end| now > end) {
        return false;
    }
    let mut current = leaf;
    // Each step moves to a certificate of the CA's chain; the bound stops a
    // chain that loops.
    for _ in 0..=ca.chain.len() {
        let Some(parent) = ca
            .chain
            .iter()
            .find(|c| c.is_ca() && c.valid_at(now) && current.issued_by(c))
        else {
            return false;
        };
        if parent.is_root() || std::ptr::eq(parent, ca.chain.last().unwrap_or(parent)) {
            return true;
        }
        current = parent;
    }
    false
}

/// `2021-03-07T03:20:29.000Z` (or without fractions) as a time; offsets
/// other than `Z` are not used in trusted roots.
pub(super) fn rfc3339(text: &str) -> Option<SystemTime> {
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u16>().ok();
    let date = x509_cert::der::DateTime::new(
        number(0..4)?,
        u8::try_from(number(5..7)?).ok()?,
        u8::try_from(number(8..10)?).ok()?,
        u8::try_from(number(11..13)?).ok()?,
        u8::try_from(number(14..16)?).ok()?,
        u8::try_from(number(17..19)?).ok()?,
    )
    .ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(date.unix_duration().as_secs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc3339_and_matchers() {
        let t = rfc3339("2021-03-07T03:20:29.000Z").expect("time");
        let secs = t.duration_since(SystemTime::UNIX_EPOCH).expect("after");
        assert_eq!(secs.as_secs(), 1_615_087_229);
        assert!(rfc3339("yesterday").is_none());
        assert!(
            Matcher::regex("@example\\.com$")
                .expect("re")
                .matches("dev@example.com")
        );
        assert!(!Matcher::Exact("x@example.com".into()).matches("dev@example.com"));
        assert!(Matcher::regex("(").is_err());
        let err = Keyless::from_json(
            "r.json",
            br#"{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}"#,
            Matcher::Exact("a".into()),
            Matcher::Exact("b".into()),
        )
        .expect_err("no CAs");
        assert!(err.contains("no certificate authorities"), "{err}");
    }
}
