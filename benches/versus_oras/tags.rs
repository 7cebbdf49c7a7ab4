//! Listing a long tag list: 100 000 tags on distribution and 20 000 on
//! olareg (2 000 under `cargo test`), against `oras repo tags` and, where
//! installed, `regctl tag ls`. `cargo bench --bench versus_oras -- tags`.

use std::process::Command;
use std::time::Instant;

use bytes::Bytes;
use futures_util::StreamExt;
use regscope::oci::{Descriptor, Manifest};
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::store::{Store, bytes_stream};

use super::REGSCOPE;
use super::measure::{compare, compare_with, run};
use super::support::{self, Oras, Registry, RegistryKind};

/// The repository the tag-list rows list.
const TAGS_REPO: &str = "bench-tags";

/// "list 100 000 tags (distribution) / 20 000 tags (olareg), loopback",
/// against `oras repo tags` and, where installed, `regctl tag ls`.
pub fn tag_lists(benchmarking: bool, rounds: usize) {
    let regctl = support::tools_dir().join("bin/regctl");
    let regctl = regctl.is_file().then_some(regctl);
    if regctl.is_none() {
        println!("(regctl is not installed: its tag-list rows are skipped)");
    }
    for (registry, count) in [
        (Registry::distribution(), 100_000),
        (Registry::olareg(), 20_000),
    ] {
        let count = if benchmarking { count } else { 2_000 };
        let started = Instant::now();
        populate_tags(&registry, count);
        eprintln!(
            "({} tags on {} in {:.1} s)",
            count,
            registry.kind(),
            started.elapsed().as_secs_f64()
        );
        let repo = format!("{}/{TAGS_REPO}", registry.host());
        let name = format!("list {count} tags ({}, loopback)", registry.kind());
        let oras = Oras::new();
        let ours = || {
            let listed = run(Command::new(REGSCOPE).args(["ls", &repo]));
            assert_eq!(listed.lines().count(), count, "regscope lists every tag");
        };
        compare(&name, rounds, ours, || {
            let listed = oras.run(&["repo", "tags", &repo]);
            assert_eq!(listed.lines().count(), count, "oras lists every tag");
        });
        if let Some(regctl) = &regctl {
            let home = tempfile::tempdir().expect("temp HOME");
            let regctl_run =
                |args: &[&str]| run(Command::new(regctl).env("HOME", home.path()).args(args));
            regctl_run(&["registry", "set", registry.host(), "--tls", "disabled"]);
            compare_with(&format!("{name} vs regctl"), "regctl", rounds, ours, || {
                let listed = regctl_run(&["tag", "ls", &repo]);
                assert_eq!(listed.lines().count(), count, "regctl lists every tag");
            });
        }
    }
}

/// `count` tags on one tiny manifest in `TAGS_REPO`. distribution keeps
/// tags as files, so all but the first are written straight into its
/// storage (what its own tag PUT writes, without 100 000 round trips);
/// olareg keeps them in memory, so they are PUT, 32 at a time.
fn populate_tags(registry: &Registry, count: usize) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let store = RemoteStore::new(registry.host(), ConnectOptions::default()).expect("store");
        let config = Bytes::from_static(b"{}");
        let config_descriptor =
            Descriptor::of_bytes("application/vnd.oci.empty.v1+json", &config);
        store
            .push_blob(TAGS_REPO, &config_descriptor, bytes_stream(config))
            .await
            .expect("push the config");
        let raw = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.regscope.bench.tagged","config":{},"layers":[]}}"#,
            serde_json::to_string(&config_descriptor).expect("descriptor JSON")
        );
        let manifest = Manifest::parse(Bytes::from(raw), None).expect("manifest");
        let tags: Vec<String> = (0..count).map(|i| format!("v{i:06}")).collect();
        store
            .push_manifest(TAGS_REPO, &manifest, Some(&tags[0]))
            .await
            .expect("push the manifest");
        if registry.kind() == RegistryKind::Distribution {
            let hex = manifest.digest().to_string();
            let hex = hex.trim_start_matches("sha256:");
            let manifests = registry.dir().join(format!(
                "storage/docker/registry/v2/repositories/{TAGS_REPO}/_manifests/tags"
            ));
            for tag in &tags[1..] {
                let dir = manifests.join(tag);
                let index = dir.join(format!("index/sha256/{hex}"));
                std::fs::create_dir_all(dir.join("current")).expect("tag dir");
                std::fs::create_dir_all(&index).expect("tag index dir");
                let link = format!("sha256:{hex}");
                std::fs::write(dir.join("current/link"), &link).expect("tag link");
                std::fs::write(index.join("link"), &link).expect("tag index link");
            }
            return;
        }
        futures_util::stream::iter(&tags[1..])
            .map(|tag| {
                let store = &store;
                let manifest = &manifest;
                async move {
                    store
                        .push_manifest(TAGS_REPO, manifest, Some(tag))
                        .await
                        .expect("tag the manifest");
                }
            })
            .buffer_unordered(32)
            .collect::<Vec<()>>()
            .await;
    });
}
