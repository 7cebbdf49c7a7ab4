//! What `regscope verify` prints: a line per signature (text) or one JSON
//! document, each verdict with who verified it and what vouches for its
//! time, or why it failed. Registry strings are escaped in text.

use color_eyre::eyre::{Result, WrapErr};
use serde_json::{Value, json};

use crate::audit::verify::Verdict;
use crate::audit::{ImageAudit, Verification};
use crate::oci::Digest;
use crate::text::{escape_control, escape_control_lines};

fn verification_json(verification: &Verification) -> Value {
    match verification {
        Verification::Verified { key, time, root } => {
            json!({"status": "verified", "key": key, "time": time, "root": root})
        }
        Verification::Failed { reasons } => json!({"status": "failed", "reasons": reasons}),
        Verification::Unverified => json!({"status": "unverified"}),
    }
}

fn verification_text(verification: &Verification) -> String {
    match verification {
        Verification::Unverified => "not checked".to_owned(),
        verdict => verdict.line(),
    }
}

pub(super) fn image_text(name: &str, row: &ImageAudit, material: &str) -> String {
    let mut out = format!("{name}@{}\n", row.digest);
    for signature in &row.signatures {
        out.push_str(&format!(
            "  {} {} ({}): {}\n",
            signature.digest.short(),
            signature.scheme,
            signature.found_by.join(", "),
            verification_text(&signature.verification)
        ));
    }
    let verified = row
        .signatures
        .iter()
        .filter(|s| s.verification.is_verified())
        .count();
    out.push_str(&match row.signatures.len() {
        0 => "no signature attached".to_owned(),
        n => format!("{verified} of {n} signatures verified"),
    });
    out.push_str(&format!(" (trust material: {material})\n"));
    escape_control_lines(&out)
}

pub(super) fn image_json(name: &str, row: &ImageAudit, material: &str) -> Result<String> {
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
    let doc = json!({
        "image": format!("{name}@{}", row.digest),
        "digest": row.digest.to_string(),
        "verified": row.verification.is_verified(),
        "trustMaterial": material,
        "signatures": signatures,
        "warnings": row.warnings,
    });
    let mut text = serde_json::to_string_pretty(&doc).wrap_err("cannot write JSON")?;
    text.push('\n');
    Ok(text)
}

pub(super) fn bundle_text(
    bundle: &str,
    artifact: &Digest,
    outcome: &Result<Verdict, String>,
) -> String {
    let verdict = match outcome {
        Ok(verdict) => Verification::Verified {
            key: verdict.key.clone(),
            time: verdict.time.clone(),
            root: verdict.root.clone(),
        }
        .line(),
        Err(why) => format!("failed: {why}"),
    };
    escape_control(&format!("{bundle} over {artifact}: {verdict}")).into_owned() + "\n"
}

pub(super) fn bundle_json(
    bundle: &str,
    artifact: &Digest,
    outcome: &Result<Verdict, String>,
    material: &str,
) -> Result<String> {
    let verification = match outcome {
        Ok(verdict) => json!({
            "status": "verified",
            "key": verdict.key,
            "time": verdict.time,
            "root": verdict.root,
        }),
        Err(why) => json!({"status": "failed", "reasons": [why]}),
    };
    let doc = json!({
        "bundle": bundle,
        "artifact": artifact.to_string(),
        "verified": outcome.is_ok(),
        "trustMaterial": material,
        "verification": verification,
    });
    let mut text = serde_json::to_string_pretty(&doc).wrap_err("cannot write JSON")?;
    text.push('\n');
    Ok(text)
}
