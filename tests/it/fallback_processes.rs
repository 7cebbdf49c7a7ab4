//! Reliability F1: separate processes attaching to one subject of a registry
//! without the referrers API all read-modify-write the same fallback index.
//! An in-process lock cannot order them; only re-reading after the write and
//! merging again keeps every referrer. Every round, all of them must land.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};

use crate::support::{Fixture, Oras, Registry, http_get, media};

const WRITERS: usize = 8;
const ROUNDS: usize = 4;

#[test]
fn separate_processes_attaching_to_one_subject_all_land_in_the_fallback_index() {
    let registry = Registry::distribution();
    let fixture = Fixture::seed(&registry);
    let image = fixture.image_ref();
    let work = tempfile::tempdir().unwrap();
    let mut expected: BTreeSet<String> = listed_referrers(&registry, &fixture.image);

    for round in 0..ROUNDS {
        let writers: Vec<_> = (0..WRITERS)
            .map(|writer| {
                let file = work.path().join(format!("note-{round}-{writer}.json"));
                std::fs::write(&file, format!("{{\"round\":{round},\"writer\":{writer}}}"))
                    .unwrap();
                Command::new(env!("CARGO_BIN_EXE_regscope"))
                    .args(["attach", &image, "--artifact-type", "note/example"])
                    .arg(&file)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for writer in writers {
            let output = writer.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "an attach failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let listed = listed_referrers(&registry, &fixture.image);
        let added: Vec<_> = listed.difference(&expected).cloned().collect();
        assert!(
            expected.is_subset(&listed),
            "round {round}: referrers were lost: {:?}",
            expected.difference(&listed).collect::<Vec<_>>()
        );
        assert_eq!(
            added.len(),
            WRITERS,
            "round {round}: not every writer's referrer is listed"
        );
        expected = listed;
    }

    // The real ORAS CLI reads the same graph.
    let discovered = Oras::for_registry(&registry).json(&["discover", "--format", "json", &image]);
    let count = discovered["referrers"].as_array().map_or(0, Vec::len);
    assert_eq!(count, expected.len());
}

/// The digests the subject's fallback index (`sha256-<hex>`) lists.
fn listed_referrers(registry: &Registry, subject: &str) -> BTreeSet<String> {
    let tag = subject.replacen(':', "-", 1);
    let reply = http_get(
        registry.host(),
        &format!("/v2/net-monitor/manifests/{tag}"),
        &[("Accept", media::OCI_INDEX)],
    );
    assert_eq!(
        reply.status,
        200,
        "fallback index missing: {}",
        reply.text()
    );
    reply.json()["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["digest"].as_str().unwrap().to_owned())
        .collect()
}
