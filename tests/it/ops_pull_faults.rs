//! A pull through the engine that is cancelled, or whose download is
//! corrupted, on a real registry behind the fault proxy: nothing is left
//! behind and an existing file is kept.

use std::collections::BTreeMap;

use regscope::ops::{
    AttachFile, AttachOptions, CancellationToken, OpError, PullOptions, PullSelect,
};

use crate::ops::{remote_at, runtime, sink};
use crate::support::{FaultProxy, Fixture, Registry, Rule};

#[test]
fn a_cancelled_pull_leaves_nothing_behind() {
    let registry = Registry::olareg();
    let _fixture = Fixture::seed(&registry);
    let proxy = FaultProxy::with_rules(
        registry.host(),
        vec![Rule::new("GET", "/blobs/").throttle(64 * 1024)],
    );
    runtime().block_on(async {
        let files = tempfile::tempdir().unwrap();
        let big = files.path().join("big.bin");
        std::fs::write(&big, vec![7u8; 1024 * 1024]).unwrap();
        let options = AttachOptions {
            artifact_type: "data/example".to_owned(),
            files: vec![AttachFile {
                path: big,
                media_type: None,
            }],
            annotations: BTreeMap::new(),
            ..Default::default()
        };
        let cancel = CancellationToken::new();
        regscope::ops::attach(
            &remote_at(registry.host()),
            "net-monitor",
            "v1",
            &options,
            &sink(),
            &cancel,
        )
        .await
        .unwrap();
        let out = files.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("big.bin"), b"the old file").unwrap();
        let store = remote_at(&proxy.host());
        let pull = PullOptions::new(out.clone(), PullSelect::Referrer("data/example".to_owned()));
        // Cancelled once bytes of the blob have reached a temporary file
        // in `out`: the download is under way, begun and not done.
        let (progress, mut events) = tokio::sync::mpsc::unbounded_channel();
        let stopper = cancel.clone();
        let watched = out.clone();
        let watcher = tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                if let regscope::ops::Progress::Bytes { done, .. } = event
                    && done > 0
                    && temporary_bytes(&watched) > 0
                {
                    stopper.cancel();
                    return Some(done);
                }
            }
            None
        });
        let result =
            regscope::ops::pull(&store, "net-monitor", "v1", &pull, &progress, &cancel).await;
        drop(progress);
        let done = watcher.await.unwrap().expect("the download never began");
        assert!(done < 1024 * 1024, "the download was over: {done} bytes");
        assert!(matches!(result, Err(OpError::Cancelled)), "{result:?}");
        let blob_gets = proxy.rule_hits(0);
        assert!(blob_gets > 0, "{:?}", proxy.requests());
        let left: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            left,
            vec![std::ffi::OsString::from("big.bin")],
            "temporary files left behind"
        );
        assert_eq!(std::fs::read(out.join("big.bin")).unwrap(), b"the old file");
    });
}

/// Bytes in the temporary files a pull is writing in `dir`.
fn temporary_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".regscope-pull-")
        })
        .map(|e| e.metadata().map_or(0, |m| m.len()))
        .sum()
}

#[test]
fn a_corrupted_download_keeps_the_existing_file() {
    let registry = Registry::olareg();
    let fixture = Fixture::seed(&registry);
    let proxy = FaultProxy::with_rules(
        registry.host(),
        vec![Rule::new("GET", "/blobs/").flip_byte(3)],
    );
    runtime().block_on(async {
        let out = tempfile::tempdir().unwrap();
        std::fs::write(out.path().join("sbom.json"), b"the old sbom").unwrap();
        let store = remote_at(&proxy.host());
        let pull = PullOptions::new(
            out.path().to_path_buf(),
            PullSelect::Referrer("sbom/example".to_owned()),
        );
        let result = regscope::ops::pull(
            &store,
            "net-monitor",
            "v1",
            &pull,
            &sink(),
            &CancellationToken::new(),
        )
        .await;
        let error = result.expect_err("a flipped byte must fail the pull");
        assert!(error.to_string().contains("digest mismatch"), "{error}");
        assert_eq!(
            std::fs::read(out.path().join("sbom.json")).unwrap(),
            b"the old sbom"
        );
        let left: Vec<_> = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 1, "temporary files left: {left:?}");
        // Without the fault the same pull writes the SBOM.
        proxy.clear_rules();
        regscope::ops::pull(
            &store,
            "net-monitor",
            "v1",
            &pull,
            &sink(),
            &CancellationToken::new(),
        )
        .await
        .unwrap();
        assert_eq!(
            std::fs::read(out.path().join("sbom.json")).unwrap(),
            fixture.file("sbom.json")
        );
    });
}
