//! A CycloneDX vulnerability's `analysis` read as a VEX statement: which
//! products it speaks of (a component of a BOM, the image, or a package of
//! the document's subject) and what it says of them.

use std::collections::HashMap;

use super::{Component, Vulnerability, cdx_ref, component_image_digest, serial_of};
use crate::vuln::{Product, Timestamp, VexStatement, VexStatus};

/// A vulnerability's `analysis` as a VEX statement. In a VEX document each
/// affected ref becomes a product: `urn:cdx:SERIAL/…#REF` names a
/// component of that BOM, a `pkg:oci` purl the image itself, any other
/// ref a package of the document's subject.
pub(super) fn vex_statement(
    vulnerability: &Vulnerability,
    image: Option<&Component>,
    by_ref: &HashMap<&str, &Component>,
    time: Option<&Timestamp>,
) -> Option<VexStatement> {
    let analysis = vulnerability.analysis.as_ref()?;
    let status = VexStatus::parse(analysis.state.as_deref()?)?;
    let image_ids: Vec<String> = image
        .into_iter()
        .flat_map(|c| [c.purl.clone(), c.bom_ref.clone()])
        .flatten()
        .chain(image.and_then(component_image_digest))
        .collect();
    let products = vulnerability
        .affects
        .iter()
        .map(|affect| {
            let reference = affect.reference.trim();
            let inner = cdx_ref(reference);
            let package = by_ref
                .get(inner)
                .and_then(|c| c.purl.clone())
                .unwrap_or_else(|| inner.to_owned());
            if reference.starts_with("urn:cdx:") {
                Product {
                    bom_serial: Some(serial_of(reference)),
                    subcomponents: vec![package],
                    ..Product::default()
                }
            } else if crate::vuln::purl::image_digest(reference).is_some() {
                Product {
                    ids: vec![reference.to_owned()],
                    ..Product::default()
                }
            } else {
                Product {
                    ids: image_ids.clone(),
                    subcomponents: vec![package],
                    ..Product::default()
                }
            }
        })
        .collect();
    Some(VexStatement {
        vulnerability: vulnerability.id.clone().unwrap_or_default(),
        aliases: vulnerability
            .references
            .iter()
            .filter_map(|r| r.id.clone())
            .collect(),
        products,
        status,
        justification: analysis.justification.clone(),
        note: analysis.detail.clone(),
        timestamp: time.cloned(),
    })
}
