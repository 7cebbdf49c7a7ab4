//! Zero loss, repeated: the seeds' graph copied with `cp -r` again and
//! again on both kinds of registry, each copy counted node by node with
//! the real `oras discover`. A race that drops a referrer now and then
//! (the lost SBOM and signature the speed issue tells of) shows up here.

use serde_json::Value;

use crate::cli::regscope;
use crate::support::{Fixture, Oras, Registry};

const COPIES: usize = 6;

fn digests(node: &Value, out: &mut Vec<String>) {
    if let Some(digest) = node["digest"].as_str() {
        out.push(digest.to_owned());
    }
    for child in node["referrers"].as_array().into_iter().flatten() {
        digests(child, out);
    }
}

fn graph_of(oras: &Oras, reference: &str) -> Vec<String> {
    let mut found = Vec::new();
    digests(
        &oras.json(&["discover", "--format", "json", reference]),
        &mut found,
    );
    found.sort();
    found
}

#[test]
fn every_copy_of_the_graph_is_whole() {
    for registry in [Registry::olareg(), Registry::distribution()] {
        let fixture = Fixture::seed(&registry);
        let oras = Oras::for_registry(&registry);
        let source = graph_of(&oras, &fixture.image_ref());
        assert!(source.len() >= 5, "the seeds' graph: {source:?}");
        let work = tempfile::tempdir().unwrap();
        for copy in 0..COPIES {
            let target = registry.reference(&format!("repeat-{copy}/net-monitor:v1"));
            regscope(work.path(), &["cp", "-r", &fixture.image_ref(), &target]);
            assert_eq!(
                graph_of(&oras, &target),
                source,
                "copy {copy} on {}",
                registry.kind()
            );
        }
    }
}
