//! A token server's answer: any body gives a token or an error, and the
//! lifetime stays within the bounds docker uses.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use regscope::store::remote::auth::fuzzing::token_answer;

fuzz_target!(|data: &[u8]| {
    if let Ok((header_len, lifetime)) = token_answer(data) {
        assert!(header_len > "Bearer ".len());
        assert!(lifetime >= Duration::from_secs(60));
        assert!(lifetime <= Duration::from_secs(3600));
    }
});
