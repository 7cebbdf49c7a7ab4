//! Runs the operations of `ops` for the TUI: each on its own task with a
//! cancel token, its progress turned into short status messages.

use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use crate::ops::{self, CancellationToken, CopyOptions, ProgressSink, PullOptions, PullSelect};
use crate::store::SharedStore;
use crate::store::remote::ConnectOptions;
use crate::target::open;
use crate::tui::failure::Failure;
use crate::tui::message::{CopyDestination, Msg, OperationOutcome, OperationRequest};

/// Runs `request`, forwarding its progress; ends with `OperationDone`.
pub async fn perform(
    store: SharedStore,
    connect: ConnectOptions,
    id: u64,
    request: OperationRequest,
    sender: UnboundedSender<Msg>,
    cancel: CancellationToken,
) {
    let (progress, events) = unbounded_channel();
    let forwarding = tokio::spawn(super::progress::forward(id, events, sender.clone()));
    let result = run_request(&store, &connect, request, &progress, &cancel).await;
    drop(progress);
    let _ = forwarding.await;
    let _ = sender.send(Msg::OperationDone { id, result });
}

async fn run_request(
    store: &SharedStore,
    connect: &ConnectOptions,
    request: OperationRequest,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<OperationOutcome, Failure> {
    let store = store.as_ref();
    let result =
        match request {
            request @ (OperationRequest::Pull { .. } | OperationRequest::PullBlob { .. }) => {
                pull(store, request, progress, cancel).await
            }
            OperationRequest::Attach {
                repository,
                reference,
                options,
            } => ops::attach(store, &repository, &reference, &options, progress, cancel)
                .await
                .map(|pushed| OperationOutcome::Attached {
                    digest: pushed.descriptor.digest,
                }),
            OperationRequest::Copy {
                repository,
                reference,
                destination,
                tag,
                known_graph,
            } => {
                let (target, target_repository) = open_destination(destination, connect)?;
                let target = target.as_ref().map_or(store, |t| &**t);
                let options = CopyOptions {
                    referrers: true,
                    tag,
                    known_graph,
                    ..CopyOptions::default()
                };
                let copy = ops::copy(
                    store,
                    &repository,
                    &reference,
                    target,
                    &target_repository,
                    &options,
                    progress,
                    cancel,
                );
                copy.await.map(|outcome| OperationOutcome::Copied {
                    manifests: outcome.manifests,
                    transferred: outcome.blobs_copied,
                    mounted: outcome.blobs_mounted,
                    skipped: outcome.blobs_skipped,
                })
            }
            OperationRequest::PlanDelete {
                repository,
                reference,
                known_graph,
            } => {
                let known = known_graph.as_deref();
                ops::plan_delete(store, &repository, &reference, true, true, known)
                    .await
                    .map(|plan| OperationOutcome::DeletePlanned(Box::new(plan)))
            }
            OperationRequest::Delete { plan } => ops::delete(store, &plan, progress, cancel)
                .await
                .map(|count| OperationOutcome::Deleted {
                    count,
                    digests: plan
                        .manifests
                        .iter()
                        .map(|m| m.descriptor.digest.clone())
                        .collect(),
                    tags: plan.tags_going(),
                    repository: plan.repository.clone(),
                }),
        };
    result.map_err(Failure::from)
}

/// A pull of an artifact (or of its SBOM), or of one blob.
async fn pull(
    store: &dyn crate::store::Store,
    request: OperationRequest,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<OperationOutcome, ops::OpError> {
    match request {
        OperationRequest::Pull {
            repository,
            reference,
            select,
            platform,
            output_dir,
            replace_existing,
            known_graph,
        } => {
            // The TUI never replaces a different file it was not asked
            // to: the pull stops, and the app asks.
            let options = PullOptions {
                platform,
                replace_existing,
                known_graph,
                ..PullOptions::new(output_dir, select)
            };
            ops::pull(store, &repository, &reference, &options, progress, cancel)
                .await
                .map(|outcome| OperationOutcome::Pulled {
                    took: outcome.pulled.iter().map(took).collect(),
                    files: outcome.written.into_iter().map(|w| w.path).collect(),
                    untitled: outcome.untitled.len(),
                })
        }
        OperationRequest::PullBlob {
            repository,
            descriptor,
            output_dir,
            replace_existing,
        } => {
            let options = PullOptions {
                replace_existing,
                ..PullOptions::new(output_dir, PullSelect::Target)
            };
            let blobs = [*descriptor];
            ops::pull::pull_blobs(store, &repository, &blobs, &options, progress, cancel)
                .await
                .map(|written| OperationOutcome::Pulled {
                    files: written.into_iter().map(|w| w.path).collect(),
                    took: Vec::new(),
                    untitled: 0,
                })
        }
        _ => Err(ops::OpError::Invalid("not a pull".to_owned())),
    }
}

/// What a pull took, for the status line: `SBOM sha256:1a2b3c4d5e6f
/// (CycloneDX JSON, linux/amd64, found by the referrers API)`.
fn took(pulled: &ops::pull::Pulled) -> String {
    let mut about: Vec<String> = Vec::new();
    if let Some(format) = pulled.format {
        about.push(format.label().to_owned());
    }
    if let Some(platform) = &pulled.platform {
        about.push(platform.to_string());
    }
    if !pulled.found_by.is_empty() {
        about.push(format!("found by {}", pulled.found_by));
    }
    let digest = &pulled.manifest.digest;
    format!(
        "{} {}:{} ({})",
        pulled.label,
        digest.algorithm().name(),
        digest.short(),
        about.join(", ")
    )
}

/// The store a copy goes to (`None`: the one being browsed) and its
/// repository. Another registry gets the connection flags the user started
/// with; a missing layout is created, as `regscope cp` does.
fn open_destination(
    destination: CopyDestination,
    connect: &ConnectOptions,
) -> Result<(Option<SharedStore>, String), Failure> {
    match destination {
        CopyDestination::SameStore { repository } => Ok((None, repository)),
        CopyDestination::Elsewhere(spec) => {
            let target = open(&spec, connect, true).map_err(|e| Failure::Other(e.to_string()))?;
            if target.repository.is_empty() {
                return Err(Failure::Other(format!(
                    "{} does not name a repository",
                    target.display_name
                )));
            }
            Ok((Some(target.store), target.repository))
        }
    }
}
