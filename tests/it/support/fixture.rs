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

use serde_json::Value;
use tempfile::TempDir;

use super::{Oras, Registry};

mod images;
mod seeding;

pub use images::{make_config, make_layer, push_image};
use seeding::{seed_image, seed_many_tags, seed_multi, write_files};

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
