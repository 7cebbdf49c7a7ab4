//! CycloneDX 1.4–1.6 `vulnerabilities` (JSON here; `cyclonedx_xml` fills
//! the same model from XML): each affected component is a finding, with
//! its ratings, and an `analysis` is the scan's own VEX for it. A document
//! whose every vulnerability carries an analysis and that lists no
//! components is a CycloneDX VEX document instead.

pub(super) mod model;
mod vex;

use std::collections::HashMap;

pub(super) use model::{
    Advisory, Affect, AffectedVersion, Analysis, Bom, Component, Metadata, Rating, Reference,
    Source, Tool, Tools, Vulnerability,
};

use self::vex::vex_statement;
use super::read::Document;
use super::severity::{Rated, choose};
use super::{Finding, Scan, ScanInfo, Timestamp, VexDocument};

/// Reads a CycloneDX JSON document; `None` when it has no vulnerabilities
/// (an SBOM only).
pub fn read_json(bytes: &[u8]) -> Result<Option<Document>, String> {
    let bom: Bom = serde_json::from_slice(bytes).map_err(|e| format!("CycloneDX JSON: {e}"))?;
    Ok(interpret(bom, "CycloneDX JSON"))
}

pub(super) fn interpret(bom: Bom, format: &str) -> Option<Document> {
    if bom.vulnerabilities.is_empty() {
        return None;
    }
    let mut by_ref: HashMap<&str, &Component> = HashMap::new();
    let mut components = 0;
    let mut stack: Vec<&Component> = bom.components.iter().collect();
    while let Some(component) = stack.pop() {
        components += 1;
        if let Some(bom_ref) = component.bom_ref.as_deref() {
            by_ref.insert(bom_ref, component);
        }
        stack.extend(component.components.iter());
    }
    let metadata = bom.metadata.as_ref();
    let time = metadata
        .and_then(|m| m.timestamp.as_deref())
        .and_then(Timestamp::parse);
    let image = metadata.and_then(|m| m.component.as_ref());
    let is_vex = components == 0 && bom.vulnerabilities.iter().all(|v| v.analysis.is_some());
    if is_vex {
        return Some(Document::Vex(VexDocument {
            format: "CycloneDX VEX".to_owned(),
            author: None,
            timestamp: time.clone(),
            statements: bom
                .vulnerabilities
                .iter()
                .filter_map(|v| vex_statement(v, image, &by_ref, time.as_ref()))
                .collect(),
        }));
    }
    let (scanner, scanner_version) = first_tool(metadata.and_then(|m| m.tools.as_ref()));
    let info = ScanInfo {
        format: format.to_owned(),
        scanner,
        scanner_version,
        time: time.clone(),
        database_time: None,
        serial: bom.serial.as_deref().map(serial_of),
        components,
        subject_digest: image.and_then(component_image_digest),
    };
    let mut findings = Vec::new();
    for vulnerability in &bom.vulnerabilities {
        findings.extend(findings_of(vulnerability, &by_ref, time.as_ref()));
    }
    Some(Document::Scan(Scan { info, findings }))
}

fn first_tool(tools: Option<&Tools>) -> (Option<String>, Option<String>) {
    let tool = match tools {
        Some(Tools::List(list)) => list.first(),
        Some(Tools::Object {
            components,
            services,
        }) => components.first().or(services.first()),
        None => None,
    };
    tool.map_or((None, None), |t| (t.name.clone(), t.version.clone()))
}

/// `urn:uuid:3e67…` and `urn:cdx:3e67…/1` both name the BOM `3e67…`.
pub(super) fn serial_of(text: &str) -> String {
    let text = text.trim();
    let bare = text
        .strip_prefix("urn:uuid:")
        .or_else(|| text.strip_prefix("urn:cdx:"))
        .unwrap_or(text);
    bare.split(['/', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The image digest a BOM's subject names: its purl or bom-ref as a
/// `pkg:oci` purl, or (Grype) a container whose version is the digest.
fn component_image_digest(component: &Component) -> Option<String> {
    let by_name = [component.purl.as_deref(), component.bom_ref.as_deref()]
        .into_iter()
        .flatten()
        .find_map(super::purl::image_digest);
    by_name.or_else(|| {
        (component.kind.as_deref() == Some("container"))
            .then_some(component.version.as_deref())
            .flatten()
            .and_then(super::purl::image_digest)
    })
}

fn ratings_of(vulnerability: &Vulnerability) -> Vec<Rated> {
    vulnerability
        .ratings
        .iter()
        .map(|r| Rated {
            source: r.source.as_ref().and_then(|s| s.name.clone()),
            severity: r.severity.clone(),
            score: r.score,
            method: r.method.clone(),
        })
        .collect()
}

fn findings_of(
    vulnerability: &Vulnerability,
    by_ref: &HashMap<&str, &Component>,
    time: Option<&Timestamp>,
) -> Vec<Finding> {
    let id = vulnerability.id.clone().unwrap_or_default();
    let ratings = ratings_of(vulnerability);
    // Trivy records which source it took the severity from as the
    // vulnerability's own source; that source's rating is its choice.
    let source = vulnerability
        .source
        .as_ref()
        .and_then(|s| s.name.as_deref());
    let chosen = source.and_then(|name| {
        ratings
            .iter()
            .find(|r| {
                r.source
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case(name))
            })
            .and_then(|r| r.severity.as_deref())
    });
    let (severity, severity_basis) = choose(chosen, &ratings);
    let aliases: Vec<String> = vulnerability
        .references
        .iter()
        .filter_map(|r| r.id.clone())
        .filter(|r| *r != id)
        .collect();
    let analysis = vex_statement(vulnerability, None, by_ref, time).map(|mut s| {
        s.products.clear();
        s
    });
    let base = Finding {
        id,
        aliases,
        severity,
        severity_basis,
        title: None,
        description: vulnerability
            .description
            .clone()
            .or(vulnerability.detail.clone()),
        url: vulnerability
            .advisories
            .iter()
            .find_map(|a| a.url.clone())
            .or_else(|| vulnerability.source.as_ref().and_then(|s| s.url.clone())),
        fixed: vulnerability
            .recommendation
            .as_deref()
            .and_then(fixed_from_advice),
        analysis,
        ..Finding::default()
    };
    if vulnerability.affects.is_empty() {
        return vec![base];
    }
    vulnerability
        .affects
        .iter()
        .map(|affect| affected_finding(affect, by_ref, &base))
        .collect()
}

/// The finding for one package `affect` names: its name, version and purl
/// from the SBOM's component (or the purl it names), and the fixed
/// versions its unaffected ranges give, over the vulnerability's `base`.
fn affected_finding(
    affect: &Affect,
    by_ref: &HashMap<&str, &Component>,
    base: &Finding,
) -> Finding {
    let reference = cdx_ref(&affect.reference);
    let component = by_ref.get(reference).copied();
    let purl = component
        .and_then(|c| c.purl.clone())
        .or_else(|| reference.starts_with("pkg:").then(|| reference.to_owned()));
    let from_purl = purl.as_deref().and_then(|p| {
        <packageurl::PackageUrl<'static> as std::str::FromStr>::from_str(p)
            .ok()
            .map(|p| (p.name().to_owned(), p.version().map(str::to_owned)))
    });
    let affected_version = affect
        .versions
        .iter()
        .find(|v| v.status.as_deref() == Some("affected"))
        .and_then(|v| v.version.clone());
    let unaffected: Vec<&str> = affect
        .versions
        .iter()
        .filter(|v| v.status.as_deref() == Some("unaffected"))
        .filter_map(|v| v.range.as_deref())
        .filter_map(|r| r.rsplit_once(">=").map(|(_, v)| v.trim()))
        .collect();
    Finding {
        package: component
            .and_then(|c| c.name.clone())
            .or_else(|| from_purl.as_ref().map(|(n, _)| n.clone()))
            .unwrap_or_else(|| reference.to_owned()),
        installed: component
            .and_then(|c| c.version.clone())
            .or(affected_version)
            .or_else(|| from_purl.and_then(|(_, v)| v)),
        fixed: if unaffected.is_empty() {
            base.fixed.clone()
        } else {
            Some(unaffected.join(", "))
        },
        purl,
        bom_ref: Some(reference.to_owned()),
        ..base.clone()
    }
}

/// The bom-ref inside `urn:cdx:SERIAL/VERSION#REF`, or the ref itself.
fn cdx_ref(reference: &str) -> &str {
    if reference.starts_with("urn:cdx:") {
        reference.split_once('#').map_or(reference, |(_, r)| r)
    } else {
        reference
    }
}

/// "Upgrade jquery to version 3.4.0" (Trivy) → "3.4.0".
fn fixed_from_advice(advice: &str) -> Option<String> {
    let (_, version) = advice.rsplit_once(" to version ")?;
    let version = version.trim().trim_end_matches('.');
    (!version.is_empty()).then(|| version.to_owned())
}
