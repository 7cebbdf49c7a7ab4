//! `regscope tree` output in the shapes of `oras discover`: JSON with the
//! same field names and nesting (so jq recipes written for oras keep
//! working), and (in `tree_text`) the box-drawing tree text grouped by
//! artifact type. A manifest that could not be fetched is marked in both.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::graph::{GraphNode, ReferrerTree, Unfetched};
use crate::oci::Descriptor;

pub use super::tree_text::to_text;

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
    /// Not in oras: `true` when the registry says the manifest is not
    /// there (404); absent when it was fetched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<bool>,
    /// Not in oras: `true` when the manifest is there but could not be
    /// read (another status, a digest mismatch).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<bool>,
    /// With `missing` or `unreadable`: the registry's HTTP status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// With `missing` or `unreadable`: what went wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl JsonNode {
    fn mark(&mut self, unfetched: Option<&Unfetched>) {
        if let Some(unfetched) = unfetched {
            if unfetched.is_missing() {
                self.missing = Some(true);
            } else {
                self.unreadable = Some(true);
            }
            self.status = unfetched.status;
            self.error = Some(unfetched.error.clone());
        }
    }
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
        missing: None,
        unreadable: None,
        status: None,
        error: None,
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
    json.mark(node.unfetched.as_ref());
    json
}

/// Whether regscope hashed the node's manifest: a node whose manifest could
/// not be fetched keeps the digest the registry reported (a cosign tag's
/// HEAD answer, a referrers listing), which nothing has confirmed.
pub(super) fn digest_verified(node: &GraphNode) -> bool {
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
            let mut json = json_node(name, &p.descriptor, referrers);
            json.mark(p.unfetched.as_ref());
            json
        })
        .collect();
    root
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::graph::{FoundBy, ReferrerTree};
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
            unfetched: None,
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

    #[test]
    fn a_platform_that_is_gone_is_marked_in_text_and_json() {
        let mut tree = tree();
        let platform = |c: char, gone: bool| {
            let mut descriptor =
                Descriptor::new(crate::oci::media_type::OCI_MANIFEST, digest(c), 5);
            descriptor.platform =
                serde_json::from_str(r#"{"os":"linux","architecture":"amd64"}"#).expect("platform");
            crate::graph::PlatformNode {
                descriptor,
                referrers: vec![node('f', "sbom/example", Vec::new())],
                unfetched: gone.then(|| Unfetched {
                    status: Some(404),
                    error: "manifest not found".to_owned(),
                }),
            }
        };
        tree.platforms = vec![platform('e', true), platform('9', false)];
        let text = to_text(&tree, "r/app");
        assert!(
            text.contains(&format!("[linux/amd64] {} missing (404)", digest('e'))),
            "{text}"
        );
        assert!(
            text.contains(&format!("[linux/amd64] {}\n", digest('9'))),
            "{text}"
        );
        let value = serde_json::to_value(to_json(&tree, "r/app")).expect("json");
        let gone = &value["platformManifests"][0];
        assert_eq!(gone["missing"], true);
        assert_eq!(gone["status"], 404);
        assert!(gone.get("unreadable").is_none());
        let there = &value["platformManifests"][1];
        assert!(there.get("missing").is_none() && there.get("status").is_none());
    }
}
