//! What a person reads first in SLSA provenance: who built it, from which
//! source and commit, and how. Both the v0.2 and the v1 shapes, as BuildKit,
//! GitHub's generators and cosign write them.

use serde_json::Value;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    pub builder: String,
    pub build_type: String,
    pub source: String,
    pub commit: String,
}

impl Provenance {
    /// Reads a provenance predicate; `None` when it has none of the fields.
    pub fn read(predicate: &Value) -> Option<Provenance> {
        let text = |pointer: &str| {
            predicate
                .pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let first_material = |list: &str| {
            predicate
                .pointer(list)
                .and_then(Value::as_array)
                .and_then(|items| items.iter().find(|m| m.get("uri").is_some()))
        };
        let commit_of = |material: Option<&Value>| {
            material
                .and_then(|m| m.get("digest"))
                .and_then(|d| d.get("gitCommit").or_else(|| d.get("sha1")))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let uri_of = |material: Option<&Value>| {
            material
                .and_then(|m| m.get("uri"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let found = if predicate.get("buildDefinition").is_some() {
            let dependency = first_material("/buildDefinition/resolvedDependencies");
            Provenance {
                builder: text("/runDetails/builder/id"),
                build_type: text("/buildDefinition/buildType"),
                source: uri_of(dependency),
                commit: commit_of(dependency),
            }
        } else {
            let config = predicate.pointer("/invocation/configSource");
            let material = first_material("/materials");
            let source = uri_of(config);
            Provenance {
                builder: text("/builder/id"),
                build_type: text("/buildType"),
                commit: if source.is_empty() {
                    commit_of(material)
                } else {
                    commit_of(config)
                },
                source: if source.is_empty() {
                    uri_of(material)
                } else {
                    source
                },
            }
        };
        (found != Provenance::default()).then_some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_slsa_shapes() {
        let v02: Value = serde_json::from_str(
            r#"{"builder":{"id":"https://github.com/actions/runner"},"buildType":"https://mobyproject.org/buildkit@v1",
                "invocation":{"configSource":{"uri":"https://github.com/org/app","digest":{"sha1":"abc123"}}}}"#,
        )
        .expect("json");
        let read = Provenance::read(&v02).expect("v0.2");
        assert_eq!(read.builder, "https://github.com/actions/runner");
        assert_eq!(read.source, "https://github.com/org/app");
        assert_eq!(read.commit, "abc123");
        let v1: Value = serde_json::from_str(
            r#"{"buildDefinition":{"buildType":"https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
                "resolvedDependencies":[{"uri":"git+https://github.com/org/app@refs/heads/main","digest":{"gitCommit":"def456"}}]},
                "runDetails":{"builder":{"id":"https://github.com/slsa-framework/slsa-github-generator"}}}"#,
        )
        .expect("json");
        let read = Provenance::read(&v1).expect("v1");
        assert_eq!(read.commit, "def456");
        assert!(read.build_type.ends_with("workflow/v1"));
        assert_eq!(Provenance::read(&serde_json::json!({"x": 1})), None);
    }
}
