//! The graph the speed issue measured: an image with 8 referrers, each with
//! 3 of its own (33 nodes, 3 levels), discovered and copied on loopback and
//! through links that add 10 ms and 25 ms to every request, where round
//! trips are the whole cost.
//! `cargo bench --bench versus_oras -- wide`.

use std::process::Command;
use std::time::Duration;

use super::support::{FaultProxy, Oras, Registry, Rule};
use super::{REGSCOPE, compare, compare_copies, discover_args, run};

/// Loopback, the copy link and its discovery link.
const LINKS: [Duration; 3] = [
    Duration::ZERO,
    Duration::from_millis(10),
    Duration::from_millis(25),
];
const FIRST_LEVEL: usize = 8;
const SECOND_LEVEL: usize = 3;

pub fn wide_graphs(rounds: usize) {
    for registry in [Registry::olareg(), Registry::distribution()] {
        let image = push_wide_graph(&registry);
        let oras = Oras::new();
        for delay in LINKS {
            let link = FaultProxy::with_rules(registry.host(), vec![Rule::any().delay(delay)]);
            let host = if delay.is_zero() {
                registry.host().to_owned()
            } else {
                link.host()
            };
            let image = image.replacen(registry.host(), &host, 1);
            let label = match delay.as_millis() {
                0 => format!("33 nodes, {}, loopback", registry.kind()),
                ms => format!("33 nodes, {}, +{ms} ms", registry.kind()),
            };
            compare(
                &format!("discover ({label})"),
                rounds,
                || {
                    let json =
                        run(Command::new(REGSCOPE).args(["tree", "--format", "json", &image]));
                    assert_eq!(json.matches("\"digest\"").count(), 33, "{json}");
                },
                || {
                    oras.run(&discover_args(registry.kind(), &image));
                },
            );
            compare_copies(
                &format!("copy with referrers ({label})"),
                rounds,
                &host,
                &image,
                &format!("wide{}", delay.as_millis()),
            );
        }
    }
}

/// `wide:v1` and its 8 × 3 referrers, pushed with oras; returns the image
/// reference.
fn push_wide_graph(registry: &Registry) -> String {
    let oras = Oras::for_registry(registry);
    let work = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| std::fs::write(work.path().join(name), text).unwrap();
    write("image.json", "{\"wide\":true}\n");
    let image = format!("{}/wide:v1", registry.host());
    oras.run_in(work.path(), &["push", &image, "image.json"]);
    for first in 0..FIRST_LEVEL {
        write("sig.txt", &format!("signature {first}\n"));
        let digest = oras.run_in(
            work.path(),
            &[
                "attach",
                "--artifact-type",
                "application/vnd.example.signature",
                "--format",
                "go-template={{.digest}}",
                &image,
                "sig.txt",
            ],
        );
        let subject = format!("{}/wide@{}", registry.host(), digest.trim());
        for second in 0..SECOND_LEVEL {
            write("note.json", &format!("{{\"note\":{second}}}\n"));
            oras.run_in(
                work.path(),
                &[
                    "attach",
                    "--artifact-type",
                    &format!("application/vnd.example.note{second}"),
                    &subject,
                    "note.json",
                ],
            );
        }
    }
    image
}
