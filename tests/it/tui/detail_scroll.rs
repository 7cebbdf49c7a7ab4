//! Wrapped lines in the detail pane: their rows hang under the value, and
//! the pane scrolls to its end however they wrap (the limit counts the rows
//! the last lines take, not lines).

use crossterm::event::KeyCode;

use super::app_support::{app_at_loaded_tag, draw, image, key};

/// The detail pane's text on each row of `screen` (the right half).
fn detail_rows(screen: &[String]) -> Vec<String> {
    screen
        .iter()
        .filter_map(|row| row.split("││").nth(1))
        .map(|text| text.trim_end_matches('│').to_owned())
        .collect()
}

#[test]
fn a_wrapped_value_hangs_under_its_value_and_a_digest_stays_whole() {
    let mut app = app_at_loaded_tag();
    app.resize(ratatui::layout::Rect::new(0, 0, 100, 30));
    let rows = detail_rows(&draw(&app, 100, 30));
    // `reference` and its value, too long for one row of 48: the rows
    // after the first start under the value (column 14), not at column 0.
    let at = rows
        .iter()
        .position(|row| row.starts_with("reference     demo/net-monitor@sha256:"))
        .unwrap_or_else(|| panic!("no reference row in\n{}", rows.join("\n")));
    let next = &rows[at + 1];
    assert!(
        next.starts_with(&" ".repeat(14)) && !next[14..].starts_with(' '),
        "the reference's second row does not hang under its value:\n{}",
        rows.join("\n")
    );
    // Wide enough for a digest on a row of its own (but not beside its
    // label), the digest moves down whole instead of being cut to hang.
    app.resize(ratatui::layout::Rect::new(0, 0, 160, 30));
    let rows = detail_rows(&draw(&app, 160, 30));
    let digest = image().digest().to_string();
    assert!(
        rows.iter().any(|row| row.trim() == digest),
        "the digest is cut:\n{}",
        rows.join("\n")
    );
}

#[test]
fn end_in_the_detail_pane_shows_the_last_line_when_lines_wrap() {
    let mut app = app_at_loaded_tag();
    // A narrow pane: the manifest's digests wrap.
    app.resize(ratatui::layout::Rect::new(0, 0, 60, 16));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::End);
    let screen = draw(&app, 60, 16);
    // The last row with text in the detail pane (the offset counts lines,
    // so a wrapped line that does not fit may leave a row blank).
    let last_row = screen[1..15]
        .iter()
        .rev()
        .filter_map(|row| row.split("││").nth(1))
        .find(|text| !text.trim_end_matches('│').trim().is_empty())
        .unwrap();
    assert!(
        last_row.starts_with('}'),
        "the closing brace is not shown at the end:\n{}",
        screen.join("\n")
    );
    // Down at the end stays there.
    key(&mut app, KeyCode::Down);
    assert_eq!(draw(&app, 60, 16), screen);
}
