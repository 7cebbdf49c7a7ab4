//! Syntax colours for pretty-printed JSON: keys, strings, numbers and
//! literals, line by line (the input is `serde_json`'s pretty output, so
//! one token never spans lines).

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use crate::tui::escape;

const KEY: Color = Color::Cyan;
const STRING: Color = Color::Green;
const NUMBER: Color = Color::Yellow;
const LITERAL: Color = Color::Magenta;

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
            spans.push(Span::styled(escape::owned(token), Style::new().fg(colour)));
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
