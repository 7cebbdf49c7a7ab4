//! The detail pane scrolls to its end even when lines wrap: the limit
//! counts the rows the last lines take, not lines.

use crossterm::event::KeyCode;

use super::app_support::{app_at_loaded_tag, draw, key};

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
