//! Auditing a repository (or a whole registry): one row per image, saying
//! what is attached to it according to the one answer of `graph::discover`
//! (referrers API, fallback tag, cosign's tags, BuildKit's attestations, an
//! index's platform manifests), and, when the caller gives public keys,
//! whether its signatures verify.
//!
//! - `row` turns a discovered tree into a row (pure);
//! - `keys` reads PEM public keys, `signing` binds each to the algorithms
//!   it verifies with;
//! - `certs` reads X.509 certificates (identities, key usage), `chain`
//!   validates certificate paths (rustls-webpki);
//! - `transparency` checks, offline, the proofs a signature carries (Rekor
//!   entries, RFC 3161 timestamps, SCTs) against a Sigstore trusted root,
//!   the one trusted-root model; it ships the public-good root;
//! - `time` turns those proofs into the trusted time a certificate is
//!   checked at, or the note a key-signed verdict carries;
//! - `keyless` accepts a signing certificate by a trusted root's CAs and
//!   the identity the user expects;
//! - `notation` reads Notation's JWS envelopes and checks them against a
//!   trust store;
//! - `trust_config` reads the config file's `[trust]` (TUI and CLI);
//! - `verify` checks the signatures attached to an image (cosign's
//!   simple-signing layers, Sigstore bundles, DSSE envelopes) offline;
//! - `vulns` reads an image's scans and VEX into its row (`crate::vuln`);
//! - `run` lists tags, groups them by digest and discovers each image with
//!   bounded concurrency, streaming rows out as they finish.
//!
//! "Names its subject" (a referrer's manifest has a `subject` field that
//! names the image) is not a signature check: only `verify` checks
//! signatures, and only against keys the user gave.

pub mod certs;
pub mod chain;
pub mod keyless;
pub mod keys;
pub mod notation;
pub mod row;
mod row_sbom;
pub mod run;
mod signing;
pub mod time;
pub mod transparency;
pub mod trust_config;
pub mod verify;
mod vulns;

use std::fmt;

use crate::oci::Digest;

pub use keyless::{Keyless, Matcher};
pub use keys::{KeyError, TrustKey};
pub use notation::NotationTrust;
pub use row::summarize;
pub use run::{AuditEvent, AuditOptions, AuditTarget, audit};
pub use time::TimePolicy;

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

/// One signature attached to an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureInfo {
    pub digest: Digest,
    pub scheme: SignatureScheme,
    /// Where it was found (`cosign tag …`, `referrers API`, …).
    pub found_by: Vec<String>,
    /// Who signed, when the signature says so without trust material
    /// (Notation: the signing certificate's subject and issuer).
    pub signer: Option<String>,
    pub verification: Verification,
}

/// The SBOMs of an image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SbomInfo {
    /// The manifests holding an SBOM (artifacts and attestations).
    pub digests: Vec<Digest>,
    /// Formats, as `SbomFormat::label` names them, or what the type says.
    pub formats: Vec<String>,
    /// The SBOM is signed: it has a signature of its own, or it is an
    /// attestation inside a DSSE envelope or a Sigstore bundle. For an index
    /// without a signed SBOM of its own: every platform's is.
    pub signed: bool,
    /// With keys: whether an SBOM attestation or SBOM signature verified.
    pub verification: Verification,
    /// For an index: platforms with an SBOM of their own, out of all.
    pub coverage: Option<(usize, usize)>,
    /// For an index: the platforms without one.
    pub missing_platforms: Vec<String>,
    /// For an index: platforms with a signed SBOM of their own, out of all.
    pub signed_coverage: Option<(usize, usize)>,
    /// For an index: the platforms without a signed SBOM.
    pub unsigned_platforms: Vec<String>,
    /// The index itself (not only its platforms) carries a signed SBOM.
    pub signed_on_subject: bool,
    /// The index itself (not only its platforms) carries an SBOM.
    pub on_subject: bool,
}

impl SbomInfo {
    /// An SBOM covers the whole image: one on the image itself, or, for an
    /// index, one on every platform (as `signed` asks of signed ones).
    /// What `sbom: true`, "with SBOM" and `--require sbom` mean; `1/2` is
    /// an SBOM for part of the image, not for it.
    pub fn whole(&self) -> bool {
        !self.digests.is_empty() && (self.on_subject || self.missing_platforms.is_empty())
    }
}

/// One row of the audit: an image (by digest) and the tags naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageAudit {
    pub repository: String,
    pub digest: Digest,
    pub media_type: String,
    pub tags: Vec<String>,
    pub signatures: Vec<SignatureInfo>,
    pub sbom: SbomInfo,
    pub provenance: bool,
    pub scan: bool,
    /// Attestations that are not an SBOM, provenance, a scan or a signature.
    pub other_attestations: usize,
    /// The newest `org.opencontainers.image.created` among attachments.
    pub newest: Option<String>,
    /// Findings of the attached scans after VEX (`crate::vuln`); `None`
    /// when no scan was read (or the audit was not asked to read them).
    pub vulnerabilities: Option<crate::vuln::VulnSummary>,
    pub verification: Verification,
    /// For an index: platforms it lists whose manifest could not be
    /// fetched (`linux/amd64 (sha256:…, 404)`); it points at nothing
    /// there, and no requirement is met for them.
    pub unfetched_platforms: Vec<String>,
    pub warnings: Vec<String>,
    /// Discovery failed; the row says only that.
    pub error: Option<String>,
}

impl ImageAudit {
    pub fn signed(&self) -> bool {
        !self.signatures.is_empty()
    }

    /// The verification verdict in words, as every front end shows it: an
    /// image without a signature is unverified, never failed.
    pub fn verdict(&self) -> String {
        match &self.verification {
            Verification::Verified { key, .. } => {
                format!("verified ({key}; {})", self.verification.grounds())
            }
            Verification::Failed { reasons } => format!("failed ({})", reasons.join("; ")),
            Verification::Unverified if !self.signed() => "unverified (no signature)".to_owned(),
            Verification::Unverified => "unverified".to_owned(),
        }
    }

    /// The schemes it is signed with, each once.
    pub fn schemes(&self) -> Vec<SignatureScheme> {
        let mut schemes: Vec<_> = self.signatures.iter().map(|s| s.scheme).collect();
        schemes.sort();
        schemes.dedup();
        schemes
    }

    /// What the SBOM column says, in the CLI's table and the TUI's alike:
    /// the formats joined by `+`, then for an index the platforms covered
    /// (`CycloneDX JSON+SPDX JSON 2/2`); empty without an SBOM.
    pub fn sbom_label(&self) -> String {
        let formats = self.sbom.formats.join("+");
        match self.sbom.coverage {
            Some((covered, total)) if formats.is_empty() => format!("{covered}/{total}"),
            Some((covered, total)) => format!("{formats} {covered}/{total}"),
            None => formats,
        }
    }

    /// The requirements this image misses, each with where (`sbom
    /// (linux/arm64)`); empty when it meets them all.
    pub fn missing(&self, required: &[Requirement]) -> Vec<String> {
        let mut missing = Vec::new();
        if let Some(error) = &self.error {
            missing.push(format!("audit failed: {error}"));
            return missing;
        }
        for platform in &self.unfetched_platforms {
            missing.push(format!("the manifest of platform {platform}"));
        }
        for requirement in required {
            match requirement {
                Requirement::Signature if !self.signed() => missing.push("signature".to_owned()),
                Requirement::Sbom if self.sbom.digests.is_empty() => {
                    missing.push("sbom".to_owned());
                }
                Requirement::Sbom if !self.sbom.whole() => {
                    missing.push(format!("sbom ({})", self.sbom.missing_platforms.join(", ")));
                }
                Requirement::SignedSbom if !self.sbom.signed => {
                    missing.push(if self.sbom.signed_coverage.is_some() {
                        format!("signed-sbom ({})", self.sbom.unsigned_platforms.join(", "))
                    } else {
                        "signed-sbom".to_owned()
                    });
                }
                Requirement::Provenance if !self.provenance => {
                    missing.push("provenance".to_owned());
                }
                Requirement::Verified if !self.verification.is_verified() => {
                    missing.push(match &self.verification {
                        Verification::Failed { reasons } => {
                            format!("verified signature ({})", reasons.join("; "))
                        }
                        _ if !self.signed() => "verified signature (no signature)".to_owned(),
                        _ => "verified signature (no trust material given)".to_owned(),
                    });
                }
                _ => {}
            }
        }
        missing
    }
}

/// What `--require` can ask of every image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Requirement {
    Signature,
    Sbom,
    SignedSbom,
    Provenance,
    Verified,
}

impl std::str::FromStr for Requirement {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(match text.trim() {
            "signature" | "signed" => Requirement::Signature,
            "sbom" => Requirement::Sbom,
            "signed-sbom" => Requirement::SignedSbom,
            "provenance" => Requirement::Provenance,
            "verified" => Requirement::Verified,
            other => {
                return Err(format!(
                    "unknown requirement {other:?} (signature, sbom, signed-sbom, provenance, verified)"
                ));
            }
        })
    }
}

/// Counts over the rows, for the summary line and the JSON summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub images: usize,
    pub signed: usize,
    pub with_sbom: usize,
    pub signed_sbom: usize,
    pub provenance: usize,
    pub verified: usize,
    pub failed: usize,
    pub errors: usize,
}

impl Summary {
    pub fn add(&mut self, row: &ImageAudit) {
        self.images += 1;
        self.signed += usize::from(row.signed());
        self.with_sbom += usize::from(row.sbom.whole());
        self.signed_sbom += usize::from(row.sbom.signed);
        self.provenance += usize::from(row.provenance);
        self.verified += usize::from(row.verification.is_verified());
        self.failed += usize::from(matches!(row.verification, Verification::Failed { .. }));
        self.errors += usize::from(row.error.is_some());
    }

    pub fn of<'a>(rows: impl IntoIterator<Item = &'a ImageAudit>) -> Summary {
        let mut summary = Summary::default();
        for row in rows {
            summary.add(row);
        }
        summary
    }

    /// "38/40 signed · 12 with SBOM · 3 verified".
    pub fn line(&self) -> String {
        format!(
            "{}/{} signed · {} with SBOM · {} verified",
            self.signed, self.images, self.with_sbom, self.verified
        )
    }
}

#[cfg(test)]
mod tests;
