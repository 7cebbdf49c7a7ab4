//! regscope against the ORAS CLI, same registry, same run, as ratios.
//!
//! `cargo bench --bench versus_oras` times each scenario on real registries
//! started on loopback (olareg with the referrers API, distribution with the
//! fallback tag), directly and through a proxy that adds 10 ms to every
//! request (a registry across a network, where round trips are the cost),
//! and prints the median of both tools and `oras / regscope`
//! (above 1 means regscope is faster). Listing a long tag list is also
//! compared with regctl where it is installed (skipped, and said so, where
//! not). Under `cargo test` it runs every scenario once, with 2 000 tags
//! instead of 100 000 / 20 000, as a smoke test that the tools succeed; it
//! never asserts a time. `cargo bench --bench versus_oras -- tags` (or
//! `-- wide`, `-- graph`, `-- doctor`) runs only the tag-list rows (or the
//! 33-node graph at +25 ms, the seeds' graph, or `regscope doctor` at
//! +25 ms).
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "../tests/it/support/mod.rs"]
#[allow(unused_imports)]
mod support;

use std::cell::Cell;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::StreamExt;
use regscope::oci::{Descriptor, Manifest};
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::store::{Store, bytes_stream};

use support::{FaultProxy, Fixture, Oras, Registry, RegistryKind, Rule};

#[path = "versus_oras/doctor.rs"]
mod doctor;
#[path = "versus_oras/wide.rs"]
mod wide;

const REGSCOPE: &str = env!("CARGO_BIN_EXE_regscope");

/// Added to every request in the "slow link" runs: registries are rarely on
/// loopback, and there the number of round trips, not CPU, is the cost.
const LINK_DELAY: Duration = Duration::from_millis(10);

fn main() {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let rounds = if benchmarking { 15 } else { 1 };
    println!(
        "{:<52} {:>12} {:>12} {:>8}",
        "scenario", "regscope", "oras", "ratio"
    );
    // A group named on the command line runs alone.
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let runs = |group: &str| only.as_deref().is_none_or(|only| only == group);
    if runs("tags") {
        tag_lists(benchmarking, rounds);
    }
    if runs("wide") {
        wide::wide_graphs(rounds);
    }
    if runs("doctor") {
        doctor::doctor_rows(rounds);
    }
    if !runs("graph") {
        return;
    }
    for registry in [Registry::olareg(), Registry::distribution()] {
        let fixture = Fixture::seed(&registry);
        let slow_link =
            FaultProxy::with_rules(registry.host(), vec![Rule::any().delay(LINK_DELAY)]);
        for (link, host) in [
            ("loopback", registry.host().to_owned()),
            ("10 ms link", slow_link.host()),
        ] {
            let label = format!("{}, {link}", registry.kind());
            let on_host = |reference: String| reference.replacen(registry.host(), &host, 1);
            let image = on_host(fixture.image_ref());
            let sbom = on_host(fixture.digest_ref(support::fixture::IMAGE_REPO, &fixture.sbom));
            scenarios(&label, rounds, registry.kind(), &host, &image, &sbom);
        }
    }
}

fn scenarios(label: &str, rounds: usize, kind: RegistryKind, host: &str, image: &str, sbom: &str) {
    let oras = Oras::new();
    compare(
        &format!("discover tree ({label})"),
        rounds,
        || {
            run(Command::new(REGSCOPE).args(["tree", "--format", "json", image]));
        },
        || {
            oras.run(&discover_args(kind, image));
        },
    );

    let out = tempfile::tempdir().expect("temp dir");
    compare(
        &format!("pull the SBOM ({label})"),
        rounds,
        || {
            let dir = fresh(out.path(), "r");
            run(Command::new(REGSCOPE).args(["pull", sbom, "-o"]).arg(&dir));
        },
        || {
            let dir = fresh(out.path(), "o");
            oras.run(&["pull", sbom, "-o", dir.to_str().expect("utf-8 path")]);
        },
    );

    compare_copies(
        &format!("copy with referrers ({label})"),
        rounds,
        host,
        image,
        "bench",
    );
}

/// `regscope cp -r` against `oras cp -r` of `image` within `host`, each
/// copy to a fresh repository named after `prefix`.
fn compare_copies(name: &str, rounds: usize, host: &str, image: &str, prefix: &str) {
    let copies = Cell::new(0);
    let next_target = |tool: &str| {
        copies.set(copies.get() + 1);
        format!("{host}/{prefix}-{tool}-{}:v1", copies.get())
    };
    compare(
        name,
        rounds,
        || {
            let target = next_target("regscope");
            run(Command::new(REGSCOPE).args(["cp", "-r", image, &target]));
        },
        || {
            let target = next_target("oras");
            // `oras cp` spells plain HTTP per side, so it is run directly.
            let home = tempfile::tempdir().expect("temp HOME");
            run(Command::new(support::tool("oras"))
                .env("HOME", home.path())
                .args([
                    "cp",
                    "-r",
                    "--from-plain-http",
                    "--to-plain-http",
                    image,
                    &target,
                ]));
        },
    );
}

/// oras needs to be told to use the tag schema where the registry answers
/// the referrers API with something other than 404.
fn discover_args(kind: RegistryKind, image: &str) -> Vec<&str> {
    let mut args = vec!["discover", "--format", "json"];
    if kind == RegistryKind::OlaregFallback {
        args.extend(["--distribution-spec", "v1.1-referrers-tag"]);
    }
    args.push(image);
    args
}

fn fresh(base: &Path, prefix: &str) -> std::path::PathBuf {
    let dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(base)
        .expect("temp dir");
    dir.keep()
}

/// Runs the tool to success; its stdout.
fn run(command: &mut Command) -> String {
    let output = command.output().expect("spawn the tool");
    assert!(
        output.status.success(),
        "{:?} failed: {}",
        command.get_program(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn compare(name: &str, rounds: usize, ours: impl FnMut(), theirs: impl FnMut()) {
    compare_with(name, "oras", rounds, ours, theirs);
}

/// Times both, alternating, and prints the medians and `theirs / ours`
/// (`tool` names the other side when it is not oras).
fn compare_with(
    name: &str,
    tool: &str,
    rounds: usize,
    mut ours: impl FnMut(),
    mut theirs: impl FnMut(),
) {
    let mut ours_times = Vec::with_capacity(rounds);
    let mut theirs_times = Vec::with_capacity(rounds);
    // Alternate so both see the same registry state and machine load.
    for _ in 0..rounds {
        ours_times.push(time(&mut ours));
        theirs_times.push(time(&mut theirs));
    }
    let (ours, theirs) = (median(ours_times), median(theirs_times));
    let ratio = theirs.as_secs_f64() / ours.as_secs_f64().max(1e-9);
    let suffix = if tool == "oras" {
        String::new()
    } else {
        format!("  ({tool} / regscope)")
    };
    println!(
        "{name:<52} {:>10.1}ms {:>10.1}ms {ratio:>7.2}x{suffix}",
        ours.as_secs_f64() * 1e3,
        theirs.as_secs_f64() * 1e3
    );
}

fn time(f: &mut impl FnMut()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The repository the tag-list rows list.
const TAGS_REPO: &str = "bench-tags";

/// "list 100 000 tags (distribution) / 20 000 tags (olareg), loopback",
/// against `oras repo tags` and, where installed, `regctl tag ls`.
fn tag_lists(benchmarking: bool, rounds: usize) {
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
