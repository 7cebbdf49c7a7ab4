//! `regscope diff` on images built from real trees (files added, removed,
//! modified in place with the same size, chmod-ed, chown-ed, a symlink
//! retargeted, a whiteout and an opaque directory) on a shared base layer,
//! pushed with oras to olareg and distribution and copied into an `oci:`
//! layout. The files diff must equal diffing the two trees unpacked with
//! whiteouts applied; the JSON contract is checked field by field.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::diff_ground::{
    LAYER_GZIP, Trees, make_trees, push_pair, tree_diff, unpack, write_configs,
};
use crate::files::{ok, regscope_files};
use crate::support::{Oras, Registry, sha256_digest};

fn paths(section: &Value) -> BTreeSet<String> {
    section
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_owned())
        .collect()
}

pub(crate) fn diff_json(work: &Path, args: &[&str]) -> Value {
    let mut full = vec!["diff"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--format", "json"]);
    serde_json::from_slice(&ok(work, &full)).unwrap()
}

#[test]
fn files_diff_equals_diffing_the_unpacked_trees() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let trees = make_trees(dir);
    write_configs(dir);
    let left_layers = [trees.base.as_path(), trees.left.as_path()];
    let mut right_layers = vec![trees.base.as_path()];
    right_layers.extend(trees.right.iter().map(PathBuf::as_path));
    let (want_added, want_removed, want_modified) = tree_diff(
        &unpack(dir, "left", &left_layers),
        &unpack(dir, "right", &right_layers),
    );
    assert!(want_modified.contains("app/server") && want_removed.contains("etc/motd"));

    let olareg = Registry::olareg();
    let distribution = Registry::distribution();
    let (left, _) = push_pair(&Oras::for_registry(&olareg), dir, &olareg, &trees);
    let (_, right) = push_pair(
        &Oras::for_registry(&distribution),
        dir,
        &distribution,
        &trees,
    );
    // Across registries, reading the shared base too: exact.
    let exact = diff_json(dir, &[&left, &right, "--only", "files", "--read-shared"]);
    let files = &exact["files"];
    assert_eq!(paths(&files["added"]), want_added);
    assert_eq!(paths(&files["removed"]), want_removed);
    assert_eq!(paths(&files["modified"]), want_modified);
    assert_eq!(files["unreadBaseLayers"], 0);
    for section in ["manifest", "layers", "sbom", "attachments"] {
        assert_eq!(
            exact[section],
            Value::Null,
            "--only files leaves out {section}"
        );
    }

    // Without --read-shared the base is not read: every real change is
    // still reported, and what is reported as certain is right.
    let fast = diff_json(dir, &[&left, &right, "--only", "files"]);
    let files = &fast["files"];
    assert_eq!(files["unreadBaseLayers"], 1);
    let reported: BTreeSet<String> = ["added", "removed", "modified"]
        .iter()
        .flat_map(|k| paths(&files[*k]))
        .collect();
    for path in want_added.iter().chain(&want_removed).chain(&want_modified) {
        // Reported itself, through a child (a directory layers repeat), or
        // as `DIR/*` (what an opaque directory hides of the base).
        let below = format!("{path}/");
        let mut ancestors = Path::new(path).ancestors().skip(1);
        let covered = reported.contains(path)
            || reported.iter().any(|r| r.starts_with(&below))
            || ancestors.any(|a| reported.contains(&format!("{}/*", a.display())));
        assert!(covered, "{path} changed but is not reported: {files:#}");
    }
    for (key, want) in [("added", &want_added), ("removed", &want_removed)] {
        for item in files[key].as_array().unwrap() {
            if item.get("uncertain").is_none() {
                assert!(
                    want.contains(item["path"].as_str().unwrap()),
                    "{key} {item}"
                );
            }
        }
    }
    assert!(paths(&files["modified"]).is_subset(&want_modified));
    let motd = files["removed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "etc/motd");
    let motd = motd.expect("the right's whiteout of the base's motd");
    assert_eq!(motd["entry"], Value::Null);
    assert!(motd["uncertain"].as_str().unwrap().contains("not read"));
}

#[test]
fn the_json_contract_field_by_field_and_exit_codes_both_ways() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let trees = make_trees(dir);
    write_configs(dir);
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let (left, right) = push_pair(&oras, dir, &registry, &trees);
    let report = diff_json(dir, &[&left, &right]);
    assert_eq!(report["same"], false);
    assert_eq!(report["platform"], Value::Null);
    assert_eq!(report["left"]["reference"], left);

    let fields: Vec<(&str, Value, Value)> = report["manifest"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap(),
                c["from"].clone(),
                c["to"].clone(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            (
                "annotations.org.opencontainers.image.created",
                json!("2024-01-01T00:00:00Z"),
                json!("2024-02-01T00:00:00Z")
            ),
            (
                "created",
                json!("2024-01-01T00:00:00Z"),
                json!("2024-02-01T00:00:00Z")
            ),
            ("config.env.DEBUG", Value::Null, json!("1")),
            ("config.env.MODE", json!("prod"), Value::Null),
            (
                "config.env.PATH",
                json!("/usr/bin"),
                json!("/usr/local/bin:/usr/bin")
            ),
            ("config.labels.version", json!("1"), json!("2")),
            ("config.exposedPorts", Value::Null, json!(["8080/tcp"])),
        ]
    );

    check_layers(&report, &trees);
    check_files_and_empty_sections(&report, dir);
    check_exit_codes_and_markdown(&report, dir, &registry, &left, &right);
}

/// The layers section, field by field.
fn check_layers(report: &Value, trees: &Trees) {
    let layers = &report["layers"];
    let size = |p: &PathBuf| std::fs::metadata(p).unwrap().len();
    let digest = |p: &PathBuf| sha256_digest(&std::fs::read(p).unwrap());
    assert_eq!(layers["sharedBase"], 1);
    assert_eq!(
        layers["shared"],
        json!([{"digest": digest(&trees.base), "size": size(&trees.base),
                "mediaType": LAYER_GZIP, "leftIndex": 0, "rightIndex": 0, "read": false}])
    );
    assert_eq!(
        layers["removed"],
        json!([{"digest": digest(&trees.left), "size": size(&trees.left),
                "mediaType": LAYER_GZIP, "index": 1}])
    );
    let added: Vec<&Value> = layers["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["digest"])
        .collect();
    assert_eq!(
        added,
        [
            &json!(digest(&trees.right[0])),
            &json!(digest(&trees.right[1]))
        ]
    );
}

/// A same-size modification, a path the base was not read for, and the
/// sections with nothing to say.
fn check_files_and_empty_sections(report: &Value, dir: &Path) {
    let modified = report["files"]["modified"].as_array().unwrap();
    let server = modified.iter().find(|m| m["path"] == "app/server").unwrap();
    let server_left = std::fs::read(dir.join("left/app/server")).unwrap();
    let server_right = std::fs::read(dir.join("right/app/server")).unwrap();
    assert_eq!(
        server_left.len(),
        server_right.len(),
        "same size, other bytes"
    );
    assert_eq!(server["changes"], json!(["content"]));
    assert_eq!(
        server["left"],
        json!({"type": "file", "size": server_left.len(), "mode": "0755", "uid": 0, "gid": 0,
               "digest": sha256_digest(&server_left), "layer": 1})
    );
    assert_eq!(server["right"]["digest"], sha256_digest(&server_right));
    let tool = modified.iter().find(|m| m["path"] == "usr/bin/tool");
    assert!(
        tool.is_none(),
        "the left's own layer does not hold it: {modified:?}"
    );
    let added = report["files"]["added"].as_array().unwrap();
    let new = added.iter().find(|a| a["path"] == "app/new.txt").unwrap();
    assert_eq!(new["entry"]["layer"], 1);
    assert!(new["uncertain"].is_string(), "the base was not read");

    assert_eq!(
        report["sbom"],
        json!({"added": [], "removed": [], "changed": [], "left": null, "right": null})
    );
    assert_eq!(
        report["attachments"],
        json!({"onlyLeft": [], "onlyRight": [], "both": []})
    );
}

/// `--exit-code` both ways, 2 for a diff that cannot be made, and the
/// markdown's summary line.
fn check_exit_codes_and_markdown(
    report: &Value,
    dir: &Path,
    registry: &Registry,
    left: &str,
    right: &str,
) {
    let differs = regscope_files(dir, &["diff", left, right, "--exit-code"]);
    assert_eq!(
        differs.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&differs.stderr)
    );
    assert!(
        differs.stderr.is_empty() || !String::from_utf8_lossy(&differs.stderr).contains("error")
    );
    let same = regscope_files(
        dir,
        &["diff", left, left, "--exit-code", "--format", "json"],
    );
    assert_eq!(
        same.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&same.stderr)
    );
    let same: Value = serde_json::from_slice(&same.stdout).unwrap();
    assert_eq!(same["same"], true);
    assert_eq!(same["files"]["added"], json!([]));
    let missing = regscope_files(
        dir,
        &[
            "diff",
            left,
            &registry.reference("diff:nope"),
            "--exit-code",
        ],
    );
    assert_eq!(
        missing.status.code(),
        Some(2),
        "a diff that cannot be made is not a difference"
    );
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot compare"));

    let markdown =
        String::from_utf8(ok(dir, &["diff", left, right, "--format", "markdown"])).unwrap();
    let first = markdown.lines().next().unwrap();
    assert!(first.starts_with("**regscope diff**"), "{markdown}");
    assert!(first.contains("no SBOM on either side"), "{first}");
    let changed = ["added", "removed", "modified"]
        .iter()
        .map(|k| report["files"][*k].as_array().unwrap().len())
        .sum::<usize>();
    assert!(
        first.contains(&format!("{changed} files changed")),
        "{first}"
    );
    assert!(markdown.contains("### Files") && markdown.contains("`app/server`"));
}

#[test]
fn a_layout_on_one_side_diffs_like_the_registry_it_was_copied_from() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let trees = make_trees(dir);
    write_configs(dir);
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let (left, right) = push_pair(&oras, dir, &registry, &trees);
    let layout = format!("oci:{}:v2", dir.join("layout").display());
    ok(dir, &["cp", &right, &layout]);
    let from_registry = diff_json(dir, &[&left, &right, "--only", "manifest,layers,files"]);
    let from_layout = diff_json(dir, &[&left, &layout, "--only", "manifest,layers,files"]);
    for section in ["manifest", "layers", "files"] {
        assert_eq!(from_layout[section], from_registry[section], "{section}");
    }
    assert_eq!(from_layout["right"]["reference"], layout);
}
