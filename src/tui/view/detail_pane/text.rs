//! The detail pane's text: parts built for one frame and parts borrowed
//! from what was laid out once (a 16 MiB SBOM's rows), windowed so a frame
//! touches only the lines it shows.

use std::sync::Arc;

use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::tui::view::wrap::{hanging, leading_spaces};

/// The detail pane's lines: small parts built for this frame, and large
/// ones borrowed from what was laid out when the bytes arrived.
#[derive(Default)]
pub struct DetailText<'a> {
    parts: Vec<Part<'a>>,
}

enum Part<'a> {
    Built(Vec<Line<'static>>),
    Kept(&'a [Line<'static>]),
    /// Some of the kept lines (an SBOM search's matches), by index.
    Picked(&'a [Line<'static>], Arc<[u32]>),
}

impl Part<'_> {
    fn len(&self) -> usize {
        match self {
            Part::Built(lines) => lines.len(),
            Part::Kept(lines) => lines.len(),
            Part::Picked(_, picked) => picked.len(),
        }
    }
}

impl<'a> DetailText<'a> {
    pub(super) fn push(&mut self, line: Line<'static>) {
        if let Some(Part::Built(lines)) = self.parts.last_mut() {
            lines.push(line);
        } else {
            self.parts.push(Part::Built(vec![line]));
        }
    }

    pub(super) fn extend(&mut self, lines: impl IntoIterator<Item = Line<'static>>) {
        for line in lines {
            self.push(line);
        }
    }

    pub(super) fn keep(&mut self, lines: &'a [Line<'static>]) {
        self.parts.push(Part::Kept(lines));
    }

    /// Some of `lines` (an SBOM search's matches), by index.
    pub(super) fn pick(&mut self, lines: &'a [Line<'static>], picked: Arc<[u32]>) {
        self.parts.push(Part::Picked(lines, picked));
    }

    /// Lines that go above everything else (a node's failure).
    pub(super) fn prepend(&mut self, lines: Vec<Line<'static>>) {
        self.parts.insert(0, Part::Built(lines));
    }

    /// The number of lines, before wrapping.
    pub fn len(&self) -> usize {
        self.parts.iter().map(Part::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `count` lines from line `start` on, borrowing the kept ones; the
    /// parts before `start` are stepped over by their length.
    pub fn window(&self, start: usize, count: usize) -> Vec<Line<'_>> {
        let mut out = Vec::with_capacity(count.min(self.len()));
        let mut skip = start;
        for part in &self.parts {
            let room = count - out.len();
            if room == 0 {
                break;
            }
            let len = part.len();
            if skip >= len {
                skip -= len;
                continue;
            }
            match part {
                Part::Built(lines) => out.extend(lines[skip..].iter().take(room).map(borrowed)),
                Part::Kept(lines) => out.extend(lines[skip..].iter().take(room).map(borrowed)),
                Part::Picked(lines, picked) => out.extend(
                    picked[skip..]
                        .iter()
                        .take(room)
                        .filter_map(|&i| lines.get(i as usize))
                        .map(borrowed),
                ),
            }
            skip = 0;
        }
        out
    }

    /// The first line to show so that the last line sits on the bottom
    /// row of a `width`×`height` pane: lines wrap, so this counts the rows
    /// of the last few lines, laid out as the pane lays them out, never of
    /// the ones above.
    pub fn last_start(&self, width: u16, height: u16) -> usize {
        let len = self.len();
        let height = usize::from(height.max(1));
        let first = len.saturating_sub(height);
        let mut rows = 0;
        let mut start = len;
        for line in self.window(first, height).into_iter().rev() {
            rows += Paragraph::new(laid_out(line, width))
                .wrap(Wrap { trim: false })
                .line_count(width.max(1))
                .max(1);
            if rows > height {
                break;
            }
            start -= 1;
        }
        start.min(len.saturating_sub(1))
    }

    /// Every line, owned (for tests and callers that keep them).
    pub fn into_lines(self) -> Vec<Line<'static>> {
        let len = self.len();
        let mut out = Vec::with_capacity(len);
        for part in self.parts {
            match part {
                Part::Built(lines) => out.extend(lines),
                Part::Kept(lines) => out.extend(lines.iter().cloned()),
                Part::Picked(lines, picked) => out.extend(
                    picked
                        .iter()
                        .filter_map(|&i| lines.get(i as usize))
                        .cloned(),
                ),
            }
        }
        out
    }
}

/// `line` in rows of `width` columns, as the pane shows it: the rows after
/// the first start under the value when the line opens with a label padded
/// to a column (a field, an annotation's key), else two columns past the
/// line's own indentation (JSON, text, notes), as in the popups.
pub fn laid_out(line: Line<'_>, width: u16) -> Vec<Line<'_>> {
    if line.width() <= usize::from(width) {
        return vec![line];
    }
    let indent = indent_of(&line, usize::from(width));
    hanging(line, width, indent)
}

/// Where `line`'s wrapped rows start in `width` columns: under the value
/// after a label, else two columns past the line's own indentation. A
/// word that fits a row (a digest) is not cut just to indent it: the rows
/// then start at the line's own indentation or two past it, never left of
/// it, so JSON keeps its shape on every line, unless a word fits the row
/// only from further left; a word wider than the row is cut, after a
/// separator where it has one.
fn indent_of(line: &Line<'_>, width: usize) -> usize {
    let own = leading_spaces(line);
    let label = line
        .spans
        .first()
        .filter(|label| {
            line.spans.len() > 1
                && label.content.ends_with(' ')
                && !label.content.trim().is_empty()
                && label.width() <= width / 2
        })
        .map(Span::width);
    // A word runs across spans (JSON's `"key":` is three), so the text
    // is split at spaces whole.
    let text: String = line
        .spans
        .iter()
        .skip(usize::from(label.is_some()))
        .map(|span| span.content.as_ref())
        .collect();
    // A word wider than the row is cut wherever the rows start.
    let longest = text
        .split(' ')
        .map(|word| Span::raw(word).width())
        .filter(|word| *word <= width)
        .max()
        .unwrap_or(0);
    let first = label.unwrap_or(own + 2);
    // Left of the line's own indentation only when a word would otherwise
    // be cut that fits a row.
    let leftmost = width.saturating_sub(longest);
    [first, own + 2, own, leftmost]
        .into_iter()
        .find(|indent| indent + longest <= width)
        .map_or(first, |indent| indent.min(first))
}

/// A line whose text borrows from `line`: no string is copied.
fn borrowed<'a>(line: &'a Line<'static>) -> Line<'a> {
    Line {
        spans: line
            .spans
            .iter()
            .map(|span| Span::styled(span.content.as_ref(), span.style))
            .collect(),
        style: line.style,
        alignment: line.alignment,
    }
}

#[cfg(test)]
mod tests;
