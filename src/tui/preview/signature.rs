//! What can be read of a signature or attestation without verifying it:
//! its type, the signer (key id, certificate subject hint, identity), the
//! digest it claims to sign, and an attestation's predicate type.

use base64::Engine;
use serde_json::Value;

use crate::text::escape_control;

/// Facts as (label, value) pairs; empty when the document is not one of
/// the shapes known here (the detail pane then shows the bytes).
pub fn summarize(bytes: &[u8]) -> Vec<(&'static str, String)> {
    let Ok(doc) = serde_json::from_slice::<Value>(bytes) else {
        return Vec::new();
    };
    let mut facts = Vec::new();
    if doc.get("payloadType").is_some() && doc.get("signatures").is_some() {
        facts.push(("type", "DSSE envelope".to_owned()));
        facts.push(("payload type", text(&doc["payloadType"])));
        signatures(&doc["signatures"], &mut facts);
        if let Some(payload) = decode(&text(&doc["payload"]))
            && let Ok(statement) = serde_json::from_slice::<Value>(&payload)
        {
            statement_facts(&statement, &mut facts);
        }
    } else if doc.get("_type").is_some() && doc.get("predicateType").is_some() {
        facts.push(("type", "in-toto statement".to_owned()));
        statement_facts(&doc, &mut facts);
    } else if let Some(media_type) = doc
        .get("mediaType")
        .and_then(Value::as_str)
        .filter(|m| m.contains("sigstore.bundle"))
    {
        facts.push(("type", format!("Sigstore bundle ({media_type})")));
        let material = &doc["verificationMaterial"];
        if let Some(hint) = material["publicKey"]["hint"].as_str() {
            facts.push(("key hint", hint.to_owned()));
        } else if material.get("certificate").is_some()
            || material.get("x509CertificateChain").is_some()
        {
            facts.push(("signer", "certificate (keyless)".to_owned()));
        }
        let entries = material["tlogEntries"].as_array().map_or(0, Vec::len);
        facts.push(("tlog entries", entries.to_string()));
        if let Some(envelope) = doc.get("dsseEnvelope")
            && let Some(payload) = decode(&text(&envelope["payload"]))
            && let Ok(statement) = serde_json::from_slice::<Value>(&payload)
        {
            statement_facts(&statement, &mut facts);
        }
    } else if doc["critical"]["type"].as_str().is_some() {
        // cosign's type already says "cosign container image signature".
        facts.push(("type", text(&doc["critical"]["type"])));
        facts.push((
            "signs",
            text(&doc["critical"]["image"]["docker-manifest-digest"]),
        ));
        facts.push((
            "identity",
            text(&doc["critical"]["identity"]["docker-reference"]),
        ));
    } else if doc.get("protected").is_some() && doc.get("signature").is_some() {
        facts.push(("type", "JWS signature (Notary)".to_owned()));
        if let Some(header) = decode(&text(&doc["protected"]))
            && let Ok(header) = serde_json::from_slice::<Value>(&header)
        {
            facts.push(("algorithm", text(&header["alg"])));
            facts.push(("scheme", text(&header["io.cncf.notary.signingScheme"])));
        }
        let chain = doc["header"]["x5c"].as_array().map_or(0, Vec::len);
        facts.push(("certificates", chain.to_string()));
        if let Some(payload) = decode(&text(&doc["payload"]))
            && let Ok(payload) = serde_json::from_slice::<Value>(&payload)
        {
            facts.push(("signs", text(&payload["targetArtifact"]["digest"])));
        }
    }
    facts.retain(|(_, value)| !value.is_empty());
    facts
        .into_iter()
        .map(|(label, value)| (label, escape_control(&value).into_owned()))
        .collect()
}

fn signatures(signatures: &Value, facts: &mut Vec<(&'static str, String)>) {
    let list = signatures.as_array().map_or(&[][..], Vec::as_slice);
    facts.push(("signatures", list.len().to_string()));
    for signature in list {
        facts.push(("key id", text(&signature["keyid"])));
    }
}

fn statement_facts(statement: &Value, facts: &mut Vec<(&'static str, String)>) {
    facts.push(("predicate type", text(&statement["predicateType"])));
    for subject in statement["subject"].as_array().into_iter().flatten() {
        let digests = subject["digest"]
            .as_object()
            .map(|d| {
                d.iter()
                    .map(|(alg, hex)| format!("{alg}:{}", text(hex)))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        facts.push((
            "subject",
            format!("{} {digests}", text(&subject["name"]))
                .trim()
                .to_owned(),
        ));
    }
}

/// Base64 in either alphabet, padded or not (DSSE uses standard, JWS url-safe).
fn decode(encoded: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let trimmed = encoded.trim_end_matches('=');
    URL_SAFE_NO_PAD
        .decode(trimmed)
        .ok()
        .or_else(|| STANDARD.decode(encoded).ok())
}

fn text(value: &Value) -> String {
    value.as_str().map(str::to_owned).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_dsse_in_toto_attestation() {
        let statement = r#"{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://slsa.dev/provenance/v1",
            "subject":[{"name":"app","digest":{"sha256":"abc"}}]}"#;
        let payload = base64::engine::general_purpose::STANDARD.encode(statement);
        let envelope = format!(
            r#"{{"payloadType":"application/vnd.in-toto+json","payload":"{payload}","signatures":[{{"keyid":"k1","sig":"x"}}]}}"#
        );
        let facts = summarize(envelope.as_bytes());
        assert!(facts.contains(&("type", "DSSE envelope".to_owned())));
        assert!(facts.contains(&("key id", "k1".to_owned())));
        assert!(facts.contains(&(
            "predicate type",
            "https://slsa.dev/provenance/v1".to_owned()
        )));
        assert!(facts.contains(&("subject", "app sha256:abc".to_owned())));
        assert!(summarize(b"not json").is_empty());
        assert!(summarize(b"{\"a\":1}").is_empty());
    }

    #[test]
    fn a_cosign_payload_says_its_type_once() {
        let payload = r#"{"critical":{"identity":{"docker-reference":"r/app"},
            "image":{"docker-manifest-digest":"sha256:abc"},"type":"cosign container image signature"},
            "optional":null}"#;
        let facts = summarize(payload.as_bytes());
        assert!(
            facts.contains(&("type", "cosign container image signature".to_owned())),
            "{facts:?}"
        );
        assert!(facts.contains(&("signs", "sha256:abc".to_owned())));
    }
}
