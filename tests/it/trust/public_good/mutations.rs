//! What the public-good test breaks: each bundle mutation that must fail,
//! and the public-good root edited so that no real bundle can verify.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use regscope::audit::transparency::shipped;
use serde_json::Value;

use super::write;

/// The bundle's signing certificate field, wherever its version keeps it.
fn certificate(bundle: &mut Value) -> &mut Value {
    let material = &mut bundle["verificationMaterial"];
    if material.get("certificate").is_some() {
        &mut material["certificate"]["rawBytes"]
    } else {
        &mut material["x509CertificateChain"]["certificates"][0]["rawBytes"]
    }
}

fn flip_base64(value: &mut Value) {
    let mut bytes = STANDARD.decode(value.as_str().unwrap()).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    *value = Value::from(STANDARD.encode(bytes));
}

/// The bundle mutations: (name, edit). Each must fail.
pub(super) type Edit = fn(&mut Value, &Value);

pub(super) fn mutations() -> Vec<(&'static str, Edit)> {
    vec![
        ("integrated time shifted", |b, _| {
            let entry = &mut b["verificationMaterial"]["tlogEntries"][0];
            let time: i64 = entry["integratedTime"].as_str().unwrap().parse().unwrap();
            entry["integratedTime"] = Value::from((time + 1).to_string());
        }),
        ("log index changed", |b, _| {
            let entry = &mut b["verificationMaterial"]["tlogEntries"][0];
            let index: u64 = entry["logIndex"].as_str().unwrap().parse().unwrap();
            entry["logIndex"] = Value::from((index + 1).to_string());
        }),
        ("signed entry timestamp altered", |b, _| {
            let entry = &mut b["verificationMaterial"]["tlogEntries"][0];
            flip_base64(&mut entry["inclusionPromise"]["signedEntryTimestamp"]);
        }),
        ("no log entry", |b, _| {
            b["verificationMaterial"]["tlogEntries"] = Value::Array(Vec::new());
        }),
        ("signature altered", |b, _| {
            flip_base64(&mut b["dsseEnvelope"]["signatures"][0]["sig"]);
        }),
        ("payload altered", |b, _| {
            let payload = &mut b["dsseEnvelope"]["payload"];
            let mut bytes = STANDARD.decode(payload.as_str().unwrap()).unwrap();
            bytes.push(b' ');
            *payload = Value::from(STANDARD.encode(bytes));
        }),
        ("another bundle's certificate", |b, other| {
            let mut other = other.clone();
            *certificate(b) = certificate(&mut other).clone();
        }),
    ]
}

/// The public-good root edited: every CA's window closed in 2020, or no
/// certificate transparency logs.
pub(super) fn edited_roots(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let root: Value = serde_json::from_slice(shipped::PUBLIC_GOOD_JSON).unwrap();
    let mut closed = root.clone();
    for ca in closed["certificateAuthorities"].as_array_mut().unwrap() {
        ca["validFor"]["end"] = Value::from("2020-01-01T00:00:00Z");
    }
    let mut no_ct = root;
    no_ct["ctlogs"] = Value::Array(Vec::new());
    vec![
        ("CA windows closed", write(dir, "closed-root.json", &closed)),
        ("no CT logs", write(dir, "no-ct-root.json", &no_ct)),
    ]
}
