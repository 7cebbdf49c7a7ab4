//! Untrusted text made safe to show: a tag, an annotation or an error
//! message from a registry may carry escape sequences that would drive the
//! user's terminal.

use std::borrow::Cow;

/// Control characters (C0, DEL and C1, which includes the CSI that starts
/// terminal sequences) made visible as `\u{1b}`-style escapes, and a tab
/// as four spaces. Borrowed when there is nothing to change.
///
/// A tab drives nothing, but how wide it is depends on the column it lands
/// on: it breaks a TUI cell's layout and a CLI column's alignment alike,
/// and as `\u{9}` a text file's indentation would be unreadable. Spaces
/// read the same in both front ends.
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str(TAB),
            c if c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// What a tab becomes.
const TAB: &str = "    ";

/// Like `escape_control`, but keeps line breaks: the CLI prints an error's
/// cause chain, whose messages may span lines, as they were written.
pub fn escape_control_lines(text: &str) -> String {
    text.split('\n')
        .map(escape_control)
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_would_drive_a_terminal() {
        assert_eq!(escape_control("v1.0"), "v1.0");
        assert_eq!(escape_control("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            escape_control("a\x1b]52;c;x\x07b"),
            "a\\u{1b}]52;c;x\\u{7}b"
        );
        assert_eq!(escape_control("x\u{9b}31m"), "x\\u{9b}31m");
        assert_eq!(escape_control("line\nnext"), "line\\u{a}next");
        assert_eq!(escape_control_lines("one\ntwo\x07"), "one\ntwo\\u{7}");
    }

    #[test]
    fn tabs_become_spaces_and_clean_text_is_borrowed() {
        assert_eq!(escape_control("\ttab"), "    tab");
        assert_eq!(escape_control("a\t\x1bb"), "a    \\u{1b}b");
        assert!(matches!(escape_control("v1.0"), Cow::Borrowed("v1.0")));
    }
}
