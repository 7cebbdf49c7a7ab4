//! Which attachments of a discovered image hold scans or VEX, reading
//! them, and applying: the one answer of `graph::discover` filtered to the
//! image's own attachments (and its platforms'), never a smaller answer.
//! Read: scans and VEX by type or predicate type, CycloneDX SBOMs (a
//! Trivy report is one), and artifacts of a generic type (Trivy's plugin
//! attaches cosign's vuln format as `application/json`). A document that
//! cannot be fetched or read is a warning, not a failure.

use futures_util::{StreamExt, stream};

use super::apply::{Origin, ScanInput, VexInput, apply};
use super::read::{Document, read_document};
use super::{Report, Timestamp};
use crate::graph::{GraphNode, ReferrerTree};
use crate::oci::media_type::{self as mt, ArtifactKind};
use crate::oci::{Descriptor, Digest, PlatformSpec};
use crate::store::Store;

/// Which platforms of an index to look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlatformChoice {
    /// The image's own attachments; an index with no scan of its own takes
    /// this machine's platform (and says so), as `pull --sbom` does.
    Subject,
    One(PlatformSpec),
    /// The index's own and every platform's.
    All,
}

#[derive(Debug, Clone)]
pub struct CollectOptions {
    pub platform: PlatformChoice,
    /// Documents larger than this are skipped with a warning.
    pub max_document: u64,
    /// Documents fetched at once.
    pub concurrency: usize,
}

impl Default for CollectOptions {
    fn default() -> Self {
        CollectOptions {
            platform: PlatformChoice::Subject,
            max_document: 128 * 1024 * 1024,
            concurrency: 8,
        }
    }
}

/// One blob to read and where it hangs.
struct Wanted {
    layer: Descriptor,
    origin: Origin,
    scope: Scope,
}

/// Whose attachments a node is among.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Subject,
    Platform(usize),
}

/// Reads every scan and VEX document attached to the image in `tree`
/// (within `options.platform`) and applies the VEX.
pub async fn collect(store: &dyn Store, tree: &ReferrerTree, options: &CollectOptions) -> Report {
    let subject = tree.subject.digest.clone();
    let mut wanted: Vec<Wanted> = Vec::new();
    add_nodes(&mut wanted, &tree.referrers, &subject, None, Scope::Subject);
    for (i, platform) in tree.platforms.iter().enumerate() {
        let label = platform
            .descriptor
            .platform
            .as_ref()
            .map(|p| PlatformSpec::of(p).to_string());
        add_nodes(
            &mut wanted,
            &platform.referrers,
            &platform.descriptor.digest,
            label,
            Scope::Platform(i),
        );
    }
    let read: Vec<(Wanted, Result<Option<super::read::Read>, String>)> = stream::iter(wanted)
        .map(|w| async move {
            let result = match store
                .fetch_blob_bytes(&tree.repository, &w.layer, options.max_document)
                .await
            {
                Ok(bytes) => read_document(&bytes).map_err(|e| e.to_string()),
                Err(error) => Err(error.to_string()),
            };
            (w, result)
        })
        .buffered(options.concurrency.max(1))
        .collect()
        .await;
    let mut warnings = Vec::new();
    let mut scans: Vec<(Scope, ScanInput)> = Vec::new();
    let mut vex: Vec<VexInput> = Vec::new();
    for (w, result) in read {
        let read = match result {
            Ok(Some(read)) => read,
            Ok(None) => continue,
            Err(error) => {
                warnings.push(format!(
                    "{} (in {}): not read: {error}",
                    w.layer.digest.short(),
                    w.origin.manifest.short()
                ));
                continue;
            }
        };
        let mut origin = w.origin;
        origin.envelope = read.envelope;
        match read.document {
            Document::Scan(scan) => {
                let mut image = vec![origin.attached_to.to_string()];
                if origin.attached_to != subject {
                    image.push(subject.to_string());
                }
                scans.push((
                    w.scope,
                    ScanInput {
                        origin,
                        scan,
                        image,
                    },
                ));
            }
            Document::Vex(document) => vex.push(VexInput { origin, document }),
        }
    }
    let chosen = choose_scopes(tree, &scans, &options.platform, &mut warnings);
    let scans = scans
        .into_iter()
        .filter(|(scope, _)| chosen.contains(scope))
        .map(|(_, input)| input)
        .collect();
    let mut report = apply(scans, vex);
    report.warnings.extend(warnings);
    report
}

/// The scopes whose scans count, as `choice` asks.
fn choose_scopes(
    tree: &ReferrerTree,
    scans: &[(Scope, ScanInput)],
    choice: &PlatformChoice,
    warnings: &mut Vec<String>,
) -> Vec<Scope> {
    let platform_scope = |wanted: &PlatformSpec| {
        tree.platforms
            .iter()
            .position(|p| {
                p.descriptor
                    .platform
                    .as_ref()
                    .is_some_and(|p| wanted.matches(p))
            })
            .map(Scope::Platform)
    };
    match choice {
        PlatformChoice::All => {
            let mut all = vec![Scope::Subject];
            all.extend((0..tree.platforms.len()).map(Scope::Platform));
            all
        }
        PlatformChoice::One(wanted) => match platform_scope(wanted) {
            Some(scope) => vec![scope],
            None => {
                warnings.push(format!("no attachments on platform {wanted}"));
                Vec::new()
            }
        },
        PlatformChoice::Subject => {
            let own = scans.iter().any(|(scope, _)| *scope == Scope::Subject);
            if own || !tree.manifest.is_index() {
                return vec![Scope::Subject];
            }
            let host = PlatformSpec::host();
            match platform_scope(&host) {
                Some(scope) => {
                    warnings.push(format!(
                        "the index has no scan of its own; showing {host} (this machine's platform; --platform picks another, --platform all shows each)"
                    ));
                    vec![scope]
                }
                None => vec![Scope::Subject],
            }
        }
    }
}

fn add_nodes(
    wanted: &mut Vec<Wanted>,
    nodes: &[GraphNode],
    attached_to: &Digest,
    platform: Option<String>,
    scope: Scope,
) {
    for node in nodes.iter().filter(|n| n.is_attached()) {
        let Some(manifest) = &node.manifest else {
            continue;
        };
        for layer in manifest.layers.iter().filter(|l| worth_reading(node, l)) {
            wanted.push(Wanted {
                layer: layer.clone(),
                origin: Origin {
                    manifest: node.digest().clone(),
                    layer: layer.digest.clone(),
                    attached_to: attached_to.clone(),
                    platform: platform.clone(),
                    envelope: None,
                    created: node.created().and_then(Timestamp::parse),
                },
                scope,
            });
        }
    }
}

/// Whether a layer of an attachment may hold a scan or VEX: judged by the
/// layer's own predicate type when it announces one (cosign's `.att` keeps
/// an SBOM and a scan side by side), else by what the node is.
fn worth_reading(node: &GraphNode, layer: &Descriptor) -> bool {
    if layer.media_type == mt::OCI_EMPTY || layer.size <= 2 {
        return false;
    }
    let announced = [
        mt::ANNOTATION_INTOTO_PREDICATE_TYPE,
        mt::ANNOTATION_COSIGN_PREDICATE_TYPE,
    ]
    .iter()
    .find_map(|key| layer.annotation(key));
    if let Some(predicate) = announced {
        return readable_kind(mt::predicate_kind(predicate), predicate);
    }
    if let Some(predicate) = &node.predicate_type {
        return readable_kind(mt::predicate_kind(predicate), predicate);
    }
    let artifact_type = node.artifact_type.as_deref().unwrap_or_default();
    match node.kind() {
        ArtifactKind::Scan | ArtifactKind::Attestation => true,
        // A generic type: only what could be a JSON or XML document.
        ArtifactKind::Other => {
            let media_type = layer.media_type.to_ascii_lowercase();
            media_type.contains("json") || media_type.contains("xml")
        }
        ArtifactKind::Sbom => {
            artifact_type.to_ascii_lowercase().contains("cyclonedx")
                || layer.media_type.to_ascii_lowercase().contains("cyclonedx")
                || mt::is_envelope(artifact_type)
        }
        _ => false,
    }
}

fn readable_kind(kind: ArtifactKind, predicate: &str) -> bool {
    kind == ArtifactKind::Scan
        || kind == ArtifactKind::Attestation
        || predicate
            .to_ascii_lowercase()
            .starts_with("https://cyclonedx.org/")
}
