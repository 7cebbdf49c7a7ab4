//! `regscope vulns` on scanners' real output, attached the way the tools
//! attach it: Trivy's and Grype's golden CycloneDX, SARIF and JSON reports
//! (from their Go modules' test data, see scripts/install-test-tools)
//! attached with oras as Trivy's referrer plugin does, and Trivy's JSON
//! report in cosign's vuln predicate (`cosign attest --type vuln`, in a
//! `.att` DSSE envelope and in a Sigstore bundle). What regscope lists is
//! compared with what each report says, read here on its own.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::cli::regscope_json;
use crate::support::fixture::push_image;
use crate::support::{Cosign, CosignMode, Oras, Registry, tools_dir};

/// A file of the scanners' test data; panics with the fixing command.
pub fn data(relative: &str) -> PathBuf {
    let path = tools_dir().join("data").join(relative);
    assert!(
        path.is_file(),
        "test data {} missing: run scripts/install-test-tools",
        path.display()
    );
    path
}

pub const TRIVY: &str = "trivy-v0.74.0";
pub const GRYPE: &str = "grype-v0.115.0";

pub fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

/// (id, package, installed, severity) as a report's own fields say.
pub type Row = (String, String, String, String);

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// The "Key: value" line of a SARIF text.
fn line(texts: &[&str], key: &str) -> String {
    texts
        .iter()
        .flat_map(|t| t.lines())
        .find_map(|l| l.strip_prefix(&format!("{key}: ")))
        .unwrap_or_default()
        .trim()
        .to_owned()
}

pub fn trivy_json_rows(report: &Value) -> BTreeSet<Row> {
    let mut rows = BTreeSet::new();
    for result in report["Results"].as_array().unwrap() {
        for v in result["Vulnerabilities"].as_array().into_iter().flatten() {
            rows.insert((
                text(&v["VulnerabilityID"]),
                text(&v["PkgName"]),
                text(&v["InstalledVersion"]),
                text(&v["Severity"]).to_lowercase(),
            ));
        }
    }
    rows
}

fn sarif_rows(report: &Value) -> BTreeSet<Row> {
    let run = &report["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let mut rows = BTreeSet::new();
    for result in run["results"].as_array().unwrap() {
        let rule = rules.iter().find(|r| r["id"] == result["ruleId"]).unwrap();
        let message = result["message"]["text"].as_str().unwrap();
        let help = rule["help"]["text"].as_str().unwrap_or_default();
        let texts = [message, help];
        let id = texts
            .iter()
            .flat_map(|t| t.lines())
            .find_map(|l| l.strip_prefix("Vulnerability "))
            .unwrap()
            .to_owned();
        let installed = match line(&texts, "Installed Version") {
            v if v.is_empty() => line(&texts, "Version"),
            v => v,
        };
        rows.insert((
            id,
            line(&texts, "Package"),
            installed,
            line(&texts, "Severity").to_lowercase(),
        ));
    }
    rows
}

fn cyclonedx_rows(report: &Value, scanner_choice: bool) -> BTreeSet<Row> {
    let order = [
        "unknown", "none", "info", "low", "medium", "high", "critical",
    ];
    let components = report["components"].as_array().unwrap();
    let mut rows = BTreeSet::new();
    for v in report["vulnerabilities"].as_array().unwrap() {
        let ratings = v["ratings"].as_array().unwrap();
        let severity = if scanner_choice {
            ratings
                .iter()
                .find(|r| r["source"]["name"] == v["source"]["name"])
                .map(|r| text(&r["severity"]))
                .unwrap()
        } else {
            ratings
                .iter()
                .filter_map(|r| r["severity"].as_str())
                .max_by_key(|s| order.iter().position(|o| o == s))
                .unwrap()
                .to_owned()
        };
        for affect in v["affects"].as_array().unwrap() {
            let component = components
                .iter()
                .find(|c| c["bom-ref"] == affect["ref"])
                .unwrap();
            rows.insert((
                text(&v["id"]),
                text(&component["name"]),
                text(&component["version"]),
                severity.clone(),
            ));
        }
    }
    rows
}

fn grype_json_rows(report: &Value) -> BTreeSet<Row> {
    report["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                text(&m["vulnerability"]["id"]),
                text(&m["artifact"]["name"]),
                text(&m["artifact"]["version"]),
                text(&m["vulnerability"]["severity"]).to_lowercase(),
            )
        })
        .collect()
}

/// What `regscope vulns --format json` listed.
pub fn listed(out: &Value) -> BTreeSet<Row> {
    out["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                text(&f["id"]),
                text(&f["package"]),
                text(&f["installed"]),
                text(&f["severity"]),
            )
        })
        .collect()
}

/// Pushes a small image as `repo:v1`; its reference by digest.
pub fn image(oras: &Oras, registry: &Registry, dir: &Path, repo: &str) -> (String, String) {
    let (digest, ..) = push_image(
        oras,
        dir,
        &registry.reference(&format!("{repo}:v1")),
        repo,
        "linux",
        "amd64",
    );
    (registry.reference(&format!("{repo}@{digest}")), digest)
}

/// `oras attach` of one file as Trivy's referrer plugin attaches reports:
/// the report's media type as the artifact type and the layer's.
pub fn attach(oras: &Oras, dir: &Path, subject: &str, file: &Path, media_type: &str) {
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    if file.parent() != Some(dir) {
        fs::copy(file, dir.join(&name)).unwrap();
    }
    oras.run_in(
        dir,
        &[
            "attach",
            "--artifact-type",
            media_type,
            subject,
            &format!("{name}:{media_type}"),
        ],
    );
}

/// Trivy's JSON report in cosign's vuln predicate, as `trivy image
/// --format cosign-vuln` writes it (Trivy's `predicate.VulnWriter`).
pub fn cosign_vuln_predicate(report: &Value, finished: &str) -> Value {
    json!({
        "invocation": {"parameters": null, "uri": "", "event_id": "", "builder.id": ""},
        "scanner": {
            "uri": "pkg:github/aquasecurity/trivy@dev",
            "version": "dev",
            "db": {"uri": "", "version": ""},
            "result": report,
        },
        "metadata": {"scanStartedOn": finished, "scanFinishedOn": finished},
    })
}

fn check(registry: &Registry, dir: &Path, subject: &str, want: &BTreeSet<Row>, scanner: &str) {
    let out = regscope_json(dir, &["vulns", subject, "--format", "json"]);
    let got = listed(&out);
    assert_eq!(&got, want, "{scanner} on {}: {out:#}", registry.kind());
    let summary = &out["summary"];
    let counted: u64 = ["critical", "high", "medium", "low", "unknown"]
        .iter()
        .map(|k| summary[k].as_u64().unwrap())
        .sum();
    assert_eq!(counted as usize, want.len(), "{summary}");
    assert_eq!(summary["suppressed"], 0);
    let scanners: Vec<String> = out["scans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| text(&s["scanner"]).to_lowercase())
        .collect();
    assert!(
        scanners.iter().any(|s| s == scanner),
        "{scanners:?} {out:#}"
    );
}

fn scanners_on(registry: &Registry) {
    let oras = Oras::for_registry(registry);
    let dir = tempfile::tempdir().unwrap();
    let reports = [
        (
            "trivy-cdx",
            format!("{TRIVY}/integration/testdata/npm-cyclonedx.json.golden"),
            "application/vnd.cyclonedx+json",
            "trivy",
        ),
        (
            "trivy-sarif",
            format!("{TRIVY}/integration/testdata/alpine-310.sarif.golden"),
            "application/sarif+json",
            "trivy",
        ),
        (
            "trivy-json",
            format!("{TRIVY}/integration/testdata/alpine-310.json.golden"),
            "application/json",
            "trivy",
        ),
        (
            "grype-cdx",
            format!(
                "{GRYPE}/grype/presenter/cyclonedx/testdata/snapshot/TestCycloneDxPresenterImage.golden"
            ),
            "application/vnd.cyclonedx+json",
            "grype",
        ),
        (
            "grype-sarif",
            format!(
                "{GRYPE}/grype/presenter/sarif/testdata/snapshot/TestSarifPresenter_image.golden"
            ),
            "application/sarif+json",
            "grype",
        ),
        (
            "grype-json",
            format!("{GRYPE}/grype/presenter/json/testdata/snapshot/TestJsonImgsPresenter.golden"),
            "application/json",
            "grype",
        ),
    ];
    for (repo, file, media_type, scanner) in reports {
        let file = data(&file);
        let report = read_json(&file);
        let want = match repo {
            "trivy-cdx" => cyclonedx_rows(&report, true),
            "grype-cdx" => cyclonedx_rows(&report, false),
            "trivy-sarif" | "grype-sarif" => sarif_rows(&report),
            "trivy-json" => trivy_json_rows(&report),
            _ => grype_json_rows(&report),
        };
        assert!(!want.is_empty(), "{repo}: the report lists nothing");
        let (subject, _) = image(&oras, registry, dir.path(), repo);
        let copy = dir.path().join(format!("{repo}.report"));
        fs::copy(&file, &copy).unwrap();
        attach(&oras, dir.path(), &subject, &copy, media_type);
        check(registry, dir.path(), &subject, &want, scanner);
    }

    // cosign attest --type vuln: a DSSE envelope in a `.att` tag, and a
    // Sigstore bundle referrer.
    let cosign = Cosign::v2();
    let report = read_json(&data(&format!(
        "{TRIVY}/integration/testdata/alpine-310.json.golden"
    )));
    let predicate = dir.path().join("vuln.json");
    fs::write(
        &predicate,
        cosign_vuln_predicate(&report, "2025-06-01T12:00:00Z").to_string(),
    )
    .unwrap();
    for (repo, mode) in [
        ("cosign-att", CosignMode::LegacyTags),
        ("cosign-bundle", CosignMode::Bundle),
    ] {
        let (subject, _) = image(&oras, registry, dir.path(), repo);
        cosign.attest(&subject, mode, "vuln", &predicate);
        let out = regscope_json(dir.path(), &["vulns", &subject, "--format", "json"]);
        assert_eq!(listed(&out), trivy_json_rows(&report), "{mode:?}: {out:#}");
        let scan = &out["scans"][0];
        assert_eq!(
            scan["format"], "Trivy JSON (cosign vuln predicate)",
            "{out:#}"
        );
        assert_eq!(scan["time"], "2025-06-01T12:00:00Z", "{out:#}");
        let envelope = if mode == CosignMode::Bundle {
            "Sigstore bundle"
        } else {
            "DSSE envelope"
        };
        assert_eq!(scan["envelope"], envelope, "{out:#}");
    }
}

#[test]
fn scanners_real_output_on_olareg() {
    scanners_on(&Registry::olareg());
}

#[test]
fn scanners_real_output_on_distribution() {
    scanners_on(&Registry::distribution());
}
