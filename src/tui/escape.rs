//! Strings from a registry are untrusted: a tag, annotation or file could
//! carry escape sequences that would drive the user's terminal. Everything
//! shown goes through `clean`, which makes control characters visible.

use std::borrow::Cow;

use crate::text::escape_control;

/// Control characters made visible (`crate::text::escape_control`); tabs
/// as spaces, since a tab would break the layout of a cell.
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.contains('\t') {
        Cow::Owned(escape_control(&text.replace('\t', "    ")).into_owned())
    } else {
        escape_control(text)
    }
}

/// `clean` into an owned string, for spans.
pub fn owned(text: &str) -> String {
    clean(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_would_drive_a_terminal() {
        assert_eq!(clean("v1.0"), "v1.0");
        assert_eq!(clean("a\x1b]52;c;x\x07b"), "a\\u{1b}]52;c;x\\u{7}b");
        assert_eq!(clean("line\nnext"), "line\\u{a}next");
        assert_eq!(clean("\ttab"), "    tab");
    }
}
