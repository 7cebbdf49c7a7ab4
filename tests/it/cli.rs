//! The regscope binary against real registries, compared with the real ORAS
//! CLI: the same tree (`tree --format json` = `oras discover --format
//! json`, ignoring order), what `attach` pushes oras sees, what `cp -r`
//! copies oras discovers with the same digests, `pull` writes the same bytes
//! as `oras pull`, and after `rm --with-referrers` nothing is left.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::support::fixture::{README_TYPE, SBOM_TYPE};
use crate::support::{Fixture, Oras, Registry, fallback_tag, http_get, media};

/// Runs the built binary with a private HOME (no user credentials).
pub fn regscope_output(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regscope"))
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("DOCKER_CONFIG", dir.join(".docker"))
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .output()
        .expect("run regscope")
}

/// Runs the binary and returns stdout; panics with stderr on failure.
pub fn regscope(dir: &Path, args: &[&str]) -> String {
    let out = regscope_output(dir, args);
    assert!(
        out.status.success(),
        "regscope {args:?} failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

pub fn regscope_json(dir: &Path, args: &[&str]) -> Value {
    let out = regscope(dir, args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

/// Sorts every `referrers` array by digest, so trees compare ignoring order.
pub fn normalised(mut node: Value) -> Value {
    if let Some(list) = node.get_mut("referrers").and_then(Value::as_array_mut) {
        let mut sorted: Vec<Value> = list.drain(..).map(normalised).collect();
        sorted.sort_by_key(|r| r["digest"].as_str().unwrap_or_default().to_owned());
        *list = sorted;
    }
    node
}

/// The tree without `reference` fields (they name the repository), for
/// comparing a copy with its source.
pub fn without_references(mut node: Value) -> Value {
    if let Some(object) = node.as_object_mut() {
        object.remove("reference");
    }
    if let Some(list) = node.get_mut("referrers").and_then(Value::as_array_mut) {
        let stripped: Vec<Value> = list.drain(..).map(without_references).collect();
        *list = stripped;
    }
    normalised(node)
}

fn tree_json(dir: &Path, reference: &str) -> Value {
    normalised(regscope_json(dir, &["tree", reference, "--format", "json"]))
}

fn oras_tree(oras: &Oras, reference: &str) -> Value {
    normalised(oras.json(&["discover", reference, "--format", "json"]))
}

#[test]
fn tree_json_is_oras_discover_json_on_both_registries() {
    for registry in [Registry::distribution(), Registry::olareg()] {
        let fixture = Fixture::seed(&registry);
        let oras = Oras::for_registry(&registry);
        let work = tempfile::tempdir().unwrap();
        for reference in [fixture.image_ref(), fixture.multi_ref()] {
            let ours = tree_json(work.path(), &reference);
            let theirs = oras_tree(&oras, &reference);
            assert_eq!(ours, theirs, "{registry:?} {reference}");
        }
        let sbom_only = regscope_json(
            work.path(),
            &[
                "tree",
                &fixture.image_ref(),
                "--format",
                "json",
                "--artifact-type",
                SBOM_TYPE,
            ],
        );
        let theirs = oras.json(&[
            "discover",
            &fixture.image_ref(),
            "--format",
            "json",
            "--artifact-type",
            SBOM_TYPE,
        ]);
        assert_eq!(normalised(sbom_only), normalised(theirs));
        let shallow = regscope_json(
            work.path(),
            &[
                "tree",
                &fixture.image_ref(),
                "--format",
                "json",
                "--depth",
                "1",
            ],
        );
        let theirs = oras.json(&[
            "discover",
            &fixture.image_ref(),
            "--format",
            "json",
            "--depth",
            "1",
        ]);
        assert_eq!(normalised(shallow), normalised(theirs));
        let text = regscope(work.path(), &["tree", &fixture.image_ref()]);
        assert!(
            text.contains(&format!("└── {SBOM_TYPE}\n"))
                || text.contains(&format!("├── {SBOM_TYPE}\n")),
            "{text}"
        );
        assert!(text.contains(&fixture.sbom_signature), "{text}");
    }
}

#[test]
fn attach_is_seen_by_oras_and_pull_writes_what_oras_pulls() {
    for registry in [Registry::distribution(), Registry::olareg()] {
        let fixture = Fixture::seed(&registry);
        let oras = Oras::for_registry(&registry);
        let work = tempfile::tempdir().unwrap();
        let files = work.path().join("in");
        std::fs::create_dir_all(files.join("tree/deeper")).unwrap();
        std::fs::write(files.join("report.json"), b"{\"scan\":\"clean\"}\n").unwrap();
        std::fs::write(files.join("tree/deeper/leaf.txt"), b"leaf\n").unwrap();
        let out = regscope(
            &files,
            &[
                "attach",
                &fixture.image_ref(),
                "--artifact-type",
                "scan/example",
                "report.json:application/json",
                "tree",
                "--annotation",
                "team=blue",
            ],
        );
        let digest = out.trim().rsplit('@').next().unwrap().to_owned();
        let theirs = oras.json(&[
            "discover",
            &fixture.image_ref(),
            "--format",
            "json",
            "--artifact-type",
            "scan/example",
        ]);
        let found = &theirs["referrers"][0];
        assert_eq!(found["digest"], digest.as_str());
        assert_eq!(found["annotations"]["team"], "blue");
        assert!(found["annotations"]["org.opencontainers.image.created"].is_string());

        // oras pull of what regscope attached, and regscope pull of the same.
        let by_oras = work.path().join("by-oras");
        let by_us = work.path().join("by-us");
        let attached = fixture.digest_ref("net-monitor", &digest);
        oras.run(&["pull", "-o", by_oras.to_str().unwrap(), &attached]);
        regscope(
            work.path(),
            &["pull", &attached, "-o", by_us.to_str().unwrap()],
        );
        assert_same_tree(&by_oras, &by_us);
        assert_eq!(
            std::fs::read(by_us.join("tree/deeper/leaf.txt")).unwrap(),
            b"leaf\n"
        );

        // The seeded readme (a file and a directory, pushed by oras).
        let readme = fixture.digest_ref("net-monitor", &fixture.readme);
        let (a, b) = (
            work.path().join("readme-oras"),
            work.path().join("readme-us"),
        );
        oras.run(&["pull", "-o", a.to_str().unwrap(), &readme]);
        regscope(work.path(), &["pull", &readme, "-o", b.to_str().unwrap()]);
        assert_same_tree(&a, &b);
        // And "pull the readme of the image" by type.
        let c = work.path().join("readme-by-type");
        regscope(
            work.path(),
            &[
                "pull",
                &fixture.image_ref(),
                "--artifact-type",
                README_TYPE,
                "-o",
                c.to_str().unwrap(),
            ],
        );
        assert_same_tree(&a, &c);
    }
}

/// Same relative paths, same bytes, same kinds.
pub fn assert_same_tree(a: &Path, b: &Path) {
    let list = |root: &Path| {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let entry = entry.unwrap();
                let path = entry.path();
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                let meta = std::fs::symlink_metadata(&path).unwrap();
                if meta.is_dir() {
                    stack.push(path.clone());
                    out.push((rel, None));
                } else {
                    out.push((rel, Some(std::fs::read(&path).unwrap())));
                }
            }
        }
        out.sort();
        out
    };
    assert_eq!(
        list(a),
        list(b),
        "{} and {} differ",
        a.display(),
        b.display()
    );
}

#[test]
fn copy_with_referrers_then_delete_with_referrers() {
    let source = Registry::distribution();
    let other = Registry::olareg();
    let fixture = Fixture::seed(&source);
    let oras_source = Oras::for_registry(&source);
    let oras_other = Oras::for_registry(&other);
    let work = tempfile::tempdir().unwrap();
    let original = without_references(oras_tree(&oras_source, &fixture.image_ref()));

    // Within a registry (mounts), across registries, and to a layout.
    let staging = source.reference("staging/net-monitor:v1");
    let copied = regscope_output(work.path(), &["cp", "-r", &fixture.image_ref(), &staging]);
    let said = String::from_utf8_lossy(&copied.stderr).into_owned();
    assert!(copied.status.success(), "{said}");
    assert_eq!(
        without_references(oras_tree(&oras_source, &staging)),
        original,
        "regscope said:\n{said}"
    );
    let elsewhere = other.reference("net-monitor:v1");
    regscope(work.path(), &["cp", "-r", &fixture.image_ref(), &elsewhere]);
    assert_eq!(
        without_references(oras_tree(&oras_other, &elsewhere)),
        original
    );
    let layout = work.path().join("layout");
    let layout_ref = format!("oci:{}:v1", layout.display());
    regscope(
        work.path(),
        &["cp", "-r", &fixture.image_ref(), &layout_ref],
    );
    let from_layout = oras_source.json(&[
        "discover",
        "--oci-layout",
        &format!("{}:v1", layout.display()),
        "--format",
        "json",
    ]);
    // On the layout, `tree` and `oras discover` agree field for field.
    let layout_arg = format!("{}:v1", layout.display());
    assert_eq!(
        tree_json(work.path(), &layout_ref),
        normalised(oras_source.json(&[
            "discover",
            "--oci-layout",
            &layout_arg,
            "--format",
            "json"
        ]))
    );
    // oras shows the layout's index.json entry (with its ref.name) as the
    // root; the referrers below must be the same.
    let mut from_layout = without_references(from_layout);
    from_layout.as_object_mut().unwrap().remove("annotations");
    let mut expected = original.clone();
    expected.as_object_mut().unwrap().remove("annotations");
    assert_eq!(from_layout, expected);
    // An index with its platform manifests, and only some referrer types.
    let multi_copy = other.reference("multi:v1");
    regscope(
        work.path(),
        &["cp", "-r", &fixture.multi_ref(), &multi_copy],
    );
    assert_eq!(
        without_references(oras_tree(&oras_other, &multi_copy)),
        without_references(oras_tree(&oras_source, &fixture.multi_ref()))
    );
    let only_sboms = other.reference("sboms-only:v1");
    regscope(
        work.path(),
        &[
            "cp",
            "-r",
            "--artifact-type",
            SBOM_TYPE,
            &fixture.image_ref(),
            &only_sboms,
        ],
    );
    let copied = oras_tree(&oras_other, &only_sboms);
    assert_eq!(copied["referrers"].as_array().unwrap().len(), 1);
    assert_eq!(copied["referrers"][0]["digest"], fixture.sbom.as_str());

    // Listings: repositories, and tags with the fallback tags kept apart.
    let repositories = regscope_json(work.path(), &["ls", source.host(), "--format", "json"]);
    let repositories = repositories["repositories"].as_array().unwrap();
    assert!(
        repositories.iter().any(|r| r == "staging/net-monitor"),
        "{repositories:?}"
    );
    let tags = regscope(work.path(), &["ls", &source.reference("net-monitor")]);
    assert_eq!(tags.lines().collect::<Vec<_>>(), ["v1"]);
    let all = regscope(
        work.path(),
        &["ls", &source.reference("net-monitor"), "--all"],
    );
    assert!(
        all.lines().any(|t| t == fallback_tag(&fixture.image)),
        "{all}"
    );

    // Delete the staging copy's graph: refused without -y off a terminal.
    let refused = crate::cli::regscope_output(work.path(), &["rm", "--with-referrers", &staging]);
    assert!(!refused.status.success());
    regscope(work.path(), &["rm", "--with-referrers", "-y", &staging]);
    let gone = oras_source.output(&["discover", &staging, "--format", "json"]);
    assert!(!gone.status.success(), "the manifest is still there");
    let subject = format!(
        "/v2/staging/net-monitor/manifests/{}",
        fallback_tag(&fixture.image)
    );
    let reply = http_get(source.host(), &subject, &[("Accept", media::ACCEPT_ALL)]);
    assert!(
        reply.status == 404
            || reply.json()["manifests"]
                .as_array()
                .is_none_or(Vec::is_empty),
        "fallback tag left with referrers: {}",
        reply.text()
    );
    for digest in [
        &fixture.signature,
        &fixture.sbom,
        &fixture.sbom_signature,
        &fixture.readme,
    ] {
        let path = format!("/v2/staging/net-monitor/manifests/{digest}");
        assert_eq!(
            http_get(source.host(), &path, &[("Accept", media::ACCEPT_ALL)]).status,
            404
        );
    }
    // The original is untouched.
    assert_eq!(
        without_references(oras_tree(&oras_source, &fixture.image_ref())),
        original
    );
}

#[test]
fn escape_sequences_from_a_registry_never_reach_the_terminal() {
    let registry = Registry::distribution();
    let oras = Oras::for_registry(&registry);
    let work = tempfile::tempdir().unwrap();
    let subject_file = work.path().join("subject.txt");
    std::fs::write(&subject_file, b"subject").unwrap();
    let image = registry.reference("victim:v1");
    oras.run_in(work.path(), &["push", &image, "subject.txt"]);
    let subject_bytes = oras.run(&["manifest", "fetch", &image]);
    let hostile = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": media::OCI_MANIFEST,
        "artifactType": "evil/\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m",
        "config": {"mediaType": media::OCI_EMPTY, "digest": crate::support::sha256_digest(b"{}"), "size": 2},
        "layers": [{"mediaType": media::OCI_EMPTY, "digest": crate::support::sha256_digest(b"{}"), "size": 2}],
        "subject": {"mediaType": media::OCI_MANIFEST, "digest": crate::support::sha256_digest(subject_bytes.as_bytes()), "size": subject_bytes.len()},
        "annotations": {"note": "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}1m"},
    });
    std::fs::write(work.path().join("empty.json"), b"{}").unwrap();
    oras.run_in(
        work.path(),
        &["blob", "push", &registry.reference("victim"), "empty.json"],
    );
    std::fs::write(
        work.path().join("hostile.json"),
        serde_json::to_vec(&hostile).unwrap(),
    )
    .unwrap();
    oras.run_in(
        work.path(),
        &[
            "manifest",
            "push",
            &registry.reference("victim"),
            "hostile.json",
        ],
    );

    // ESC, BEL and the 8-bit CSI (U+009B, bytes C2 9B) never reach the
    // terminal; the text shows them escaped.
    let text = regscope(work.path(), &["tree", &image]);
    for byte in [0x1b_u8, 0x07, 0x9b] {
        assert!(!text.as_bytes().contains(&byte), "{byte:#x} in {text:?}");
    }
    assert!(text.contains("evil/\\u{1b}]0;pwned"), "{text}");
    // JSON keeps the strings exactly, escaping controls as JSON does.
    let raw = crate::cli::regscope_output(work.path(), &["tree", &image, "--format", "json"]);
    for byte in [0x1b_u8, 0x07] {
        assert!(!raw.stdout.contains(&byte), "raw {byte:#x} in the JSON");
    }
    let json: Value = serde_json::from_slice(&raw.stdout).unwrap();
    assert_eq!(
        json["referrers"][0]["artifactType"],
        hostile["artifactType"]
    );
    assert_eq!(
        json["referrers"][0]["annotations"]["note"],
        hostile["annotations"]["note"]
    );
}
