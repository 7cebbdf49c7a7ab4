//! What `--require` can ask of every image, and what a row misses of it.

use super::image::ImageAudit;
use super::verification::Verification;

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

impl ImageAudit {
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
