//! The audit's `vulnerabilities`: an image's attached scans and VEX read
//! and applied by `crate::vuln` over every platform of an index, counted
//! into its row. A CycloneDX SBOM that lists vulnerabilities makes the
//! row's `scan` true as well.

use super::image::ImageAudit;
use crate::graph::ReferrerTree;
use crate::store::Store;
use crate::vuln::{CollectOptions, PlatformChoice, collect};

pub(super) async fn add_vulnerabilities(
    store: &dyn Store,
    tree: &ReferrerTree,
    row: &mut ImageAudit,
) {
    let options = CollectOptions {
        platform: PlatformChoice::All,
        ..CollectOptions::default()
    };
    let report = collect(store, tree, &options).await;
    row.warnings.extend(report.warnings.iter().cloned());
    if report.summary.scans > 0 {
        row.scan = true;
        row.vulnerabilities = Some(report.summary);
    }
}
