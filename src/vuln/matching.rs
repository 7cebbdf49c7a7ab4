//! Which VEX statement applies to a finding: its vulnerability or an
//! alias, a product naming the image by digest (or the scan's BOM by
//! serial number), a subcomponent naming the package when it names any;
//! the newest wins and the others that disagree are kept.

use std::collections::HashMap;

use super::apply::{AppliedVex, ScanEntry, VexInput};
use super::{Finding, Timestamp, VexStatement};

/// Statements by upper-cased vulnerability id and alias.
pub(super) fn index_statements(vex: &[VexInput]) -> HashMap<String, Vec<(usize, usize)>> {
    let mut index: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for (d, input) in vex.iter().enumerate() {
        for (s, statement) in input.document.statements.iter().enumerate() {
            for name in std::iter::once(&statement.vulnerability).chain(&statement.aliases) {
                let slot = index.entry(name.to_ascii_uppercase()).or_default();
                if !slot.contains(&(d, s)) {
                    slot.push((d, s));
                }
            }
        }
    }
    index
}

pub(super) fn names_an_image(statement: &VexStatement) -> bool {
    statement.products.iter().any(|p| {
        p.bom_serial.is_some()
            || !p.digests.is_empty()
            || p.ids
                .iter()
                .any(|id| super::purl::image_digest(id).is_some())
    })
}

fn applies(
    statement: &VexStatement,
    finding: &Finding,
    image: &[String],
    serial: Option<&str>,
) -> bool {
    statement.products.iter().any(|product| {
        let names_image = product
            .ids
            .iter()
            .filter_map(|id| super::purl::image_digest(id))
            .chain(product.digests.iter().cloned())
            .any(|digest| image.contains(&digest))
            || (product.bom_serial.is_some() && product.bom_serial.as_deref() == serial);
        names_image
            && (product.subcomponents.is_empty()
                || product.subcomponents.iter().any(|sub| {
                    finding
                        .purl
                        .as_deref()
                        .is_some_and(|p| super::purl::matches(sub, p))
                        || finding.bom_ref.as_deref() == Some(sub.as_str())
                }))
    })
}

pub(super) fn choose_statement(
    finding: &Finding,
    image: &[String],
    serial: Option<&str>,
    scan: &ScanEntry,
    vex: &[VexInput],
    index: &HashMap<String, Vec<(usize, usize)>>,
) -> (Option<AppliedVex>, Vec<AppliedVex>) {
    let mut candidates: Vec<AppliedVex> = Vec::new();
    if let Some(own) = &finding.analysis {
        candidates.push(applied(own, None, scan.time()));
    }
    let mut looked: Vec<(usize, usize)> = Vec::new();
    for name in std::iter::once(&finding.id).chain(&finding.aliases) {
        for &(d, s) in index.get(&name.to_ascii_uppercase()).into_iter().flatten() {
            if looked.contains(&(d, s)) {
                continue;
            }
            looked.push((d, s));
            let statement = &vex[d].document.statements[s];
            if applies(statement, finding, image, serial) {
                candidates.push(applied(statement, Some(d), None));
            }
        }
    }
    // The newest wins; among equals, the document found last.
    let Some(newest) = (0..candidates.len()).max_by(|a, b| {
        candidates[*a]
            .timestamp
            .cmp(&candidates[*b].timestamp)
            .then(a.cmp(b))
    }) else {
        return (None, Vec::new());
    };
    let chosen = candidates.swap_remove(newest);
    let disagreement = candidates
        .into_iter()
        .filter(|c| c.status != chosen.status)
        .collect();
    (Some(chosen), disagreement)
}

fn applied(
    statement: &VexStatement,
    document: Option<usize>,
    fallback_time: Option<&Timestamp>,
) -> AppliedVex {
    AppliedVex {
        status: statement.status,
        justification: statement.justification.clone(),
        note: statement.note.clone(),
        timestamp: statement
            .timestamp
            .clone()
            .or_else(|| fallback_time.cloned()),
        document,
    }
}
