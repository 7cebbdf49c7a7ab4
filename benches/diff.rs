//! `regscope diff`, timed. Two images that share a large base and differ in
//! one gzip layer each: the diff's files section should cost no more than
//! downloading the two differing layers (with `oras blob fetch`, the floor)
//! plus a round trip per manifest, since the base is never read. Also
//! printed: `regctl manifest diff` (manifests alone) and the SBOM diff of
//! two 10 MB CycloneDX documents, in process.
//!
//! `cargo bench --bench diff` builds a 950 MiB base and 50 MiB layers;
//! under `cargo test` it runs once with 2 MiB and 1 MiB, as a smoke test
//! that the commands succeed. No time is ever asserted.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "../tests/it/support/mod.rs"]
#[allow(unused_imports)]
mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use regscope::document::SbomFormat;
use regscope::document::components::components;
use support::{FaultProxy, Oras, Registry, Rule, sha256_digest};

const REGSCOPE: &str = env!("CARGO_BIN_EXE_regscope");

fn main() {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let (rounds, base_mib, top_mib) = if benchmarking {
        (5, 950, 50)
    } else {
        (1, 2, 1)
    };
    let work = tempfile::tempdir().expect("temp dir");
    let dir = work.path();
    make_layers(dir, base_mib, top_mib);
    let registry = Registry::olareg();
    push_images(&Oras::for_registry(&registry), dir, &registry);
    let slow = FaultProxy::with_rules(
        registry.host(),
        vec![Rule::any().delay(Duration::from_millis(10))],
    );
    println!("{:<60} {:>12}", "scenario", "median");
    for (link, host) in [
        ("loopback", registry.host().to_owned()),
        ("10 ms link", slow.host()),
    ] {
        let left = format!("{host}/bench-diff:left");
        let right = format!("{host}/bench-diff:right");
        let row = |name: &str, mut run: Box<dyn FnMut() + '_>| {
            let times: Vec<Duration> = (0..rounds).map(|_| time(&mut run)).collect();
            println!(
                "{:<60} {:>10.1}ms",
                format!("{name}, {link}"),
                median(times).as_secs_f64() * 1e3
            );
        };
        let home = tempfile::tempdir().expect("temp HOME");
        let regscope = |args: Vec<String>| {
            let home = home.path().to_owned();
            Box::new(move || {
                run(Command::new(REGSCOPE)
                    .env("HOME", &home)
                    .env("XDG_CACHE_HOME", home.join(".cache"))
                    .args(&args));
            }) as Box<dyn FnMut()>
        };
        row(
            &format!("regscope diff, files ({base_mib} MiB shared, {top_mib} MiB differ)"),
            regscope(vec![
                "diff".into(),
                left.clone(),
                right.clone(),
                "--only".into(),
                "manifest,layers,files".into(),
            ]),
        );
        row(
            "regscope diff, every section",
            regscope(vec!["diff".into(), left.clone(), right.clone()]),
        );
        let oras_home = tempfile::tempdir().expect("temp HOME");
        let tops: Vec<String> = ["top-left", "top-right"]
            .iter()
            .map(|t| {
                format!(
                    "{host}/bench-diff@{}",
                    sha256_digest(&std::fs::read(dir.join(format!("{t}.tgz"))).unwrap())
                )
            })
            .collect();
        row(
            "oras blob fetch of the two differing layers (the floor)",
            Box::new(|| {
                for top in &tops {
                    run(Command::new(support::tool("oras"))
                        .env("HOME", oras_home.path())
                        .args([
                            "blob",
                            "fetch",
                            "--plain-http",
                            "--output",
                            "/dev/null",
                            top,
                        ]));
                }
            }),
        );
        let regctl_home = tempfile::tempdir().expect("temp HOME");
        let host_flag = format!("reg={host},tls=disabled");
        row(
            "regctl manifest diff (manifests only)",
            Box::new(|| {
                run(Command::new(support::tool("regctl"))
                    .env("HOME", regctl_home.path())
                    .args(["--host", &host_flag, "manifest", "diff", &left, &right]));
            }),
        );
    }
    sbom_rows(rounds, benchmarking);
}

/// Random (incompressible) layers: the base in chunks, one top layer each.
fn make_layers(dir: &Path, base_mib: usize, top_mib: usize) {
    let chunks = 4;
    let script = format!(
        r#"set -e
        for i in $(seq 1 {chunks}); do mkdir -p base$i/b$i; head -c $(( {base_mib} * 1048576 / {chunks} )) /dev/urandom > base$i/b$i/data; tar -C base$i -cf - . | gzip -1 > base$i.tgz; done
        for t in top-left top-right; do mkdir -p $t/$t; head -c $(( {top_mib} * 1048576 )) /dev/urandom > $t/$t/data; tar -C $t -cf - . | gzip -1 > $t.tgz; done
        echo '{{"architecture":"amd64","os":"linux","config":{{"Cmd":["left"]}}}}' > left.json
        echo '{{"architecture":"amd64","os":"linux","config":{{"Cmd":["right"]}}}}' > right.json
        "#
    );
    let status = Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success(), "making the layers failed");
}

fn push_images(oras: &Oras, dir: &Path, registry: &Registry) {
    for side in ["left", "right"] {
        let mut args: Vec<String> = vec![
            "push".into(),
            registry.reference(&format!("bench-diff:{side}")),
            "--config".into(),
            format!("{side}.json:application/vnd.oci.image.config.v1+json"),
        ];
        for i in 1..=4 {
            args.push(format!(
                "base{i}.tgz:application/vnd.oci.image.layer.v1.tar+gzip"
            ));
        }
        args.push(format!(
            "top-{side}.tgz:application/vnd.oci.image.layer.v1.tar+gzip"
        ));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        oras.run_in(dir, &args);
    }
}

/// Two CycloneDX documents of about 10 MB each (the second with a tenth of
/// the versions bumped), read and compared in process.
fn sbom_rows(rounds: usize, benchmarking: bool) {
    let count = if benchmarking { 40_000 } else { 400 };
    let document = |bump: bool| {
        let components: Vec<serde_json::Value> = (0..count)
            .map(|i| {
                let version = if bump && i % 10 == 0 {
                    "2.0.1"
                } else {
                    "2.0.0"
                };
                serde_json::json!({
                    "type": "library", "name": format!("package-{i}"), "version": version,
                    "purl": format!("pkg:npm/package-{i}@{version}"),
                    "description": "x".repeat(160), "bom-ref": format!("ref-{i}")
                })
            })
            .collect();
        serde_json::to_vec(&serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": components})).unwrap()
    };
    let (left, right) = (document(false), document(true));
    let mut changed = 0;
    let times: Vec<Duration> = (0..rounds)
        .map(|_| {
            time(&mut || {
                let l = components(&left, SbomFormat::CycloneDxJson).unwrap();
                let r = components(&right, SbomFormat::CycloneDxJson).unwrap();
                changed = regscope::diff::sbom::compare(&l, &r).changed.len();
            })
        })
        .collect();
    println!(
        "{:<60} {:>10.1}ms",
        format!(
            "SBOM diff, 2 × {:.1} MB CycloneDX, {changed} changed",
            left.len() as f64 / 1e6
        ),
        median(times).as_secs_f64() * 1e3
    );
}

fn run(command: &mut Command) {
    let out = command.output().expect("run");
    assert!(
        out.status.success(),
        "{command:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
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
