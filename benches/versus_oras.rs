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
use std::time::Duration;

use support::{FaultProxy, Fixture, Oras, Registry, RegistryKind, Rule};

#[path = "versus_oras/doctor.rs"]
mod doctor;
#[path = "versus_oras/measure.rs"]
mod measure;
#[path = "versus_oras/tags.rs"]
mod tags;
#[path = "versus_oras/wide.rs"]
mod wide;

use measure::{compare, median, run};

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
        tags::tag_lists(benchmarking, rounds);
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
