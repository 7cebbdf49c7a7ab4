//! A keyless signature never gets a time nobody vouches for unless asked;
//! a present proof that does not verify fails any signature; a key decides
//! alone only when no proof is there, and says so; `--require-tlog` fails
//! both without a verified proof.

use super::*;
use crate::audit::transparency::{Hash, Signed, Signer, TlogEntry, VerifiedTime, shipped};

fn now() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_777_636_800).expect("time")
}

fn subject() -> Subject<'static> {
    Subject {
        signed: Signed::Message {
            algorithm: Hash::Sha256,
            digest: &[0; 32],
        },
        signature: b"sig",
        signer: Signer::PublicKey(b"key"),
    }
}

/// A log entry nobody logged.
fn made_up_entry() -> Evidence {
    Evidence {
        entries: vec![TlogEntry {
            log_index: 1,
            log_id: vec![7; 32],
            kind: "hashedrekord".into(),
            version: "0.0.1".into(),
            integrated_time: 1_777_636_800,
            body: b"{}".to_vec(),
            signed_entry_timestamp: Some(b"set".to_vec()),
            inclusion_proof: None,
        }],
        timestamps: Vec::new(),
    }
}

fn logged(index: u64) -> Proofs {
    Proofs {
        times: vec![VerifiedTime {
            at: now(),
            source: transparency::TimeSource::RekorEntry {
                index,
                log: "https://rekor.sigstore.dev".into(),
            },
        }],
        log_entries: vec![format!("Rekor entry {index} in https://rekor.sigstore.dev")],
        root: "r".into(),
    }
}

const STRICT: TimePolicy = TimePolicy {
    insecure_ignore_tlog: false,
    insecure_ignore_sct: false,
    require_tlog: false,
};
const IGNORE: TimePolicy = TimePolicy {
    insecure_ignore_tlog: true,
    ..STRICT
};
const REQUIRE: TimePolicy = TimePolicy {
    require_tlog: true,
    ..STRICT
};

#[test]
fn present_proofs_are_checked_and_never_silently_dropped() {
    let root = shipped::embedded().expect("root");
    let none = Ok(Evidence::default());
    assert!(matches!(
        check_proofs(&none, &subject(), &root, STRICT),
        ProofOutcome::Absent { skipped: 0 }
    ));
    let outcome = check_proofs(&Ok(made_up_entry()), &subject(), &root, STRICT);
    let ProofOutcome::Failed(why) = &outcome else {
        panic!("{outcome:?}");
    };
    assert!(
        why.contains("does not list") && why.contains("(root public-good (embedded, "),
        "{why}"
    );
    let unreadable = Err(ProofError::new(transparency::Part::Bundle, "not a list"));
    let outcome = check_proofs(&unreadable, &subject(), &root, IGNORE);
    assert!(matches!(outcome, ProofOutcome::Failed(ref why) if why.contains("cannot be read")));
    // --insecure-ignore-tlog leaves the entry out, and counts it.
    assert!(matches!(
        check_proofs(&Ok(made_up_entry()), &subject(), &root, IGNORE),
        ProofOutcome::Absent { skipped: 1 }
    ));
}

#[test]
fn keyless_needs_a_verified_time_or_the_insecure_flag() {
    let err =
        keyless_times(ProofOutcome::Absent { skipped: 0 }, STRICT, now()).expect_err("no time");
    assert!(
        err.contains("no verified time") && err.contains("--insecure-ignore-tlog"),
        "{err}"
    );
    let err =
        keyless_times(ProofOutcome::Absent { skipped: 0 }, REQUIRE, now()).expect_err("required");
    assert!(err.contains("--require-tlog"), "{err}");

    let (times, text) =
        keyless_times(ProofOutcome::Absent { skipped: 1 }, IGNORE, now()).expect("now");
    assert_eq!(times.len(), 1);
    assert_eq!(times[0].at, now());
    assert_eq!(times[0].source, TimeSource::IgnoredTlog);
    assert!(
        text.contains("--insecure-ignore-tlog")
            && text.contains("2026-05-01 12:00 UTC")
            && text.contains("a transparency log entry not checked"),
        "{text}"
    );

    let failed = ProofOutcome::Failed("inclusion proof: does not lead to its root hash".into());
    assert_eq!(
        keyless_times(failed, IGNORE, now()),
        Err("inclusion proof: does not lead to its root hash".to_owned())
    );
    let verified = ProofOutcome::Verified {
        proofs: logged(123),
        skipped: 0,
    };
    let (times, text) = keyless_times(verified, STRICT, now()).expect("logged");
    assert_eq!(
        times[0].source,
        TimeSource::LogEntry {
            log: "https://rekor.sigstore.dev".into(),
            index: 123
        }
    );
    assert_eq!(text, "signed 2026-05-01 12:00 UTC per Rekor entry 123");

    // A Rekor v2 entry alone signs no time.
    let mut untimed = logged(5);
    untimed.times.clear();
    let err = keyless_times(
        ProofOutcome::Verified {
            proofs: untimed,
            skipped: 0,
        },
        STRICT,
        now(),
    )
    .expect_err("no time");
    assert!(err.contains("signs no time"), "{err}");
}

#[test]
fn a_key_decides_only_without_proofs_and_says_so() {
    assert_eq!(
        keyed_time(ProofOutcome::Absent { skipped: 0 }, STRICT),
        Ok("no transparency log entry (the key decided)".to_owned())
    );
    let said = keyed_time(ProofOutcome::Absent { skipped: 2 }, IGNORE).expect("key decides");
    assert!(
        said.contains("2 transparency log entries not checked") && said.contains("the key decided"),
        "{said}"
    );
    let err = keyed_time(ProofOutcome::Absent { skipped: 0 }, REQUIRE).expect_err("required");
    assert!(err.contains("--require-tlog"), "{err}");
    assert!(keyed_time(ProofOutcome::Failed("bad SET".to_owned()), STRICT).is_err());
    let verified = ProofOutcome::Verified {
        proofs: logged(9),
        skipped: 0,
    };
    assert_eq!(
        keyed_time(verified.clone(), REQUIRE),
        Ok("signed 2026-05-01 12:00 UTC per Rekor entry 9".to_owned())
    );
    let mut untimed = logged(9);
    untimed.times.clear();
    let said = keyed_time(
        ProofOutcome::Verified {
            proofs: untimed,
            skipped: 0,
        },
        STRICT,
    )
    .expect("logged");
    assert!(said.contains("the log signs no time"), "{said}");
}

#[test]
fn reads_rfc3339_with_its_offset() {
    let t = rfc3339("2021-03-07T03:20:29.000Z").expect("time");
    assert_eq!(t.as_second(), 1_615_087_229);
    // The offset counts: the same instant written in another zone.
    assert_eq!(rfc3339("2021-03-07T05:20:29+02:00"), Some(t));
    assert!(rfc3339("yesterday").is_none());
    assert!(rfc3339("2021-03-07T03:20:29").is_none());
}
