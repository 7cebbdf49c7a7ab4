//! How an image is signed and what checking its signatures said: the two
//! words every audit row, the CLI and the TUI use for a signature.

use std::fmt;

/// How an image is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SignatureScheme {
    /// cosign's `sha256-<hex>.sig` tag with simple-signing layers.
    CosignLegacy,
    /// cosign's `--registry-referrers-mode=oci-1-1` referrer
    /// (`application/vnd.dev.cosign.artifact.sig.v1+json`).
    CosignOci11,
    /// A Sigstore bundle referrer (message signature or DSSE).
    SigstoreBundle,
    /// A Notation signature (`application/vnd.cncf.notary.signature`).
    Notation,
    /// Something else that says it is a signature.
    Other,
}

impl SignatureScheme {
    pub fn label(self) -> &'static str {
        match self {
            SignatureScheme::CosignLegacy => "cosign",
            SignatureScheme::CosignOci11 => "cosign-oci11",
            SignatureScheme::SigstoreBundle => "sigstore-bundle",
            SignatureScheme::Notation => "notation",
            SignatureScheme::Other => "other",
        }
    }
}

impl fmt::Display for SignatureScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The outcome of checking signatures against the trust material given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Verification {
    /// A signature verified with this key (its label and fingerprint), or
    /// this keyless identity (`who (OIDC issuer …, CA …)`); `time` says
    /// what vouches for when it was signed, or what was not checked;
    /// `root` names the trusted root used, when one was.
    Verified {
        key: String,
        time: String,
        root: Option<String>,
    },
    /// Trust material was given and nothing verified; why, per signature.
    Failed { reasons: Vec<String> },
    /// No trust material was given.
    #[default]
    Unverified,
}

impl Verification {
    pub fn label(&self) -> &'static str {
        match self {
            Verification::Verified { .. } => "verified",
            Verification::Failed { .. } => "failed",
            Verification::Unverified => "unverified",
        }
    }

    pub fn is_verified(&self) -> bool {
        matches!(self, Verification::Verified { .. })
    }

    /// What a verified signature rests on besides its key: the time source
    /// and the root, `signed 2026-05-01 12:00 UTC per Rekor entry 123 ·
    /// root: public-good (embedded, 2025-09-23)`; empty unless verified.
    pub fn grounds(&self) -> String {
        match self {
            Verification::Verified {
                time,
                root: Some(root),
                ..
            } => format!("{time} · root: {root}"),
            Verification::Verified { time, .. } => time.clone(),
            _ => String::new(),
        }
    }

    /// The verdict as one line, the same in every front end: `verified by
    /// KEY · TIME · root: ROOT`, `failed: WHY; WHY`, `unverified`.
    pub fn line(&self) -> String {
        match self {
            Verification::Verified { key, .. } => {
                format!("verified by {key} · {}", self.grounds())
            }
            Verification::Failed { reasons } => format!("failed: {}", reasons.join("; ")),
            Verification::Unverified => "unverified".to_owned(),
        }
    }
}
