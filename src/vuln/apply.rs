//! From the scans and VEX documents of one image to the findings that
//! remain: a newer scan by the same scanner supersedes an older one, the
//! same finding in two scans is shown once, and VEX is applied. A statement
//! applies to a finding when its vulnerability (or an alias) is the
//! finding's, one of its products names the image by digest (a `pkg:oci`
//! purl, `repository@digest`, a hash, or the serial number of the scan's
//! CycloneDX BOM) and, when it names subcomponents, one is the finding's
//! package. The newest applicable statement wins; older ones that say
//! otherwise are kept as the disagreement (`matching`); `summary` counts.

use std::collections::{BTreeMap, HashMap};

use super::matching::{choose_statement, index_statements, names_an_image};
use super::summary::{VulnSummary, summarize};
use super::{Finding, Scan, ScanInfo, Timestamp, VexDocument, VexStatus};
use crate::oci::Digest;

/// Where a document was found in the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The attachment's manifest.
    pub manifest: Digest,
    /// The blob the document was read from.
    pub layer: Digest,
    /// The manifest it is attached to (the image, or one platform of it).
    pub attached_to: Digest,
    /// That platform, when the image is an index.
    pub platform: Option<String>,
    /// "DSSE envelope", "Sigstore bundle", "in-toto statement".
    pub envelope: Option<&'static str>,
    /// The manifest's `org.opencontainers.image.created`.
    pub created: Option<Timestamp>,
}

/// A scan to apply, and the digests that name the image it scanned.
#[derive(Debug, Clone)]
pub struct ScanInput {
    pub origin: Origin,
    pub scan: Scan,
    pub image: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct VexInput {
    pub origin: Origin,
    pub document: VexDocument,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanEntry {
    pub origin: Origin,
    pub info: ScanInfo,
    pub findings: usize,
    /// A newer scan by the same scanner of the same manifest (an index
    /// into `Report::scans`): this one's findings are not counted.
    pub superseded_by: Option<usize>,
}

impl ScanEntry {
    /// The scan's own time, else when its manifest was created.
    pub fn time(&self) -> Option<&Timestamp> {
        self.info.time.as_ref().or(self.origin.created.as_ref())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VexEntry {
    pub origin: Origin,
    pub format: String,
    pub author: Option<String>,
    pub timestamp: Option<Timestamp>,
    pub statements: usize,
    /// Statements whose products name no image by digest, so never apply.
    pub naming_no_image: usize,
}

/// A VEX statement as applied to a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedVex {
    pub status: VexStatus,
    pub justification: Option<String>,
    pub note: Option<String>,
    pub timestamp: Option<Timestamp>,
    /// Index into `Report::vex`; `None` for the scan's own analysis.
    pub document: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppliedFinding {
    pub finding: Finding,
    /// Index into `Report::scans`: the newest scan that reported it.
    pub scan: usize,
    /// Other scans that reported it too.
    pub also_in: Vec<usize>,
    pub platform: Option<String>,
    pub vex: Option<AppliedVex>,
    /// Older applicable statements whose status differs from `vex`'s.
    pub disagreement: Vec<AppliedVex>,
}

impl AppliedFinding {
    pub fn suppressed(&self) -> bool {
        self.vex.as_ref().is_some_and(|v| v.status.suppresses())
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub scans: Vec<ScanEntry>,
    pub vex: Vec<VexEntry>,
    /// Most severe first; suppressed ones included (see `suppressed`).
    pub findings: Vec<AppliedFinding>,
    pub summary: VulnSummary,
    pub warnings: Vec<String>,
}

/// Applies `vex` to the findings of `scans`.
pub fn apply(scans: Vec<ScanInput>, vex: Vec<VexInput>) -> Report {
    let mut report = Report::default();
    let images: Vec<(Vec<String>, Option<String>)> = scans
        .iter()
        .map(|s| (s.image.clone(), s.scan.info.serial.clone()))
        .collect();
    let mut findings_by_scan: Vec<Vec<Finding>> = Vec::new();
    for input in scans {
        report.scans.push(ScanEntry {
            findings: input.scan.findings.len(),
            origin: input.origin,
            info: input.scan.info,
            superseded_by: None,
        });
        findings_by_scan.push(input.scan.findings);
    }
    mark_superseded(&mut report.scans);
    let statements = index_statements(&vex);
    for input in &vex {
        report.vex.push(VexEntry {
            origin: input.origin.clone(),
            format: input.document.format.clone(),
            author: input.document.author.clone(),
            timestamp: input.document.timestamp.clone(),
            statements: input.document.statements.len(),
            naming_no_image: input
                .document
                .statements
                .iter()
                .filter(|s| !names_an_image(s))
                .count(),
        });
    }
    let mut order: Vec<usize> = (0..report.scans.len())
        .filter(|i| report.scans[*i].superseded_by.is_none())
        .collect();
    order.sort_by(|a, b| report.scans[*b].time().cmp(&report.scans[*a].time()));
    let mut seen: HashMap<(Digest, String, String, String), usize> = HashMap::new();
    for scan_index in order {
        let entry = &report.scans[scan_index];
        let (image, serial) = &images[scan_index];
        for finding in std::mem::take(&mut findings_by_scan[scan_index]) {
            let key = (
                entry.origin.attached_to.clone(),
                finding.id.to_ascii_uppercase(),
                finding.package.clone(),
                finding.installed.clone().unwrap_or_default(),
            );
            if let Some(&at) = seen.get(&key) {
                let earlier: &mut AppliedFinding = &mut report.findings[at];
                if !earlier.also_in.contains(&scan_index) {
                    earlier.also_in.push(scan_index);
                }
                continue;
            }
            let (chosen, disagreement) =
                choose_statement(&finding, image, serial.as_deref(), entry, &vex, &statements);
            seen.insert(key, report.findings.len());
            report.findings.push(AppliedFinding {
                platform: entry.origin.platform.clone(),
                scan: scan_index,
                also_in: Vec::new(),
                vex: chosen,
                disagreement,
                finding,
            });
        }
    }
    report.findings.sort_by(|a, b| {
        (b.finding.severity, &a.finding.id, &a.finding.package).cmp(&(
            a.finding.severity,
            &b.finding.id,
            &b.finding.package,
        ))
    });
    report.summary = summarize(&report);
    report
}

/// Within one manifest, a scanner's newest scan supersedes its older ones
/// (scans at the same time, as Trivy's CycloneDX and SARIF of one run, are
/// all kept). Scans without a scanner name stand alone.
fn mark_superseded(scans: &mut [ScanEntry]) {
    let mut groups: BTreeMap<(Digest, String), Vec<usize>> = BTreeMap::new();
    for (i, scan) in scans.iter().enumerate() {
        if let Some(name) = &scan.info.scanner {
            groups
                .entry((scan.origin.attached_to.clone(), name.to_ascii_lowercase()))
                .or_default()
                .push(i);
        }
    }
    for members in groups.values() {
        let Some(&newest) = members
            .iter()
            .max_by(|a, b| scans[**a].time().cmp(&scans[**b].time()))
        else {
            continue;
        };
        let newest_time = scans[newest].time().cloned();
        for &i in members {
            if scans[i].time().cloned() < newest_time {
                scans[i].superseded_by = Some(newest);
            }
        }
    }
}
