//! regscope against the ORAS CLI, same registry, same run, as ratios.
//!
//! `cargo bench --bench versus_oras` times each scenario on real registries
//! started on loopback (olareg with the referrers API, distribution with the
//! fallback tag) and prints the median of both tools and `oras / regscope`
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

use support::{Fixture, Oras, Registry, RegistryKind};

const REGSCOPE: &str = env!("CARGO_BIN_EXE_regscope");

fn main() {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let rounds = if benchmarking { 15 } else { 1 };
    println!(
        "{:<44} {:>12} {:>12} {:>8}",
        "scenario", "regscope", "oras", "ratio"
    );
    for registry in [Registry::olareg(), Registry::distribution()] {
        let fixture = Fixture::seed(&registry);
        let oras = Oras::for_registry(&registry);
        let kind = registry.kind();
        let image = fixture.image_ref();
        let sbom = fixture.digest_ref(support::fixture::IMAGE_REPO, &fixture.sbom);

        compare(
            &format!("discover tree ({kind})"),
            rounds,
            || {
                run(Command::new(REGSCOPE).args(["tree", "--format", "json", &image]));
            },
            || {
                oras.run(&discover_args(kind, &image));
            },
        );

        let out = tempfile::tempdir().expect("temp dir");
        compare(
            &format!("pull the SBOM ({kind})"),
            rounds,
            || {
                let dir = fresh(out.path(), "r");
                run(Command::new(REGSCOPE).args(["pull", &sbom, "-o"]).arg(&dir));
            },
            || {
                let dir = fresh(out.path(), "o");
                oras.run(&["pull", &sbom, "-o", dir.to_str().expect("utf-8 path")]);
            },
        );

        let copies = Cell::new(0);
        compare(
            &format!("copy with referrers ({kind})"),
            rounds,
            || {
                copies.set(copies.get() + 1);
                let target = format!("{}/bench-regscope-{}:v1", registry.host(), copies.get());
                run(Command::new(REGSCOPE).args(["cp", "-r", &image, &target]));
            },
            || {
                copies.set(copies.get() + 1);
                let target = format!("{}/bench-oras-{}:v1", registry.host(), copies.get());
                // `oras cp` spells plain HTTP per side, so it is run directly.
                let home = tempfile::tempdir().expect("temp HOME");
                run(Command::new(support::tool("oras"))
                    .env("HOME", home.path())
                    .args([
                        "cp",
                        "-r",
                        "--from-plain-http",
                        "--to-plain-http",
                        &image,
                        &target,
                    ]));
            },
        );
    }
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
        "{name:<44} {:>10.1}ms {:>10.1}ms {ratio:>7.2}x",
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
