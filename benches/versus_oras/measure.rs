//! Timing regscope against another tool: both run in turn, each round,
//! and the medians printed with `theirs / ours`; a tool is run to success.

use std::process::Command;
use std::time::{Duration, Instant};

/// Runs the tool to success; its stdout.
pub fn run(command: &mut Command) -> String {
    let output = command.output().expect("spawn the tool");
    assert!(
        output.status.success(),
        "{:?} failed: {}",
        command.get_program(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn compare(name: &str, rounds: usize, ours: impl FnMut(), theirs: impl FnMut()) {
    compare_with(name, "oras", rounds, ours, theirs);
}

/// Times both, alternating, and prints the medians and `theirs / ours`
/// (`tool` names the other side when it is not oras).
pub fn compare_with(
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

pub fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}
