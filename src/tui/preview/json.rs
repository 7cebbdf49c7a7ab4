//! JSON as the registry wrote it, re-indented (its keys in their order,
//! nothing re-serialised), and syntax colours for it: keys, strings,
//! numbers and literals, line by line (one token never spans lines).

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use crate::text::escape_control;

const KEY: Color = Color::Cyan;
const STRING: Color = Color::Green;
const NUMBER: Color = Color::Yellow;
const LITERAL: Color = Color::Magenta;

/// `raw` JSON laid out one value per line, indented by two spaces per
/// level, keys and values exactly as written (a manifest's digest is over
/// its bytes: what it shows is what was signed). Whitespace between
/// tokens is replaced; strings are copied as they are.
pub fn reindent(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::with_capacity(text.len() * 2);
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push('"');
                while let Some(s) = chars.next() {
                    out.push(s);
                    match s {
                        '\\' => out.extend(chars.next()),
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '{' | '[' => {
                out.push(c);
                // An empty object or array stays on its line.
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
                if let Some(&close) = chars.peek()
                    && matches!(close, '}' | ']')
                {
                    out.push(close);
                    chars.next();
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

pub fn highlight(pretty: &str) -> Vec<Line<'static>> {
    pretty.lines().map(highlight_line).collect()
}

fn highlight_line(line: &str) -> Line<'static> {
    let mut spans = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        let Some(c) = rest.chars().next() else { break };
        if c == '"' {
            let end = string_end(rest);
            let (token, after) = rest.split_at(end);
            let is_key = after.trim_start().starts_with(':');
            let colour = if is_key { KEY } else { STRING };
            spans.push(Span::styled(
                escape_control(token).into_owned(),
                Style::new().fg(colour),
            ));
            rest = after;
        } else if c == '-' || c.is_ascii_digit() {
            let end = rest
                .find(|ch: char| !(ch.is_ascii_digit() || "+-.eE".contains(ch)))
                .unwrap_or(rest.len());
            let (token, after) = rest.split_at(end.max(1));
            spans.push(Span::styled(token.to_owned(), Style::new().fg(NUMBER)));
            rest = after;
        } else if let Some(word) = ["true", "false", "null"]
            .into_iter()
            .find(|w| rest.starts_with(w))
        {
            spans.push(Span::styled(word, Style::new().fg(LITERAL)));
            rest = &rest[word.len()..];
        } else {
            let end = rest
                .find(|ch: char| {
                    ch == '"' || ch == '-' || ch.is_ascii_digit() || "tfn".contains(ch)
                })
                .unwrap_or(rest.len())
                .max(c.len_utf8());
            let (token, after) = rest.split_at(end);
            spans.push(Span::raw(token.to_owned()));
            rest = after;
        }
    }
    Line::from(spans)
}

/// The byte index just past the closing quote of the string at the start.
fn string_end(text: &str) -> usize {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return i + 1,
            _ => escaped = false,
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reindents_in_the_registrys_own_order() {
        let raw = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"digest":"sha256:ab","size":2},"layers":[],"annotations":{"z":"a, b: {c}","a":"q\"}"}}"#;
        assert_eq!(
            reindent(raw),
            r#"{
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "config": {
    "digest": "sha256:ab",
    "size": 2
  },
  "layers": [],
  "annotations": {
    "z": "a, b: {c}",
    "a": "q\"}"
  }
}"#
        );
        // Already indented text comes out the same way.
        assert_eq!(reindent(reindent(raw).as_bytes()), reindent(raw));
    }

    #[test]
    fn colours_keys_strings_numbers_and_literals() {
        let line = highlight_line(r#"  "size": 12, "ok": true, "s": "a\"b", "n": null"#);
        let styled: Vec<(String, Option<Color>)> = line
            .spans
            .iter()
            .map(|s| (s.content.to_string(), s.style.fg))
            .collect();
        assert!(styled.contains(&("\"size\"".to_owned(), Some(KEY))));
        assert!(styled.contains(&("12".to_owned(), Some(NUMBER))));
        assert!(styled.contains(&("true".to_owned(), Some(LITERAL))));
        assert!(styled.contains(&("\"a\\\"b\"".to_owned(), Some(STRING))));
        assert!(styled.contains(&("null".to_owned(), Some(LITERAL))));
        assert_eq!(
            line.to_string(),
            r#"  "size": 12, "ok": true, "s": "a\"b", "n": null"#
        );
    }
}
