//! Keyless Sigstore trust: the certificate authorities of a trusted root
//! (`transparency::root`, the one trusted-root model, whose logs and
//! timestamp authorities `time` checks proofs against) and the identity
//! the user expects, as cosign v3 spells it (`--certificate-identity
//! [-regexp]`, `--certificate-oidc-issuer[-regexp]`).
//!
//! A signing certificate is accepted at a trusted time (`time`) when its
//! path through the intermediates the trusted root lists reaches one of its
//! CAs (`chain`, rustls-webpki: every link's signature, basicConstraints,
//! key usage, pathLen, code signing, critical extensions, every certificate
//! valid at that time), the CA's `validFor` window holds that time (both
//! ends inclusive), and the certificate names the expected identity in its
//! SAN and the expected OIDC issuer in Fulcio's extensions (which must
//! agree). Intermediates come from the trusted root only, never from the
//! signature. Its key checks the signature like `--key` does.

use std::sync::Arc;

use super::certs::{Cert, utc};
use super::chain;
use super::keys::TrustKey;
use super::transparency::{TrustedRoot, ValidFor};

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
    valid_for: ValidFor,
}

/// The trusted root's CAs and the identity to expect.
#[derive(Debug, Clone)]
pub struct Keyless {
    /// The trusted root the CAs come from; its logs and timestamp
    /// authorities vouch for the time.
    pub root: Arc<TrustedRoot>,
    authorities: Vec<Authority>,
    pub identity: Matcher,
    pub issuer: Matcher,
}

/// Who signed: the certificate's identity and issuer, and the CA that
/// issued it.
#[derive(Debug, Clone)]
pub struct Signer {
    pub identity: String,
    pub issuer: String,
    pub authority: String,
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

/// The signing certificate's key, named after the identity it was issued
/// to; weak and unknown keys are refused.
pub fn signing_key(leaf: &Cert) -> Result<TrustKey, String> {
    let name = match leaf.identities().first() {
        Some(identity) => format!("the certificate of {identity}"),
        None => "the signing certificate".to_owned(),
    };
    leaf.key(&name)
        .map_err(|e| format!("the signing certificate's key: {e}"))
}

impl Keyless {
    /// The certificate authorities of `root` (each chain's certificates
    /// parsed once) and the identity to expect.
    pub fn new(
        root: Arc<TrustedRoot>,
        identity: Matcher,
        issuer: Matcher,
    ) -> Result<Keyless, String> {
        let source = &root.source;
        let mut authorities = Vec::new();
        for (i, ca) in root.certificate_authorities.iter().enumerate() {
            let chain = ca
                .chain
                .iter()
                .map(|der| Cert::from_der(der))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("{source}: certificate authority {i}: {e}"))?;
            let Some(first) = chain.first() else {
                return Err(format!(
                    "{source}: certificate authority {i} has no certificates"
                ));
            };
            let name = if ca.uri.is_empty() {
                first.subject()
            } else {
                ca.uri.clone()
            };
            authorities.push(Authority {
                name,
                chain,
                valid_for: ca.valid_for,
            });
        }
        if authorities.is_empty() {
            return Err(format!("{source} lists no certificate authorities"));
        }
        Ok(Keyless {
            root,
            authorities,
            identity,
            issuer,
        })
    }

    /// Checks a signing certificate against the trusted root's CAs and
    /// the expected identity, at a trusted time `at`.
    pub fn check(&self, leaf: &Cert, at: jiff::Timestamp) -> Result<Signer, String> {
        let mut why = Vec::new();
        let mut accepted = None;
        for ca in &self.authorities {
            if !ca.valid_for.contains(at) {
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
                self.root.source,
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
        Ok(Signer {
            identity: identity.clone(),
            issuer,
            authority: authority.name.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_matchers_and_needs_certificate_authorities() {
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
        let root = TrustedRoot::from_json(
            "r.json",
            br#"{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}"#,
        )
        .expect("an empty root");
        let err = Keyless::new(
            Arc::new(root),
            Matcher::Exact("a".into()),
            Matcher::Exact("b".into()),
        )
        .expect_err("no CAs");
        assert!(err.contains("no certificate authorities"), "{err}");
    }
}
