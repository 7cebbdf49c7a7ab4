//! The OCI distribution-spec conformance suite (`oci-conformance`, built by
//! `scripts/install-test-tools`) run against a registry of the test
//! ground, and its `results.yaml` read back: the verdict per API.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use super::tool;

/// The suite's verdicts per API (`Ping: Pass`, `Referrers: FAIL`, …), as
/// `results.yaml` lists them under `apis:`.
#[derive(Debug, Clone)]
pub struct SuiteResults {
    pub apis: BTreeMap<String, String>,
    /// The whole file, for failure messages.
    pub yaml: String,
}

impl SuiteResults {
    /// The verdict of one API; panics when the suite did not report it.
    pub fn api(&self, name: &str) -> &str {
        self.apis
            .get(name)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("results.yaml has no API {name:?}:\n{}", self.yaml))
    }
}

/// Runs the suite against `host` (plain HTTP) with its default settings,
/// except that content with sha512 digests is left out: distribution 2.8
/// and v3 refuse sha512, which fails every API on them for a reason doctor
/// does not probe (regscope's pushes and probes are sha256).
pub fn run_suite(host: &str) -> SuiteResults {
    let work = tempfile::Builder::new()
        .prefix("regscope-conformance-")
        .tempdir()
        .expect("temp dir for the conformance suite");
    let mut command = Command::new(tool("oci-conformance"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("OCI_") {
            command.env_remove(key);
        }
    }
    let output = command
        .current_dir(work.path())
        .env("OCI_REGISTRY", host)
        .env("OCI_TLS", "disabled")
        .env("OCI_DATA_SHA512", "false")
        .env("OCI_RESULTS_DIR", work.path().join("results"))
        .stdin(Stdio::null())
        .output()
        .expect("run oci-conformance");
    let path = work.path().join("results").join("results.yaml");
    let yaml = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "oci-conformance wrote no {} ({e}; exit {}):\n{}\n{}",
            path.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    SuiteResults {
        apis: section(&yaml, "apis"),
        yaml,
    }
}

/// `name: value` lines of one top-level section of `results.yaml` (two
/// spaces in, up to the next top-level key).
fn section(yaml: &str, name: &str) -> BTreeMap<String, String> {
    let header = format!("{name}:");
    yaml.lines()
        .skip_while(|line| line.trim_end() != header)
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| {
            let (key, value) = line.trim().split_once(": ")?;
            Some((key.to_owned(), value.trim().to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::section;

    #[test]
    fn reads_one_section() {
        let yaml = "config:\n  registry: x\napis:\n  Ping: Pass\n  Blob get range: FAIL\ndata:\n  Image: Pass\n";
        let apis = section(yaml, "apis");
        assert_eq!(apis.len(), 2);
        assert_eq!(apis["Blob get range"], "FAIL");
    }
}
