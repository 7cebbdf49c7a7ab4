//! The loads behind a node's jobs: a listing's pages, a manifest, its
//! referrers, a preview's bytes (parsed here, off the render loop). Each
//! returns what the app applies as `Msg::Loaded`.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use crate::graph::{self, NodeContext};
use crate::store::SharedStore;
use crate::tui::failure::Failure;
use crate::tui::message::{Effect, JobKey, Loaded, Msg};
use crate::tui::preview::{PREVIEW_LIMIT, Preview, PreviewKind};

pub(super) async fn perform(
    store: &SharedStore,
    effect: Effect,
    sender: &UnboundedSender<Msg>,
) -> Result<Loaded, Failure> {
    let pages = |job: JobKey| {
        let sender = sender.clone();
        move |names: Vec<String>| {
            let _ = sender.send(Msg::Page {
                job: job.clone(),
                names,
            });
        }
    };
    let result = match effect {
        Effect::ListRepositories { job } => {
            let mut on_page = pages(job);
            store
                .catalog(&mut on_page)
                .await
                .map(|()| Loaded::ListingDone)
        }
        Effect::ListTags { job, repository } => {
            let mut on_page = pages(job);
            store
                .tags(&repository, &mut on_page)
                .await
                .map(|()| Loaded::ListingDone)
        }
        Effect::FetchManifest {
            repository,
            reference,
            ..
        } => store
            .fetch_manifest(&repository, &reference)
            .await
            .map(|m| Loaded::Manifest(Arc::new(m))),
        Effect::FetchReferrers {
            repository,
            subject,
            digest_tags,
            parent_index,
            ..
        } => {
            let context = NodeContext {
                tags: Some(&digest_tags),
                parent_index: parent_index.as_deref(),
                ..NodeContext::default()
            };
            graph::node_referrers(store.as_ref(), &repository, &subject, context)
                .await
                .map(|attachments| Loaded::Referrers {
                    attachments,
                    support: store.referrers_support(),
                })
        }
        Effect::FetchPreview {
            repository,
            descriptor,
            kind,
            ..
        } => {
            let bytes = store
                .fetch_blob_bytes(&repository, &descriptor, PREVIEW_LIMIT)
                .await?;
            // Parsed here, once, off the render loop: frames only lay out
            // what this computed.
            let media_type = match kind {
                PreviewKind::Blob => descriptor.media_type.clone(),
                PreviewKind::Sbom | PreviewKind::Signature => String::new(),
            };
            return tokio::task::spawn_blocking(move || {
                Loaded::Preview(Preview::compute(kind, &media_type, bytes))
            })
            .await
            .map_err(|e| Failure::Other(format!("reading the preview failed: {e}")));
        }
        Effect::CopyToClipboard { .. }
        | Effect::Operation { .. }
        | Effect::CancelOperations
        | Effect::Audit { .. }
        | Effect::CancelAudit
        | Effect::ListFiles { .. }
        | Effect::ReadLayerFile { .. }
        | Effect::CancelFiles
        | Effect::Doctor(_)
        | Effect::CancelDoctor
        | Effect::CollectVulns { .. }
        | Effect::Diff { .. }
        | Effect::CompletePath { .. }
        | Effect::CheckFile { .. }
        | Effect::Browse { .. } => return Err(Failure::Other("not a job".to_owned())),
    };
    result.map_err(Failure::from)
}
