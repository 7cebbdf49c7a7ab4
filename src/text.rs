//! Text as both front ends show it. Strings from a registry are untrusted:
//! a tag, an annotation or an error message may carry escape sequences that
//! would drive the user's terminal, so everything shown goes through
//! `escape_control`. Also how both read a path typed by hand.

use std::borrow::Cow;
use std::path::PathBuf;

/// Control characters (C0, DEL and C1, which includes the CSI that starts
/// terminal sequences) made visible as `\u{1b}`-style escapes, and a tab
/// as four spaces. Borrowed when there is nothing to change.
///
/// A tab drives nothing, but how wide it is depends on the column it lands
/// on: it breaks a TUI cell's layout and a CLI column's alignment alike,
/// and as `\u{9}` a text file's indentation would be unreadable. Spaces
/// read the same in both front ends.
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str(TAB),
            c if c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// What a tab becomes.
const TAB: &str = "    ";

/// Like `escape_control`, but keeps line breaks: the CLI prints an error's
/// cause chain, whose messages may span lines, as they were written.
pub fn escape_control_lines(text: &str) -> String {
    text.split('\n')
        .map(escape_control)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `~/x` → `$HOME/x`: a path as people type it in the config file or a
/// TUI prompt, where no shell expanded it first.
pub fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), directories::BaseDirs::new()) {
        (Some(rest), Some(dirs)) => dirs.home_dir().join(rest),
        _ => PathBuf::from(path),
    }
}

/// `1.2 MiB`: sizes as people read them.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    #[allow(clippy::cast_precision_loss)] // one decimal is all that is shown
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `1 manifest`, `2 manifests`: a count with its noun, plural when not one
/// (nouns of this program take an `s`).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `2024-02-29 12:34` in UTC, as GNU tar prints times (with TZ=UTC): how
/// both front ends show a file's time. A time jiff cannot hold (beyond the
/// year 9999) shows as the epoch's seconds.
pub fn utc_minutes(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds).map_or_else(
        |_| format!("@{seconds}"),
        |at| at.strftime("%Y-%m-%d %H:%M").to_string(),
    )
}

/// Orders names as versions read: runs of digits compare as numbers, so
/// `v1.9` comes before `v1.10` and `tag-5` before `tag-40`; other runs
/// compare as text. Equal orders fall back to the plain text.
pub fn version_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut left, mut right) = (a, b);
    loop {
        let (Some(l), Some(r)) = (left.chars().next(), right.chars().next()) else {
            return left.len().cmp(&right.len()).then_with(|| a.cmp(b));
        };
        let order = if l.is_ascii_digit() && r.is_ascii_digit() {
            let (l_run, l_rest) = split_run(left, true);
            let (r_run, r_rest) = split_run(right, true);
            left = l_rest;
            right = r_rest;
            let (l_num, r_num) = (l_run.trim_start_matches('0'), r_run.trim_start_matches('0'));
            l_num.len().cmp(&r_num.len()).then_with(|| l_num.cmp(r_num))
        } else {
            let (l_run, l_rest) = split_run(left, false);
            let (r_run, r_rest) = split_run(right, false);
            left = l_rest;
            right = r_rest;
            l_run.cmp(r_run)
        };
        if order.is_ne() {
            return order;
        }
    }
}

/// The leading run of digits (or of non-digits) and the rest.
fn split_run(text: &str, digits: bool) -> (&str, &str) {
    let end = text
        .find(|c: char| c.is_ascii_digit() != digits)
        .unwrap_or(text.len());
    text.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(1, "manifest"), "1 manifest");
        assert_eq!(count(0, "manifest"), "0 manifests");
        assert_eq!(count(5, "referrer"), "5 referrers");
    }

    #[test]
    fn escapes_what_would_drive_a_terminal() {
        assert_eq!(escape_control("v1.0"), "v1.0");
        assert_eq!(escape_control("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            escape_control("a\x1b]52;c;x\x07b"),
            "a\\u{1b}]52;c;x\\u{7}b"
        );
        assert_eq!(escape_control("x\u{9b}31m"), "x\\u{9b}31m");
        assert_eq!(escape_control("line\nnext"), "line\\u{a}next");
        assert_eq!(escape_control_lines("one\ntwo\x07"), "one\ntwo\\u{7}");
    }

    #[test]
    fn tabs_become_spaces_and_clean_text_is_borrowed() {
        assert_eq!(escape_control("\ttab"), "    tab");
        assert_eq!(escape_control("a\t\x1bb"), "a    \\u{1b}b");
        assert!(matches!(escape_control("v1.0"), Cow::Borrowed("v1.0")));
    }

    #[test]
    fn sizes_read_like_people_say_them() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1024), "1.0 KiB");
        assert_eq!(human_size(19_900), "19.4 KiB");
        assert_eq!(human_size(5 * 1024 * 1024), "5.0 MiB");
        assert_eq!(human_size(u64::MAX), "16777216.0 TiB");
    }

    #[test]
    fn versions_sort_as_people_read_them() {
        let mut tags = vec![
            "v1.10", "v1.9", "latest", "v1.2.3", "tag-40", "tag-5", "v01.9",
        ];
        tags.sort_by(|a, b| version_order(a, b));
        assert_eq!(
            tags,
            [
                "latest", "tag-5", "tag-40", "v1.2.3", "v01.9", "v1.9", "v1.10"
            ]
        );
    }
}

#[cfg(test)]
mod utc_tests {
    use super::utc_minutes;

    #[test]
    fn prints_times_like_tar_in_utc() {
        assert_eq!(utc_minutes(0), "1970-01-01 00:00");
        assert_eq!(utc_minutes(1_709_210_096), "2024-02-29 12:34");
        assert_eq!(utc_minutes(-1), "1969-12-31 23:59");
        assert_eq!(utc_minutes(i64::MAX), format!("@{}", i64::MAX));
    }
}
