//! The built-in demo: a directory of OCI layouts embedded in the binary (see
//! `build.rs`; the content is written by `scripts/make-demo-layout`), so
//! `regscope` with no argument works offline from `cargo install`.
//!
//! ```text
//! net-monitor:v1              image: config + 2 gzip tar layers
//! ├── signature/example       signature.json
//! ├── CycloneDX SBOM          sbom.cdx.json (40 components)
//! │   └── signature/example   signature of the SBOM
//! └── readme/example          readme.md + details/ (tar+gzip, unpack)
//! multi-arch:v1               index: linux/amd64 + linux/arm64/v8
//! ├── linux/amd64 ── CycloneDX SBOM
//! └── linux/arm64 ── CycloneDX SBOM
//! plain:v1                    image, no attachments
//! ```
//!
//! The demo is opened from a scratch copy so that writes (attach, delete)
//! work and vanish with it. Digests are stable (fixed timestamps, gzip
//! mtime 0) and named in `digests`, for tests and snapshots.

mod digests;

use std::path::{Component, Path};

use tempfile::TempDir;

pub use digests::*;

use crate::store::StoreError;
use crate::store::layout::LayoutStore;

/// What the demo store calls itself (`Store::name`) and the registry part
/// of its references (`demo/net-monitor@sha256:…`).
pub const DEMO_REGISTRY_NAME: &str = "demo";
/// For the status bar: where the demo's writes go.
pub const DEMO_SCRATCH_NOTE: &str = "built-in demo: changes go to a scratch copy, gone on exit";

pub const NET_MONITOR_REPO: &str = "net-monitor";
pub const MULTI_ARCH_REPO: &str = "multi-arch";
pub const PLAIN_REPO: &str = "plain";
/// Every demo repository has this one tag.
pub const DEMO_TAG: &str = "v1";
/// The repositories, as the demo's catalog lists them.
pub const DEMO_REPOSITORIES: &[&str] = &[MULTI_ARCH_REPO, NET_MONITOR_REPO, PLAIN_REPO];

/// `(path below the demo root, content)` of every embedded file.
static FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// Writes the demo layouts into `dir` (created if missing): one layout per
/// repository, `dir/net-monitor`, `dir/multi-arch`, `dir/plain`.
pub fn write_to(dir: &Path) -> Result<(), StoreError> {
    if FILES.is_empty() {
        return Err(StoreError::Invalid(
            "this build has no demo embedded (assets/demo was missing)".to_owned(),
        ));
    }
    for (relative, content) in FILES {
        let relative = Path::new(relative);
        // The table is ours, but a path that could leave `dir` is refused
        // anyway rather than trusted.
        if !relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(StoreError::Invalid(format!(
                "demo file {} has an unsafe path",
                relative.display()
            )));
        }
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| StoreError::io(format!("creating {}", parent.display()), e))?;
        }
        std::fs::write(&path, content)
            .map_err(|e| StoreError::io(format!("writing {}", path.display()), e))?;
    }
    Ok(())
}

/// Writes the demo to a fresh scratch directory and opens it. Keep the
/// `TempDir` alive as long as the store: dropping it deletes the copy.
pub fn open_scratch() -> Result<(LayoutStore, TempDir), StoreError> {
    let scratch = tempfile::Builder::new()
        .prefix("regscope-demo-")
        .tempdir()
        .map_err(|e| StoreError::io("creating the demo's scratch directory", e))?;
    write_to(scratch.path())?;
    let store = LayoutStore::open(scratch.path())?
        .with_display_name(DEMO_REGISTRY_NAME, DEMO_REGISTRY_NAME);
    Ok((store, scratch))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oci::Digest;

    #[test]
    fn every_documented_digest_is_embedded() {
        for digest in [
            NET_MONITOR_V1,
            NET_MONITOR_SIGNATURE,
            NET_MONITOR_SBOM,
            NET_MONITOR_SBOM_SIGNATURE,
            NET_MONITOR_README,
            MULTI_ARCH_V1,
            MULTI_ARCH_AMD64,
            MULTI_ARCH_ARM64,
            MULTI_ARCH_AMD64_SBOM,
            MULTI_ARCH_ARM64_SBOM,
            PLAIN_V1,
        ] {
            let parsed: Digest = digest.parse().expect("a valid digest");
            let (_, content) = FILES
                .iter()
                .find(|(path, _)| path.ends_with(&parsed.layout_path()))
                .unwrap_or_else(|| panic!("{digest} is not embedded"));
            assert!(
                parsed.matches(content),
                "{digest} content does not hash to it"
            );
        }
    }
}
