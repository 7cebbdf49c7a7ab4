//! Every operation sees the whole graph, as real tools write it: cosign's
//! tags, OCI 1.1 referrers and Sigstore bundles; SBOMs from real generators
//! attached with `cosign attach sbom`, attested with `cosign attest`, and
//! per platform with `oras attach --platform` and `regctl artifact put
//! --platform`. Each on a registry without the referrers API (distribution
//! 2.8 or v3) and on one with it (olareg).
//!
//! An attested SBOM is compared with what cosign signed, not with the file
//! given to it: cosign re-encodes a predicate (compact, keys sorted), so
//! the pulled predicate equals the file as JSON and the signed statement's
//! predicate byte for byte.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cli::{regscope, regscope_output};
use crate::support::fixture::push_image;
use crate::support::{Cosign, Oras, Regctl, Registry};

mod cosign_tags;
mod platforms;
mod referrer_modes;

const DSSE: &str = "application/vnd.dsse.envelope.v1+json";

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/data/sbom")
        .join(name)
}

fn json_file(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The files a pull wrote, relative to `dir`, sorted.
fn written(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                found.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

struct Ground {
    registry: Registry,
    oras: Oras,
    regctl: Regctl,
    cosign: Cosign,
    work: tempfile::TempDir,
}

impl Ground {
    fn new(registry: Registry) -> Ground {
        Ground {
            oras: Oras::for_registry(&registry),
            regctl: Regctl::for_registry(&registry),
            cosign: Cosign::v2(),
            registry,
            work: tempfile::tempdir().unwrap(),
        }
    }

    fn image(&self, repo: &str, arch: &str) -> String {
        let (digest, ..) = push_image(
            &self.oras,
            self.work.path(),
            &self.registry.reference(&format!("{repo}:{arch}")),
            &format!("{repo}-{arch}"),
            "linux",
            arch,
        );
        digest
    }

    fn run(&self, args: &[&str]) -> String {
        regscope(self.work.path(), args)
    }

    /// `regscope pull` into a fresh directory; returns it and stderr.
    fn pull(&self, name: &str, args: &[&str]) -> (PathBuf, String) {
        let out = self.work.path().join(name);
        let mut all = vec!["pull"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-o", out.to_str().unwrap()]);
        let result = regscope_output(self.work.path(), &all);
        let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
        assert!(result.status.success(), "pull {args:?} failed:\n{stderr}");
        (out, stderr)
    }

    /// Whether the registry still serves `repo@digest`.
    fn exists(&self, repo: &str, digest: &str) -> bool {
        self.oras
            .output(&[
                "manifest",
                "fetch",
                &self.registry.reference(&format!("{repo}@{digest}")),
            ])
            .status
            .success()
    }

    fn tags(&self, repo: &str) -> Vec<String> {
        self.run(&["ls", &self.registry.reference(repo), "--all"])
            .lines()
            .map(str::to_owned)
            .collect()
    }
}
