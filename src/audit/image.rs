//! The audit's row model: one image with what is attached to it (its
//! signatures, its SBOMs, provenance, scans), how the front ends word it,
//! and the counts over many rows.

use super::verification::{SignatureScheme, Verification};
use crate::oci::Digest;

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
