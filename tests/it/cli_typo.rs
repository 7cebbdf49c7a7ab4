//! `regscope tre` is a typo of `tree`, not the Docker Hub repository
//! `tre`; references with a registry, tag or dot still open the TUI.

use crate::cli::regscope_output;

#[test]
fn a_mistyped_subcommand_is_named_not_opened() {
    let work = tempfile::tempdir().unwrap();
    let out = regscope_output(work.path(), &["tre"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("did you mean `tree`?"), "{stderr}");
    for target in ["localhost:5000", "ghcr.io/x"] {
        let out = regscope_output(work.path(), &[target]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("needs a terminal"), "{target}: {stderr}");
    }
}

/// Each command's `--help` lists its own flags apart from the connection
/// flags every command shares.
#[test]
fn help_puts_the_connection_flags_under_their_own_heading() {
    let work = tempfile::tempdir().unwrap();
    let out = regscope_output(work.path(), &["pull", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    let own = help.find("--sbom").expect("pull's own flag");
    let heading = help.find("\nConnection:\n").expect("a Connection heading");
    let shared = help.find("--plain-http").expect("a connection flag");
    assert!(own < heading && heading < shared, "{help}");
}
