//! The `Link` header parser: one header value per line of input; the next
//! page it finds is text of one of the values, never made up.
#![no_main]

use libfuzzer_sys::fuzz_target;
use regscope::store::remote::fuzzing::next_link;

fuzz_target!(|data: &[u8]| {
    let values: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    if let Some(target) = next_link(&values) {
        let target = target.as_bytes();
        assert!(target.is_empty() || data.windows(target.len()).any(|w| w == target));
    }
});
