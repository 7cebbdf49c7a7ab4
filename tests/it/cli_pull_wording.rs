//! Pull's words, as a newcomer meets them on a real registry: the summary
//! names every artifact the files came from, a second file of one name is
//! named after its artifact, a `--platform` that matches nothing is an
//! error in every command, untitled layers are skipped the way oras skips
//! them (and `--layer` gets one), and progress lines name a blob once.

use std::path::Path;

use crate::cli::regscope_output;
use crate::cli_pull::{Blob, push_artifact};
use crate::support::fixture::make_layer;
use crate::support::two_platforms::{attach_cyclonedx, push_two_platforms};
use crate::support::{Oras, Registry, media, sha256_digest};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `app:multi` (amd64, arm64), each platform with a CycloneDX SBOM of the
/// same bytes; returns (amd64, SBOM digests).
fn multi_with_sboms(registry: &Registry, work: &std::path::Path) -> (String, Vec<String>) {
    let multi = push_two_platforms(registry, work);
    std::fs::write(
        work.join("sbom.json"),
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5"}"#,
    )
    .unwrap();
    let sboms = multi
        .platforms()
        .iter()
        .map(|platform| attach_cyclonedx(registry, work, platform, "sbom.json"))
        .collect();
    (multi.amd, sboms)
}

#[test]
fn a_pull_names_every_artifact_and_platforms_that_match_nothing_fail() {
    let registry = Registry::olareg();
    let work = tempfile::tempdir().unwrap();
    let (amd, sboms) = multi_with_sboms(&registry, work.path());
    let multi = registry.reference("app:multi");

    every_platform_s_sbom_named_once(work.path(), multi.as_str(), &sboms);
    a_plain_pull_says_image(&registry, work.path(), &amd);
    a_second_sbom_of_the_same_bytes(&registry, work.path(), &amd, &sboms);
    a_platform_the_image_lacks_fails(&registry, work.path(), &multi);
}

/// `--platform all`: the summary names both SBOMs with their platforms,
/// and progress names each file once: what, short digest, size.
fn every_platform_s_sbom_named_once(work: &Path, multi: &str, sboms: &[String]) {
    let out = regscope_output(
        work,
        &["pull", multi, "--sbom", "--platform", "all", "-o", "all"],
    );
    let said = stderr(&out);
    assert!(out.status.success(), "{said}");
    let last = said.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("Pulled 2 files from 2 artifacts: "),
        "{said}"
    );
    assert!(
        last.contains(&format!("@{} (linux/amd64)", sboms[0]))
            && last.contains(&format!("@{} (linux/arm64)", sboms[1])),
        "{said}"
    );

    let blob = sha256_digest(br#"{"bomFormat":"CycloneDX","specVersion":"1.5"}"#);
    let short = &blob["sha256:".len().."sha256:".len() + 12];
    let line = said
        .lines()
        .find(|l| l.starts_with("Transferring") && l.contains(short))
        .unwrap_or_else(|| panic!("no transfer line for {short}: {said}"));
    assert!(
        line.starts_with(&format!("Transferring linux-amd64/sbom.json {short} (")),
        "{line}"
    );
    assert_eq!(line.matches(short).count(), 1, "{line}");
}

/// A plain pull of an image says "image", not its config's media type.
fn a_plain_pull_says_image(registry: &Registry, work: &Path, amd: &str) {
    let out = regscope_output(
        work,
        &["pull", &registry.reference("app:amd"), "-o", "plain"],
    );
    let said = stderr(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains(&format!("pulling image {amd} (the reference)")),
        "{said}"
    );
    assert!(!said.contains("config.v1+json"), "{said}");
}

/// Two SBOMs of the same bytes: the second is named by its artifact.
fn a_second_sbom_of_the_same_bytes(registry: &Registry, work: &Path, amd: &str, sboms: &[String]) {
    let extra = Oras::for_registry(registry).run_in(
        work,
        &[
            "attach",
            "--artifact-type",
            "application/vnd.cyclonedx+json",
            "--annotation",
            "org.opencontainers.image.created=2030-01-01T00:00:00Z",
            "--format",
            "go-template={{.digest}}",
            &registry.reference(&format!("app@{amd}")),
            "sbom.json:application/vnd.cyclonedx+json",
        ],
    );
    let extra = extra.trim().to_owned();
    let out = regscope_output(
        work,
        &[
            "pull",
            &registry.reference(&format!("app@{amd}")),
            "--sbom",
            "--all",
            "-o",
            "both",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut names: Vec<String> = std::fs::read_dir(work.join("both"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let older = &sboms[0]["sha256:".len().."sha256:".len() + 12];
    assert_eq!(
        names,
        [format!("sbom-{older}.json"), "sbom.json".to_owned()],
        "{extra}"
    );
}

/// A platform the image does not have is an error, for each command; one
/// it has is fine.
fn a_platform_the_image_lacks_fails(registry: &Registry, work: &Path, multi: &str) {
    let single = registry.reference("app:arm");
    std::fs::write(work.join("note.txt"), "a note\n").unwrap();
    for args in [
        vec![
            "attach",
            single.as_str(),
            "--platform",
            "linux/s390x",
            "--artifact-type",
            "note/example",
            "note.txt",
        ],
        vec!["audit", single.as_str(), "--platform", "linux/s390x"],
        vec!["files", single.as_str(), "--platform", "linux/s390x"],
        vec![
            "pull",
            single.as_str(),
            "--sbom",
            "--platform",
            "linux/s390x",
            "-o",
            "x",
        ],
        vec![
            "pull",
            single.as_str(),
            "--platform",
            "linux/s390x",
            "-o",
            "x",
        ],
        vec!["tree", single.as_str(), "--platform", "linux/s390x"],
        vec![
            "cp",
            single.as_str(),
            "elsewhere:v1",
            "--platform",
            "linux/s390x",
        ],
        vec![
            "pull",
            multi,
            "--sbom",
            "--platform",
            "linux/s390x",
            "-o",
            "x",
        ],
    ] {
        let out = regscope_output(work, &args);
        let said = stderr(&out);
        assert!(!out.status.success(), "{args:?}: {said}");
        assert!(said.contains("linux/s390x"), "{args:?}: {said}");
    }
    assert!(!work.join("x").exists(), "nothing pulled");
    // ...and one it has is fine.
    let out = regscope_output(
        work,
        &[
            "pull",
            &single,
            "--sbom",
            "--platform",
            "linux/arm64",
            "-o",
            "arm",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = regscope_output(work, &["files", &single, "--platform", "linux/arm64"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn untitled_layers_are_skipped_as_oras_skips_them_and_layer_gets_one() {
    let registry = Registry::distribution();
    let work = tempfile::tempdir().unwrap();
    let oras = Oras::for_registry(&registry);
    // An image's layer as build tools push it: no title.
    let (bytes, _) = make_layer("usr/bin/tool", b"#!/bin/sh\n");
    let layer = sha256_digest(&bytes);
    let untitled = Blob {
        bytes: bytes.clone(),
        media_type: media::OCI_LAYER_GZIP,
        annotations: serde_json::json!({}),
    };
    let reference = push_artifact(&oras, &registry, work.path(), "v1", &[untitled]);

    let out = regscope_output(work.path(), &["pull", &reference, "-o", "out"]);
    let said = stderr(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("skipped 1 layer without a file name")
            && said.contains("--layer N")
            && said.contains("regscope cat"),
        "{said}"
    );
    let written = std::fs::read_dir(work.path().join("out")).map_or(0, |d| d.count());
    assert_eq!(written, 0, "no file named by a digest");
    // oras does the same.
    let theirs = oras.output_in(work.path(), &["pull", &reference, "-o", "oras-out"]);
    assert!(
        String::from_utf8_lossy(&theirs.stdout).contains("Skipped"),
        "{theirs:?}"
    );

    let out = regscope_output(
        work.path(),
        &["pull", &reference, "--layer", "0", "-o", "one"],
    );
    let said = stderr(&out);
    assert!(out.status.success(), "{said}");
    let hex = &layer["sha256:".len()..];
    assert_eq!(
        std::fs::read(work.path().join("one").join(hex)).unwrap(),
        bytes
    );
    let out = regscope_output(work.path(), &["files", &reference]);
    let said = stderr(&out);
    assert!(
        said.contains(&format!("Transferring layer {} (", &hex[..12])),
        "the layer named once: {said}"
    );
    let out = regscope_output(
        work.path(),
        &["pull", &reference, "--layer", "3", "-o", "x"],
    );
    assert!(stderr(&out).contains("has no layer 3"), "{}", stderr(&out));
}
