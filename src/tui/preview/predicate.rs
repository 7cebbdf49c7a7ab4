//! An attestation's predicate, unwrapped from whatever carries it (DSSE,
//! Sigstore bundle, bare statement): an SBOM predicate as the SBOM summary,
//! SLSA provenance as builder, source, commit and build type.

use ratatui::style::Style;
use ratatui::text::Line;

use super::sbom::SbomSummary;
use crate::document::{Provenance, unwrap_statement};
use crate::oci::media_type::{self as mt, ArtifactKind};
use crate::text::escape_control;

/// What the detail pane shows of an attestation's predicate, when it can
/// read one: (label, value) facts and, for an SBOM, its summary.
pub struct PredicateView {
    pub facts: Vec<(&'static str, String)>,
    pub sbom: Option<SbomSummary>,
}

impl PredicateView {
    pub fn read(bytes: &[u8]) -> Option<PredicateView> {
        let statement = unwrap_statement(bytes).ok()?;
        let mut facts = vec![
            ("carried in", statement.envelope.label().to_owned()),
            (
                "predicate",
                escape_control(&mt::predicate_name(&statement.predicate_type)).into_owned(),
            ),
        ];
        let mut sbom = None;
        match mt::predicate_kind(&statement.predicate_type) {
            ArtifactKind::Sbom => {
                sbom = statement
                    .predicate_bytes()
                    .and_then(|bytes| SbomSummary::parse(&bytes));
            }
            ArtifactKind::Provenance => {
                if let Some(read) = statement
                    .predicate_value()
                    .as_ref()
                    .and_then(Provenance::read)
                {
                    facts.push(("builder", escape_control(&read.builder).into_owned()));
                    facts.push(("source", escape_control(&read.source).into_owned()));
                    facts.push(("commit", escape_control(&read.commit).into_owned()));
                    facts.push(("build type", escape_control(&read.build_type).into_owned()));
                }
            }
            _ => {}
        }
        facts.retain(|(_, value)| !value.is_empty());
        Some(PredicateView { facts, sbom })
    }

    /// The SBOM summary's lines, when the predicate is an SBOM.
    pub fn sbom_lines(&self, search: &str, heading: Style) -> Vec<Line<'static>> {
        self.sbom
            .as_ref()
            .map(|summary| summary.lines(search, heading))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn shows_an_sbom_predicate_and_provenance() {
        let statement = r#"{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://cyclonedx.org/bom",
            "predicate":{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"openssl","version":"3.0"}]}}"#;
        let envelope = format!(
            r#"{{"payloadType":"application/vnd.in-toto+json","payload":"{}","signatures":[]}}"#,
            base64::engine::general_purpose::STANDARD.encode(statement)
        );
        let view = PredicateView::read(envelope.as_bytes()).expect("view");
        let summary = view.sbom.expect("sbom");
        assert_eq!(summary.components.len(), 1);
        assert!(
            view.facts
                .contains(&("predicate", "CycloneDX SBOM".to_owned()))
        );

        let provenance = r#"{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2",
            "predicate":{"builder":{"id":"https://example.com/builder"},"buildType":"https://mobyproject.org/buildkit@v1",
            "invocation":{"configSource":{"uri":"https://github.com/org/app","digest":{"sha1":"abc"}}}}}"#;
        let view = PredicateView::read(provenance.as_bytes()).expect("view");
        assert!(
            view.facts
                .contains(&("builder", "https://example.com/builder".to_owned()))
        );
        assert!(view.facts.contains(&("commit", "abc".to_owned())));
        assert!(PredicateView::read(b"{}").is_none());
    }
}
