//! `regscope audit` of a whole repository against what people do today: a
//! shell loop running `oras discover` once per tag. The repository has N
//! images with 3 attachments each (a signature, an SBOM, a readme), on a
//! registry behind a proxy that adds 25 ms to every request.
//!
//! `cargo bench --bench audit_versus_loop` uses N = 1000 (or
//! `REGSCOPE_AUDIT_IMAGES`) and prints both times and `loop / audit` (the
//! issue asks for at least 20). Under `cargo test` it runs once with a few
//! images, as a smoke test that both succeed; it never asserts a time.
//! `REGSCOPE_AUDIT_CONCURRENCY` sets `audit --concurrency` (else the
//! audit's own default, 32); `REGSCOPE_AUDIT_SKIP_LOOP` times the audit
//! alone, for trying settings without waiting for the loop. It prints the
//! requests by kind and the CPU time regscope, the registry and the proxy used
//! during the audit. `REGSCOPE_AUDIT_TRACE=<file>` logs every request's
//! send and answer with times (requests in flight can be computed from
//! it), `REGSCOPE_AUDIT_JSON=<file>` keeps the audit's JSON, and
//! `REGSCOPE_AUDIT_BIN=<binary>` runs another build instead, to compare
//! two builds' output and time on the same seeded registry (its digests
//! are the same every run).
//!
//! What bounds the audit depends on the registry (figures and reasons in
//! the README, "Auditing a repository"). `REGSCOPE_AUDIT_REGISTRY` picks
//! it: `olareg` (the default: the referrers API, the path most of
//! regscope is built around), `ggcr`, `distribution` (2.8, Debian's) or
//! `distribution3` (the last two without the referrers API: both tools
//! use the `sha256-<hex>` fallback tags). olareg and ggcr cost more per
//! request as the repository grows (olareg copies its whole index for
//! every manifest and referrers request; ggcr parses every manifest for
//! each referrers request), so there the audit waits for the registry's
//! CPU: 10.6x and 2.3x on 2026-12-07. Both distributions cost the same
//! per request at any size, so there the audit's time is the client's:
//! 33.7x on distribution 2.8 and 47.4x on distribution 3, same day.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "audit_versus_loop/cpu.rs"]
mod cpu;
#[path = "audit_versus_loop/proof_cost.rs"]
mod proof_cost;
#[path = "../tests/it/support/mod.rs"]
#[allow(unused_imports)]
mod support;

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::{StreamExt, stream};
use regscope::oci::{Descriptor, Manifest, media_type as mt};
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::store::{Store, bytes_stream};
use support::{FaultProxy, Registry, Rule};

const REGSCOPE: &str = env!("CARGO_BIN_EXE_regscope");
const LINK_DELAY: Duration = Duration::from_millis(25);
const REPO: &str = "bench";

fn main() {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let images: usize = std::env::var("REGSCOPE_AUDIT_IMAGES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(if benchmarking { 1000 } else { 6 });
    let registry = registry();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let started = Instant::now();
    runtime.block_on(seed(registry.host(), images));
    println!(
        "seeded {images} images x 3 attachments in {:.1?}",
        started.elapsed()
    );
    let slow = FaultProxy::with_rules(registry.host(), vec![Rule::any().delay(LINK_DELAY)]);
    let host = slow.host();

    let cpu_before = cpu::Ticks::now(registry.pid());
    let audit = time(|| run_audit(&host, images));
    let registry_name = registry.kind().to_string();
    println!(
        "{}",
        cpu_before.report(cpu::Ticks::now(registry.pid()), audit, &registry_name)
    );
    let requests = slow.requests();
    if std::env::var_os("REGSCOPE_AUDIT_REQUESTS").is_some() {
        for request in &requests {
            println!("{request:?}");
        }
    }
    println!(
        "regscope audit: {} requests for {images} images ({})",
        requests.len(),
        by_kind(&requests)
    );
    let proofs = proof_cost::proof_checks(images);
    println!(
        "proof checking (Rekor entry, inclusion proof, checkpoint, SCT): {:.2?} per signature, {proofs:.2?} for {images}, {:.1}% of the audit's time",
        proofs / u32::try_from(images).unwrap(),
        100.0 * proofs.as_secs_f64() / audit.as_secs_f64()
    );
    let verdicts = proof_cost::keyless_verdicts(images);
    println!(
        "whole keyless verdicts (signature, proofs, certificate path, identity): {:.2?} per signature, {verdicts:.2?} for {images}, {:.1}% of the audit's time",
        verdicts / u32::try_from(images).unwrap(),
        100.0 * verdicts.as_secs_f64() / audit.as_secs_f64()
    );
    if std::env::var_os("REGSCOPE_AUDIT_SKIP_LOOP").is_some() {
        println!("audit {audit:.2?}");
        return;
    }
    let tags: Vec<String> = (0..images).map(tag).collect();
    let oras = support::tool("oras");
    let script = format!(
        "for t in {}; do {} discover --plain-http --format json {host}/{REPO}:$t >/dev/null || exit 1; done",
        tags.join(" "),
        oras.display()
    );
    let home = tempfile::tempdir().unwrap();
    let shell_loop = time(|| {
        let out = Command::new("sh")
            .args(["-c", &script])
            .env("HOME", home.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    });
    println!(
        "audit of {images} images, {} ms link: regscope audit {audit:.2?}, oras discover loop {shell_loop:.2?}, loop/audit {:.1}",
        LINK_DELAY.as_millis(),
        shell_loop.as_secs_f64() / audit.as_secs_f64()
    );
}

/// The registry both the audit and the loop run against:
/// `REGSCOPE_AUDIT_REGISTRY`: `ggcr` for go-containerregistry's,
/// `distribution` or `distribution3`, else olareg. Each bounds the audit
/// its own way (see the header), so the bench can show each.
fn registry() -> Registry {
    match std::env::var("REGSCOPE_AUDIT_REGISTRY").as_deref() {
        Ok("ggcr") => Registry::ggcr(),
        Ok("distribution") => Registry::distribution(),
        Ok("distribution3") => Registry::distribution3(),
        Ok("olareg") | Err(_) => Registry::olareg(),
        Ok(other) => panic!(
            "REGSCOPE_AUDIT_REGISTRY={other}: expected olareg, ggcr, distribution or distribution3"
        ),
    }
}

/// One `regscope audit --format json` of the whole repository, checked.
fn run_audit(host: &str, images: usize) {
    // Another build of regscope on the same seeded registry (the digests
    // are the same every run), to compare two builds' JSON and times.
    let binary = std::env::var("REGSCOPE_AUDIT_BIN").unwrap_or_else(|_| REGSCOPE.to_owned());
    let mut command = Command::new(binary);
    command.args(["audit", &format!("{host}/{REPO}"), "--format", "json"]);
    // The audit's own default unless asked for another.
    if let Ok(concurrency) = std::env::var("REGSCOPE_AUDIT_CONCURRENCY") {
        command.args(["--concurrency", &concurrency]);
    }
    if let Some(path) = std::env::var_os("REGSCOPE_AUDIT_TRACE") {
        // Every request's send and answer, timed, for in-flight plots.
        command
            .env("REGSCOPE_LOG", "regscope::store::remote::transport=trace")
            .stderr(std::fs::File::create(path).unwrap());
    }
    let out = command.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    if let Some(path) = std::env::var_os("REGSCOPE_AUDIT_JSON") {
        std::fs::write(path, &out.stdout).unwrap();
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["images"], images, "{json}");
    assert_eq!(json["summary"]["signed"], images, "{json}");
}

/// The requests counted by what they asked for, to see which an image
/// costs: `GET manifest:tag 1000, referrers 4000, ...`.
fn by_kind(requests: &[support::RecordedRequest]) -> String {
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for request in requests {
        let path = request.path.as_str();
        let kind = if path.contains("/referrers/") {
            "referrers".to_owned()
        } else if path.ends_with("/tags/list") || path.contains("/tags/list?") {
            "tag list".to_owned()
        } else if let Some((_, reference)) = path.split_once("/manifests/") {
            // `sha256-<hex>`: the fallback tag, read while the registry's
            // referrers support is not yet known.
            let by = if reference.starts_with("sha256:") {
                "@digest"
            } else if reference.starts_with("sha256-") {
                ":fallback-tag"
            } else {
                ":tag"
            };
            format!("{} manifest{by}", request.method)
        } else {
            format!("{} other", request.method)
        };
        *counts.entry(kind).or_default() += 1;
    }
    counts
        .iter()
        .map(|(kind, n)| format!("{kind} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn tag(i: usize) -> String {
    format!("t{i:04}")
}

fn time(mut f: impl FnMut()) -> Duration {
    let started = Instant::now();
    f();
    started.elapsed()
}

async fn push_blob(store: &RemoteStore, bytes: &[u8], media_type: &str) -> Descriptor {
    let descriptor = Descriptor::of_bytes(media_type, bytes);
    store
        .push_blob(
            REPO,
            &descriptor,
            bytes_stream(Bytes::copy_from_slice(bytes)),
        )
        .await
        .unwrap();
    descriptor
}

async fn push_manifest(
    store: &RemoteStore,
    value: serde_json::Value,
    tag: Option<&str>,
) -> Descriptor {
    let bytes = Bytes::from(serde_json::to_vec(&value).unwrap());
    let manifest = Manifest::parse(bytes.clone(), None).unwrap();
    store.push_manifest(REPO, &manifest, tag).await.unwrap();
    Descriptor::of_bytes(mt::OCI_MANIFEST, &bytes)
}

/// N tagged images, each with a signature, an SBOM and a readme referring
/// to it, pushed in-process (thousands of `oras` runs would take longer
/// than the measurement).
async fn seed(host: &str, images: usize) {
    let store = Arc::new(RemoteStore::new(host, ConnectOptions::default()).unwrap());
    let empty = push_blob(&store, mt::EMPTY_JSON, mt::OCI_EMPTY).await;
    let layer = push_blob(&store, b"attachment", "application/octet-stream").await;
    stream::iter(0..images)
        .map(|i| {
            let (store, empty, layer) = (Arc::clone(&store), empty.clone(), layer.clone());
            async move {
                let config = format!(
                    r#"{{"architecture":"amd64","os":"linux","rootfs":{{"type":"layers","diff_ids":[]}},"config":{{"Labels":{{"n":"{i}"}}}}}}"#
                );
                let config = push_blob(&store, config.as_bytes(), mt::OCI_CONFIG).await;
                let image = serde_json::json!({
                    "schemaVersion": 2,
                    "mediaType": mt::OCI_MANIFEST,
                    "config": config,
                    "layers": [],
                });
                let subject = push_manifest(&store, image, Some(&tag(i))).await;
                for artifact_type in ["signature/example", "sbom/example", "readme/example"] {
                    let referrer = serde_json::json!({
                        "schemaVersion": 2,
                        "mediaType": mt::OCI_MANIFEST,
                        "artifactType": artifact_type,
                        "config": empty,
                        "layers": [layer],
                        "subject": subject,
                    });
                    push_manifest(&store, referrer, None).await;
                }
            }
        })
        .buffer_unordered(16)
        .collect::<Vec<()>>()
        .await;
}
