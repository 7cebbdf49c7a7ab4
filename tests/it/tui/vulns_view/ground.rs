//! The ground of the findings test: an image on olareg with Trivy's
//! alpine 3.10 report and OpenVEX by `openvex-build` attached with oras,
//! one statement about this image and one about another.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::{Oras, Registry, tool};
use crate::vulns::{TRIVY, attach, data, image};

const OTHER_IMAGE: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

fn oci_purl(repository: &str, digest: &str) -> String {
    format!("pkg:oci/{repository}@{}", digest.replace(':', "%3A"))
}

/// OpenVEX by `openvex-build` with `statements`, written to `dir/name`.
fn openvex(dir: &Path, name: &str, statements: &[String]) -> std::path::PathBuf {
    let mut args = vec!["-timestamp".to_owned(), "2025-01-01T00:00:00Z".to_owned()];
    for statement in statements {
        args.extend(["-statement".to_owned(), statement.clone()]);
    }
    let out = Command::new(tool("openvex-build"))
        .args(&args)
        .output()
        .expect("run openvex-build");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = dir.join(name);
    fs::write(&path, &out.stdout).unwrap();
    path
}

/// An image of `REPO:v1` on olareg, with Trivy's report and the OpenVEX
/// attached.
pub(super) struct Ground {
    pub(super) registry: Registry,
    pub(super) oras: Oras,
    pub(super) dir: tempfile::TempDir,
    pub(super) subject: String,
    pub(super) digest: String,
}

pub(super) const REPO: &str = "vulns-tui";

pub(super) fn scan_and_vex_attached() -> Ground {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let dir = tempfile::tempdir().unwrap();
    let (subject, digest) = image(&oras, &registry, dir.path(), REPO);
    let report = data(&format!(
        "{TRIVY}/integration/testdata/alpine-310.json.golden"
    ));
    let copy = dir.path().join("trivy.json");
    fs::copy(&report, &copy).unwrap();
    attach(&oras, dir.path(), &subject, &copy, "application/json");
    let vex = openvex(
        dir.path(),
        "image.openvex.json",
        &[
            format!(
                "CVE-2019-1549|{}|pkg:apk/alpine/libcrypto1.1|not_affected|vulnerable_code_not_in_execute_path|",
                oci_purl(REPO, &digest)
            ),
            format!(
                "CVE-2019-1551|{}|pkg:apk/alpine/libssl1.1|not_affected|component_not_present|",
                oci_purl(REPO, OTHER_IMAGE)
            ),
        ],
    );
    attach(
        &oras,
        dir.path(),
        &subject,
        &vex,
        "application/openvex+json",
    );
    Ground {
        registry,
        oras,
        dir,
        subject,
        digest,
    }
}
