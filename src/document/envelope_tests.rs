//! Documents that can be read two ways are refused; each envelope is read
//! from exactly its own fields.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::*;

fn statement(hex: &str) -> String {
    format!(
        r#"{{"_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":[{{"name":"x","digest":{{"sha256":"{hex}"}}}}]}}"#
    )
}

fn dsse(hex: &str) -> String {
    format!(
        r#"{{"payloadType":"application/vnd.in-toto+json","payload":"{}","signatures":[{{"sig":"AQID"}}]}}"#,
        STANDARD.encode(statement(hex))
    )
}

#[test]
fn a_bundle_is_read_from_its_own_envelope_only() {
    let bundle = format!(
        r#"{{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{{}},"dsseEnvelope":{}}}"#,
        dsse("aa")
    );
    let carrier = Carrier::parse(bundle.as_bytes()).expect("bundle");
    let envelope = carrier.dsse().expect("dsse");
    assert_eq!(envelope.payload, statement("aa").as_bytes());
    assert_eq!(envelope.signatures, [vec![1, 2, 3]]);

    // The forgeries: a second statement beside the signed envelope.
    let with_payload = format!(
        r#"{{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","dsseEnvelope":{},"payloadType":"application/vnd.in-toto+json","payload":"{}"}}"#,
        dsse("aa"),
        STANDARD.encode(statement("bb"))
    );
    let beside = format!(
        r#"{{"dsseEnvelope":{},"_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":[]}}"#,
        dsse("aa")
    );
    let both = format!(
        r#"{{"dsseEnvelope":{},"messageSignature":{{"messageDigest":{{"algorithm":"SHA2_256","digest":"AA=="}},"signature":"AA=="}}}}"#,
        dsse("aa")
    );
    let dsse_and_statement = format!(
        r#"{{"payloadType":"application/vnd.in-toto+json","payload":"{}","_type":"https://in-toto.io/Statement/v1","predicateType":"p"}}"#,
        STANDARD.encode(statement("aa"))
    );
    for forged in [with_payload, beside, both, dsse_and_statement] {
        assert_eq!(
            Carrier::parse(forged.as_bytes()),
            Err(StatementError::Ambiguous),
            "{forged}"
        );
    }
}

#[test]
fn a_field_given_twice_is_refused() {
    let twice = format!(
        r#"{{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","dsseEnvelope":{},"dsseEnvelope":{}}}"#,
        dsse("aa"),
        dsse("bb")
    );
    assert!(Carrier::parse(twice.as_bytes()).is_err());
    let payload_twice = format!(
        r#"{{"payloadType":"application/vnd.in-toto+json","payload":"{}","payload":"{}"}}"#,
        STANDARD.encode(statement("aa")),
        STANDARD.encode(statement("bb"))
    );
    assert!(Carrier::parse(payload_twice.as_bytes()).is_err());
}

#[test]
fn message_signatures_and_other_shapes() {
    let message = br#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","messageSignature":{"messageDigest":{"algorithm":"SHA2_256","digest":"AAEC"},"signature":"AwQ="}}"#;
    match Carrier::parse(message).expect("message") {
        Carrier::Bundle {
            content: BundleContent::MessageSignature(m),
            ..
        } => {
            assert_eq!(m.algorithm, "SHA2_256");
            assert_eq!(m.digest, [0, 1, 2]);
            assert_eq!(m.signature, [3, 4]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        Carrier::parse(br#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}"#),
        Err(StatementError::NoContent)
    );
    assert_eq!(Carrier::parse(b"[]"), Err(StatementError::NoStatement));
    assert_eq!(
        Carrier::parse(statement("aa").as_bytes()),
        Ok(Carrier::Bare)
    );
    assert_eq!(
        Carrier::parse(br#"{"payloadType":"x"}"#),
        Err(StatementError::NoStatement)
    );
}

#[test]
fn a_statement_comes_from_an_in_toto_payload_only() {
    let Ok(Carrier::Dsse(mut envelope)) = Carrier::parse(dsse("ab").as_bytes()) else {
        panic!("dsse");
    };
    let read = crate::document::Statement::from_payload(&envelope, crate::document::Envelope::Dsse)
        .expect("statement");
    assert_eq!(read.subjects[0].digest["sha256"], "ab");
    envelope.payload_type = "text/plain".to_owned();
    assert_eq!(
        crate::document::Statement::from_payload(&envelope, crate::document::Envelope::Dsse).err(),
        Some(StatementError::PayloadType("text/plain".to_owned()))
    );
}
