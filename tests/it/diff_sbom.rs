//! The SBOM section on SBOMs from real generators (cyclonedx-py and
//! sbom4python, `tests/it/data/sbom`), attached the ways real tools attach
//! them: `oras attach` of CycloneDX JSON and XML and SPDX JSON and
//! tag-value, `cosign attest` (the predicate unwrapped from its DSSE
//! envelope), and per platform of an index. A package added, one removed
//! and one bumped are found whatever the two formats; one environment in
//! two formats is no change.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::diff::diff_json;
use crate::diff_ground::push;
use crate::files::{ok, regscope_files, sh};
use crate::support::{Cosign, CosignMode, Oras, Registry};

pub(crate) fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/data/sbom")
        .join(name)
}

/// A one-layer image of its own (a file named after `unique`), for
/// `os/arch`; returns its digest.
pub(crate) fn tiny_image(
    oras: &Oras,
    work: &Path,
    reference: &str,
    unique: &str,
    arch: &str,
) -> String {
    sh(
        work,
        &format!(
            "set -e; mkdir -p tiny-{unique}; echo {unique} > tiny-{unique}/{unique}.txt; \
             tar -C tiny-{unique} -czf tiny-{unique}.tgz ."
        ),
    );
    let config = json!({"architecture": arch, "os": "linux", "config": {"Cmd": [unique]}});
    let config_name = format!("config-{unique}.json");
    std::fs::write(work.join(&config_name), config.to_string()).unwrap();
    let layer = work.join(format!("tiny-{unique}.tgz"));
    push(
        oras,
        work,
        reference,
        &config_name,
        "2024-01-01T00:00:00Z",
        &[&layer],
    );
    oras.run(&["resolve", reference]).trim().to_owned()
}

/// `oras attach` of one SBOM file, its media type as artifact type.
pub(crate) fn attach(
    oras: &Oras,
    reference: &str,
    file: &str,
    media_type: &str,
    platform: Option<&str>,
) {
    let dir = data("");
    let file_arg = format!("{file}:{media_type}");
    let mut args = vec![
        "attach",
        "--artifact-type",
        media_type,
        reference,
        &file_arg,
    ];
    if let Some(platform) = platform {
        args.extend(["--platform", platform]);
    }
    oras.run_in(&dir, &args);
}

fn names(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| p[key].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn packages_are_compared_across_formats_and_carriers() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let image = |tag: &str| {
        let reference = registry.reference(&format!("app:{tag}"));
        tiny_image(&oras, dir, &reference, tag, "amd64");
        reference
    };
    let v1 = image("v1");
    attach(
        &oras,
        &v1,
        "cyclonedx.json",
        "application/vnd.cyclonedx+json",
        None,
    );
    let v2 = image("v2");
    attach(&oras, &v2, "spdx-v2.spdx", "text/spdx", None);
    let same_env = image("spdx");
    attach(&oras, &same_env, "spdx.json", "application/spdx+json", None);
    let xml = image("xml");
    attach(
        &oras,
        &xml,
        "cyclonedx-v2.xml",
        "application/vnd.cyclonedx+xml",
        None,
    );
    let attested = image("attested");
    let digest = oras.run(&["resolve", &attested]).trim().to_owned();
    let cosign = Cosign::v2();
    let by_digest = registry.reference(&format!("app@{digest}"));
    cosign.attest(
        &by_digest,
        CosignMode::LegacyTags,
        "cyclonedx",
        &data("cyclonedx-v2.json"),
    );
    let bare = image("bare");

    check_one_added_one_removed_one_bumped(dir, &v1, &[&v2, &xml, &attested]);
    let markdown = String::from_utf8(ok(
        dir,
        &["diff", &v1, &v2, "--only", "sbom", "--format", "markdown"],
    ))
    .unwrap();
    assert!(
        markdown
            .lines()
            .next()
            .unwrap()
            .ends_with(": +1 \u{2212}1 ~1 packages"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| ~ | `urllib3` | `2.2.3` | `2.3.0` |"),
        "{markdown}"
    );

    // One environment, CycloneDX against SPDX JSON: no package changes.
    let report = diff_json(dir, &[&v1, &same_env, "--only", "sbom"]);
    assert_eq!(report["sbom"]["added"], json!([]));
    assert_eq!(report["sbom"]["removed"], json!([]));
    assert_eq!(report["sbom"]["changed"], json!([]));
    assert_eq!(report["sbom"]["right"]["format"], "SPDX JSON");
    assert_eq!(report["same"], true);
    let gate = regscope_files(
        dir,
        &["diff", &v1, &same_env, "--only", "sbom", "--exit-code"],
    );
    assert_eq!(gate.status.code(), Some(0));

    // An image without an SBOM: every package is added, and it is a
    // difference even where no package is listed.
    let report = diff_json(dir, &[&bare, &v1, "--only", "sbom"]);
    assert_eq!(report["sbom"]["left"], Value::Null);
    assert_eq!(names(&report["sbom"]["added"], "name").len(), 5);
    let text = String::from_utf8(ok(dir, &["diff", &bare, &v1, "--only", "sbom"])).unwrap();
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains("SBOM missing on the left"),
        "{text}"
    );
}

#[test]
fn an_index_is_compared_platform_by_platform() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let index = |version: &str| {
        for arch in ["amd64", "arm64"] {
            let tag = format!("{arch}-{version}");
            tiny_image(
                &oras,
                dir,
                &registry.reference(&format!("multi:{tag}")),
                &tag,
                arch,
            );
        }
        let reference = registry.reference(&format!("multi:{version}"));
        oras.run(&[
            "manifest",
            "index",
            "create",
            &reference,
            &format!("amd64-{version}"),
            &format!("arm64-{version}"),
        ]);
        reference
    };
    let (v1, v2) = (index("v1"), index("v2"));
    for (reference, arch, file) in [
        (&v1, "linux/amd64", "cyclonedx.json"),
        (&v1, "linux/arm64", "cyclonedx.json"),
        (&v2, "linux/amd64", "cyclonedx-v2.json"),
        (&v2, "linux/arm64", "cyclonedx.json"),
    ] {
        attach(
            &oras,
            reference,
            file,
            "application/vnd.cyclonedx+json",
            Some(arch),
        );
    }
    let all = diff_json(
        dir,
        &[&v1, &v2, "--only", "sbom,attachments", "--platform", "all"],
    );
    let objects = all.as_array().expect("one object per platform");
    let platforms: Vec<&str> = objects
        .iter()
        .map(|o| o["platform"].as_str().unwrap())
        .collect();
    assert_eq!(platforms, ["linux/amd64", "linux/arm64"]);
    let amd64 = &objects[0]["sbom"];
    assert_eq!(names(&amd64["added"], "name"), ["packaging"]);
    assert_eq!(names(&amd64["changed"], "name"), ["urllib3"]);
    let arm64 = &objects[1]["sbom"];
    assert_eq!(
        (
            arm64["added"].as_array().unwrap().len(),
            arm64["changed"].as_array().unwrap().len()
        ),
        (0, 0)
    );
    // Each platform's SBOM is its own attachment: matched by kind and
    // type across the two indexes, never taken for the other platform's.
    for object in objects {
        let both = object["attachments"]["both"].as_array().unwrap();
        assert_eq!(both.len(), 1, "{object:#}");
        assert_eq!(both[0]["platform"], object["platform"]);
        assert_eq!(both[0]["matchedBy"], "kind-and-type");
    }
    let one = diff_json(
        dir,
        &[&v1, &v2, "--only", "sbom", "--platform", "linux/arm64"],
    );
    assert_eq!(one["platform"], "linux/arm64");
    assert_eq!(one["same"], true);
    let text = String::from_utf8(ok(
        dir,
        &["diff", &v1, &v2, "--platform", "all", "--only", "manifest"],
    ))
    .unwrap();
    assert_eq!(
        text.lines()
            .filter(|l| l.contains(" → ") && l.contains("(linux/"))
            .count(),
        2,
        "{text}"
    );
}

/// Against CycloneDX JSON: SPDX tag-value, CycloneDX XML and a cosign
/// attestation of the second environment.
fn check_one_added_one_removed_one_bumped(dir: &Path, v1: &str, rights: &[&String]) {
    // One package added, one removed, one bumped: CycloneDX JSON against
    // SPDX tag-value, CycloneDX XML and a cosign attestation alike.
    let carriers = [
        ("SPDX tag-value", "SBOM artifact"),
        ("CycloneDX XML", "SBOM artifact"),
        ("CycloneDX JSON", "attestation"),
    ];
    for (right, (format, kind)) in rights.iter().zip(carriers) {
        let right: &str = right;
        let report = diff_json(dir, &[v1, right, "--only", "sbom"]);
        let sbom = &report["sbom"];
        assert_eq!(
            sbom["added"],
            json!([{"name": "packaging", "version": "24.2", "purl": "pkg:pypi/packaging@24.2"}]),
            "{right}"
        );
        assert_eq!(
            sbom["removed"],
            json!([{"name": "certifi", "version": "2024.8.30", "purl": "pkg:pypi/certifi@2024.8.30"}])
        );
        assert_eq!(
            sbom["changed"],
            json!([{"name": "urllib3", "from": "2.2.3", "to": "2.3.0", "purl": "pkg:pypi/urllib3@2.3.0"}])
        );
        assert_eq!(sbom["left"]["format"], "CycloneDX JSON");
        assert_eq!(sbom["left"]["packages"], 5);
        assert_eq!(
            (
                sbom["right"]["format"].as_str(),
                sbom["right"]["kind"].as_str()
            ),
            (Some(format), Some(kind))
        );
        assert_eq!(report["same"], false);
    }
}
