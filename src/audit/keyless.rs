//! Keyless Sigstore trust: a `trusted_root.json` (its certificate
//! authorities) and the identity the user expects, as cosign v3 spells it
//! (`--certificate-identity[-regexp]`, `--certificate-oidc-issuer[-regexp]`).
//!
//! A signing certificate is accepted at a trusted time (`time`) when its
//! path through the intermediates the trusted root lists reaches one of its
//! CAs (`chain`, rustls-webpki: every link's signature, basicConstraints,
//! key usage, pathLen, code signing, critical extensions, every certificate
//! valid at that time), the CA's `validFor` window holds that time (both
//! ends inclusive), and the certificate names the expected identity in its
//! SAN and the expected OIDC issuer in Fulcio's extensions (which must
//! agree). Intermediates come from the trusted root only, never from the
//! signature. Its key then checks the signature like `--key` does.

use serde_json::Value;

use super::TrustKey;
use super::certs::{Cert, utc};
use super::chain;
use super::time::TrustedTime;
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

    /// A warning for a regular expression without `^` and `$`: like
    /// cosign's, it then matches anywhere, so `dev@example\.com` also
    /// accepts `dev@example.com.attacker.example`.
    pub fn unanchored_warning(&self, flag: &str) -> Option<String> {
        let Matcher::Regex(regex) = self else {
            return None;
        };
        let pattern = regex.as_str();
        (!(pattern.starts_with('^') && pattern.ends_with('$'))).then(|| {
            format!(
                "warning: {flag} {pattern:?} is not anchored (^…$): like cosign's, it matches anywhere in the value, so longer values that contain a match are accepted too"
            )
        })
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
    start: Option<jiff::Timestamp>,
    end: Option<jiff::Timestamp>,
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
    /// The trusted root the CA came from.
    pub root: String,
    pub key: TrustKey,
}

impl Signer {
    /// `dev@example.com (OIDC issuer https://…, CA …, trusted root FILE)`.
    pub fn label(&self) -> String {
        format!(
            "{} (OIDC issuer {}, CA {}, trusted root {})",
            self.identity, self.issuer, self.authority, self.root
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
            let time = |field: &str| -> Result<Option<jiff::Timestamp>, String> {
                match ca.pointer(field) {
                    None | Some(Value::Null) => Ok(None),
                    Some(value) => value.as_str().and_then(rfc3339).map(Some).ok_or_else(|| {
                        format!(
                            "{source}: certificate authority {i}: {field} is not an RFC 3339 time"
                        )
                    }),
                }
            };
            authorities.push(Authority {
                name,
                start: time("/validFor/start")?,
                end: time("/validFor/end")?,
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
    /// expected identity, at a trusted time.
    pub fn check(&self, leaf: &Cert, time: &TrustedTime) -> Result<Signer, String> {
        let at = time.at;
        let mut why = Vec::new();
        let mut accepted = None;
        for ca in &self.authorities {
            if ca.start.is_some_and(|start| at < start) || ca.end.is_some_and(|end| at > end) {
                why.push(format!("{} is not valid for {}", ca.name, utc(at)));
                continue;
            }
            let Some((root, intermediates)) = ca.chain.split_last() else {
                continue;
            };
            match chain::validate(leaf, intermediates, std::slice::from_ref(root), at) {
                Ok(_) => {
                    accepted = Some(ca);
                    break;
                }
                Err(e) => why.push(format!("{}: {e}", ca.name)),
            }
        }
        let Some(authority) = accepted else {
            return Err(format!(
                "the signing certificate (issued by {}, {}) is not accepted by a certificate authority of {} at {} ({})",
                leaf.issuer(),
                leaf.validity_text(),
                self.source,
                utc(at),
                why.join("; ")
            ));
        };
        let identities = leaf.identities();
        let identity = identities
            .iter()
            .find(|id| self.identity.matches(id))
            .ok_or_else(|| {
                format!(
                    "expected identity {}, found {}",
                    self.identity,
                    if identities.is_empty() {
                        "none (identities are read from the SAN only)".to_owned()
                    } else {
                        identities.join(", ")
                    }
                )
            })?;
        let issuer = leaf.oidc_issuer()?.unwrap_or_default();
        if !self.issuer.matches(&issuer) {
            return Err(format!(
                "expected OIDC issuer {}, found {}",
                self.issuer,
                if issuer.is_empty() { "none" } else { &issuer }
            ));
        }
        let key = leaf
            .key(&format!("the certificate of {identity}"))
            .map_err(|e| format!("the signing certificate's key: {e}"))?;
        Ok(Signer {
            identity: identity.clone(),
            issuer,
            authority: authority.name.clone(),
            root: self.source.clone(),
            key,
        })
    }
}

/// An RFC 3339 time with its offset (`2021-03-07T03:20:29.000Z`,
/// `2021-03-07T05:20:29+02:00`).
pub(super) fn rfc3339(text: &str) -> Option<jiff::Timestamp> {
    text.parse::<jiff::Timestamp>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc3339_and_matchers() {
        let t = rfc3339("2021-03-07T03:20:29.000Z").expect("time");
        assert_eq!(t.as_second(), 1_615_087_229);
        // The offset counts: the same instant written in another zone.
        assert_eq!(rfc3339("2021-03-07T05:20:29+02:00"), Some(t));
        assert!(rfc3339("yesterday").is_none());
        assert!(rfc3339("2021-03-07T03:20:29").is_none());
        let unanchored = Matcher::regex("@example\\.com").expect("re");
        assert!(unanchored.unanchored_warning("--x").is_some());
        let anchored = Matcher::regex("^dev@example\\.com$").expect("re");
        assert!(anchored.unanchored_warning("--x").is_none());
        assert!(
            Matcher::Exact("a".into())
                .unanchored_warning("--x")
                .is_none()
        );
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
