//! Wrapping with a hanging indent: the rows after a line's first start
//! under its text, not at column 0, so a wrapped item still reads as one.

use ratatui::text::{Line, Span};

/// Lays `line` out in rows of at most `width` columns, breaking at spaces
/// (inside a word only when the word alone is too wide); rows after the
/// first start with `indent` spaces. A word is what lies between spaces,
/// whatever styles its pieces have (JSON's `"key":` is three spans), so
/// a row never ends inside one. Styles stay with their text.
pub fn hanging<'a>(line: Line<'a>, width: u16, indent: usize) -> Vec<Line<'a>> {
    let width = usize::from(width);
    if line.width() <= width || width <= indent + 4 {
        return vec![line];
    }
    let style = line.style;
    let mut rows: Vec<Vec<Span<'a>>> = vec![Vec::new()];
    let mut column = 0;
    for mut word in words(line.spans) {
        loop {
            let whole: usize = word.iter().map(Span::width).sum();
            if column + trimmed_width(&word) <= width {
                column += whole;
                if let Some(row) = rows.last_mut() {
                    row.extend(word);
                }
                break;
            }
            if column > indent {
                new_row(&mut rows, indent);
                column = indent;
                continue;
            }
            // A word wider than a row: cut it, after a separator where
            // one is (`sha256:`, a path's `/`), so the pieces still read.
            let rest = cut_word(&mut word, width.saturating_sub(column).max(1));
            if let Some(row) = rows.last_mut() {
                row.extend(word);
            }
            new_row(&mut rows, indent);
            column = indent;
            if rest.iter().all(|piece| piece.content.trim().is_empty()) {
                break;
            }
            word = rest;
        }
    }
    rows.into_iter()
        .map(|spans| Line::from(spans).style(style))
        .collect()
}

/// The words of a line, each with its trailing spaces, as styled pieces.
fn words(spans: Vec<Span<'_>>) -> Vec<Vec<Span<'static>>> {
    let mut words = vec![Vec::new()];
    for span in spans {
        for piece in span.content.split_inclusive(' ') {
            if let Some(word) = words.last_mut() {
                word.push(Span::styled(piece.to_owned(), span.style));
            }
            if piece.ends_with(' ') {
                words.push(Vec::new());
            }
        }
    }
    words.retain(|word| !word.is_empty());
    words
}

/// A word's width without its trailing spaces (they may hang past the
/// row's end).
fn trimmed_width(word: &[Span<'_>]) -> usize {
    let whole: usize = word.iter().map(Span::width).sum();
    let trailing = word
        .last()
        .map_or(0, |last| last.content.len() - last.content.trim_end().len());
    whole - trailing
}

/// Keeps in `word` its first `room` columns at most (less, to end after a
/// separator in its second half) and returns the rest.
fn cut_word(word: &mut Vec<Span<'static>>, room: usize) -> Vec<Span<'static>> {
    let text: String = word.iter().map(|piece| piece.content.as_ref()).collect();
    let mut cut = text.len();
    let mut used = 0;
    for (at, c) in text.char_indices() {
        used += text_width(c.encode_utf8(&mut [0; 4]));
        if used > room {
            cut = at;
            break;
        }
    }
    let cut = text[..cut]
        .rfind(['/', ':', ',', '-', '.', '+', '=', '@'])
        .map(|at| at + 1)
        .filter(|at| *at > cut / 2)
        .unwrap_or(cut)
        .max(text.chars().next().map_or(0, char::len_utf8));
    let mut rest = Vec::new();
    let mut start = 0;
    for piece in std::mem::take(word) {
        let end = start + piece.content.len();
        let style = piece.style;
        let content = piece.content.into_owned();
        if end <= cut {
            word.push(Span::styled(content, style));
        } else if start >= cut {
            rest.push(Span::styled(content, style));
        } else {
            let (kept, moved) = content.split_at(cut - start);
            word.push(Span::styled(kept.to_owned(), style));
            rest.push(Span::styled(moved.to_owned(), style));
        }
        start = end;
    }
    rest
}

fn text_width(text: &str) -> usize {
    Span::raw(text).width()
}

/// Ends the current row (without its trailing spaces, which would wrap
/// again) and starts one with `indent` spaces.
fn new_row(rows: &mut Vec<Vec<Span<'_>>>, indent: usize) {
    if let Some(last) = rows.last_mut().and_then(|row| row.last_mut()) {
        let trimmed = last.content.trim_end().to_owned();
        last.content = trimmed.into();
    }
    rows.push(vec![Span::raw(" ".repeat(indent))]);
}

/// `line` within `width` columns: a longer one is cut and ends with an
/// ellipsis, so a cut row says it was cut.
pub fn ellipsis(line: Line<'static>, width: u16) -> Line<'static> {
    let width = usize::from(width);
    if line.width() <= width || width == 0 {
        return line;
    }
    let style = line.style;
    let mut room = width - 1;
    let mut spans = Vec::new();
    for span in line.spans {
        if room == 0 {
            break;
        }
        let mut kept = String::new();
        for c in span.content.chars() {
            let w = text_width(c.encode_utf8(&mut [0; 4]));
            if w > room {
                room = 0;
                break;
            }
            room -= w;
            kept.push(c);
        }
        spans.push(Span::styled(kept, span.style));
    }
    let last_style = spans.last().map(|s| s.style).unwrap_or_default();
    spans.push(Span::styled("…", last_style));
    Line::from(spans).style(style)
}

/// How many spaces a line starts with.
pub fn leading_spaces(line: &Line<'_>) -> usize {
    let mut count = 0;
    for span in &line.spans {
        let trimmed = span.content.trim_start_matches(' ');
        count += span.content.len() - trimmed.len();
        if !trimmed.is_empty() {
            break;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn wrapped_rows_start_under_the_text() {
        let line = Line::from(" ✗ copy failed: the registry at localhost:1 is not listening");
        let rows = hanging(line, 30, 3);
        assert_eq!(
            texts(&rows),
            [
                " ✗ copy failed: the registry",
                "   at localhost:1 is not",
                "   listening"
            ]
        );
        assert!(rows.iter().all(|r| r.width() <= 30));
    }

    #[test]
    fn a_cut_row_ends_with_an_ellipsis() {
        let line = Line::from(vec![
            Span::raw("  ▶ "),
            Span::raw("sha256:a36a3df57417  sbom"),
        ]);
        assert_eq!(ellipsis(line.clone(), 12).to_string(), "  ▶ sha256:…");
        assert_eq!(ellipsis(line.clone(), 12).width(), 12);
        assert_eq!(ellipsis(line.clone(), 80), line);
    }

    #[test]
    fn a_word_wider_than_a_row_is_cut_and_short_lines_stay() {
        let digest = format!("  {}", "a".repeat(40));
        let rows = hanging(Line::from(digest), 20, 2);
        assert!(rows.iter().all(|r| r.width() <= 20), "{:?}", texts(&rows));
        assert!(rows[1..].iter().all(|r| r.to_string().starts_with("  a")));
        assert_eq!(texts(&hanging(Line::from("short"), 20, 2)), ["short"]);
        assert_eq!(leading_spaces(&Line::from("   x")), 3);
    }
}
