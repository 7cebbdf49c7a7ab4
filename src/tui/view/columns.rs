//! Columns of a table in a given width: each as wide as its widest cell
//! when they all fit; otherwise the widest give way first, down to a
//! floor, and a cut cell ends with an ellipsis, so a cut never passes for
//! the whole value.

use ratatui::text::Span;

/// Columns narrower than this are not cut further (a header still reads).
const FLOOR: usize = 4;

/// Widths for columns whose widest cells are `natural`, in `width`
/// columns with `gap` between neighbours. Columns that do not fit even at
/// the floor get 0 (not shown), from the last one back.
pub fn fit(natural: &[usize], width: usize, gap: usize) -> Vec<usize> {
    let mut widths = natural.to_vec();
    let total = |widths: &[usize]| {
        let shown = widths.iter().filter(|w| **w > 0).count();
        widths.iter().sum::<usize>() + gap * shown.saturating_sub(1)
    };
    while total(&widths) > width {
        // The widest column gives one column; at the floor, none can.
        let Some((widest, _)) = widths
            .iter()
            .enumerate()
            .filter(|(_, w)| **w > FLOOR)
            .max_by_key(|(i, w)| (**w, std::cmp::Reverse(*i)))
        else {
            break;
        };
        widths[widest] -= 1;
    }
    while total(&widths) > width {
        let Some(last) = widths.iter().rposition(|w| *w > 0) else {
            break;
        };
        widths[last] = 0;
    }
    widths
}

/// `text` in exactly `width` columns: padded, or cut with an ellipsis.
pub fn cell(text: &str, width: usize) -> String {
    let own = Span::raw(text).width();
    if own <= width {
        return format!("{text}{}", " ".repeat(width - own));
    }
    if width == 0 {
        return String::new();
    }
    let mut kept = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = Span::raw(c.to_string()).width();
        if used + w > width - 1 {
            break;
        }
        used += w;
        kept.push(c);
    }
    format!("{kept}…{}", " ".repeat(width - 1 - used))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widest_give_way_and_cut_cells_say_so() {
        assert_eq!(fit(&[10, 5, 20], 40, 1), [10, 5, 20]);
        assert_eq!(fit(&[10, 5, 20], 30, 1), [10, 5, 13]);
        assert_eq!(fit(&[10, 10, 10], 20, 1), [6, 6, 6]);
        assert_eq!(fit(&[10, 10, 10], 9, 1), [4, 4, 0]);
        assert_eq!(cell("v1.2.0, v1.2", 8), "v1.2.0,…");
        assert_eq!(cell("✓ CycloneDX JSON+SPDX JSON 2/2", 10), "✓ Cyclone…");
        assert_eq!(cell("abc", 5), "abc  ");
    }
}
