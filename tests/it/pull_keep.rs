//! `pull --keep-old-files` (as oras spells it, and what the TUI always
//! does): a different file already at a final name stops the pull before
//! anything is written; the same bytes again are fine. Without the flag a
//! pull replaces, as `oras pull` does.

use crate::cli::regscope_output;
use crate::cli_pull::{file_blob, push_artifact};
use crate::support::{Oras, Registry};

#[test]
fn keep_old_files_never_replaces_a_different_file() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let work = tempfile::tempdir().unwrap();
    let reference = push_artifact(
        &oras,
        &registry,
        work.path(),
        "v1",
        &[
            file_blob("sbom.json", b"{\"bomFormat\":\"CycloneDX\"}\n"),
            file_blob("readme.txt", b"hello\n"),
        ],
    );
    let out = work.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("sbom.json"), b"mine, not the registry's\n").unwrap();
    let out_arg = out.to_str().unwrap();

    let kept = regscope_output(
        work.path(),
        &["pull", &reference, "-o", out_arg, "--keep-old-files"],
    );
    let stderr = String::from_utf8_lossy(&kept.stderr);
    assert!(!kept.status.success());
    assert!(
        stderr.contains("sbom.json already exists with other content; nothing was written"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(out.join("sbom.json")).unwrap(),
        b"mine, not the registry's\n"
    );
    let mut left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["sbom.json"], "not even the other file, no temp file");

    let replaced = regscope_output(work.path(), &["pull", &reference, "-o", out_arg]);
    assert!(replaced.status.success(), "{replaced:?}");
    assert_eq!(
        std::fs::read(out.join("sbom.json")).unwrap(),
        b"{\"bomFormat\":\"CycloneDX\"}\n"
    );

    let again = regscope_output(
        work.path(),
        &["pull", &reference, "-o", out_arg, "--keep-old-files"],
    );
    assert!(again.status.success(), "the same bytes: {again:?}");
}
