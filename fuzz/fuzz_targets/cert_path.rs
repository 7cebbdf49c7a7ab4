//! Certificate path input: DER certificates as a signature carries them
//! (a leaf, intermediates) and as trust material lists them (anchors),
//! split from one input; validation answers or refuses, never panics, and
//! reading a certificate's fields never panics either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use regscope::audit::certs::Cert;

/// Splits `data` at each `0xff 0x00 0xff` marker: leaf, intermediates…,
/// and the last part the anchor.
fn parts(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(3).position(|w| w == [0xff, 0x00, 0xff]) {
        parts.push(&rest[..at]);
        rest = &rest[at + 3..];
    }
    parts.push(rest);
    parts
}

fuzz_target!(|data: &[u8]| {
    let certs: Vec<Cert> = parts(data)
        .into_iter()
        .filter_map(|der| Cert::from_der(der).ok())
        .collect();
    for cert in &certs {
        let _ = (
            cert.subject(),
            cert.issuer(),
            cert.identities(),
            cert.oidc_issuer(),
            cert.validity_text(),
            cert.ca(),
            cert.may_sign(),
            cert.may_issue(),
            cert.code_signing(),
            cert.critical_extensions(),
            cert.key("fuzz"),
        );
    }
    let Some((leaf, rest)) = certs.split_first() else {
        return;
    };
    let (anchors, intermediates) = match rest.split_last() {
        Some((anchor, intermediates)) => (std::slice::from_ref(anchor), intermediates),
        None => (std::slice::from_ref(leaf), rest),
    };
    // Within the seeds' validity (2026-12-07), so their signatures are checked.
    let at = jiff::Timestamp::from_second(1_796_603_400).expect("a time");
    let _ = regscope::audit::chain::validate(leaf, intermediates, anchors, at);
});
