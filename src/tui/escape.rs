//! Strings from a registry are untrusted: a tag, annotation or file could
//! carry escape sequences that would drive the user's terminal. Everything
//! shown goes through `clean`, which makes control characters visible.

use std::borrow::Cow;

/// Control characters (C0, DEL, C1) shown as `\x1b`-style escapes; tabs
/// as spaces. Borrowed when there is nothing to escape.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if c.is_control() => {
                let code = u32::from(c);
                if code <= 0xff {
                    out.push_str(&format!("\\x{code:02x}"));
                } else {
                    out.push_str(&format!("\\u{{{code:x}}}"));
                }
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
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
        assert_eq!(clean("a\x1b]52;c;x\x07b"), "a\\x1b]52;c;x\\x07b");
        assert_eq!(clean("x\u{9b}31m"), "x\\x9b31m");
        assert_eq!(clean("line\nnext"), "line\\x0anext");
        assert_eq!(clean("\ttab"), "    tab");
    }
}
