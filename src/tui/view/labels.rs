//! How a node reads in the tree: name or short digest, kind label in its
//! colour, size, referrer count, spinner or error.

use crate::oci::media_type::ArtifactKind;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;

use crate::graph::FoundBy;
use crate::oci::media_type::{self as mt};
use crate::store::ReferrersSupport;
use crate::text::escape_control;
use crate::tui::tree::NodeId;
use crate::tui::tree::{BlobRole, ManifestRole, Node, NodeKind};
use crate::tui::view::AppView;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn spinner(tick: u64) -> &'static str {
    SPINNER[usize::try_from(tick % 10).unwrap_or(0)]
}

pub use crate::text::human_size;

/// The short, readable name of an artifact type.
pub fn type_name(artifact_type: &str) -> String {
    mt::friendly_name(artifact_type)
        .map_or_else(|| escape_control(artifact_type).into_owned(), str::to_owned)
}

pub fn node_spans(app: &AppView<'_>, path: &[NodeId], node: &Node) -> Vec<Span<'static>> {
    let id = path.last().unwrap_or(&NodeId::More);
    let theme = &app.config.theme;
    let dim = Style::new().fg(Color::DarkGray);
    let kind_colour = node.artifact_kind().map(|k| theme.kind(k));
    let mut spans = Vec::new();
    match &node.kind {
        NodeKind::Registry => {
            spans.push(Span::styled(
                escape_control(&app.session.store_name).into_owned(),
                Style::new().add_modifier(Modifier::BOLD),
            ));
            spans.extend(list_count(app, path, node, "repository", "repositories"));
            if let Some(mode) = referrers_mode(app.session.referrers_support) {
                spans.push(Span::styled(format!("  {mode}"), dim));
            }
        }
        NodeKind::Repository { name } => {
            spans.push(Span::styled(
                escape_control(name).into_owned(),
                Style::new().fg(theme.accent),
            ));
            spans.extend(list_count(app, path, node, "tag", "tags"));
        }
        NodeKind::Group { artifact_type } => {
            spans.push(Span::styled(
                type_name(artifact_type),
                Style::new()
                    .fg(kind_colour.unwrap_or(Color::Gray))
                    .add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::styled(format!("  {}", node.children().len()), dim));
        }
        NodeKind::Manifest { role, .. } => spans.extend(manifest_spans(app, node, role)),
        NodeKind::Blob { role, .. } => spans.extend(blob_spans(node, role)),
    }
    if node.is_loading() {
        spans.push(Span::styled(
            format!("  {}", spinner(app.tick)),
            Style::new().fg(theme.accent),
        ));
    }
    if let Some(error) = node.error() {
        spans.push(Span::styled(
            format!("  ✗ {}", escape_control(&error.to_string())),
            Style::new().fg(theme.error),
        ));
    }
    if spans.is_empty() {
        spans.push(Span::raw(escape_control(&id.name()).into_owned()));
    }
    spans
}

/// How the registry serves referrers, as far as the session learned it
/// (a listing of referrers, or the doctor): on the registry's row. A
/// layout has no registry to learn about.
fn referrers_mode(support: ReferrersSupport) -> Option<&'static str> {
    match support {
        ReferrersSupport::Api => Some("referrers API"),
        ReferrersSupport::FallbackTag => Some("referrers by tag fallback"),
        ReferrersSupport::NotYetKnown => Some("referrers unknown yet"),
        ReferrersSupport::SubjectScan => None,
    }
}

/// A manifest's row: its name (tag, platform, digest), its kind, its
/// referrers, size and digest, where it was found, whether it is linked.
fn manifest_spans(app: &AppView<'_>, node: &Node, role: &ManifestRole) -> Vec<Span<'static>> {
    let theme = &app.config.theme;
    let dim = Style::new().fg(Color::DarkGray);
    let mut spans = Vec::new();
    let name = match role {
        ManifestRole::Tag(tag) => escape_control(tag).into_owned(),
        ManifestRole::Platform => node
            .descriptor
            .as_ref()
            .and_then(|d| d.platform.as_ref())
            .map_or_else(
                || "platform".to_owned(),
                |p| escape_control(&p.to_string()).into_owned(),
            ),
        ManifestRole::Attestation => "attestation".to_owned(),
        ManifestRole::Referrer => digest_text(node),
    };
    spans.push(Span::styled(
        name,
        Style::new().add_modifier(Modifier::BOLD),
    ));
    if let Some(kind) = node.artifact_kind() {
        // "sbom attestation" and "signature" tell a Sigstore bundle
        // that attests from one that signs.
        let attestation = if node.is_attestation() && kind != ArtifactKind::Attestation {
            " attestation"
        } else {
            ""
        };
        spans.push(Span::styled(
            format!("  {}{attestation}", kind.label()),
            Style::new().fg(theme.kind(kind)),
        ));
    }
    if let Some(facts) = &node.vulns {
        spans.push(Span::styled(
            format!("  {}", facts.label),
            crate::tui::screens::vulns::label_style(&facts.summary),
        ));
    }
    // What people scan for first (kind, attachments, size), the
    // digest last: it is the longest and the pane may cut it.
    if let Some(count) = node.referrer_count().filter(|c| *c > 0) {
        spans.push(Span::styled(
            format!("  ◂ {}", count_of(count, "referrer", "referrers")),
            Style::new().fg(theme.accent),
        ));
    }
    push_size(node, &mut spans);
    if !matches!(role, ManifestRole::Referrer) && node.descriptor.is_some() {
        spans.push(Span::styled(format!("  {}", digest_text(node)), dim));
    }
    // Where an attachment came from, when not the store's own
    // referrers listing, and a warning when it does not check out.
    for found in &node.found_by {
        match found {
            FoundBy::CosignTag(_) => spans.push(Span::styled("  via cosign tag", dim)),
            FoundBy::BuildKitAttestation => {
                spans.push(Span::styled("  via BuildKit", dim));
            }
            FoundBy::Referrers(_) => {}
        }
    }
    if node.verified == Some(false) && !node.attached_by_name() {
        spans.push(Span::styled("  ⚠ unlinked", Style::new().fg(Color::Yellow)));
    }
    if !node.dangling.is_empty() {
        spans.push(Span::styled(
            format!("  ⚠ lists {} deleted", node.dangling.len()),
            Style::new().fg(Color::Yellow),
        ));
    }
    spans
}

/// A config's or layer's row: its role, title or short media type,
/// digest and size.
fn blob_spans(node: &Node, role: &BlobRole) -> Vec<Span<'static>> {
    let dim = Style::new().fg(Color::DarkGray);
    let mut spans = Vec::new();
    let role = match role {
        BlobRole::Config => "config".to_owned(),
        BlobRole::Layer(i) => format!("layer {i}"),
    };
    spans.push(Span::raw(role));
    if let Some(descriptor) = &node.descriptor {
        let what = descriptor.title().map_or_else(
            || short_media_type(&descriptor.media_type),
            |t| escape_control(t).into_owned(),
        );
        // A config's media type says "config" again: skip it.
        if what != "config" {
            spans.push(Span::styled(
                format!("  {what}"),
                Style::new().fg(Color::Gray),
            ));
        }
        spans.push(Span::styled(
            format!("  {}", descriptor.digest.short()),
            dim,
        ));
    }
    push_size(node, &mut spans);
    spans
}

/// `3 tags`; with a filter, `1 of 3 tags` and the filter, so a list never
/// hides rows without saying so. Counted as shown: hidden fallback tags
/// and a digest gone to are not tags; a list never read has no count.
fn list_count(
    app: &AppView<'_>,
    path: &[NodeId],
    node: &Node,
    one: &str,
    many: &str,
) -> Vec<Span<'static>> {
    let dim = Style::new().fg(Color::DarkGray);
    if node.listing.status == crate::tui::tree::Status::Idle {
        let refresh = app.config.keymap.hint(crate::tui::keymap::Action::Refresh);
        return vec![Span::styled(format!("  not listed ({refresh} lists)"), dim)];
    }
    match (app.tree.filtered_count(path), app.tree.filter(path)) {
        (Some((shown, total)), Some(filter)) => vec![
            Span::styled(
                format!("  {shown} of {}", count_of(total, one, many)),
                Style::new().fg(Color::Yellow),
            ),
            Span::styled(format!("  /{}", escape_control(filter)), dim),
        ],
        _ => vec![Span::styled(
            format!("  {}", count_of(app.tree.listed_count(path), one, many)),
            dim,
        )],
    }
}

/// `1 tag`, `3 tags`.
pub fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn digest_text(node: &Node) -> String {
    node.digest().map_or_else(
        || "…".to_owned(),
        |d| format!("{}:{}", d.algorithm().name(), d.short()),
    )
}

fn push_size(node: &Node, spans: &mut Vec<Span<'static>>) {
    if let Some(descriptor) = &node.descriptor {
        spans.push(Span::styled(
            format!("  {}", human_size(descriptor.size)),
            Style::new().fg(Color::DarkGray),
        ));
    }
}

/// `application/vnd.oci.image.layer.v1.tar+gzip` → `tar+gzip`.
fn short_media_type(media_type: &str) -> String {
    let short = media_type
        .rsplit(['.', '/'])
        .find(|part| !part.is_empty() && !part.starts_with('v'))
        .unwrap_or(media_type);
    escape_control(short).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_types_read_well() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(3 * 1024 * 1024), "3.0 MiB");
        assert_eq!(short_media_type(mt::OCI_LAYER_TAR_GZIP), "tar+gzip");
        assert_eq!(short_media_type(mt::OCI_CONFIG), "config");
        assert_eq!(type_name(mt::CYCLONEDX_JSON), "CycloneDX SBOM");
        assert_eq!(type_name("sbom/example"), "sbom/example");
    }
}
