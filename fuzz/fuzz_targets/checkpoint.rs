//! The checkpoint (signed note) parser: any text gives a checkpoint or an
//! error, never a panic; a parsed checkpoint's signed text is a prefix of
//! the input, and no made-up note verifies with the shipped log keys.
#![no_main]

use libfuzzer_sys::fuzz_target;
use regscope::audit::transparency::fuzzing::Checkpoint;
use regscope::audit::transparency::shipped;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(checkpoint) = Checkpoint::parse(text) else {
        return;
    };
    assert!(text.starts_with(&checkpoint.text));
    assert_eq!(checkpoint.root_hash.len(), 32);
    if let Ok(root) = shipped::embedded() {
        for log in &root.tlogs {
            assert!(checkpoint.verify_rekor_v1(&log.key).is_err());
            assert!(checkpoint.verify_note(log.origin(), &log.key).is_err());
        }
    }
});
