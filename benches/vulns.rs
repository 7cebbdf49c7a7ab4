//! A CycloneDX report of 5,000 findings over 10,000 components read, and
//! an OpenVEX document of 1,000 statements applied to it: the engine half
//! of "read, VEX-applied and drawn in under 0.2 s" (the frame half is
//! in the draw bench).
//!
//! `cargo bench --bench vulns` measures; under `cargo test` it runs once
//! on a tenth of the size, as a smoke test. Nothing asserts a time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "vulns/report.rs"]
mod report;
use report::{openvex, report};

fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn read_and_apply(scan: &[u8], vex: &[u8]) -> usize {
    report::read_and_apply(scan, vex).summary.suppressed
}

fn bench(c: &mut Criterion) {
    let scale = if benchmarking() { 1 } else { 10 };
    let (components, findings, statements) = (10_000 / scale, 5_000 / scale, 1_000 / scale);
    let scan = report(components, findings);
    let vex = openvex(statements);
    let suppressed = read_and_apply(&scan, &vex);
    assert_eq!(suppressed, statements, "every statement names a finding");
    if !benchmarking() {
        return;
    }
    c.bench_function(
        &format!(
            "read {findings} findings over {components} components ({} MiB) and apply {statements} VEX statements",
            scan.len() / (1024 * 1024)
        ),
        |b| b.iter(|| black_box(read_and_apply(black_box(&scan), black_box(&vex)))),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
