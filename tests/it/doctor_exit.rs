//! `regscope doctor`'s exit status, for CI that gates on it: 1 when a
//! check fails (here: a catalog that answers 500), with the report still
//! printed and stderr naming the failed checks; 0 when checks only warn
//! or were skipped (distribution 2.8 has no referrers API, which the spec
//! allows), unless `--strict` asks for warnings to fail too. (`doctor_json`
//! checks the status of every other doctor run against its report.)

use crate::cli::regscope_output;
use crate::doctor::seed_app;
use crate::support::{FaultProxy, Registry, Rule};

#[test]
fn a_failed_check_exits_1_and_names_itself() {
    let registry = Registry::ggcr();
    let proxy = FaultProxy::with_rules(
        registry.host(),
        vec![Rule::new("GET", "/_catalog").status(500)],
    );
    let work = tempfile::tempdir().unwrap();
    seed_app(&registry, work.path());
    let out = regscope_output(work.path(), &["doctor", &proxy.host()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("catalog") && stdout.contains("500"),
        "the whole report is printed first: {stdout}"
    );
    assert!(
        stderr.contains("checks failed: catalog (fail)"),
        "stderr names what failed: {stderr}"
    );
}

#[test]
fn warnings_exit_0_and_fail_with_strict() {
    let registry = Registry::distribution();
    let work = tempfile::tempdir().unwrap();
    seed_app(&registry, work.path());
    let target = registry.reference("app");
    let out = regscope_output(work.path(), &["doctor", &target]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "no referrers API is a warning: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("referrers-api") && stdout.contains("warn"),
        "{stdout}"
    );
    assert!(
        stdout.contains("not tried: writes need --write"),
        "writes were skipped, and the CLI names its flag: {stdout}"
    );

    let strict = regscope_output(work.path(), &["doctor", &target, "--strict"]);
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert_eq!(strict.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("failed or warned") && stderr.contains("referrers-api (warn)"),
        "{stderr}"
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
    assert!(!stdout.contains(" fail "), "{stdout}");
}
