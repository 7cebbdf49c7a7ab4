//! regclient's `regctl`, a second peer next to ORAS: its `artifact tree`
//! also follows cosign's digest tags (`sha256-<hex>.sig`, `.att`, `.sbom`)
//! with `--digest-tags`, and `artifact put --platform` attaches to one
//! platform of an index.
//!
//! Every command gets `--host reg=127.0.0.1:<port>,tls=disabled` (plus
//! `user=`/`pass=` when the registry has credentials), so regctl talks plain
//! HTTP to the loopback registry with no config file of the user's: `HOME`,
//! `DOCKER_CONFIG` and `REGCTL_CONFIG` point into a private temp dir.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

use super::{Registry, tool};

/// `regctl` bound to one registry.
pub struct Regctl {
    bin: PathBuf,
    home: TempDir,
    /// The `--host` value: `reg=127.0.0.1:<port>,tls=disabled[,user=..,pass=..]`.
    host_flag: String,
}

/// One artifact to attach with [`Regctl::put`].
#[derive(Debug, Clone, Copy)]
pub struct Put<'a> {
    /// The subject reference (`127.0.0.1:<port>/repo:tag` or `@sha256:..`).
    pub subject: &'a str,
    pub artifact_type: &'a str,
    /// One file, pushed as a layer titled with its file name.
    pub file: &'a Path,
    pub file_media_type: &'a str,
    /// `--platform os/arch`: attach to that platform's manifest when the
    /// subject is an index.
    pub platform: Option<&'a str>,
    /// `key=value` annotations on the manifest.
    pub annotations: &'a [&'a str],
}

impl Regctl {
    /// `regctl` talking plain HTTP to `registry`, with its credentials if it
    /// has any.
    pub fn for_registry(registry: &Registry) -> Self {
        let mut host_flag = format!("reg={},tls=disabled", registry.host());
        if let Some((user, pass)) = registry.credentials() {
            host_flag.push_str(&format!(",user={user},pass={pass}"));
        }
        Regctl {
            bin: tool("regctl"),
            home: tempfile::Builder::new()
                .prefix("regscope-regctl-home-")
                .tempdir()
                .expect("temp HOME for regctl"),
            host_flag,
        }
    }

    /// The `Command` [`Regctl::run`] executes: `regctl --host .. <args>`.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.arg("--host").arg(&self.host_flag).args(args);
        cmd.env("HOME", self.home.path())
            .env("DOCKER_CONFIG", self.home.path().join(".docker"))
            .env("REGCTL_CONFIG", self.home.path().join("regctl.json"))
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost")
            .current_dir(self.home.path())
            .stdin(Stdio::null());
        cmd
    }

    /// Run without judging the exit status.
    pub fn output(&self, args: &[&str]) -> Output {
        self.command(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run regctl {args:?}: {e}"))
    }

    /// Run; stdout on success, panic with stderr otherwise.
    pub fn run(&self, args: &[&str]) -> String {
        let out = self.output(args);
        if !out.status.success() {
            panic!(
                "regctl {} failed ({}):\n--- stderr ---\n{}\n--- stdout ---\n{}",
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stderr),
                String::from_utf8_lossy(&out.stdout)
            );
        }
        String::from_utf8(out.stdout).expect("regctl stdout is UTF-8")
    }

    /// `regctl artifact tree --digest-tags --format '{{json .}}' <reference>`:
    /// `{"reference": {"Reference", "Registry", "Repository", "Tag",
    /// "Digest", ..}, "manifest": {..}, "artifactType"?, "child"?: [..],
    /// "referrer"?: [..]}`, recursively. Referrers found by the API or the
    /// fallback index have `reference.Digest`; cosign's digest tags appear
    /// as referrers with `reference.Tag` = `sha256-<hex>.sig` (`.att`,
    /// `.sbom`) and no artifact type.
    pub fn tree(&self, reference: &str) -> Value {
        let out = self.run(&[
            "artifact",
            "tree",
            "--digest-tags",
            "--format",
            "{{json .}}",
            reference,
        ]);
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("regctl artifact tree: not JSON ({e}):\n{out}"))
    }

    /// `regctl artifact tree --digest-tags <reference>` in its text form
    /// (`Referrers:` lists with `digest: artifactType` lines).
    pub fn tree_text(&self, reference: &str) -> String {
        self.run(&["artifact", "tree", "--digest-tags", reference])
    }

    /// `regctl artifact put --subject .. [--platform ..] -f file`; returns
    /// the pushed manifest's digest.
    pub fn put(&self, put: &Put<'_>) -> String {
        let file = put.file.to_string_lossy().into_owned();
        let mut args = vec![
            "artifact",
            "put",
            "--subject",
            put.subject,
            "--artifact-type",
            put.artifact_type,
            "--file",
            &file,
            "--file-media-type",
            put.file_media_type,
            "--file-title",
            "--strip-dirs",
            "--format",
            "{{ printf \"%s\\n\" .Manifest.GetDescriptor.Digest }}",
        ];
        if let Some(p) = put.platform {
            args.extend(["--platform", p]);
        }
        for a in put.annotations {
            args.extend(["--annotation", a]);
        }
        let out = self.run(&args);
        let digest = out.trim().to_string();
        assert!(
            digest.starts_with("sha256:"),
            "regctl artifact put printed no digest: {out:?}"
        );
        digest
    }
}

/// Every node of a `regctl artifact tree` JSON tree (depth first, the root
/// first), following both `child` and `referrer`.
pub fn tree_nodes(tree: &Value) -> Vec<&Value> {
    let mut out = vec![tree];
    for key in ["child", "referrer"] {
        if let Some(list) = tree[key].as_array() {
            for n in list {
                out.extend(tree_nodes(n));
            }
        }
    }
    out
}

/// The referrers (direct, including digest tags) of a tree node.
pub fn tree_referrers(node: &Value) -> Vec<&Value> {
    node["referrer"]
        .as_array()
        .map(|l| l.iter().collect())
        .unwrap_or_default()
}

/// The artifact types of every referrer in a `regctl artifact tree` JSON
/// tree, at any depth.
pub fn tree_artifact_types(tree: &Value) -> Vec<String> {
    tree_nodes(tree)
        .into_iter()
        .skip(1)
        .filter_map(|n| n["artifactType"].as_str().map(str::to_string))
        .collect()
}

/// The tags of the tree's nodes that are cosign digest tags
/// (`sha256-<hex>.sig`, `.att`, `.sbom`), at any depth.
pub fn tree_digest_tags(tree: &Value) -> Vec<String> {
    tree_nodes(tree)
        .into_iter()
        .filter_map(|n| n["reference"]["Tag"].as_str())
        .filter(|t| t.starts_with("sha256-"))
        .map(str::to_string)
        .collect()
}
