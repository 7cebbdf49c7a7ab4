//! The text and markdown renderings of one diff, as snapshots, and what
//! a hostile path or package name cannot do to them.

use serde_json::json;

use crate::cli::diff_markdown::to_markdown;
use crate::cli::diff_text::to_text;
use crate::diff::attachments::{Attachment, AttachmentsDiff, Matched};
use crate::diff::config::FieldChange;
use crate::diff::files::{FileInfo, FilesDiff, Modified, OneSided};
use crate::diff::layers::{LayerInfo, LayersDiff, SharedLayer};
use crate::diff::manifest::{ManifestDiff, ManifestSide, PlatformsDiff};
use crate::diff::sbom::{Package, PackageChange, SbomDiff, SbomSource};
use crate::diff::{DiffReport, ImageDiff, SideInfo};
use crate::layer::EntryKind;
use crate::oci::Digest;

fn digest(seed: &str) -> Digest {
    Digest::sha256_of(seed.as_bytes())
}

fn file(size: u64, mode: &str, layer: usize) -> FileInfo {
    FileInfo {
        kind: EntryKind::File,
        size,
        mode: mode.to_owned(),
        uid: 0,
        gid: 0,
        link: None,
        digest: Some(digest(&format!("{size}{mode}{layer}"))),
        layer,
    }
}

fn manifest() -> ManifestDiff {
    ManifestDiff {
        left: ManifestSide {
            digest: digest("m1"),
            media_type: "application/vnd.oci.image.manifest.v1+json".into(),
        },
        right: ManifestSide {
            digest: digest("m2"),
            media_type: "application/vnd.oci.image.manifest.v1+json".into(),
        },
        platforms: PlatformsDiff {
            added: vec!["linux/arm64".into()],
            removed: vec![],
        },
        changes: vec![
            FieldChange::new(
                "config.env.PATH",
                json!("/usr/bin"),
                json!("/usr/local/bin:/usr/bin"),
            ),
            FieldChange::new("config.exposedPorts", json!(null), json!(["8080/tcp"])),
        ],
    }
}

fn layers() -> LayersDiff {
    let layer = |seed: &str, index| LayerInfo {
        digest: digest(seed),
        size: 52_428_800,
        media_type: "application/vnd.oci.image.layer.v1.tar+gzip".to_owned(),
        index,
    };
    LayersDiff {
        shared: vec![SharedLayer {
            digest: digest("base"),
            size: 1_000_000_000,
            media_type: "application/vnd.oci.image.layer.v1.tar+gzip".into(),
            left_index: 0,
            right_index: 0,
            read: false,
        }],
        added: vec![layer("top2", 1)],
        removed: vec![layer("top1", 1)],
        shared_base: 1,
        shared_bytes: 1_000_000_000,
        added_bytes: 52_428_800,
        removed_bytes: 52_428_800,
    }
}

fn files(path: &str) -> FilesDiff {
    FilesDiff {
        added: vec![OneSided {
            path: path.to_owned(),
            entry: Some(file(12, "0644", 1)),
            uncertain: None,
        }],
        removed: vec![OneSided {
            path: "etc/motd".into(),
            entry: None,
            uncertain: Some("the right removes this path from the shared base (not read)".into()),
        }],
        modified: vec![Modified {
            path: "app/server".into(),
            changes: vec!["content", "mode"],
            left: file(10, "0755", 1),
            right: file(10, "4755", 1),
        }],
        unread_base_layers: 1,
    }
}

fn sbom(package: &str) -> SbomDiff {
    SbomDiff {
        added: vec![Package {
            name: package.into(),
            version: "24.2".into(),
            purl: "pkg:pypi/packaging@24.2".into(),
        }],
        removed: vec![Package {
            name: "certifi".into(),
            version: "2024.8.30".into(),
            purl: String::new(),
        }],
        changed: vec![PackageChange {
            name: "urllib3".into(),
            from: "2.2.3".into(),
            to: "2.3.0".into(),
            purl: "pkg:pypi/urllib3@2.3.0".into(),
        }],
        left: Some(SbomSource {
            digest: digest("sbom1"),
            format: "CycloneDX JSON".into(),
            kind: "SBOM artifact".into(),
            found_by: "referrers API".into(),
            packages: 5,
        }),
        right: Some(SbomSource {
            digest: digest("sbom2"),
            format: "SPDX tag-value".into(),
            kind: "attestation".into(),
            found_by: "cosign tag".into(),
            packages: 5,
        }),
    }
}

fn attachments() -> AttachmentsDiff {
    let attachment = |seed: &str, kind, artifact_type: &str| Attachment {
        digest: digest(seed),
        kind,
        artifact_type: Some(artifact_type.to_owned()),
        platform: None,
        depth: 1,
        found_by: vec![format!("cosign tag sha256-{}.sig", digest("image").hex())],
    };
    AttachmentsDiff {
        only_left: vec![attachment(
            "sig",
            "signature",
            "application/vnd.dev.cosign.simplesigning.v1+json",
        )],
        only_right: vec![],
        both: vec![Matched {
            digest: digest("sbom1"),
            kind: "sbom",
            artifact_type: Some("application/vnd.cyclonedx+json".into()),
            platform: None,
            matched_by: "kind-and-type",
            right_digest: Some(digest("sbom2")),
            note: Some("the digests differ".into()),
        }],
    }
}

fn sample(path: &str, package: &str) -> ImageDiff {
    let mut image = ImageDiff {
        same: false,
        platform: Some("linux/amd64".to_owned()),
        left: SideInfo {
            reference: "localhost:5000/app:v1".into(),
            digest: digest("v1"),
            image: None,
        },
        right: SideInfo {
            reference: "oci:layout:v2".into(),
            digest: digest("v2"),
            image: None,
        },
        manifest: Some(manifest()),
        layers: Some(layers()),
        files: Some(files(path)),
        sbom: Some(sbom(package)),
        attachments: Some(attachments()),
        notes: vec!["the 1 shared base layer(s) were not read".into()],
    };
    image.same = image.compute_same();
    image
}

fn report(image: ImageDiff) -> DiffReport {
    DiffReport {
        images: vec![image],
        per_platform: false,
    }
}

#[test]
fn text_and_markdown_snapshots() {
    let report = report(sample("app/new.txt", "packaging"));
    insta::assert_snapshot!("diff_text", to_text(&report));
    insta::assert_snapshot!("diff_markdown", to_markdown(&report));
}

#[test]
fn hostile_names_cannot_break_out_of_cells_or_lines() {
    let report = report(sample("app/x|y`z\n+ injected\u{1b}[31m", "pkg|`</td>"));
    let markdown = to_markdown(&report);
    let row = markdown
        .lines()
        .find(|l| l.contains("app/x"))
        .expect("the row");
    assert!(row.contains("app/x\\|y'z"), "{row}");
    assert!(!markdown.contains('\u{1b}') && !markdown.contains("\n+ injected"));
    assert!(!markdown.contains("</td>"));
    let text = to_text(&report);
    assert!(
        !text.contains('\u{1b}') && !text.contains("\n+ injected"),
        "{text}"
    );
    let json = super::to_json(&report).expect("json");
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(
        parsed["files"]["added"][0]["path"],
        "app/x|y`z\n+ injected\u{1b}[31m"
    );
}
