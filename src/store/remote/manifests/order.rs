//! The order a batch of manifests is PUT in: a manifest after what it
//! names that is in the same batch (its subject, an index's entries), so a
//! registry never sees a referrer before its subject or an index before its
//! children, however the batch was put together.

use std::collections::HashMap;

use crate::oci::{Digest, Manifest};

/// Positions in `manifests`, grouped into waves: everything a wave's
/// members name within the batch is in an earlier wave. Within a wave,
/// positions keep their batch order.
pub(super) fn waves(manifests: &[&Manifest]) -> Vec<Vec<usize>> {
    let mut at: HashMap<&Digest, usize> = HashMap::new();
    for (position, manifest) in manifests.iter().enumerate() {
        at.entry(manifest.digest()).or_insert(position);
    }
    let mut depth: Vec<Option<usize>> = vec![None; manifests.len()];
    for position in 0..manifests.len() {
        depth_of(position, manifests, &at, &mut depth, 0);
    }
    let mut waves: Vec<Vec<usize>> = Vec::new();
    for (position, depth) in depth.into_iter().enumerate() {
        let depth = depth.unwrap_or(0);
        if waves.len() <= depth {
            waves.resize_with(depth + 1, Vec::new);
        }
        waves[depth].push(position);
    }
    waves
}

/// 0 for a manifest that names nothing in the batch, else one more than
/// the deepest it names. Content addressing rules out cycles; `guard`
/// stops a malformed batch from recursing without end all the same.
fn depth_of(
    position: usize,
    manifests: &[&Manifest],
    at: &HashMap<&Digest, usize>,
    depth: &mut Vec<Option<usize>>,
    guard: usize,
) -> usize {
    if let Some(known) = depth[position] {
        return known;
    }
    if guard > manifests.len() {
        return 0;
    }
    let manifest = manifests[position];
    let named = manifest
        .subject
        .iter()
        .chain(manifest.manifests.iter())
        .filter_map(|descriptor| at.get(&descriptor.digest).copied())
        .filter(|&other| other != position);
    let mut deepest = None;
    for other in named.collect::<Vec<_>>() {
        let d = depth_of(other, manifests, at, depth, guard + 1);
        deepest = Some(deepest.map_or(d, |m: usize| m.max(d)));
    }
    let own = deepest.map_or(0, |d| d + 1);
    depth[position] = Some(own);
    own
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use serde_json::json;

    use super::*;
    use crate::oci::media_type::{OCI_INDEX, OCI_MANIFEST};

    fn manifest(value: serde_json::Value, media_type: &str) -> Manifest {
        Manifest::parse(Bytes::from(value.to_string()), Some(media_type)).unwrap()
    }

    fn descriptor(of: &Manifest) -> serde_json::Value {
        json!({"mediaType": of.media_type, "digest": of.digest().to_string(), "size": of.raw().len()})
    }

    fn artifact(name: &str, subject: Option<&Manifest>) -> Manifest {
        let mut value = json!({
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "artifactType": format!("application/vnd.example.{name}"),
            "config": {"mediaType": "application/vnd.oci.empty.v1+json",
                "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 2},
            "layers": [],
        });
        if let Some(subject) = subject {
            value["subject"] = descriptor(subject);
        }
        manifest(value, OCI_MANIFEST)
    }

    #[test]
    fn subjects_and_index_entries_go_first() {
        let child = artifact("child", None);
        let index = manifest(
            json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [descriptor(&child)]}),
            OCI_INDEX,
        );
        let signature = artifact("signature", Some(&index));
        let signature_of_signature = artifact("countersignature", Some(&signature));
        let unrelated = artifact("unrelated", None);
        // Given backwards, as a careless caller might.
        let batch = [
            &signature_of_signature,
            &signature,
            &index,
            &child,
            &unrelated,
        ];
        assert_eq!(waves(&batch), vec![vec![3, 4], vec![2], vec![1], vec![0]]);
    }

    #[test]
    fn a_manifest_pushed_under_two_tags_is_one_node() {
        let image = artifact("image", None);
        let signature = artifact("signature", Some(&image));
        let batch = [&image, &image, &signature];
        assert_eq!(waves(&batch), vec![vec![0, 1], vec![2]]);
    }
}
