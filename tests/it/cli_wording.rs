//! Words that match behaviour, each as a newcomer meets it on a real
//! registry: a copy tells mounted from transferred blobs, logs in a pipe
//! have no colour, `ls` of an empty repository says so, a typo with
//! arguments after it is still a typo, and an unsigned image is unverified,
//! not failed. (Pull's words are in `cli_pull_wording`.)

use crate::cli::regscope_output;
use crate::support::fixture::push_image;
use crate::support::{Cosign, CosignMode, Oras, Registry};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_copy_says_mounted_already_there_and_transferred_blobs_apart() {
    let registry = Registry::distribution();
    let work = tempfile::tempdir().unwrap();
    let oras = Oras::for_registry(&registry);
    push_image(
        &oras,
        work.path(),
        &registry.reference("src:v1"),
        "img",
        "linux",
        "amd64",
    );
    let out = regscope_output(
        work.path(),
        &[
            "cp",
            &registry.reference("src:v1"),
            &registry.reference("dst:v1"),
        ],
    );
    let said = stderr(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("Copied 1 manifest: 0 blobs transferred, 2 mounted, 0 already there"),
        "{said}"
    );
    // Each blob named once: what it is, its short digest, why.
    assert!(
        said.lines()
            .any(|l| l.starts_with("Skipped      config ") && l.ends_with("(mounted from src)")),
        "{said}"
    );
    assert!(
        oras.output(&["manifest", "fetch", &registry.reference("dst:v1")])
            .status
            .success()
    );

    // Within the repository the blobs are there already; to another
    // registry they move.
    let out = regscope_output(
        work.path(),
        &[
            "cp",
            &registry.reference("src:v1"),
            &registry.reference("src:v2"),
        ],
    );
    let said = stderr(&out);
    assert!(
        said.contains("Copied 1 manifest: 0 blobs transferred, 0 mounted, 2 already there"),
        "{said}"
    );
    let other = Registry::olareg();
    let out = regscope_output(
        work.path(),
        &[
            "cp",
            &registry.reference("src:v1"),
            &other.reference("dst:v1"),
        ],
    );
    let said = stderr(&out);
    assert!(
        said.contains("Copied 1 manifest: 2 blobs transferred, 0 mounted, 0 already there"),
        "{said}"
    );
    assert!(
        Oras::for_registry(&other)
            .output(&["manifest", "fetch", &other.reference("dst:v1")])
            .status
            .success()
    );
}

#[test]
fn logs_in_a_pipe_have_no_colour_and_empty_lists_say_so() {
    let registry = Registry::distribution();
    let work = tempfile::tempdir().unwrap();
    let oras = Oras::for_registry(&registry);
    let reference = registry.reference("gone:v1");
    let image = push_image(&oras, work.path(), &reference, "img", "linux", "amd64").0;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_regscope"))
        .args(["tree", &reference])
        .env("REGSCOPE_LOG", "debug")
        .env("HOME", work.path())
        .output()
        .unwrap();
    let said = stderr(&out);
    assert!(said.contains("DEBUG"), "{said}");
    assert!(!said.contains('\u{1b}'), "escape codes in a pipe: {said:?}");

    oras.run(&[
        "manifest",
        "delete",
        "--force",
        &registry.reference(&format!("gone@{image}")),
    ]);
    let out = regscope_output(work.path(), &["ls", &registry.reference("gone")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("has no tags"), "{}", stderr(&out));

    // A typo followed by its arguments is still a typo.
    let out = regscope_output(work.path(), &["tre", &reference]);
    assert!(
        stderr(&out).contains("did you mean `tree`?"),
        "{}",
        stderr(&out)
    );
    let out = regscope_output(work.path(), &["audt", "--format", "json", &reference]);
    assert!(
        stderr(&out).contains("did you mean `audit`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unsigned_image_is_unverified_and_a_foreign_signature_failed() {
    let registry = Registry::olareg();
    let work = tempfile::tempdir().unwrap();
    let oras = Oras::for_registry(&registry);
    push_image(
        &oras,
        work.path(),
        &registry.reference("app:plain"),
        "a",
        "linux",
        "amd64",
    );
    let signed = push_image(
        &oras,
        work.path(),
        &registry.reference("app:signed"),
        "b",
        "linux",
        "arm64",
    )
    .0;
    let (ours, theirs) = (Cosign::v2(), Cosign::v2());
    theirs.sign(
        &registry.reference(&format!("app@{signed}")),
        CosignMode::LegacyTags,
    );
    let key = ours.public_key().to_string_lossy().into_owned();

    let out = regscope_output(
        work.path(),
        &[
            "audit",
            &registry.reference("app"),
            "--key",
            &key,
            "--no-config-trust",
        ],
    );
    let table = String::from_utf8_lossy(&out.stdout);
    let row = |tag: &str| {
        table
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(tag))
            .unwrap_or_else(|| panic!("no row {tag}: {table}"))
            .to_owned()
    };
    assert!(
        row("plain").contains("unverified (no signature)"),
        "{table}"
    );
    assert!(!row("plain").contains("failed"), "{table}");
    assert!(row("signed").contains("failed ("), "{table}");
    assert!(table.contains("0 verified"), "{table}");

    let out = regscope_output(
        work.path(),
        &[
            "audit",
            &registry.reference("app:plain"),
            "--key",
            &key,
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["images"][0]["verification"], "unverified");
    assert_eq!(
        json["images"][0]["details"]["verification"]["reason"],
        "no signature"
    );
    assert_eq!(json["summary"]["failed"], 0);
}
