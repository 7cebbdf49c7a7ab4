//! Vulnerability reports and VEX documents attached to an image: read from
//! what scanners and VEX tools write, VEX applied, counted. Plain data for
//! the CLI, the audit and the TUI; only `collect` does I/O.
//!
//! - `severity`: severities, and which rating a finding's came from;
//! - `time`: RFC 3339 times, compared and aged;
//! - `purl`: package URLs, matched as OpenVEX matches them;
//! - `read`: which format a document is, an in-toto statement unwrapped;
//! - `cyclonedx`, `cyclonedx_xml`, `sarif`, `trivy`, `grype`, `cosign`,
//!   `openvex`: one reader per format;
//! - `apply`: the newest scan per scanner, findings merged, VEX applied
//!   (`matching` decides which statement applies, `summary` counts);
//! - `collect`: which attachments of a discovered tree to read, and reading.

pub mod apply;
pub mod collect;
pub mod cosign;
pub mod cyclonedx;
pub mod cyclonedx_xml;
pub mod grype;
mod matching;
pub mod openvex;
pub mod purl;
pub mod read;
pub mod sarif;
pub mod severity;
pub mod summary;
pub mod time;
pub mod trivy;

#[cfg(test)]
mod tests;

pub use apply::{AppliedFinding, AppliedVex, Report, ScanEntry, VexEntry, apply};
pub use collect::{CollectOptions, PlatformChoice, collect};
pub use read::{Document, ReadError, read_document};
pub use severity::{Rated, Severity};
pub use summary::VulnSummary;
pub use time::Timestamp;

/// One finding as a scanner reported it: a vulnerability in a package.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Finding {
    /// `CVE-…`, `GHSA-…`: what the scanner calls it.
    pub id: String,
    /// Other names of the same vulnerability (related CVEs, GHSA ids).
    pub aliases: Vec<String>,
    pub severity: Severity,
    /// How `severity` was chosen: "scanner" when the format records the
    /// scanner's choice, else "highest rating (nvd CVSSv31 9.8)".
    pub severity_basis: String,
    /// The package's name as the scanner shows it.
    pub package: String,
    /// Its package URL, when the scanner gives one.
    pub purl: Option<String>,
    /// Its `bom-ref` inside a CycloneDX document.
    pub bom_ref: Option<String>,
    pub installed: Option<String>,
    pub fixed: Option<String>,
    /// The advisory's title and text, as the scan carries them.
    pub title: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    /// A CycloneDX `analysis` the scan itself carries for this finding.
    pub analysis: Option<VexStatement>,
}

/// The scan a report is the result of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanInfo {
    /// "CycloneDX JSON", "SARIF", "Trivy JSON", "Grype JSON", with
    /// " (cosign vuln predicate)" when wrapped in one.
    pub format: String,
    pub scanner: Option<String>,
    pub scanner_version: Option<String>,
    /// When it ran (the document's own time).
    pub time: Option<Timestamp>,
    /// When the scanner's vulnerability database was built.
    pub database_time: Option<Timestamp>,
    /// A CycloneDX `serialNumber`, which CycloneDX VEX refers to.
    pub serial: Option<String>,
    /// Components listed (a CycloneDX scan is an SBOM too).
    pub components: usize,
    /// The image the scanner says it scanned (`sha256:…`), when it says.
    pub subject_digest: Option<String>,
}

impl ScanInfo {
    /// "Trivy 0.74.0", "grype", or "unknown scanner".
    pub fn scanner_label(&self) -> String {
        match (&self.scanner, &self.scanner_version) {
            (Some(name), Some(version)) => format!("{name} {version}"),
            (Some(name), None) => name.clone(),
            _ => "unknown scanner".to_owned(),
        }
    }
}

/// A vulnerability report: who scanned, and what they found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scan {
    pub info: ScanInfo,
    pub findings: Vec<Finding>,
}

/// What a VEX statement says about a vulnerability in a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VexStatus {
    NotAffected,
    Affected,
    Fixed,
    UnderInvestigation,
}

impl VexStatus {
    /// OpenVEX's words, and CycloneDX's `analysis.state` mapped onto them.
    pub fn parse(text: &str) -> Option<VexStatus> {
        Some(
            match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
                "not_affected" | "false_positive" => VexStatus::NotAffected,
                "affected" | "exploitable" => VexStatus::Affected,
                "fixed" | "resolved" | "resolved_with_pedigree" => VexStatus::Fixed,
                "under_investigation" | "in_triage" => VexStatus::UnderInvestigation,
                _ => return None,
            },
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not_affected",
            VexStatus::Affected => "affected",
            VexStatus::Fixed => "fixed",
            VexStatus::UnderInvestigation => "under_investigation",
        }
    }

    /// `not_affected` and `fixed` take a finding out of the counts.
    pub fn suppresses(self) -> bool {
        matches!(self, VexStatus::NotAffected | VexStatus::Fixed)
    }
}

/// What a VEX statement is about: an image, named by a `pkg:oci` purl, a
/// `repository@digest`, a hash, or a CycloneDX BOM's serial number; and
/// the packages inside it (subcomponents), when it names some.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Product {
    /// `@id`, `identifiers.purl`, a CycloneDX `bom-ref` or purl.
    pub ids: Vec<String>,
    /// `sha256:…` from the product's `hashes`.
    pub digests: Vec<String>,
    /// `urn:cdx:SERIAL/VERSION#…` names a component of that BOM.
    pub bom_serial: Option<String>,
    /// Package URLs (or bom-refs) of the affected packages inside it.
    pub subcomponents: Vec<String>,
}

/// One VEX statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VexStatement {
    pub vulnerability: String,
    pub aliases: Vec<String>,
    /// Empty for a scan's own analysis of one of its findings.
    pub products: Vec<Product>,
    pub status: VexStatus,
    pub justification: Option<String>,
    /// The impact statement, action statement or status notes, whichever
    /// the statement gives (CycloneDX: `analysis.detail`).
    pub note: Option<String>,
    pub timestamp: Option<Timestamp>,
}

/// A VEX document: who said it, when, and its statements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VexDocument {
    /// "OpenVEX 0.2.0", "CycloneDX VEX".
    pub format: String,
    pub author: Option<String>,
    pub timestamp: Option<Timestamp>,
    pub statements: Vec<VexStatement>,
}
