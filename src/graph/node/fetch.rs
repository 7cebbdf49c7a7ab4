//! One listed attachment's manifest fetched: what it is (its label, its
//! predicate) and whether it really names the subject come from there; one
//! that cannot be fetched is kept, unverified, with a warning.

use super::Candidate;
use crate::graph::GraphNode;
use crate::graph::sources::{artifact_type_of, predicate_type_of};
use crate::oci::Digest;
use crate::store::Store;

/// Fetches a candidate's manifest: its label, annotations and whether it
/// really names the subject come from there.
pub(in crate::graph) async fn fetch_node(
    store: &dyn Store,
    repository: &str,
    subject: &Digest,
    candidate: Candidate,
) -> GraphNode {
    let digest = candidate.listed.digest.to_string();
    match store.fetch_manifest(repository, &digest).await {
        Ok(manifest) => {
            let names_subject = manifest
                .subject
                .as_ref()
                .is_some_and(|s| &s.digest == subject);
            // Found by name or position (cosign, BuildKit): such manifests
            // carry a generic config, and their first layer says what they are.
            let layer_type = manifest.layers.first().map(|l| l.media_type.as_str());
            let hint = candidate
                .type_hint
                .or(if candidate.by_name { layer_type } else { None });
            let artifact_type = artifact_type_of(&manifest, hint);
            let mut descriptor = manifest.descriptor();
            descriptor.artifact_type.clone_from(&artifact_type);
            let mut warnings = manifest.warnings.clone();
            if !names_subject && !candidate.by_name {
                warnings.push(format!(
                    "listed as a referrer of {subject}, but its manifest does not name it"
                ));
            }
            GraphNode {
                descriptor,
                predicate_type: predicate_type_of(&manifest),
                artifact_type,
                subject: subject.clone(),
                found_by: candidate.found_by,
                verified: names_subject,
                manifest: Some(manifest),
                unfetched: None,
                children: Vec::new(),
                depth_limited: false,
                warnings,
            }
        }
        Err(error) => GraphNode {
            artifact_type: candidate
                .listed
                .artifact_type
                .clone()
                .or_else(|| candidate.type_hint.map(str::to_owned)),
            descriptor: candidate.listed,
            predicate_type: None,
            subject: subject.clone(),
            found_by: candidate.found_by,
            verified: false,
            manifest: None,
            unfetched: Some(crate::graph::Unfetched::from_error(&error)),
            children: Vec::new(),
            depth_limited: false,
            warnings: vec![format!("cannot fetch its manifest: {error}")],
        },
    }
}
