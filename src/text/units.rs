//! Quantities as people read them: sizes, counts with their noun, times.

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
    fn sizes_read_like_people_say_them() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1024), "1.0 KiB");
        assert_eq!(human_size(19_900), "19.4 KiB");
        assert_eq!(human_size(5 * 1024 * 1024), "5.0 MiB");
        assert_eq!(human_size(u64::MAX), "16777216.0 TiB");
    }

    #[test]
    fn prints_times_like_tar_in_utc() {
        assert_eq!(utc_minutes(0), "1970-01-01 00:00");
        assert_eq!(utc_minutes(1_709_210_096), "2024-02-29 12:34");
        assert_eq!(utc_minutes(-1), "1969-12-31 23:59");
        assert_eq!(utc_minutes(i64::MAX), format!("@{}", i64::MAX));
    }
}
