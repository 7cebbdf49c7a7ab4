//! The attachments section: what is attached to each side (the graph's
//! one answer: referrers, fallback tags, cosign's tags, BuildKit's
//! attestations, each platform's own), as `onlyLeft`, `onlyRight` and
//! `both`. Attachments are matched by digest; what is left is matched by
//! where it hangs (platform, depth), kind and artifact type, and says so:
//! the two are then different artifacts of the same sort (a signature of
//! each image), which is a difference, but not a missing one.

use serde::Serialize;

use crate::graph::{GraphNode, ReferrerTree};
use crate::oci::{Digest, PlatformSpec};

/// One attachment of one side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub digest: Digest,
    /// `signature`, `sbom`, `attestation`, `provenance`, …
    pub kind: &'static str,
    pub artifact_type: Option<String>,
    /// The platform whose manifest it is attached to (under an index);
    /// `null` for the reference itself.
    pub platform: Option<String>,
    /// 1 for an attachment of the image, 2 for one of an attachment, …
    pub depth: usize,
    /// Where it was found: "referrers API", "cosign tag sha256-….sig", …
    pub found_by: Vec<String>,
}

/// An attachment both sides have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Matched {
    /// The left's digest.
    pub digest: Digest,
    pub kind: &'static str,
    pub artifact_type: Option<String>,
    pub platform: Option<String>,
    /// `digest`, or `kind-and-type` when the digests differ.
    pub matched_by: &'static str,
    /// The right's digest, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub right_digest: Option<Digest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentsDiff {
    pub only_left: Vec<Attachment>,
    pub only_right: Vec<Attachment>,
    pub both: Vec<Matched>,
}

impl AttachmentsDiff {
    /// Every attachment of each side is the same artifact on the other.
    pub fn is_empty(&self) -> bool {
        self.only_left.is_empty()
            && self.only_right.is_empty()
            && self.both.iter().all(|m| m.right_digest.is_none())
    }
}

/// Every attachment of `tree` (the subject's own and, for an index, each
/// platform's), parents first; unlinked listings (whose manifest does not
/// name the subject) are left out, as copy leaves them.
pub fn attachments_of(tree: &ReferrerTree) -> Vec<Attachment> {
    let mut out = Vec::new();
    collect(&tree.referrers, None, 1, &mut out);
    for platform in &tree.platforms {
        let name = platform
            .descriptor
            .platform
            .as_ref()
            .map(|p| PlatformSpec::of(p).to_string());
        collect(&platform.referrers, name.as_deref(), 1, &mut out);
    }
    out
}

fn collect(nodes: &[GraphNode], platform: Option<&str>, depth: usize, out: &mut Vec<Attachment>) {
    for node in nodes.iter().filter(|n| n.is_attached()) {
        out.push(Attachment {
            digest: node.digest().clone(),
            kind: node.kind().label(),
            artifact_type: node.artifact_type.clone(),
            platform: platform.map(str::to_owned),
            depth,
            found_by: node.found_by.iter().map(ToString::to_string).collect(),
        });
        collect(&node.children, platform, depth + 1, out);
    }
}

/// Keeps the attachments of the reference itself and of `platform`.
pub fn in_scope(items: Vec<Attachment>, platform: Option<&str>) -> Vec<Attachment> {
    items
        .into_iter()
        .filter(|a| a.platform.is_none() || a.platform.as_deref() == platform)
        .collect()
}

/// Matches two sides' attachments.
pub fn compare(left: Vec<Attachment>, right: Vec<Attachment>) -> AttachmentsDiff {
    let mut diff = AttachmentsDiff::default();
    let mut right: Vec<Option<Attachment>> = right.into_iter().map(Some).collect();
    let mut unmatched_left = Vec::new();
    for l in left {
        let found = right
            .iter_mut()
            .find(|r| r.as_ref().is_some_and(|r| r.digest == l.digest))
            .and_then(Option::take);
        match found {
            Some(_) => diff.both.push(matched(l, None)),
            None => unmatched_left.push(l),
        }
    }
    for l in unmatched_left {
        let same_sort = |r: &Attachment| {
            (
                r.platform.as_deref(),
                r.depth,
                r.kind,
                r.artifact_type.as_deref(),
            ) == (
                l.platform.as_deref(),
                l.depth,
                l.kind,
                l.artifact_type.as_deref(),
            )
        };
        let found = right
            .iter_mut()
            .find(|r| r.as_ref().is_some_and(same_sort))
            .and_then(Option::take);
        match found {
            Some(r) => diff.both.push(matched(l, Some(r.digest))),
            None => diff.only_left.push(l),
        }
    }
    diff.only_right = right.into_iter().flatten().collect();
    diff
}

fn matched(left: Attachment, right_digest: Option<Digest>) -> Matched {
    let note = right_digest.as_ref().map(|_| {
        "the digests differ: matched by kind and artifact type, not the same artifact".to_owned()
    });
    Matched {
        matched_by: if right_digest.is_some() {
            "kind-and-type"
        } else {
            "digest"
        },
        digest: left.digest,
        kind: left.kind,
        artifact_type: left.artifact_type,
        platform: left.platform,
        right_digest,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(byte: u8, kind: &'static str, artifact_type: &str) -> Attachment {
        Attachment {
            digest: Digest::sha256_of(&[byte]),
            kind,
            artifact_type: Some(artifact_type.to_owned()),
            platform: None,
            depth: 1,
            found_by: vec![],
        }
    }

    #[test]
    fn matches_by_digest_then_by_kind_and_type() {
        let sig = item(
            1,
            "signature",
            "application/vnd.dev.cosign.artifact.sig.v1+json",
        );
        let sbom_left = item(2, "sbom", "application/vnd.cyclonedx+json");
        let sbom_right = item(3, "sbom", "application/vnd.cyclonedx+json");
        let readme = item(4, "doc", "readme/example");
        let diff = compare(
            vec![sig.clone(), sbom_left.clone()],
            vec![sbom_right.clone(), readme.clone()],
        );
        assert_eq!(diff.only_left, vec![sig.clone()]);
        assert_eq!(diff.only_right, vec![readme]);
        assert_eq!(diff.both.len(), 1);
        assert_eq!(diff.both[0].matched_by, "kind-and-type");
        assert_eq!(diff.both[0].right_digest, Some(sbom_right.digest.clone()));
        assert!(!diff.is_empty());
        let mirror = compare(vec![sig.clone(), sbom_left.clone()], vec![sbom_left, sig]);
        assert!(mirror.is_empty());
        assert!(mirror.both.iter().all(|m| m.matched_by == "digest"));
    }
}
