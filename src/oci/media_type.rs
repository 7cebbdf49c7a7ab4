//! Media types as named constants, and how a person should see an artifact
//! type: a short label and a kind that picks its colour (in `kind`).

mod kind;

pub use kind::{
    ArtifactKind, artifact_kind, friendly_name, is_envelope, is_sbom, predicate_kind,
    predicate_name,
};

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// The OCI artifact manifest, withdrawn before OCI 1.1 but still stored.
pub const OCI_ARTIFACT_MANIFEST: &str = "application/vnd.oci.artifact.manifest.v1+json";
pub const ORAS_ARTIFACT_MANIFEST: &str = "application/vnd.cncf.oras.artifact.manifest.v1+json";

pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
pub const OCI_EMPTY: &str = "application/vnd.oci.empty.v1+json";
pub const OCI_LAYER_TAR: &str = "application/vnd.oci.image.layer.v1.tar";
pub const OCI_LAYER_TAR_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
pub const OCI_LAYER_TAR_ZSTD: &str = "application/vnd.oci.image.layer.v1.tar+zstd";
pub const DOCKER_LAYER_TAR_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";

pub const CYCLONEDX_JSON: &str = "application/vnd.cyclonedx+json";
pub const CYCLONEDX_XML: &str = "application/vnd.cyclonedx+xml";
pub const SPDX_JSON: &str = "application/spdx+json";
pub const SYFT_JSON: &str = "application/vnd.syft+json";
pub const IN_TOTO: &str = "application/vnd.in-toto+json";
pub const DSSE_ENVELOPE: &str = "application/vnd.dsse.envelope.v1+json";
pub const NOTARY_SIGNATURE: &str = "application/vnd.cncf.notary.signature";
pub const SIGSTORE_BUNDLE: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";
pub const COSIGN_SIGNATURE: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
pub const COSIGN_ARTIFACT_SIG: &str = "application/vnd.dev.cosign.artifact.sig.v1+json";
pub const COSIGN_ARTIFACT_SBOM: &str = "application/vnd.dev.cosign.artifact.sbom.v1+json";
pub const COSIGN_ARTIFACT_ATTESTATION: &str =
    "application/vnd.dev.cosign.artifact.attestation.v1+json";
pub const HELM_CONFIG: &str = "application/vnd.cncf.helm.config.v1+json";
pub const WASM_CONFIG: &str = "application/vnd.wasm.config.v0+json";
pub const WASM_LAYER: &str = "application/vnd.wasm.content.layer.v1+wasm";
pub const SARIF: &str = "application/sarif+json";
pub const TRIVY_REPORT: &str = "application/vnd.aquasec.trivy.report+json";
pub const OPENVEX: &str = "application/openvex+json";
pub const CSAF: &str = "application/csaf+json";
pub const SPDX_TAG_VALUE: &str = "text/spdx";

/// in-toto predicate types real tools write.
pub const PREDICATE_CYCLONEDX: &str = "https://cyclonedx.org/bom";
pub const PREDICATE_SPDX: &str = "https://spdx.dev/Document";
pub const PREDICATE_SLSA_V02: &str = "https://slsa.dev/provenance/v0.2";
pub const PREDICATE_SLSA_V1: &str = "https://slsa.dev/provenance/v1";
pub const PREDICATE_COSIGN_SIGN: &str = "https://sigstore.dev/cosign/sign/v1";
pub const PREDICATE_COSIGN_VULN: &str = "https://cosign.sigstore.dev/attestation/vuln/v1";
pub const PREDICATE_OPENVEX: &str = "https://openvex.dev/ns";

/// Where the predicate type of an attestation is written down, so that it
/// is known without fetching the envelope: cosign's `.att` layers, Sigstore
/// bundle manifests (cosign v2.4+), BuildKit's in-toto layers.
pub const ANNOTATION_COSIGN_PREDICATE_TYPE: &str = "predicateType";
pub const ANNOTATION_BUNDLE_PREDICATE_TYPE: &str = "dev.sigstore.bundle.predicateType";
pub const ANNOTATION_INTOTO_PREDICATE_TYPE: &str = "in-toto.io/predicate-type";
/// cosign's signature over a simple-signing payload, on a `.sig` layer.
pub const ANNOTATION_COSIGN_SIGNATURE: &str = "dev.cosignproject.cosign/signature";

/// The empty JSON object `{}` used as config and layer by OCI 1.1 artifacts.
pub const EMPTY_JSON: &[u8] = b"{}";

pub const ANNOTATION_TITLE: &str = "org.opencontainers.image.title";
pub const ANNOTATION_CREATED: &str = "org.opencontainers.image.created";
pub const ANNOTATION_REF_NAME: &str = "org.opencontainers.image.ref.name";
pub const ANNOTATION_UNPACK: &str = "io.deis.oras.content.unpack";
pub const ANNOTATION_CONTENT_DIGEST: &str = "io.deis.oras.content.digest";
/// BuildKit marks attestation manifests inside an image index with this.
pub const ANNOTATION_DOCKER_REFERENCE_TYPE: &str = "vnd.docker.reference.type";
pub const ANNOTATION_DOCKER_REFERENCE_DIGEST: &str = "vnd.docker.reference.digest";
pub const DOCKER_ATTESTATION_MANIFEST: &str = "attestation-manifest";

/// Every manifest type a registry may answer with; sent as `Accept`.
pub const MANIFEST_TYPES: &[&str] = &[
    OCI_MANIFEST,
    OCI_INDEX,
    DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST,
    OCI_ARTIFACT_MANIFEST,
    ORAS_ARTIFACT_MANIFEST,
];

pub fn is_index(media_type: &str) -> bool {
    media_type == OCI_INDEX || media_type == DOCKER_MANIFEST_LIST
}
