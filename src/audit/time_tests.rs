//! A keyless signature never gets a time nobody vouches for unless asked;
//! a key-signed one says what it did not check; `--require-tlog` fails
//! both without a verified proof.

use serde_json::json;

use super::*;

fn now() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_777_636_800).expect("time")
}

fn content() -> SignedContent<'static> {
    SignedContent {
        signature: b"sig",
        certificate: None,
        signed: b"payload",
    }
}

fn with_entry() -> TimeProofs {
    TimeProofs {
        tlog_entries: vec![json!({"logIndex": "1"})],
        timestamps: Vec::new(),
    }
}

#[test]
fn present_proofs_are_never_silently_dropped() {
    assert_eq!(
        check_proofs(&TimeProofs::default(), content(), None),
        ProofOutcome::Absent
    );
    let outcome = check_proofs(&with_entry(), content(), None);
    let ProofOutcome::Unchecked(why) = &outcome else {
        panic!("{outcome:?}");
    };
    assert!(why.contains("a transparency log entry present"), "{why}");
}

#[test]
fn keyless_needs_a_verified_time_or_the_insecure_flag() {
    let strict = TimePolicy::default();
    let err = keyless_time(ProofOutcome::Absent, strict, now()).expect_err("no time");
    assert!(
        err.contains("no verified time") && err.contains("--insecure-ignore-tlog"),
        "{err}"
    );
    let unchecked = check_proofs(&with_entry(), content(), None);
    assert!(keyless_time(unchecked.clone(), strict, now()).is_err());

    let ignore = TimePolicy {
        insecure_ignore_tlog: true,
        require_tlog: false,
    };
    let time = keyless_time(unchecked, ignore, now()).expect("now");
    assert_eq!(time.at, now());
    assert_eq!(time.source, TimeSource::IgnoredTlog);
    assert!(
        time.describe().contains("--insecure-ignore-tlog"),
        "{}",
        time.describe()
    );
    assert!(
        time.describe().contains("2026-05-01 12:00 UTC"),
        "{}",
        time.describe()
    );

    let failed = ProofOutcome::Failed("the inclusion proof does not verify".to_owned());
    assert_eq!(
        keyless_time(failed, ignore, now()),
        Err("the inclusion proof does not verify".to_owned())
    );
    let logged = TrustedTime {
        at: now(),
        source: TimeSource::LogEntry {
            log: "Rekor".to_owned(),
            index: 123,
        },
    };
    assert_eq!(
        keyless_time(ProofOutcome::Verified(logged.clone()), strict, now()),
        Ok(logged.clone())
    );
    assert_eq!(
        logged.describe(),
        "signed 2026-05-01 12:00 UTC per Rekor entry 123"
    );
}

#[test]
fn a_key_decides_and_says_what_it_did_not_check() {
    let default = TimePolicy::default();
    assert_eq!(
        keyed_time(ProofOutcome::Absent, default),
        Ok("no transparency log entry (the key decided)".to_owned())
    );
    let unchecked = check_proofs(&with_entry(), content(), None);
    let said = keyed_time(unchecked.clone(), default).expect("key decides");
    assert!(said.contains("not checked"), "{said}");
    let require = TimePolicy {
        insecure_ignore_tlog: false,
        require_tlog: true,
    };
    let err = keyed_time(ProofOutcome::Absent, require).expect_err("required");
    assert!(err.contains("--require-tlog"), "{err}");
    let err = keyed_time(unchecked, require).expect_err("cannot be checked");
    assert!(err.contains("not wired in"), "{err}");
    assert!(keyed_time(ProofOutcome::Failed("bad SET".to_owned()), default).is_err());
}
