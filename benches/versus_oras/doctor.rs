//! `regscope doctor` through a link that adds 25 ms to every request: the
//! read-only checks go out at once, so the whole report costs a few round
//! trips, not one per check (issue 20 asks for under 10). No tool answers
//! the same question, so the row is regscope's time and what it is in
//! round trips. `cargo bench --bench versus_oras -- doctor`.

use std::process::Command;
use std::time::{Duration, Instant};

use super::support::{FaultProxy, Fixture, Registry, Rule};
use super::{REGSCOPE, median};

const LINK: Duration = Duration::from_millis(25);

pub fn doctor_rows(rounds: usize) {
    for registry in [Registry::olareg(), Registry::distribution()] {
        let _fixture = Fixture::seed(&registry);
        let link = FaultProxy::with_rules(registry.host(), vec![Rule::any().delay(LINK)]);
        let target = format!("{}/net-monitor", link.host());
        let mut times = Vec::with_capacity(rounds);
        let mut requests = 0;
        for _ in 0..rounds {
            link.clear_requests();
            let started = Instant::now();
            // Both registries fail a check (olareg has no catalog,
            // distribution no referrers API): doctor then exits 1.
            let output = Command::new(REGSCOPE)
                .args(["doctor", &target, "--format", "json"])
                .output()
                .expect("run regscope doctor");
            let report = String::from_utf8_lossy(&output.stdout);
            times.push(started.elapsed());
            assert!(report.contains("\"referrersMode\""), "{report}");
            requests = link.requests().len();
        }
        let took = median(times);
        println!(
            "{:<52} {:>10.1}ms {:>12} {:>7.1} round trips of 25 ms ({requests} requests, at most {} at once)",
            format!("doctor ({}, +25 ms)", registry.kind()),
            took.as_secs_f64() * 1e3,
            "-",
            took.as_secs_f64() / LINK.as_secs_f64(),
            link.most_held_at_once(),
        );
    }
}
