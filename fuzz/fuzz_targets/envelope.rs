//! The envelope and statement decoder: any bytes give a reading or an
//! error, never a panic; a document read as one envelope is never also
//! read as another, and a statement comes only from its envelope's payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use regscope::document::{BundleContent, Carrier, Envelope, Statement, unwrap_statement};

fuzz_target!(|data: &[u8]| {
    let carrier = Carrier::parse(data);
    let statement = unwrap_statement(data);
    match &carrier {
        Ok(Carrier::Dsse(dsse)) => {
            let from_payload = Statement::from_payload(dsse, Envelope::Dsse);
            assert_eq!(from_payload.is_ok(), statement.is_ok());
            if let (Ok(a), Ok(b)) = (&from_payload, &statement) {
                assert_eq!(a.subjects, b.subjects);
            }
        }
        Ok(Carrier::Bundle {
            content: BundleContent::Dsse(dsse),
            ..
        }) => {
            let from_payload = Statement::from_payload(dsse, Envelope::SigstoreBundle);
            assert_eq!(from_payload.is_ok(), statement.is_ok());
            if let (Ok(a), Ok(b)) = (&from_payload, &statement) {
                assert_eq!(a.subjects, b.subjects);
            }
        }
        Ok(Carrier::Bundle { .. }) => assert!(statement.is_err()),
        Ok(Carrier::Bare) => {}
        Err(_) => assert!(statement.is_err()),
    }
    if let Ok(statement) = statement {
        let _ = (statement.predicate_bytes(), statement.predicate_value());
    }
});
