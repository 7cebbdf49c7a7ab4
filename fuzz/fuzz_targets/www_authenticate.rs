//! The `WWW-Authenticate` challenge parser keeps what it can read of any
//! header and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use regscope::store::remote::auth::fuzzing::challenges;

fuzz_target!(|data: &[u8]| {
    let header = String::from_utf8_lossy(data);
    for (scheme, params) in challenges(&header) {
        assert!(!scheme.is_empty());
        for name in params.keys() {
            assert_eq!(name, &name.to_ascii_lowercase());
        }
    }
});
