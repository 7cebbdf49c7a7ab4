//! Where the CPU went during the audit, read from `/proc`: on two shared
//! cores the registry, the proxy (this process's own threads) and the
//! audit compete, so a slow audit may be a busy machine, not a slow pipe.

use std::time::Duration;

/// Clock ticks per second on Linux (`getconf CLK_TCK`).
const TICKS_PER_SECOND: f64 = 100.0;

/// CPU ticks so far: this process's own, its reaped children's, one
/// other process's, and the whole machine's busy and total.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ticks {
    own: u64,
    children: u64,
    registry: u64,
    machine_busy: u64,
    machine_total: u64,
}

impl Ticks {
    /// Now; zero for whatever `/proc` does not show (not Linux).
    pub fn now(registry_pid: u32) -> Ticks {
        let own = stat_fields("/proc/self/stat");
        let registry = stat_fields(&format!("/proc/{registry_pid}/stat"));
        let (machine_busy, machine_total) = machine();
        Ticks {
            own: own.get(11..13).map_or(0, |f| f.iter().sum()),
            children: own.get(13..15).map_or(0, |f| f.iter().sum()),
            registry: registry.get(11..13).map_or(0, |f| f.iter().sum()),
            machine_busy,
            machine_total,
        }
    }

    /// What happened between `self` and `later`, as a line for the report.
    pub fn report(self, later: Ticks, wall: Duration, registry_name: &str) -> String {
        let seconds = |ticks: u64| ticks as f64 / TICKS_PER_SECOND;
        let audit = seconds(later.children - self.children);
        let registry = seconds(later.registry - self.registry);
        let proxy = seconds(later.own - self.own);
        let total = later.machine_total - self.machine_total;
        let busy = later.machine_busy - self.machine_busy;
        let others = seconds(busy) - audit - registry - proxy;
        format!(
            "CPU during the audit ({:.2}s wall, {} cores): regscope {audit:.2}s, {registry_name} {registry:.2}s, \
             proxy {proxy:.2}s, everything else {:.2}s; machine busy {:.0}%",
            wall.as_secs_f64(),
            cores(),
            others.max(0.0),
            100.0 * busy as f64 / total.max(1) as f64
        )
    }
}

fn cores() -> f64 {
    std::thread::available_parallelism().map_or(1.0, |n| n.get() as f64)
}

/// The numeric fields after a `/proc/<pid>/stat` line's command name
/// (field 3 onwards; utime is index 11).
fn stat_fields(path: &str) -> Vec<u64> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Some((_, rest)) = text.rsplit_once(") ") else {
        return Vec::new();
    };
    rest.split_whitespace()
        .map(|field| field.parse().unwrap_or(0))
        .collect()
}

/// The machine's busy and total ticks, all cores, from `/proc/stat`.
fn machine() -> (u64, u64) {
    let Ok(text) = std::fs::read_to_string("/proc/stat") else {
        return (0, 0);
    };
    let fields: Vec<u64> = text
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .map(|field| field.parse().unwrap_or(0))
        .collect();
    let total: u64 = fields.iter().take(8).sum();
    let idle: u64 = fields.iter().skip(3).take(2).sum();
    (total - idle, total)
}
