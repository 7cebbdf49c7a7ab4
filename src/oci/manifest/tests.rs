//! Tests of the manifest model: each kind read from its bytes, the artifact
//! type's fallback, and what is flagged or refused.

use super::*;

const D: &str = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn parse(json: &str) -> Manifest {
    Manifest::parse(Bytes::from(json.to_owned()), None).expect("parses")
}

#[test]
fn reads_an_oci_artifact_with_subject() {
    let m = parse(&format!(
        r#"{{"schemaVersion":2,"mediaType":"{}","artifactType":"sbom/example",
            "config":{{"mediaType":"{}","digest":"{D}","size":2}},
            "layers":[{{"mediaType":"application/json","digest":"{D}","size":0,
              "annotations":{{"org.opencontainers.image.title":"sbom.json"}}}}],
            "subject":{{"mediaType":"{}","digest":"{D}","size":7}},
            "annotations":{{"org.opencontainers.image.created":"2024-01-01T00:00:00Z"}},
            "someFutureField":[1,2,3]}}"#,
        mt::OCI_MANIFEST,
        mt::OCI_EMPTY,
        mt::OCI_MANIFEST
    ));
    assert_eq!(m.kind, ManifestKind::OciImage);
    assert_eq!(m.effective_artifact_type(), Some("sbom/example"));
    assert_eq!(m.layers[0].title(), Some("sbom.json"));
    assert_eq!(m.subject.as_ref().map(|s| s.size), Some(7));
    assert_eq!(m.digest(), &Digest::sha256_of(m.raw()));
    let d = m.descriptor();
    assert_eq!(d.artifact_type.as_deref(), Some("sbom/example"));
    assert!(d.annotations.contains_key(mt::ANNOTATION_CREATED));
}

#[test]
fn reads_the_withdrawn_artifact_manifest_blobs() {
    let m = parse(&format!(
        r#"{{"mediaType":"{}","artifactType":"readme/example",
            "blobs":[{{"mediaType":"application/markdown","digest":"{D}","size":15}}]}}"#,
        mt::OCI_ARTIFACT_MANIFEST
    ));
    assert_eq!(m.kind, ManifestKind::OciArtifact);
    assert_eq!(m.layers.len(), 1);
    assert!(m.config.is_none());
}

#[test]
fn artifact_type_falls_back_to_config() {
    let m = parse(&format!(
        r#"{{"schemaVersion":2,"config":{{"mediaType":"{}","digest":"{D}","size":2}},"layers":[]}}"#,
        mt::HELM_CONFIG
    ));
    assert_eq!(m.kind, ManifestKind::OciImage);
    assert_eq!(m.effective_artifact_type(), Some(mt::HELM_CONFIG));
}

#[test]
fn index_with_platforms_and_unknown_type() {
    let m = parse(&format!(
        r#"{{"mediaType":"{}","manifests":[{{"mediaType":"{}","digest":"{D}","size":1,
            "platform":{{"os":"linux","architecture":"arm64","variant":"v8"}}}}]}}"#,
        mt::DOCKER_MANIFEST_LIST,
        mt::DOCKER_MANIFEST
    ));
    assert!(m.is_index());
    let p = m.manifests[0].platform.as_ref().expect("platform");
    assert_eq!(p.to_string(), "linux/arm64/v8");
    let unknown = parse(r#"{"mediaType":"application/x-future","whatever":true}"#);
    assert_eq!(unknown.kind, ManifestKind::Unknown);
}

#[test]
fn flags_ambiguity_and_content_type_disagreement() {
    let raw = format!(
        r#"{{"mediaType":"{}","manifests":[],"config":{{"mediaType":"x","digest":"{D}","size":1}},
            "layers":[{{"mediaType":"x","digest":"{D}","size":1}}]}}"#,
        mt::OCI_INDEX
    );
    let m = Manifest::parse(Bytes::from(raw), Some(mt::OCI_MANIFEST)).expect("parses");
    assert!(m.is_ambiguous());
    assert_eq!(m.warnings.len(), 2);
}

#[test]
fn rejects_what_no_client_should_guess_at() {
    for bad in [
        "",
        "[1]",
        "{\"layers\":[],\"layers\":[]}",
        "{\"config\":{\"digest\":\"sha256:../../x\",\"size\":1}}",
        "{\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\"size\":-1}}",
        "{\"schemaVersion\":2",
    ] {
        assert!(
            Manifest::parse(Bytes::from(bad), None).is_err(),
            "{bad} accepted"
        );
    }
    let deep = "[".repeat(100_000);
    assert!(Manifest::parse(Bytes::from(deep), None).is_err());
    assert!(Manifest::parse(Bytes::from(vec![0xff, 0xfe]), None).is_err());
    let huge = vec![b' '; (MAX_MANIFEST_SIZE + 1) as usize];
    assert!(matches!(
        Manifest::parse(Bytes::from(huge), None),
        Err(ManifestError::TooLarge { .. })
    ));
}
