//! Every operation future is `Send`, so callers (the TUI) can hand it to
//! `tokio::spawn` on a multi-threaded runtime. Spawning is the check: the
//! file does not compile when one of them is not. Each one also runs
//! against the built-in demo, so the spawned futures do real work.

use std::path::Path;
use std::sync::Arc;

use regscope::demo::{self, NET_MONITOR_REPO, PLAIN_REPO};
use regscope::graph::{DiscoverOptions, NodeContext, discover, node_referrers};
use regscope::ops::{
    self, AttachFile, AttachOptions, CancellationToken, CopyOptions, ProgressSink, PullOptions,
    PullSelect,
};
use regscope::store::SharedStore;

fn demo_store() -> (SharedStore, tempfile::TempDir) {
    let (store, scratch) = demo::open_scratch().unwrap();
    (Arc::new(store), scratch)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operation_futures_can_be_spawned() {
    let (store, _scratch) = demo_store();
    let (progress, _events) = tokio::sync::mpsc::unbounded_channel();
    let cancel = CancellationToken::new();
    let out = tempfile::tempdir().unwrap();

    discovery_and_referrers(&store).await;
    pull_and_attach(&store, &progress, &cancel, out.path()).await;
    copy_then_delete(&store, &progress, &cancel).await;
    listings(&store).await;
}

async fn discovery_and_referrers(store: &SharedStore) {
    let discovered = tokio::spawn({
        let store = Arc::clone(store);
        async move { discover(&*store, NET_MONITOR_REPO, "v1", &DiscoverOptions::default()).await }
    });
    let tree = discovered.await.unwrap().unwrap();
    assert!(!tree.referrers.is_empty());

    let subject = tree.subject.digest.clone();
    let referrers = tokio::spawn({
        let store = Arc::clone(store);
        async move { node_referrers(&*store, NET_MONITOR_REPO, &subject, NodeContext::default()).await }
    });
    assert_eq!(
        referrers.await.unwrap().unwrap().nodes.len(),
        tree.referrers.len()
    );
}

async fn pull_and_attach(
    store: &SharedStore,
    progress: &ProgressSink,
    cancel: &CancellationToken,
    out: &Path,
) {
    let pulled = tokio::spawn({
        let (store, progress, cancel) = (Arc::clone(store), progress.clone(), cancel.clone());
        let options = PullOptions::new(out.to_path_buf(), PullSelect::Sbom);
        async move {
            ops::pull(
                &*store,
                NET_MONITOR_REPO,
                "v1",
                &options,
                &progress,
                &cancel,
            )
            .await
        }
    });
    assert_eq!(pulled.await.unwrap().unwrap().written.len(), 1);

    let note = out.join("note.txt");
    std::fs::write(&note, "spawned").unwrap();
    let attached = tokio::spawn({
        let (store, progress, cancel) = (Arc::clone(store), progress.clone(), cancel.clone());
        let options = AttachOptions {
            artifact_type: "application/vnd.example.note".to_owned(),
            files: vec![AttachFile {
                path: note,
                media_type: None,
            }],
            annotations: Default::default(),
            ..Default::default()
        };
        async move { ops::attach(&*store, PLAIN_REPO, "v1", &options, &progress, &cancel).await }
    });
    attached.await.unwrap().unwrap();
}

async fn copy_then_delete(
    store: &SharedStore,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) {
    let copied = tokio::spawn({
        let (store, progress, cancel) = (Arc::clone(store), progress.clone(), cancel.clone());
        let options = CopyOptions {
            referrers: true,
            tag: Some("v1".to_owned()),
            ..CopyOptions::default()
        };
        async move {
            ops::copy(
                &*store,
                PLAIN_REPO,
                "v1",
                &*store,
                "plain-copy",
                &options,
                &progress,
                &cancel,
            )
            .await
        }
    });
    assert!(copied.await.unwrap().unwrap().manifests >= 2);

    let planned = tokio::spawn({
        let store = Arc::clone(store);
        async move { ops::plan_delete(&*store, "plain-copy", "v1", true, true, None).await }
    });
    let plan = planned.await.unwrap().unwrap();
    assert_eq!(plan.manifests.len(), 2);

    let deleted = tokio::spawn({
        let (store, progress, cancel) = (Arc::clone(store), progress.clone(), cancel.clone());
        async move { ops::delete(&*store, &plan, &progress, &cancel).await }
    });
    assert_eq!(deleted.await.unwrap().unwrap(), 2);
}

async fn listings(store: &SharedStore) {
    let listed = tokio::spawn({
        let store = Arc::clone(store);
        async move { ops::list_repositories(&*store).await }
    });
    assert!(
        listed
            .await
            .unwrap()
            .unwrap()
            .iter()
            .any(|r| r == PLAIN_REPO)
    );
    let tags = tokio::spawn({
        let store = Arc::clone(store);
        async move { ops::list_tags(&*store, PLAIN_REPO).await }
    });
    assert!(tags.await.unwrap().is_ok());
}
