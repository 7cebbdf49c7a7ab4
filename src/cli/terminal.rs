//! Text from a registry is untrusted: a tag, an annotation or an error
//! message may carry escape sequences that would rewrite the user's
//! terminal. Everything printed as text passes through here.

/// Control characters made visible (see `crate::text::escape_control`).
pub fn sanitize(text: &str) -> String {
    crate::text::escape_control(text).into_owned()
}

/// Like `sanitize`, but keeps newlines (for multi-line messages).
pub fn sanitize_lines(text: &str) -> String {
    crate::text::escape_control_lines(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences() {
        assert_eq!(sanitize("v1"), "v1");
        assert_eq!(sanitize("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(sanitize("x\u{9b}31m"), "x\\u{9b}31m");
        assert_eq!(sanitize("line\nnext"), "line\\u{a}next");
        assert_eq!(sanitize_lines("one\ntwo\x07"), "one\ntwo\\u{7}");
    }
}
