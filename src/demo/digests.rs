//! The demo's digests, written by `scripts/make-demo-layout` (do not edit:
//! rerun the script). Stable across runs, so tests and snapshots use them.

/// `net-monitor:v1`, a small amd64 image.
pub const NET_MONITOR_V1: &str =
    "sha256:7684ab4817e08399461ad617a34c88091b230abbc95ba404ade0fec6c70b5012";
/// `signature/example` referrer of `net-monitor:v1`.
pub const NET_MONITOR_SIGNATURE: &str =
    "sha256:0021a187b36b5ebab28ce40f25ea0798a83fadbef834005c4bac611ccab33935";
/// CycloneDX SBOM referrer of `net-monitor:v1`.
pub const NET_MONITOR_SBOM: &str =
    "sha256:a36a3df574179ac0a37f273f3d1f75940d0939137286b30411785176894db2bd";
/// `signature/example` referrer of the SBOM.
pub const NET_MONITOR_SBOM_SIGNATURE: &str =
    "sha256:5cddee919e3d696da04172bc2f0fdcce1d681889def2531bdc3e1cfa52520888";
/// `readme/example` referrer: readme.md and details/.
pub const NET_MONITOR_README: &str =
    "sha256:8760f20d1df2e0dd881e2fa7e4ad3ef601a566f4cbaedad42437566f790c5258";
/// `multi-arch:v1`, an index of linux/amd64 and linux/arm64.
pub const MULTI_ARCH_V1: &str =
    "sha256:8f551fd36d51f35a681702dc62973acf2936579150174f71926b4bbe3d57d0d1";
/// the linux/amd64 image of `multi-arch:v1`.
pub const MULTI_ARCH_AMD64: &str =
    "sha256:abdb89e26cdf51d56841ee9bd697add984d9148e0dedc95448830b221d9e918c";
/// the linux/arm64 image of `multi-arch:v1`.
pub const MULTI_ARCH_ARM64: &str =
    "sha256:447d4efce3d5438145bcd9a5724a820d6bd5723fc390e79d18cc2ad83243e7ef";
/// CycloneDX SBOM referrer of the amd64 image.
pub const MULTI_ARCH_AMD64_SBOM: &str =
    "sha256:eea68c23f26b7ccb03e462b1797af405d97f90a669cfdf1444ac94ff63b6cf41";
/// CycloneDX SBOM referrer of the arm64 image.
pub const MULTI_ARCH_ARM64_SBOM: &str =
    "sha256:57854b27bee5ab8821f12c4400e1b8755116a0ff8b0996cbaf2174cb9dc9061d";
/// `plain:v1`, an image with no attachments.
pub const PLAIN_V1: &str =
    "sha256:e12c3ac5a1eacf418ab5148f3ef356688d87ef7f27b6f91fd3aa3cb74093edc1";
/// Components in the `net-monitor:v1` SBOM.
pub const NET_MONITOR_SBOM_COMPONENTS: usize = 40;
/// Components in each platform SBOM of `multi-arch:v1`.
pub const MULTI_ARCH_SBOM_COMPONENTS: usize = 18;
