//! `regscope tree` output in the shapes of `oras discover`: JSON with the
//! same field names and nesting (so jq recipes written for oras keep
//! working), and the box-drawing tree text grouped by artifact type.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::graph::{FoundBy, GraphNode, ReferrerTree};
use crate::oci::Descriptor;
use crate::text::escape_control;

/// One node of `oras discover --format json` (ORAS v1.3,
/// `cmd/oras/internal/display/metadata/model`): a digest reference, the
/// descriptor fields in ocispec's order, and the referrers.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonNode {
    pub reference: String,
    pub media_type: String,
    pub digest: String,
    pub size: u64,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    pub referrers: Vec<JsonNode>,
    /// Not in oras: referrers of an index's platform manifests, present
    /// only when there are some.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub platform_manifests: Vec<JsonNode>,
    /// Not in oras: `false` when the digest is only the registry's word (a
    /// HEAD answer or a listing) because the manifest could not be fetched
    /// and hashed; absent when regscope hashed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest_verified: Option<bool>,
}

fn json_node(name: &str, descriptor: &Descriptor, referrers: Vec<JsonNode>) -> JsonNode {
    JsonNode {
        reference: format!("{name}@{}", descriptor.digest),
        media_type: descriptor.media_type.clone(),
        digest: descriptor.digest.to_string(),
        size: descriptor.size,
        annotations: descriptor.annotations.clone(),
        artifact_type: descriptor.artifact_type.clone(),
        referrers,
        platform_manifests: Vec::new(),
        digest_verified: None,
    }
}

fn json_referrer(name: &str, node: &GraphNode) -> JsonNode {
    let children = node
        .children
        .iter()
        .map(|c| json_referrer(name, c))
        .collect();
    let mut json = json_node(name, &node.descriptor, children);
    if !digest_verified(node) {
        json.digest_verified = Some(false);
    }
    json
}

/// Whether regscope hashed the node's manifest: a node whose manifest could
/// not be fetched keeps the digest the registry reported (a cosign tag's
/// HEAD answer, a referrers listing), which nothing has confirmed.
fn digest_verified(node: &GraphNode) -> bool {
    node.manifest.is_some()
}

/// How the text tree marks a digest only the registry vouches for.
pub const UNVERIFIED_DIGEST: &str = "(digest not verified: the registry's word)";

/// The tree as `oras discover --format json` prints it; `name` is the
/// repository as the user named it (`registry/repo`, or a layout path).
pub fn to_json(tree: &ReferrerTree, name: &str) -> JsonNode {
    let referrers = tree
        .referrers
        .iter()
        .map(|n| json_referrer(name, n))
        .collect();
    let mut root = json_node(name, &tree.subject, referrers);
    root.platform_manifests = tree
        .platforms
        .iter()
        .map(|p| {
            let referrers = p.referrers.iter().map(|n| json_referrer(name, n)).collect();
            json_node(name, &p.descriptor, referrers)
        })
        .collect();
    root
}

/// A node of the text tree: ORAS groups siblings of one artifact type under
/// a shared type line.
struct TextNode {
    value: String,
    children: Vec<TextNode>,
}

impl TextNode {
    fn new(value: String) -> TextNode {
        TextNode {
            value,
            children: Vec::new(),
        }
    }

    /// The child with this value, created when missing.
    fn child(&mut self, value: String) -> &mut TextNode {
        let at = match self.children.iter().position(|c| c.value == value) {
            Some(at) => at,
            None => {
                self.children.push(TextNode::new(value));
                self.children.len() - 1
            }
        };
        &mut self.children[at]
    }
}

fn add_referrer(parent: &mut TextNode, node: &GraphNode) {
    let mut line = node.digest().to_string();
    let unusual: Vec<String> = node
        .found_by
        .iter()
        .filter(|f| !matches!(f, FoundBy::Referrers(_)))
        .map(ToString::to_string)
        .collect();
    if !unusual.is_empty() {
        line.push_str(&format!(" [{}]", unusual.join(", ")));
    }
    // A Sigstore bundle or DSSE envelope says what it carries: a signature
    // or an attestation, and of what.
    if let Some(predicate) = &node.predicate_type {
        if node.is_attestation() {
            line.push_str(&format!(
                " (attestation: {})",
                crate::oci::media_type::predicate_name(predicate)
            ));
        } else {
            line.push_str(" (signature)");
        }
    }
    if !node.verified
        && node
            .found_by
            .iter()
            .any(|f| matches!(f, FoundBy::Referrers(_)))
    {
        line.push_str(" (unlinked: does not name its subject)");
    }
    if !digest_verified(node) {
        line.push(' ');
        line.push_str(UNVERIFIED_DIGEST);
    }
    let type_line = escape_control(node.type_label()).into_owned();
    let added = parent
        .child(type_line)
        .child(escape_control(&line).into_owned());
    for child in &node.children {
        add_referrer(added, child);
    }
}

/// The tree as `oras discover --format tree` prints it.
pub fn to_text(tree: &ReferrerTree, name: &str) -> String {
    let mut root =
        TextNode::new(escape_control(&format!("{name}@{}", tree.subject.digest)).into_owned());
    for node in &tree.referrers {
        add_referrer(&mut root, node);
    }
    for platform in &tree.platforms {
        let label = platform
            .descriptor
            .platform
            .as_ref()
            .map_or_else(|| "platform".to_owned(), ToString::to_string);
        let platform_node = root.child(
            escape_control(&format!("[{label}] {}", platform.descriptor.digest)).into_owned(),
        );
        for node in &platform.referrers {
            add_referrer(platform_node, node);
        }
    }
    let mut out = String::new();
    print(&mut out, "", &root);
    out
}

fn print(out: &mut String, prefix: &str, node: &TextNode) {
    out.push_str(&node.value);
    out.push('\n');
    let Some((last, rest)) = node.children.split_last() else {
        return;
    };
    for child in rest {
        out.push_str(prefix);
        out.push_str("├── ");
        print(out, &format!("{prefix}│   "), child);
    }
    out.push_str(prefix);
    out.push_str("└── ");
    print(out, &format!("{prefix}    "), last);
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::graph::ReferrerTree;
    use crate::oci::{Digest, Manifest};
    use crate::store::ReferrersSource;

    fn digest(c: char) -> Digest {
        format!("sha256:{}", c.to_string().repeat(64))
            .parse()
            .expect("digest")
    }

    fn node(c: char, artifact_type: &str, children: Vec<GraphNode>) -> GraphNode {
        let mut descriptor = Descriptor::new(crate::oci::media_type::OCI_MANIFEST, digest(c), 10);
        descriptor.artifact_type = Some(artifact_type.to_owned());
        GraphNode {
            descriptor,
            artifact_type: Some(artifact_type.to_owned()),
            subject: digest('0'),
            found_by: vec![FoundBy::Referrers(ReferrersSource::Api)],
            predicate_type: None,
            verified: true,
            manifest: Some(
                Manifest::parse(Bytes::from_static(b"{\"schemaVersion\":2}"), None)
                    .expect("manifest"),
            ),
            children,
            depth_limited: false,
            warnings: Vec::new(),
        }
    }

    fn tree() -> ReferrerTree {
        let manifest =
            Manifest::parse(Bytes::from_static(b"{\"schemaVersion\":2}"), None).expect("manifest");
        ReferrerTree {
            repository: "app".to_owned(),
            subject: Descriptor::new(crate::oci::media_type::OCI_MANIFEST, digest('0'), 3),
            manifest,
            within_index: None,
            referrers: vec![
                node('a', "signature/example", Vec::new()),
                node(
                    'b',
                    "sbom/example",
                    vec![node('c', "signature/example", Vec::new())],
                ),
                // Its manifest could not be fetched: the digest is the
                // registry's word.
                GraphNode {
                    manifest: None,
                    ..node('d', "signature/example", Vec::new())
                },
            ],
            platforms: Vec::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn text_groups_siblings_by_type_like_oras() {
        let (a, b, c, d, root) = (
            digest('a'),
            digest('b'),
            digest('c'),
            digest('d'),
            digest('0'),
        );
        let expected = format!(
            "r/app@{root}\n\
             ├── signature/example\n\
             │   ├── {a}\n\
             │   └── {d} {UNVERIFIED_DIGEST}\n\
             └── sbom/example\n\
             \x20   └── {b}\n\
             \x20       └── signature/example\n\
             \x20           └── {c}\n"
        );
        assert_eq!(to_text(&tree(), "r/app"), expected);
    }

    #[test]
    fn json_has_oras_field_names_and_nesting() {
        let value = serde_json::to_value(to_json(&tree(), "r/app")).expect("json");
        assert_eq!(value["reference"], format!("r/app@{}", digest('0')));
        assert_eq!(value["size"], 3);
        assert!(value.get("annotations").is_none() && value.get("artifactType").is_none());
        assert!(value.get("platformManifests").is_none());
        let sbom = &value["referrers"][1];
        assert_eq!(sbom["artifactType"], "sbom/example");
        assert_eq!(sbom["referrers"][0]["digest"], digest('c').to_string());
        assert_eq!(sbom["referrers"][0]["referrers"], serde_json::json!([]));
        assert!(value["referrers"][0].get("digestVerified").is_none());
        assert_eq!(value["referrers"][2]["digestVerified"], false);
    }
}
