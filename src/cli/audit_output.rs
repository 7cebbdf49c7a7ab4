//! The shapes `regscope audit` prints. The JSON is a documented contract
//! (README, "Audit JSON"): `images[]` with `digest`, `tags`, `signature`,
//! `sbom`, `signedSbom`, `provenance`, `verification` and `details`, and a
//! `summary`; fields may be added, never renamed.

use color_eyre::eyre::Result;
use serde_json::{Value, json};

use crate::audit::{ImageAudit, Requirement, Summary, Verification};
use crate::text::escape_control;

fn verification_json(verification: &Verification) -> Value {
    match verification {
        Verification::Verified { key, time, root } => {
            json!({"status": "verified", "key": key, "time": time, "root": root})
        }
        Verification::Failed { reasons } => json!({"status": "failed", "reasons": reasons}),
        Verification::Unverified => json!({"status": "unverified"}),
    }
}

/// The image's verdict; an unsigned one says why it is unverified.
fn image_verification_json(row: &ImageAudit) -> Value {
    let mut value = verification_json(&row.verification);
    if row.verification == Verification::Unverified && !row.signed() {
        value["reason"] = json!("no signature");
    }
    value
}

fn coverage(row: &ImageAudit) -> Option<String> {
    row.sbom.coverage.map(|(c, t)| format!("{c}/{t}"))
}

fn signed_coverage(row: &ImageAudit) -> Option<String> {
    row.sbom.signed_coverage.map(|(c, t)| format!("{c}/{t}"))
}

fn image_json(row: &ImageAudit, missing: &[String]) -> Value {
    let signatures: Vec<Value> = row
        .signatures
        .iter()
        .map(|s| {
            json!({
                "digest": s.digest.to_string(),
                "scheme": s.scheme.label(),
                "foundBy": s.found_by,
                "signer": s.signer,
                "verification": verification_json(&s.verification),
            })
        })
        .collect();
    let schemes: Vec<&str> = row.schemes().iter().map(|s| s.label()).collect();
    let sbom_coverage = row.sbom.coverage.map(|(covered, platforms)| {
        json!({
            "covered": covered,
            "platforms": platforms,
            "missing": row.sbom.missing_platforms,
        })
    });
    let signed_sbom_coverage = row.sbom.signed_coverage.map(|(covered, platforms)| {
        json!({
            "covered": covered,
            "platforms": platforms,
            "missing": row.sbom.unsigned_platforms,
        })
    });
    json!({
        "repository": row.repository,
        "digest": row.digest.to_string(),
        "mediaType": row.media_type,
        "tags": row.tags,
        "signature": row.signed(),
        // True only for an SBOM of the whole image; `details.sbomCoverage`
        // has the counts the table shows (`1/2`).
        "sbom": row.sbom.whole(),
        "signedSbom": row.sbom.signed,
        "provenance": row.provenance,
        "verification": row.verification.label(),
        "vulnerabilities": super::audit_vulns::row_json(row, crate::vuln::time::now()),
        "missing": missing,
        "details": {
            "signedBy": schemes,
            "signatures": signatures,
            "verification": image_verification_json(row),
            "sbomFormats": row.sbom.formats,
            "sbomDigests": row.sbom.digests.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "sbomCoverage": sbom_coverage,
            "signedSbomCoverage": signed_sbom_coverage,
            "unfetchedPlatforms": row.unfetched_platforms,
            "sbomVerification": verification_json(&row.sbom.verification),
            "scan": row.scan,
            "otherAttestations": row.other_attestations,
            "newestAttachment": row.newest,
            "warnings": row.warnings,
            "error": row.error,
        },
    })
}

/// The JSON contract.
pub fn to_json(
    rows: &[ImageAudit],
    missing: &[Vec<String>],
    summary: &Summary,
    required: &[Requirement],
) -> Result<String> {
    let images: Vec<Value> = rows
        .iter()
        .zip(missing)
        .map(|(row, m)| image_json(row, m))
        .collect();
    let failing = missing.iter().filter(|m| !m.is_empty()).count();
    let required: Vec<String> = required
        .iter()
        .map(|r| format!("{r:?}").to_ascii_lowercase())
        .collect();
    let value = json!({
        "images": images,
        "summary": {
            "images": summary.images,
            "signed": summary.signed,
            "withSbom": summary.with_sbom,
            "signedSbom": summary.signed_sbom,
            "provenance": summary.provenance,
            "verified": summary.verified,
            "failed": summary.failed,
            "errors": summary.errors,
            "required": required,
            "missingRequirements": failing,
            "line": summary.line(),
        },
    });
    let mut text = serde_json::to_string_pretty(&value)?;
    text.push('\n');
    Ok(text)
}

fn yes(flag: bool) -> &'static str {
    if flag { "yes" } else { "-" }
}

/// The cells of one row, in the order of `HEADER`.
fn cells(row: &ImageAudit, missing: &[String]) -> Vec<String> {
    let schemes: Vec<&str> = row.schemes().iter().map(|s| s.label()).collect();
    let mut sbom = row.sbom.formats.join("+");
    if let Some(coverage) = coverage(row) {
        sbom = if sbom.is_empty() {
            coverage
        } else {
            format!("{sbom} {coverage}")
        };
    }
    let verification = row.verdict();
    let mut sbom_signed = yes(row.sbom.signed).to_owned();
    if let Some(coverage) = signed_coverage(row) {
        sbom_signed = format!("{sbom_signed} {coverage}");
    }
    vec![
        row.digest.short().to_owned(),
        if row.tags.is_empty() {
            "-".to_owned()
        } else {
            row.tags.join(",")
        },
        if schemes.is_empty() {
            "-".to_owned()
        } else {
            schemes.join(",")
        },
        if sbom.is_empty() {
            "-".to_owned()
        } else {
            sbom
        },
        sbom_signed,
        yes(row.provenance).to_owned(),
        yes(row.scan).to_owned(),
        super::audit_vulns::cell(row),
        row.other_attestations.to_string(),
        row.newest.clone().unwrap_or_else(|| "-".to_owned()),
        verification,
        match &row.error {
            Some(error) => format!("error: {error}"),
            None => missing.join(", "),
        },
    ]
}

const HEADER: [&str; 12] = [
    "DIGEST",
    "TAGS",
    "SIGNED",
    "SBOM",
    "SBOM SIGNED",
    "PROVENANCE",
    "SCAN",
    "VULNS",
    "ATTEST",
    "NEWEST",
    "VERIFICATION",
    "MISSING",
];

/// A plain aligned table, then the summary line.
pub fn to_table(rows: &[ImageAudit], missing: &[Vec<String>], summary: &Summary) -> String {
    let repositories: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r.repository.as_str()).collect();
    let with_repo = repositories.len() > 1;
    let mut lines: Vec<Vec<String>> = Vec::new();
    let mut header: Vec<String> = HEADER.iter().map(|h| (*h).to_owned()).collect();
    if with_repo {
        header.insert(0, "REPOSITORY".to_owned());
    }
    lines.push(header);
    for (row, m) in rows.iter().zip(missing) {
        let mut cells: Vec<String> = cells(row, m)
            .iter()
            .map(|c| escape_control(c).into_owned())
            .collect();
        if with_repo {
            cells.insert(0, escape_control(&row.repository).into_owned());
        }
        lines.push(cells);
    }
    let columns = lines[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            lines
                .iter()
                .map(|l| l[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in &lines {
        let mut text = String::new();
        for (i, cell) in line.iter().enumerate() {
            text.push_str(cell);
            if i + 1 < columns {
                let pad = widths[i] - cell.chars().count() + 2;
                text.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out.push_str(&summary.line());
    out.push('\n');
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// One line per image; lists inside a cell are separated by spaces.
pub fn to_csv(rows: &[ImageAudit], missing: &[Vec<String>]) -> String {
    let mut out = String::from(
        "repository,digest,tags,signature,signed_by,sbom,sbom_formats,sbom_coverage,\
         signed_sbom,provenance,scan,other_attestations,newest,verification,missing,\
         vulnerabilities\n",
    );
    for (row, m) in rows.iter().zip(missing) {
        let schemes: Vec<&str> = row.schemes().iter().map(|s| s.label()).collect();
        let fields = [
            row.repository.clone(),
            row.digest.to_string(),
            row.tags.join(" "),
            row.signed().to_string(),
            schemes.join(" "),
            row.sbom.whole().to_string(),
            row.sbom.formats.join(" "),
            coverage(row).unwrap_or_default(),
            row.sbom.signed.to_string(),
            row.provenance.to_string(),
            row.scan.to_string(),
            row.other_attestations.to_string(),
            row.newest.clone().unwrap_or_default(),
            row.verification.label().to_owned(),
            m.join("; "),
            super::audit_vulns::cell(row),
            signed_coverage(row).unwrap_or_default(),
        ];
        let line: Vec<String> = fields
            .iter()
            .map(|f| csv_field(&escape_control(f)))
            .collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}
