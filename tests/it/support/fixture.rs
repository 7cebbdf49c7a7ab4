//! The seeds' scenario (shared/seeds/000), pushed with the real ORAS CLI.
//!
//! ```text
//! net-monitor:v1                      small real image (config + gzip tar layer)
//! ├── signature/example               signature.json
//! ├── sbom/example                    sbom.json
//! │   └── signature/example           sbom-signature.json
//! └── readme/example                  readme.md + details/ (tar+gzip, unpack)
//! multi:v1                            index: linux/amd64 + linux/arm64
//! └── signature/example               multi-signature.json
//! many-tags:t000 … t<N-1>             one tiny artifact, MANY_TAGS tags
//! ```

use std::fs;
use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};
use tempfile::TempDir;

use super::{Oras, Registry, media, sha256_digest};

pub const IMAGE_REPO: &str = "net-monitor";
pub const IMAGE_TAG: &str = "v1";
pub const MULTI_REPO: &str = "multi";
pub const MULTI_TAG: &str = "v1";
pub const MANY_TAGS_REPO: &str = "many-tags";
/// More than the usual page sizes (100 on many registries, olareg's 1000 is
/// the exception) so listings cross page boundaries.
pub const MANY_TAGS: usize = 320;

pub const SIGNATURE_TYPE: &str = "signature/example";
pub const SBOM_TYPE: &str = "sbom/example";
pub const README_TYPE: &str = "readme/example";

/// What [`Fixture::seed`] pushed, with every digest tests assert on.
#[derive(Debug)]
pub struct Fixture {
    /// `127.0.0.1:<port>` of the seeded registry.
    pub host: String,
    /// The local files that were pushed (signature.json, sbom.json,
    /// sbom-signature.json, readme.md, details/…, image/…), kept for
    /// comparing pulls.
    pub files: TempDir,

    /// `net-monitor:v1`: the image manifest.
    pub image: String,
    pub image_config: String,
    pub image_layer: String,
    /// Bytes of the image's gzip tar layer.
    pub image_layer_bytes: Vec<u8>,
    /// `signature/example` referrer of the image.
    pub signature: String,
    /// `sbom/example` referrer of the image.
    pub sbom: String,
    /// `signature/example` referrer of the SBOM (depth 2).
    pub sbom_signature: String,
    /// `readme/example` referrer of the image.
    pub readme: String,
    /// The readme's `readme.md` blob.
    pub readme_file_blob: String,
    /// The readme's `details` directory blob (tar+gzip, annotated
    /// `io.deis.oras.content.unpack: "true"`).
    pub readme_dir_blob: String,
    /// The readme artifact's manifest as ORAS pushed it.
    pub readme_manifest: Value,

    /// `multi:v1`: the image index.
    pub multi_index: String,
    pub multi_amd64: String,
    pub multi_arm64: String,
    /// `signature/example` referrer of the index.
    pub multi_signature: String,

    /// The manifest all `many-tags` tags point to.
    pub many_tags_manifest: String,
    /// Every tag of `many-tags` (`t000` …), sorted.
    pub many_tags: Vec<String>,
}

pub const SIGNATURE_JSON: &str = "signature.json";
pub const SBOM_JSON: &str = "sbom.json";
pub const SBOM_SIGNATURE_JSON: &str = "sbom-signature.json";
pub const README_MD: &str = "readme.md";
pub const DETAILS_DIR: &str = "details";

impl Fixture {
    /// Push the whole scenario to `registry` (logging in first when it has
    /// credentials). Independent parts are pushed in parallel.
    pub fn seed(registry: &Registry) -> Fixture {
        let oras = Oras::for_registry(registry);
        let host = registry.host().to_string();
        let files = tempfile::Builder::new()
            .prefix("regscope-fixture-")
            .tempdir()
            .unwrap();
        write_files(files.path(), &host);

        let (image, multi, many) = std::thread::scope(|s| {
            let image = s.spawn(|| seed_image(&oras, &host, files.path()));
            let multi = s.spawn(|| seed_multi(&oras, &host, files.path()));
            let many = s.spawn(|| seed_many_tags(&oras, &host, files.path()));
            (join(image.join()), join(multi.join()), join(many.join()))
        });

        Fixture {
            host,
            files,
            image: image.image,
            image_config: image.config,
            image_layer: image.layer,
            image_layer_bytes: image.layer_bytes,
            signature: image.signature,
            sbom: image.sbom,
            sbom_signature: image.sbom_signature,
            readme: image.readme,
            readme_file_blob: image.readme_file_blob,
            readme_dir_blob: image.readme_dir_blob,
            readme_manifest: image.readme_manifest,
            multi_index: multi.index,
            multi_amd64: multi.amd64,
            multi_arm64: multi.arm64,
            multi_signature: multi.signature,
            many_tags_manifest: many.0,
            many_tags: many.1,
        }
    }

    /// `host/net-monitor:v1`.
    pub fn image_ref(&self) -> String {
        format!("{}/{IMAGE_REPO}:{IMAGE_TAG}", self.host)
    }
    /// `host/multi:v1`.
    pub fn multi_ref(&self) -> String {
        format!("{}/{MULTI_REPO}:{MULTI_TAG}", self.host)
    }
    /// `host/<repo>@<digest>`.
    pub fn digest_ref(&self, repo: &str, digest: &str) -> String {
        format!("{}/{repo}@{digest}", self.host)
    }
    /// Contents of a pushed file, by its path relative to the fixture dir
    /// (`sbom.json`, `details/notes.txt`, …).
    pub fn file(&self, rel: &str) -> Vec<u8> {
        fs::read(self.files.path().join(rel)).unwrap()
    }
}

fn join<T>(r: std::thread::Result<T>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e),
    }
}

fn write_files(dir: &Path, host: &str) {
    let image = format!("{host}/{IMAGE_REPO}:{IMAGE_TAG}");
    fs::write(
        dir.join(SIGNATURE_JSON),
        format!("{{\"artifact\": \"{image}\", \"signature\": \"pat hancock\"}}\n"),
    )
    .unwrap();
    fs::write(
        dir.join(SBOM_JSON),
        format!(
            "{{\"version\": \"0.0.0.0\", \"artifact\": \"{image}\", \"contents\": \"good\"}}\n"
        ),
    )
    .unwrap();
    fs::write(
        dir.join(README_MD),
        "# net-monitor\n\nMonitors the network. See details/.\n",
    )
    .unwrap();
    let details = dir.join(DETAILS_DIR);
    fs::create_dir_all(details.join("more")).unwrap();
    fs::write(details.join("notes.txt"), "details of net-monitor\n").unwrap();
    fs::write(details.join("more/usage.txt"), "run it\n").unwrap();
    fs::write(
        dir.join("multi-signature.json"),
        format!(
            "{{\"artifact\": \"{host}/{MULTI_REPO}:{MULTI_TAG}\", \"signature\": \"pat hancock\"}}\n"
        ),
    )
    .unwrap();
    fs::write(dir.join("tagged.txt"), "one artifact, many tags\n").unwrap();
}

/// A gzip tar with one file, reproducible (fixed mtime/owner/mode).
/// Returns (gzip bytes, uncompressed tar bytes).
pub fn make_layer(file_name: &str, contents: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_ustar();
    header.set_size(contents.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_uid(0);
    header.set_gid(0);
    header.set_entry_type(tar::EntryType::Regular);
    tar.append_data(&mut header, file_name, contents).unwrap();
    let tar_bytes = tar.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar_bytes).unwrap();
    (gz.finish().unwrap(), tar_bytes)
}

/// An OCI image config for one layer.
pub fn make_config(os: &str, arch: &str, diff_id: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "created": "2024-01-01T00:00:00Z",
        "architecture": arch,
        "os": os,
        "config": {
            "Entrypoint": ["/usr/bin/net-monitor"],
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
        },
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "regscope test fixture"}]
    }))
    .unwrap()
}

/// Write a one-layer image's config and layer under `dir/<name>/` and push
/// it with `oras push --config`. Returns (manifest digest, config digest,
/// layer digest, layer bytes).
pub fn push_image(
    oras: &Oras,
    dir: &Path,
    reference: &str,
    name: &str,
    os: &str,
    arch: &str,
) -> (String, String, String, Vec<u8>) {
    let sub = dir.join(name);
    fs::create_dir_all(&sub).unwrap();
    let program = format!("#!/bin/sh\necho net-monitor for {os}/{arch}\n");
    let (layer, tar) = make_layer("usr/bin/net-monitor", program.as_bytes());
    let config = make_config(os, arch, &sha256_digest(&tar));
    fs::write(sub.join("config.json"), &config).unwrap();
    fs::write(sub.join("layer.tar.gz"), &layer).unwrap();
    let config_arg = format!("config.json:{}", media::OCI_CONFIG);
    let layer_arg = format!("layer.tar.gz:{}", media::OCI_LAYER_GZIP);
    let out = oras.json_in(
        &sub,
        &[
            "push",
            reference,
            "--config",
            &config_arg,
            &layer_arg,
            "--format",
            "json",
        ],
    );
    (
        digest_of(&out),
        sha256_digest(&config),
        sha256_digest(&layer),
        layer,
    )
}

fn digest_of(v: &Value) -> String {
    v["digest"]
        .as_str()
        .unwrap_or_else(|| panic!("no digest in oras output: {v}"))
        .to_string()
}

fn attach(oras: &Oras, dir: &Path, subject: &str, artifact_type: &str, files: &[&str]) -> String {
    let mut args = vec!["attach", "--artifact-type", artifact_type, subject];
    args.extend_from_slice(files);
    args.extend_from_slice(&["--format", "json"]);
    digest_of(&oras.json_in(dir, &args))
}

struct SeededImage {
    image: String,
    config: String,
    layer: String,
    layer_bytes: Vec<u8>,
    signature: String,
    sbom: String,
    sbom_signature: String,
    readme: String,
    readme_file_blob: String,
    readme_dir_blob: String,
    readme_manifest: Value,
}

fn seed_image(oras: &Oras, host: &str, dir: &Path) -> SeededImage {
    let image_ref = format!("{host}/{IMAGE_REPO}:{IMAGE_TAG}");
    let (image, config, layer, layer_bytes) =
        push_image(oras, dir, &image_ref, "image", "linux", "amd64");
    // Sequential on purpose: on a registry without the referrers API each
    // attach read-modify-writes the same fallback index.
    let sig_arg = format!("{SIGNATURE_JSON}:application/json");
    let signature = attach(oras, dir, &image_ref, SIGNATURE_TYPE, &[&sig_arg]);
    let sbom_arg = format!("{SBOM_JSON}:application/json");
    let sbom = attach(oras, dir, &image_ref, SBOM_TYPE, &[&sbom_arg]);
    let sbom_ref = format!("{host}/{IMAGE_REPO}@{sbom}");
    fs::write(
        dir.join(SBOM_SIGNATURE_JSON),
        format!("{{\"artifact\": \"{sbom_ref}\", \"signature\": \"pat hancock\"}}\n"),
    )
    .unwrap();
    let sbom_sig_arg = format!("{SBOM_SIGNATURE_JSON}:application/json");
    let sbom_signature = attach(oras, dir, &sbom_ref, SIGNATURE_TYPE, &[&sbom_sig_arg]);
    let readme_arg = format!("{README_MD}:text/markdown");
    let manifest_file = dir.join("readme-manifest.json");
    let out = oras.json_in(
        dir,
        &[
            "attach",
            "--artifact-type",
            README_TYPE,
            &image_ref,
            &readme_arg,
            DETAILS_DIR,
            "--export-manifest",
            manifest_file.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let readme = digest_of(&out);
    let readme_manifest: Value =
        serde_json::from_slice(&fs::read(&manifest_file).unwrap()).unwrap();
    let layers = readme_manifest["layers"].as_array().unwrap();
    let by_title = |t: &str| {
        layers
            .iter()
            .find(|l| l["annotations"]["org.opencontainers.image.title"] == t)
            .unwrap_or_else(|| panic!("no layer titled {t} in {readme_manifest}"))
    };
    let readme_file_blob = digest_of(by_title(README_MD));
    let dir_layer = by_title(DETAILS_DIR);
    assert_eq!(
        dir_layer["annotations"]["io.deis.oras.content.unpack"], "true",
        "oras did not mark the directory blob for unpacking: {dir_layer}"
    );
    let readme_dir_blob = digest_of(dir_layer);
    SeededImage {
        image,
        config,
        layer,
        layer_bytes,
        signature,
        sbom,
        sbom_signature,
        readme,
        readme_file_blob,
        readme_dir_blob,
        readme_manifest,
    }
}

struct SeededMulti {
    index: String,
    amd64: String,
    arm64: String,
    signature: String,
}

fn seed_multi(oras: &Oras, host: &str, dir: &Path) -> SeededMulti {
    let amd64_ref = format!("{host}/{MULTI_REPO}:{MULTI_TAG}-linux-amd64");
    let arm64_ref = format!("{host}/{MULTI_REPO}:{MULTI_TAG}-linux-arm64");
    let (amd64, ..) = push_image(oras, dir, &amd64_ref, "multi-amd64", "linux", "amd64");
    let (arm64, ..) = push_image(oras, dir, &arm64_ref, "multi-arm64", "linux", "arm64");
    let index_ref = format!("{host}/{MULTI_REPO}:{MULTI_TAG}");
    // `oras manifest index create` reads each manifest's config for its
    // platform.
    oras.run_in(
        dir,
        &["manifest", "index", "create", &index_ref, &amd64, &arm64],
    );
    let index = oras
        .run_in(dir, &["resolve", &index_ref])
        .trim()
        .to_string();
    let sig_arg = "multi-signature.json:application/json";
    let signature = attach(oras, dir, &index_ref, SIGNATURE_TYPE, &[sig_arg]);
    SeededMulti {
        index,
        amd64,
        arm64,
        signature,
    }
}

fn seed_many_tags(oras: &Oras, host: &str, dir: &Path) -> (String, Vec<String>) {
    let tags: Vec<String> = (0..MANY_TAGS).map(|i| format!("t{i:03}")).collect();
    let first = format!("{host}/{MANY_TAGS_REPO}:{}", tags[0]);
    let out = oras.json_in(
        dir,
        &[
            "push",
            &first,
            "--artifact-type",
            "application/vnd.regscope.test.tagged",
            "tagged.txt:text/plain",
            "--format",
            "json",
        ],
    );
    let digest = digest_of(&out);
    let mut args: Vec<&str> = vec!["tag", &first, "--concurrency", "16"];
    args.extend(tags[1..].iter().map(String::as_str));
    oras.run_in(dir, &args);
    (digest, tags)
}
