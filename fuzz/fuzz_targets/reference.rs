//! The reference parser: never panics, and what it prints parses back to
//! the same reference.
#![no_main]

use libfuzzer_sys::fuzz_target;
use regscope::oci::Reference;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(reference) = Reference::parse(input) {
        let printed = reference.to_string();
        let again = Reference::parse(&printed)
            .unwrap_or_else(|e| panic!("{input:?} printed as {printed:?}, which fails: {e}"));
        assert_eq!(again, reference, "{input:?} printed as {printed:?}");
        let _ = (reference.api_host(), reference.target(), reference.name());
    }
});
