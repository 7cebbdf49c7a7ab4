//! What the CLI says when it fails: each "caused by" line adds something
//! the line above did not say, and `REGSCOPE_LOG` turns on request logs
//! without a credential in them.

use std::path::Path;

use crate::cli::regscope_output;
use crate::support::Registry;

fn stderr_of(dir: &Path, args: &[&str]) -> String {
    let out = regscope_output(dir, args);
    assert!(!out.status.success(), "{args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The message of every line of an error report, without its prefix.
fn report_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|line| {
            line.strip_prefix("error: ")
                .or_else(|| line.trim_start().strip_prefix("caused by: "))
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_cause_is_said_once() {
    let work = tempfile::tempdir().unwrap();
    let missing = work.path().join("no-such-layout");
    // A layout whose index names a manifest blob that is not JSON.
    let broken = work.path().join("broken");
    let blob = b"{ not json";
    let digest = format!("sha256:{}", sha256_hex(blob));
    std::fs::create_dir_all(broken.join("blobs/sha256")).unwrap();
    std::fs::write(broken.join("blobs/sha256").join(&digest[7..]), blob).unwrap();
    std::fs::write(
        broken.join("oci-layout"),
        r#"{"imageLayoutVersion":"1.0.0"}"#,
    )
    .unwrap();
    std::fs::write(
        broken.join("index.json"),
        format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{digest}","size":{},"annotations":{{"org.opencontainers.image.ref.name":"v1"}}}}]}}"#,
            blob.len()
        ),
    )
    .unwrap();
    let cases = [
        format!("oci:{}:v1", missing.display()),
        format!("oci:{}:v1", broken.display()),
        "localhost:5000/app@sha256:abc".to_owned(),
        "localhost:5000/App:v1".to_owned(),
    ];
    for target in &cases {
        let stderr = stderr_of(work.path(), &["tree", target]);
        let lines = report_lines(&stderr);
        assert!(!lines.is_empty(), "{target}: no report in {stderr}");
        for pair in lines.windows(2) {
            let last_words = pair[1].rsplit(": ").next().unwrap_or(&pair[1]);
            assert!(
                !pair[0].contains(last_words),
                "{target}: {:?} repeats what {:?} said:\n{stderr}",
                pair[1],
                pair[0]
            );
        }
    }
}

#[test]
fn regscope_log_shows_requests_without_credentials() {
    let registry = Registry::olareg();
    let work = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_regscope"))
        .args([
            "ls",
            registry.host(),
            "--username",
            "someone",
            "--password-stdin",
        ])
        .env("HOME", work.path())
        .env("DOCKER_CONFIG", work.path().join(".docker"))
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("REGSCOPE_LOG", "regscope=debug")
        .env_remove("RUST_LOG")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(b"hunter2-secret\n")?;
            child.wait_with_output()
        })
        .expect("run regscope");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("GET") && stderr.contains("/v2/_catalog"),
        "no request logged:\n{stderr}"
    );
    assert!(!stderr.contains("hunter2-secret"), "{stderr}");
    // Base64 of "someone:hunter2-secret", as Basic auth would carry it.
    assert!(
        !stderr.contains("c29tZW9uZTpodW50ZXIyLXNlY3JldA"),
        "{stderr}"
    );
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
