//! The attachment schemes that predate (or sidestep) the `subject` field:
//! cosign's tags and BuildKit's in-index attestations. Pure functions over
//! tag lists and manifests, so they are tested without a store.

use crate::oci::media_type as mt;
use crate::oci::{Descriptor, Digest, Manifest};

/// One of the tags cosign appends to `sha256-<hex>`: the one place their
/// suffixes are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CosignTag {
    /// `.sig`: simple-signing signatures.
    Signature,
    /// `.att`: DSSE-wrapped in-toto attestations.
    Attestation,
    /// `.sbom`: an SBOM attached with `cosign attach sbom`.
    Sbom,
}

impl CosignTag {
    const ALL: [CosignTag; 3] = [
        CosignTag::Signature,
        CosignTag::Attestation,
        CosignTag::Sbom,
    ];

    pub fn suffix(self) -> &'static str {
        match self {
            CosignTag::Signature => ".sig",
            CosignTag::Attestation => ".att",
            CosignTag::Sbom => ".sbom",
        }
    }

    /// The artifact type to show when the manifest does not say (cosign's
    /// manifests carry a generic image config).
    pub fn artifact_type(self) -> &'static str {
        match self {
            CosignTag::Signature => mt::COSIGN_SIGNATURE,
            CosignTag::Attestation => mt::DSSE_ENVELOPE,
            CosignTag::Sbom => mt::COSIGN_ARTIFACT_SBOM,
        }
    }

    /// Which one `tag` is, by its suffix alone (the subject is not checked).
    pub fn of(tag: &str) -> Option<CosignTag> {
        CosignTag::ALL
            .into_iter()
            .find(|kind| tag.ends_with(kind.suffix()))
    }
}

/// The cosign tags in `tags` that belong to `subject`, each with what it
/// holds.
pub fn cosign_tags_for<'a>(subject: &Digest, tags: &'a [String]) -> Vec<(&'a str, CosignTag)> {
    let prefix = subject.fallback_tag();
    tags.iter()
        .filter_map(|tag| {
            let suffix = tag.strip_prefix(prefix.as_str())?;
            CosignTag::ALL
                .into_iter()
                .find(|kind| kind.suffix() == suffix)
                .map(|kind| (tag.as_str(), kind))
        })
        .collect()
}

/// Whether a tag is one of the attachment schemes' bookkeeping tags
/// (`sha256-<hex>` fallback index, or a cosign tag) rather than a name a
/// person gave; tag lists hide them and show them under their subject.
pub fn is_attachment_tag(tag: &str) -> bool {
    let Some(rest) = tag
        .strip_prefix("sha256-")
        .or_else(|| tag.strip_prefix("sha512-"))
    else {
        return false;
    };
    let hex_len = rest.find('.').unwrap_or(rest.len());
    let (hex, suffix) = rest.split_at(hex_len);
    let hex_ok = (hex.len() == 64 || hex.len() == 128)
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    hex_ok && (suffix.is_empty() || CosignTag::ALL.iter().any(|k| k.suffix() == suffix))
}

/// BuildKit attestation manifests in `index` that describe `platform_manifest`.
pub fn buildkit_attestations_for<'a>(
    index: &'a Manifest,
    platform_manifest: &Digest,
) -> Vec<&'a Descriptor> {
    index
        .manifests
        .iter()
        .filter(|entry| is_buildkit_attestation(entry))
        .filter(|entry| {
            entry
                .annotation(mt::ANNOTATION_DOCKER_REFERENCE_DIGEST)
                .and_then(|d| d.parse::<Digest>().ok())
                .is_some_and(|d| &d == platform_manifest)
        })
        .collect()
}

/// An index entry that is a BuildKit attestation, not a platform image.
pub fn is_buildkit_attestation(entry: &Descriptor) -> bool {
    entry.annotation(mt::ANNOTATION_DOCKER_REFERENCE_TYPE) == Some(mt::DOCKER_ATTESTATION_MANIFEST)
}

/// The platform images of an index (attestation entries left out).
pub fn platform_entries(index: &Manifest) -> impl Iterator<Item = &Descriptor> {
    index
        .manifests
        .iter()
        .filter(|entry| !is_buildkit_attestation(entry))
}

/// The in-toto predicate type an attachment's manifest announces: on the
/// manifest (Sigstore bundles, cosign v2.4+) or on its first layer that says
/// (cosign's `.att` layers, BuildKit's in-toto layers).
pub fn predicate_type_of(manifest: &Manifest) -> Option<String> {
    let keys = [
        mt::ANNOTATION_BUNDLE_PREDICATE_TYPE,
        mt::ANNOTATION_INTOTO_PREDICATE_TYPE,
        mt::ANNOTATION_COSIGN_PREDICATE_TYPE,
    ];
    let found = keys
        .iter()
        .find_map(|key| manifest.annotation(key))
        .or_else(|| {
            manifest
                .layers
                .iter()
                .find_map(|layer| keys.iter().find_map(|key| layer.annotation(key)))
        });
    found.filter(|p| !p.is_empty()).map(str::to_owned)
}

/// What an attachment is, read from its manifest: `artifactType`, else the
/// config's media type unless it is a generic image/empty config, else the
/// first layer's media type (cosign, BuildKit in-toto), else `fallback`.
pub fn artifact_type_of(manifest: &Manifest, fallback: Option<&str>) -> Option<String> {
    if let Some(declared) = manifest.artifact_type.as_deref().filter(|t| !t.is_empty()) {
        return Some(declared.to_owned());
    }
    let config = manifest.config.as_ref().map(|c| c.media_type.as_str());
    let generic = matches!(
        config,
        Some(mt::OCI_CONFIG | mt::DOCKER_CONFIG | mt::OCI_EMPTY)
    );
    if let Some(config) = config.filter(|c| !c.is_empty())
        && (!generic || fallback.is_none())
    {
        return Some(config.to_owned());
    }
    fallback
        .map(str::to_owned)
        .or_else(|| manifest.layers.first().map(|l| l.media_type.clone()))
        .or_else(|| config.map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    const HEX: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn digest() -> Digest {
        format!("sha256:{HEX}").parse().expect("digest")
    }

    #[test]
    fn finds_cosign_tags_of_one_subject_only() {
        let tags: Vec<String> = [
            format!("sha256-{HEX}.sig"),
            format!("sha256-{HEX}.att"),
            format!("sha256-{HEX}.sbom"),
            format!("sha256-{HEX}.other"),
            format!("sha256-{HEX}"),
            "v1".to_owned(),
            "sha256-0000.sig".to_owned(),
        ]
        .into();
        let found = cosign_tags_for(&digest(), &tags);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].1, CosignTag::Signature);
        assert_eq!(found[0].1.artifact_type(), mt::COSIGN_SIGNATURE);
        assert_eq!(CosignTag::of(&tags[2]), Some(CosignTag::Sbom));
        assert_eq!(CosignTag::of("v1.sbom.txt"), None);
        assert!(is_attachment_tag(&tags[0]));
        assert!(is_attachment_tag(&tags[4]));
        assert!(!is_attachment_tag(&tags[3]));
        assert!(!is_attachment_tag("v1"));
        assert!(!is_attachment_tag("sha256-0000.sig"));
    }

    #[test]
    fn finds_buildkit_attestations_by_reference_digest() {
        let json = format!(
            r#"{{"mediaType":"{idx}","manifests":[
              {{"mediaType":"{m}","digest":"sha256:{HEX}","size":1,"platform":{{"os":"linux","architecture":"amd64"}}}},
              {{"mediaType":"{m}","digest":"sha256:{other}","size":2,
                "platform":{{"os":"unknown","architecture":"unknown"}},
                "annotations":{{"vnd.docker.reference.type":"attestation-manifest",
                                "vnd.docker.reference.digest":"sha256:{HEX}"}}}}]}}"#,
            idx = mt::OCI_INDEX,
            m = mt::OCI_MANIFEST,
            other = "1".repeat(64)
        );
        let index = Manifest::parse(Bytes::from(json), None).expect("index");
        let found = buildkit_attestations_for(&index, &digest());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].size, 2);
        assert_eq!(platform_entries(&index).count(), 1);
    }

    #[test]
    fn labels_from_the_manifest() {
        let parse = |json: String| Manifest::parse(Bytes::from(json), None).expect("manifest");
        let cosign = parse(format!(
            r#"{{"schemaVersion":2,"mediaType":"{}","config":{{"mediaType":"{}","digest":"sha256:{HEX}","size":1}},
            "layers":[{{"mediaType":"{}","digest":"sha256:{HEX}","size":1}}]}}"#,
            mt::OCI_MANIFEST,
            mt::OCI_CONFIG,
            mt::COSIGN_SIGNATURE
        ));
        assert_eq!(
            artifact_type_of(&cosign, Some(mt::COSIGN_SIGNATURE)).as_deref(),
            Some(mt::COSIGN_SIGNATURE)
        );
        assert_eq!(
            artifact_type_of(&cosign, None).as_deref(),
            Some(mt::OCI_CONFIG)
        );
    }
}
