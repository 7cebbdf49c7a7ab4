//! The readers behind the detail pane: SBOM summaries (CycloneDX, SPDX,
//! Syft), DSSE envelopes, in-toto statements and Sigstore bundles, and the
//! generic blob preview, for any bytes under any media type.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratatui::style::Style;
use regscope::tui::preview::sbom::SbomSummary;
use regscope::tui::preview::{blob_lines, signature};

const MEDIA_TYPES: [&str; 8] = [
    "application/vnd.cyclonedx+json",
    "application/spdx+json",
    "application/vnd.in-toto+json",
    "application/vnd.dsse.envelope.v1+json",
    "application/vnd.dev.sigstore.bundle.v0.3+json",
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.oci.image.layer.v1.tar",
    "text/plain",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let media_type = MEDIA_TYPES[usize::from(selector) % MEDIA_TYPES.len()];
    if let Some(summary) = SbomSummary::parse(bytes) {
        let search = summary
            .components
            .first()
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let _ = summary.lines(&search, Style::new());
        let _ = summary.lines("", Style::new());
    }
    let _ = signature::summarize(bytes);
    let _ = blob_lines(media_type, bytes);
});
