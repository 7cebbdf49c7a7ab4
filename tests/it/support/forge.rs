//! Forging what an attacker can push: a signature the real tools made,
//! fetched with oras, changed, and pushed again (as a referrer of another
//! image, under another image's cosign tag, or with different layer
//! annotations). Nothing here signs: whatever a forgery keeps of a
//! signature, a real tool made.
#![allow(dead_code)]

use std::fs;
use std::path::Path;

use serde_json::Value;

use super::{Oras, Registry, fallback_tag, sha256_digest};

const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

/// Where forgeries go: one repository of one registry, files in `dir`.
pub struct Forge<'a> {
    pub oras: &'a Oras,
    pub registry: &'a Registry,
    pub dir: &'a Path,
    pub repo: &'a str,
}

impl Forge<'_> {
    fn at(&self, digest: &str) -> String {
        self.registry.reference(&format!("{}@{digest}", self.repo))
    }

    /// The first referrer of `subject` (of `artifact_type`, when given):
    /// its manifest and its first layer's bytes.
    pub fn referrer(&self, subject: &str, artifact_type: Option<&str>) -> (Value, Vec<u8>) {
        let found = self
            .oras
            .json(&["discover", "--format", "json", &self.at(subject)]);
        let referrer = found["referrers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| artifact_type.is_none_or(|t| r["artifactType"] == t))
            .unwrap_or_else(|| panic!("no referrer of {artifact_type:?}: {found:#}"));
        let digest = referrer["digest"].as_str().unwrap();
        self.manifest_and_layer(&self.at(digest))
    }

    /// The manifest at `reference` (a full reference) and its first
    /// layer's bytes.
    pub fn manifest_and_layer(&self, reference: &str) -> (Value, Vec<u8>) {
        let manifest: Value =
            serde_json::from_str(&self.oras.run(&["manifest", "fetch", reference])).unwrap();
        let layer = manifest["layers"][0]["digest"].as_str().unwrap();
        let file = self.dir.join(format!("layer-{}", &layer[7..19]));
        self.oras.run(&[
            "blob",
            "fetch",
            "--output",
            file.to_str().unwrap(),
            &self.at(layer),
        ]);
        (manifest, fs::read(&file).unwrap())
    }

    /// The cosign tag manifest (`sig`, `att`) of `image` and its first
    /// layer.
    pub fn cosign_tag(&self, image: &str, suffix: &str) -> (Value, Vec<u8>) {
        let tag = format!("{}:{}.{suffix}", self.repo, fallback_tag(image));
        self.manifest_and_layer(&self.registry.reference(&tag))
    }

    /// `template` with its first layer replaced by `layer` (pushed as a
    /// blob) and `annotations` set on that layer.
    fn with_layer(&self, template: &Value, layer: &[u8], annotations: &[(&str, &str)]) -> Value {
        let mut manifest = template.clone();
        let media_type = manifest["layers"][0]["mediaType"]
            .as_str()
            .unwrap()
            .to_owned();
        let file = self
            .dir
            .join(format!("forged-{}", &sha256_digest(layer)[7..19]));
        fs::write(&file, layer).unwrap();
        self.oras.run(&[
            "blob",
            "push",
            &self.registry.reference(self.repo),
            file.to_str().unwrap(),
            "--media-type",
            &media_type,
        ]);
        manifest["layers"][0]["digest"] = Value::from(sha256_digest(layer));
        manifest["layers"][0]["size"] = Value::from(layer.len());
        for (name, value) in annotations {
            manifest["layers"][0]["annotations"][*name] = Value::from(*value);
        }
        manifest
    }

    fn push_manifest(&self, reference: &str, manifest: &Value) -> String {
        let bytes = serde_json::to_vec(manifest).unwrap();
        let file = self
            .dir
            .join(format!("manifest-{}", &sha256_digest(&bytes)[7..19]));
        fs::write(&file, &bytes).unwrap();
        self.oras.run(&[
            "manifest",
            "push",
            reference,
            file.to_str().unwrap(),
            "--media-type",
            OCI_MANIFEST,
        ]);
        sha256_digest(&bytes)
    }

    /// Pushes a referrer of `subject` like `template`, its first layer
    /// `layer`; returns the new manifest's digest.
    pub fn push_referrer(
        &self,
        subject: &str,
        template: &Value,
        layer: &[u8],
        annotations: &[(&str, &str)],
    ) -> String {
        let mut manifest = self.with_layer(template, layer, annotations);
        let target = self
            .oras
            .json(&["manifest", "fetch", "--descriptor", &self.at(subject)]);
        manifest["subject"] = serde_json::json!({
            "mediaType": target["mediaType"], "digest": subject, "size": target["size"],
        });
        let bytes = serde_json::to_vec(&manifest).unwrap();
        self.push_manifest(&self.at(&sha256_digest(&bytes)), &manifest)
    }

    /// Pushes a cosign tag manifest (`sig`, `att`) for `image` like
    /// `template`, its first layer `layer` with `annotations`.
    pub fn push_cosign_tag(
        &self,
        image: &str,
        suffix: &str,
        template: &Value,
        layer: &[u8],
        annotations: &[(&str, &str)],
    ) -> String {
        let manifest = self.with_layer(template, layer, annotations);
        let tag = format!("{}:{}.{suffix}", self.repo, fallback_tag(image));
        self.push_manifest(&self.registry.reference(&tag), &manifest)
    }
}
