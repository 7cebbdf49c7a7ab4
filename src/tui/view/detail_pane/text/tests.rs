//! How the detail pane wraps a manifest's JSON: never inside a word that
//! fits a row, at any width.

use ratatui::text::Line;

use super::laid_out;
use crate::tui::preview::json;

/// A manifest as deep as the detail pane shows them: an index entry's
/// annotations, with keys and values of every length.
const MANIFEST: &str = r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:3b1f4b0a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f","size":1234,"platform":{"architecture":"arm64","os":"linux","variant":"v8"},"annotations":{"org.opencontainers.image.description":"a multi-platform image of the net-monitor tool, built by the release pipeline","vnd.docker.reference.type":"attestation-manifest","org.opencontainers.image.ref.name":"registry.example.com/team/net-monitor:v1.2.3-rc1"}}]}"#;

fn rows(line: &Line<'static>, width: u16) -> Vec<String> {
    laid_out(line.clone(), width)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn json_never_breaks_a_word_that_fits_a_row() {
    let lines = json::highlight(&json::reindent(MANIFEST.as_bytes()));
    for width in 24..=120u16 {
        for line in &lines {
            let text = line.to_string();
            let rows = rows(line, width);
            for row in &rows {
                assert!(
                    Line::raw(row.as_str()).width() <= usize::from(width),
                    "a row wider than {width}: {row:?}"
                );
            }
            for word in text.split(' ').filter(|w| !w.is_empty()) {
                if Line::raw(word).width() > usize::from(width) {
                    continue;
                }
                assert!(
                    rows.iter().any(|row| row.contains(word)),
                    "{word:?} broken at width {width}:\n{}",
                    rows.join("\n")
                );
            }
        }
    }
}

#[test]
fn a_word_wider_than_the_row_is_cut_and_json_keeps_its_indentation() {
    let lines = json::highlight(&json::reindent(MANIFEST.as_bytes()));
    let digest = lines
        .iter()
        .find(|l| l.to_string().contains("\"digest\""))
        .expect("the digest's line");
    let rows = rows(digest, 30);
    assert!(rows.len() > 2, "{rows:?}");
    assert!(rows.iter().all(|r| Line::raw(r.as_str()).width() <= 30));
    // Rows after the first start under the line, not at column 0.
    let own = digest.to_string().len() - digest.to_string().trim_start().len();
    assert!(
        rows[1..].iter().all(|r| r.starts_with(&" ".repeat(own))),
        "{rows:?}"
    );
}
