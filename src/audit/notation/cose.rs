//! Notation's COSE envelope: a `COSE_Sign1` (RFC 9052, CBOR tag 18),
//! `[protected: bstr, unprotected: map, payload: bstr, signature: bstr]`.
//! The protected header (a CBOR map inside the bstr) holds `alg` (1),
//! `crit` (2), the content type (3) and Notary's text-labelled headers;
//! the unprotected one holds the chain as `x5chain` (33). What was signed
//! is the `Sig_structure` `["Signature1", protected, h'', payload]`.

use ciborium::Value;

use super::Envelope;
use crate::audit::certs::Cert;

/// For headers that only have a text label.
const NO_NUMBER: i128 = i128::MIN;

fn label_is(label: &Value, number: i128, name: &str) -> bool {
    match label {
        Value::Integer(i) => i128::from(*i) == number,
        Value::Text(text) => text == name,
        _ => false,
    }
}

fn get<'a>(map: &'a [(Value, Value)], number: i128, name: &str) -> Option<&'a Value> {
    map.iter()
        .find(|(label, _)| label_is(label, number, name))
        .map(|(_, value)| value)
}

/// COSE's algorithm numbers, as JOSE names them.
fn algorithm(value: Option<&Value>) -> String {
    let number = match value {
        Some(Value::Integer(i)) => i128::from(*i),
        _ => return String::new(),
    };
    match number {
        -37 => "PS256",
        -38 => "PS384",
        -39 => "PS512",
        -7 => "ES256",
        -35 => "ES384",
        -36 => "ES512",
        _ => "unknown",
    }
    .to_owned()
}

/// A CBOR byte string's header and bytes.
fn bstr(bytes: &[u8], out: &mut Vec<u8>) {
    let len = bytes.len() as u64;
    match len {
        0..=23 => out.push(0x40 | len as u8),
        24..=0xff => out.extend([0x58, len as u8]),
        0x100..=0xffff => {
            out.push(0x59);
            out.extend((len as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(0x5a);
            out.extend((len as u32).to_be_bytes());
        }
        _ => {
            out.push(0x5b);
            out.extend(len.to_be_bytes());
        }
    }
    out.extend_from_slice(bytes);
}

/// `["Signature1", protected, h'', payload]`, CBOR.
fn sig_structure(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0x84, 0x6a];
    out.extend_from_slice(b"Signature1");
    bstr(protected, &mut out);
    bstr(&[], &mut out);
    bstr(payload, &mut out);
    out
}

fn bytes(value: Option<&Value>, what: &str) -> Result<Vec<u8>, String> {
    match value {
        Some(Value::Bytes(bytes)) => Ok(bytes.clone()),
        _ => Err(format!("the COSE {what} is not a byte string")),
    }
}

pub(super) fn parse(data: &[u8]) -> Result<Envelope, String> {
    let value: Value = ciborium::de::from_reader(data)
        .map_err(|e| format!("the COSE envelope is not CBOR: {e}"))?;
    let value = match value {
        Value::Tag(18, inner) => *inner,
        other => other,
    };
    let Value::Array(parts) = value else {
        return Err("the COSE envelope is not a COSE_Sign1 array".to_owned());
    };
    let [protected_raw, unprotected, payload, signature] = parts.as_slice() else {
        return Err("the COSE_Sign1 does not have four parts".to_owned());
    };
    let protected_raw = bytes(Some(protected_raw), "protected header")?;
    let payload = bytes(Some(payload), "payload")?;
    let signature = bytes(Some(signature), "signature")?;
    let protected: Value = ciborium::de::from_reader(protected_raw.as_slice())
        .map_err(|e| format!("the COSE protected header is not CBOR: {e}"))?;
    let Value::Map(protected) = protected else {
        return Err("the COSE protected header is not a map".to_owned());
    };
    let Value::Map(unprotected) = unprotected else {
        return Err("the COSE unprotected header is not a map".to_owned());
    };
    // x5chain is one bstr for a lone certificate, else an array of them.
    let chain = match get(unprotected, 33, "x5chain") {
        Some(Value::Bytes(der)) => vec![Cert::from_der(der)?],
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| Cert::from_der(&bytes(Some(item), "x5chain entry")?))
            .collect::<Result<_, _>>()?,
        _ => return Err("the COSE envelope carries no certificate chain (x5chain)".to_owned()),
    };
    if chain.is_empty() {
        return Err("the COSE envelope carries no certificate chain (x5chain)".to_owned());
    }
    let critical = match get(&protected, 2, "crit") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::Text(text) => text.clone(),
                Value::Integer(i) => i128::from(*i).to_string(),
                _ => "(not a label)".to_owned(),
            })
            .collect(),
        _ => Vec::new(),
    };
    // Times are CBOR tag 1 (seconds since the epoch).
    let expiry = match get(&protected, NO_NUMBER, "io.cncf.notary.expiry") {
        Some(Value::Tag(1, inner)) => match inner.as_ref() {
            Value::Integer(i) => Some(
                i64::try_from(i128::from(*i))
                    .ok()
                    .and_then(|s| jiff::Timestamp::from_second(s).ok())
                    .ok_or("unreadable io.cncf.notary.expiry")?,
            ),
            _ => return Err("unreadable io.cncf.notary.expiry".to_owned()),
        },
        Some(_) => return Err("unreadable io.cncf.notary.expiry".to_owned()),
        None => None,
    };
    let content_type = match get(&protected, 3, "content type") {
        Some(Value::Text(text)) => Some(text.clone()),
        _ => None,
    };
    Ok(Envelope {
        chain,
        alg: algorithm(get(&protected, 1, "alg")),
        content_type,
        critical,
        expiry,
        signing_input: sig_structure(&protected_raw, &payload),
        payload,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_string_headers_follow_cbor_lengths() {
        let mut out = Vec::new();
        bstr(&[7; 3], &mut out);
        assert_eq!(out[..1], [0x43]);
        let mut out = Vec::new();
        bstr(&[7; 300], &mut out);
        assert_eq!(out[..3], [0x59, 0x01, 0x2c]);
        assert_eq!(sig_structure(b"", b"")[..12], *b"\x84\x6aSignature1");
        assert!(parse(b"\x01").is_err());
    }
}
