//! `regscope doctor`'s exit status, for CI that gates on it: 1 when a
//! check fails (distribution 2.8 has no referrers API), with the report
//! still printed and stderr naming the failed checks; 0 on
//! go-containerregistry's registry, where read-only every check passes,
//! warns or was skipped (olareg fails `catalog`: it has none). (`doctor_json` checks the status of
//! every other doctor run against its report.)

use crate::cli::regscope_output;
use crate::doctor::seed_app;
use crate::support::Registry;

#[test]
fn a_failed_check_exits_1_and_names_itself() {
    let registry = Registry::distribution();
    let work = tempfile::tempdir().unwrap();
    seed_app(&registry, work.path());
    let out = regscope_output(work.path(), &["doctor", &registry.reference("app")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("referrers-api") && stdout.contains("fail"),
        "the whole report is printed first: {stdout}"
    );
    assert!(
        stderr.contains("checks failed: referrers-api"),
        "stderr names what failed: {stderr}"
    );
}

#[test]
fn passes_and_skips_exit_0() {
    let registry = Registry::ggcr();
    let work = tempfile::tempdir().unwrap();
    seed_app(&registry, work.path());
    let out = regscope_output(work.path(), &["doctor", &registry.reference("app")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("not tried: writes need --write"),
        "writes were skipped, and the CLI names its flag: {stdout}"
    );
    assert!(!stdout.contains(" fail "), "{stdout}");
}
