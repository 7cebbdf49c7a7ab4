//! What cosign is asked to do and how: which cosign, where its signatures
//! go (the modes the table in `cosign` describes), and the flags each
//! operation takes in each mode on each major.

use super::Cosign;

/// Which cosign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CosignVersion {
    /// cosign v2.6 (`cosign`).
    V2,
    /// cosign v3 (`cosign3`).
    V3,
}

impl CosignVersion {
    pub(super) fn binary(self) -> &'static str {
        match self {
            CosignVersion::V2 => "cosign",
            CosignVersion::V3 => "cosign3",
        }
    }
}

/// Where cosign puts what it makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CosignMode {
    /// The classic scheme: an image manifest tagged `sha256-<hex>.sig`
    /// (signatures, one layer per signature, `.att` for attestations,
    /// `.sbom` for `attach sbom`) in the image's repository; no `subject`.
    LegacyTags,
    /// `--registry-referrers-mode=oci-1-1` (needs `COSIGN_EXPERIMENTAL=1`):
    /// the signature is a manifest with a `subject` and artifact type
    /// `application/vnd.dev.cosign.artifact.sig.v1+json`, found through the
    /// referrers API or the fallback tag. Only `sign` and `attach sbom` have
    /// this mode; `verify` reads it with `--experimental-oci11`.
    Oci11Referrers,
    /// `--new-bundle-format`: a Sigstore bundle (`application/vnd.dev.
    /// sigstore.bundle.v0.3+json`) in a referrer manifest, for `sign` and
    /// `attest`; the default of cosign v3.
    Bundle,
}

impl CosignMode {
    pub const ALL: [CosignMode; 3] = [
        CosignMode::LegacyTags,
        CosignMode::Oci11Referrers,
        CosignMode::Bundle,
    ];

    /// Whether cosign has `op` in this mode (the same for v2 and v3 and for
    /// every registry the ground runs; see the module doc).
    pub fn supports(self, op: CosignOp) -> bool {
        !matches!(
            (op, self),
            (
                CosignOp::Attest | CosignOp::VerifyAttestation,
                CosignMode::Oci11Referrers
            ) | (CosignOp::AttachSbom, CosignMode::Bundle)
        )
    }

    /// The artifact type of what `sign` makes in this mode, as a referrer
    /// (`None`: a `.sig` tag, no referrer).
    pub fn signature_artifact_type(self) -> Option<&'static str> {
        match self {
            CosignMode::LegacyTags => None,
            CosignMode::Oci11Referrers => Some(COSIGN_SIG_TYPE),
            CosignMode::Bundle => Some(SIGSTORE_BUNDLE_TYPE),
        }
    }
}

/// Artifact type of cosign's OCI 1.1 signatures.
pub const COSIGN_SIG_TYPE: &str = "application/vnd.dev.cosign.artifact.sig.v1+json";
/// Artifact type of cosign's OCI 1.1 `attach sbom`.
pub const COSIGN_SBOM_TYPE: &str = "application/vnd.dev.cosign.artifact.sbom.v1+json";
/// Artifact type (and layer media type) of Sigstore bundles.
pub const SIGSTORE_BUNDLE_TYPE: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";

/// What cosign is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CosignOp {
    Sign,
    Attest,
    AttachSbom,
    Verify,
    VerifyAttestation,
    Tree,
}

pub(super) fn op_args(c: &Cosign, op: CosignOp, mode: CosignMode) -> Vec<String> {
    let key = c.key().to_string_lossy().into_owned();
    let public = c.public_key().to_string_lossy().into_owned();
    let trusted_root = c.trusted_root().to_string_lossy().into_owned();
    let signing_config = c.signing_config().to_string_lossy().into_owned();
    let v3 = c.version == CosignVersion::V3;
    let mut a: Vec<String> = Vec::new();
    let mut push = |items: &[&str]| a.extend(items.iter().map(|s| s.to_string()));
    match op {
        CosignOp::Sign | CosignOp::Attest => {
            push(&[if op == CosignOp::Sign {
                "sign"
            } else {
                "attest"
            }]);
            push(&["--key", &key, "--allow-http-registry", "--yes"]);
            match mode {
                CosignMode::Bundle => {
                    if v3 {
                        push(&["--signing-config", &signing_config]);
                    } else {
                        push(&["--tlog-upload=false", "--new-bundle-format"]);
                    }
                }
                CosignMode::LegacyTags | CosignMode::Oci11Referrers => {
                    push(&["--tlog-upload=false"]);
                    if v3 {
                        push(&["--new-bundle-format=false", "--use-signing-config=false"]);
                    }
                    if mode == CosignMode::Oci11Referrers {
                        push(&["--registry-referrers-mode=oci-1-1"]);
                    }
                }
            }
        }
        CosignOp::AttachSbom => {
            push(&["attach", "sbom", "--allow-http-registry"]);
            push(&[if mode == CosignMode::Oci11Referrers {
                "--registry-referrers-mode=oci-1-1"
            } else {
                "--registry-referrers-mode=legacy"
            }]);
        }
        CosignOp::Verify | CosignOp::VerifyAttestation => {
            push(&[if op == CosignOp::Verify {
                "verify"
            } else {
                "verify-attestation"
            }]);
            push(&[
                "--key",
                &public,
                "--allow-http-registry",
                "--insecure-ignore-tlog=true",
                "--trusted-root",
                &trusted_root,
            ]);
            match mode {
                CosignMode::Bundle => {
                    if !v3 {
                        push(&["--new-bundle-format"]);
                    }
                }
                CosignMode::Oci11Referrers => push(&["--experimental-oci11"]),
                CosignMode::LegacyTags => {
                    if v3 {
                        push(&["--new-bundle-format=false"]);
                    }
                }
            }
        }
        CosignOp::Tree => {
            push(&["tree", "--allow-http-registry"]);
            if mode != CosignMode::LegacyTags {
                push(&["--experimental-oci11"]);
            }
        }
    }
    a
}
