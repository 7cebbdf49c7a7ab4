//! Text from a registry is untrusted: a tag, an annotation or an error
//! message may carry escape sequences that would rewrite the user's
//! terminal. Everything printed as text passes through here.

/// Replaces control characters (C0, DEL and C1, which includes the escape
/// that starts terminal sequences) with their `\u{…}` escapes.
pub fn sanitize(text: &str) -> String {
    if !text.chars().any(is_unsafe) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Like `sanitize`, but keeps newlines (for multi-line messages).
pub fn sanitize_lines(text: &str) -> String {
    text.split('\n')
        .map(sanitize)
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
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
