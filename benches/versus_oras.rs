//! regscope against the ORAS CLI, same registry, same run, as ratios.
//!
//! `cargo bench --bench versus_oras` times each scenario on real registries
//! started on loopback (olareg with the referrers API, distribution with the
//! fallback tag), directly and through a proxy that adds 10 ms to every
//! request (a registry across a network, where round trips are the cost),
//! and prints the median of both tools and `oras / regscope`
//! (above 1 means regscope is faster). Under `cargo test` it runs every
//! scenario once, as a smoke test that both tools succeed; it never asserts
//! a time.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "../tests/it/support/mod.rs"]
#[allow(unused_imports)]
mod support;

use std::cell::Cell;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use support::{FaultProxy, Fixture, Oras, Registry, RegistryKind, Rule};

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

    let copies = Cell::new(0);
    compare(
        &format!("copy with referrers ({label})"),
        rounds,
        || {
            copies.set(copies.get() + 1);
            let target = format!("{host}/bench-regscope-{}:v1", copies.get());
            run(Command::new(REGSCOPE).args(["cp", "-r", image, &target]));
        },
        || {
            copies.set(copies.get() + 1);
            let target = format!("{host}/bench-oras-{}:v1", copies.get());
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

fn run(command: &mut Command) {
    let output = command.output().expect("spawn the tool");
    assert!(
        output.status.success(),
        "{:?} failed: {}",
        command.get_program(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn compare(name: &str, rounds: usize, mut ours: impl FnMut(), mut theirs: impl FnMut()) {
    let mut ours_times = Vec::with_capacity(rounds);
    let mut theirs_times = Vec::with_capacity(rounds);
    // Alternate so both see the same registry state and machine load.
    for _ in 0..rounds {
        ours_times.push(time(&mut ours));
        theirs_times.push(time(&mut theirs));
    }
    let (ours, theirs) = (median(ours_times), median(theirs_times));
    let ratio = theirs.as_secs_f64() / ours.as_secs_f64().max(1e-9);
    println!(
        "{name:<52} {:>10.1}ms {:>10.1}ms {ratio:>7.2}x",
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
