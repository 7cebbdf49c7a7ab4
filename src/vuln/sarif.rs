//! SARIF 2.1 as Trivy and Grype write it: one result per finding, its rule
//! carrying the advisory. The package, versions and the scanner's severity
//! are in "Key: value" lines of the result's message (Trivy) or the rule's
//! help text (Grype), or Grype's sentence "A low vulnerability in rpm
//! package: NAME, version V"; failing a severity word, the rule's
//! `security-severity` score is rated. Misconfiguration and secret results
//! are not vulnerabilities and are left out.

use serde_json::Value;

use super::read::Document;
use super::severity::{Rated, choose};
use super::{Finding, Scan, ScanInfo, Severity, Timestamp};

fn text_at<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value.pointer(pointer).and_then(Value::as_str)
}

/// Reads a SARIF log's vulnerability results.
pub fn read(doc: &Value) -> Result<Option<Document>, String> {
    let runs = doc
        .get("runs")
        .and_then(Value::as_array)
        .ok_or_else(|| "SARIF: no runs".to_owned())?;
    let Some(run) = runs.first() else {
        return Ok(None);
    };
    let driver = run.pointer("/tool/driver").unwrap_or(&Value::Null);
    let info = ScanInfo {
        format: "SARIF".to_owned(),
        scanner: text_at(driver, "/name").map(str::to_owned),
        scanner_version: text_at(driver, "/version")
            .or_else(|| text_at(driver, "/semanticVersion"))
            .map(str::to_owned),
        time: run
            .pointer("/invocations/0/endTimeUtc")
            .or_else(|| run.pointer("/invocations/0/startTimeUtc"))
            .and_then(Value::as_str)
            .and_then(Timestamp::parse),
        subject_digest: run
            .pointer("/properties/repoDigests/0")
            .and_then(Value::as_str)
            .and_then(super::purl::image_digest),
        ..ScanInfo::default()
    };
    let findings = runs
        .iter()
        .flat_map(|run| {
            let rules: &[Value] = run
                .pointer("/tool/driver/rules")
                .and_then(Value::as_array)
                .map_or(&[], Vec::as_slice);
            run.get("results")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(move |result| finding(result, rules))
        })
        .collect();
    Ok(Some(Document::Scan(Scan { info, findings })))
}

fn rule_of<'a>(result: &Value, rules: &'a [Value]) -> Option<&'a Value> {
    let id = result.get("ruleId").and_then(Value::as_str);
    result
        .get("ruleIndex")
        .and_then(Value::as_u64)
        .and_then(|i| usize::try_from(i).ok())
        .and_then(|i| rules.get(i))
        .filter(|rule| id.is_none() || rule.get("id").and_then(Value::as_str) == id)
        .or_else(|| {
            rules
                .iter()
                .find(|rule| id.is_some() && rule.get("id").and_then(Value::as_str) == id)
        })
}

/// "Key: value" lines, first occurrence wins.
fn field<'a>(texts: &[&'a str], key: &str) -> Option<&'a str> {
    texts.iter().find_map(|text| {
        text.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            (k.trim().eq_ignore_ascii_case(key) && !v.trim().is_empty()).then(|| v.trim())
        })
    })
}

/// Grype's "… in rpm package: NAME, version VERSION was found …".
fn grype_sentence(message: &str) -> Option<(String, String)> {
    let (_, rest) = message.split_once(" package: ")?;
    let (name, rest) = rest.split_once(", version ")?;
    let version = rest.split_whitespace().next()?;
    Some((name.trim().to_owned(), version.to_owned()))
}

fn finding(result: &Value, rules: &[Value]) -> Option<Finding> {
    let rule = rule_of(result, rules).unwrap_or(&Value::Null);
    let tags: Vec<&str> = rule
        .pointer("/properties/tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if tags.iter().any(|t| {
        matches!(
            t.to_ascii_lowercase().as_str(),
            "misconfiguration" | "secret" | "license"
        )
    }) {
        return None;
    }
    let message = text_at(result, "/message/text").unwrap_or_default();
    let help = text_at(rule, "/help/text").unwrap_or_default();
    let texts = [message, help];
    let rule_id = result
        .get("ruleId")
        .and_then(Value::as_str)
        .or_else(|| rule.get("id").and_then(Value::as_str))?;
    // Trivy and Grype both write "Vulnerability CVE-…" as a line of its own.
    let id = texts
        .iter()
        .flat_map(|t| t.lines())
        .find_map(|line| line.trim().strip_prefix("Vulnerability "))
        .map_or(rule_id, str::trim)
        .to_owned();
    let sentence = grype_sentence(message);
    let scanner_word = field(&texts, "Severity").or_else(|| {
        tags.iter()
            .copied()
            .find(|t| t.chars().all(|c| c.is_ascii_uppercase()) && Severity::parse(t).is_some())
    });
    let score = rule.pointer("/properties/security-severity").and_then(|v| {
        v.as_str()
            .and_then(|s| s.parse().ok())
            .or_else(|| v.as_f64())
    });
    let ratings: Vec<Rated> = score
        .map(|score| Rated {
            source: Some("security-severity".to_owned()),
            score: Some(score),
            method: Some("CVSS".to_owned()),
            ..Rated::default()
        })
        .into_iter()
        .collect();
    let (severity, severity_basis) = choose(scanner_word, &ratings);
    let package = field(&texts, "Package")
        .map(str::to_owned)
        .or_else(|| sentence.as_ref().map(|(name, _)| name.clone()))
        .unwrap_or_default();
    let installed = field(&texts, "Installed Version")
        .or_else(|| field(&texts, "Version"))
        .map(str::to_owned)
        .or_else(|| sentence.map(|(_, version)| version));
    let fixed = field(&texts, "Fixed Version")
        .or_else(|| field(&texts, "Fix Version"))
        .map(str::to_owned);
    Some(Finding {
        id,
        severity,
        severity_basis,
        package,
        installed,
        fixed,
        title: text_at(rule, "/shortDescription/text").map(str::to_owned),
        description: text_at(rule, "/fullDescription/text").map(str::to_owned),
        url: text_at(rule, "/helpUri").map(str::to_owned),
        ..Finding::default()
    })
}
