//! Tests of reading registry responses: URLs redacted, OCI error bodies
//! read, statuses mapped to typed errors.

use super::*;

#[test]
fn redacts_secrets_from_urls() {
    let url = Url::parse("https://user:pw@s3.example:8443/bucket/blob?X-Amz-Signature=CANARY#x")
        .expect("url");
    assert_eq!(redact(&url), "https://s3.example:8443/bucket/blob");
}

#[test]
fn reads_oci_error_bodies() {
    let (codes, message) = parse_error_body(
            br#"{"errors":[{"code":"UNSUPPORTED","message":"the operation is unsupported"},{"code":"DENIED","message":"no\u001b[2J"}]}"#,
        );
    assert_eq!(codes, ["UNSUPPORTED", "DENIED"]);
    assert_eq!(
        message,
        "UNSUPPORTED: the operation is unsupported; DENIED: no [2J"
    );
    let (codes, message) = parse_error_body(b"<html>nope</html>");
    assert!(codes.is_empty());
    assert_eq!(message, "<html>nope</html>");
}

#[test]
fn maps_statuses_to_typed_errors() {
    let map = |status: u16, codes: &[&str]| {
        let codes: Vec<String> = codes.iter().map(|c| (*c).to_owned()).collect();
        status_error(
            StatusCode::from_u16(status).expect("status"),
            &HeaderMap::new(),
            &codes,
            String::new(),
            "r.example",
            "delete manifest",
            "manifest x",
        )
    };
    assert!(matches!(map(401, &[]), StoreError::Unauthorized { .. }));
    assert!(matches!(map(403, &[]), StoreError::Forbidden { .. }));
    assert!(matches!(map(404, &[]), StoreError::NotFound { .. }));
    assert!(matches!(map(405, &[]), StoreError::Unsupported { .. }));
    assert!(matches!(
        map(400, &["UNSUPPORTED"]),
        StoreError::Unsupported { .. }
    ));
    assert!(matches!(map(429, &[]), StoreError::RateLimited { .. }));
    assert!(matches!(
        map(500, &[]),
        StoreError::Registry { status: 500, .. }
    ));
}
