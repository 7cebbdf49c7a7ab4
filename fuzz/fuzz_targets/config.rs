//! The config file and its `[keys]` map: any text gives a config or an
//! error with a line inside the text, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use regscope::tui::config::Config;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::from_text(text, Path::new("config.toml")) {
        Ok(config) => {
            let _ = config.keymap.hint(regscope::tui::keymap::Action::Quit);
        }
        Err(e) => {
            assert!(
                e.line <= text.lines().count() + 1,
                "line {} of {text:?}",
                e.line
            );
        }
    }
});
