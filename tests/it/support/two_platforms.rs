//! The two-platform image the CLI tests of `rm`, pull's wording and a
//! deleted platform seed with oras: `app:amd` (linux/amd64) and `app:arm`
//! (linux/arm64), listed by the index `app:multi`, with CycloneDX SBOMs
//! attached to the platforms the way `oras attach` makes them.

use std::path::Path;

use super::fixture::push_image;
use super::{Oras, Registry};

/// The digests of the two images and of the index listing them.
pub struct TwoPlatforms {
    pub amd: String,
    pub arm: String,
    pub index: String,
}

impl TwoPlatforms {
    /// The platforms' image digests, amd64 first.
    pub fn platforms(&self) -> [&str; 2] {
        [&self.amd, &self.arm]
    }
}

/// Pushes `app:amd`, `app:arm` and the index `app:multi` listing both.
pub fn push_two_platforms(registry: &Registry, work: &Path) -> TwoPlatforms {
    let oras = Oras::for_registry(registry);
    let amd = push_image(
        &oras,
        work,
        &registry.reference("app:amd"),
        "amd",
        "linux",
        "amd64",
    )
    .0;
    let arm = push_image(
        &oras,
        work,
        &registry.reference("app:arm"),
        "arm",
        "linux",
        "arm64",
    )
    .0;
    let multi = registry.reference("app:multi");
    oras.run_in(work, &["manifest", "index", "create", &multi, &amd, &arm]);
    let index = oras.run(&["resolve", &multi]).trim().to_owned();
    TwoPlatforms { amd, arm, index }
}

/// Attaches `file` (in `work`) to `app@subject` as a CycloneDX SBOM;
/// returns the SBOM manifest's digest.
pub fn attach_cyclonedx(registry: &Registry, work: &Path, subject: &str, file: &str) -> String {
    let oras = Oras::for_registry(registry);
    oras.run_in(
        work,
        &[
            "attach",
            "--artifact-type",
            "application/vnd.cyclonedx+json",
            "--format",
            "go-template={{.digest}}",
            &registry.reference(&format!("app@{subject}")),
            &format!("{file}:application/vnd.cyclonedx+json"),
        ],
    )
    .trim()
    .to_owned()
}
