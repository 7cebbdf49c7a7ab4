//! Times as scans and VEX documents write them (RFC 3339, with offsets and
//! fractions, as jiff parses them: the one date crate of regscope),
//! compared by the instant they name and aged in whole days.

use std::cmp::Ordering;

use jiff::Timestamp as Instant;

/// A time as written, and the instant it names when it parses.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    pub text: String,
    /// Nanoseconds since the Unix epoch; `None` when the text is no
    /// RFC 3339 time (such a time sorts before every real one).
    unix_nanos: Option<i128>,
}

impl Timestamp {
    /// `None` for an empty text and for Go's zero time, which scanners
    /// write when they know no time (`0001-01-01T00:00:00Z`).
    pub fn parse(text: &str) -> Option<Timestamp> {
        let text = text.trim();
        if text.is_empty() || text.starts_with("0001-01-01") {
            return None;
        }
        let unix_nanos = text.parse::<Instant>().ok().map(Instant::as_nanosecond);
        Some(Timestamp {
            text: text.to_owned(),
            unix_nanos,
        })
    }

    /// Whether the text named an instant.
    pub fn is_valid(&self) -> bool {
        self.unix_nanos.is_some()
    }

    /// Whole days from this time to `now` (negative in the future); `None`
    /// when the text named no instant.
    pub fn age_days(&self, now: Instant) -> Option<i64> {
        let nanos = now.as_nanosecond() - self.unix_nanos?;
        i64::try_from(nanos / 86_400_000_000_000).ok()
    }

    /// The later of two optional times (a real time beats none).
    pub fn newest<'a>(a: Option<&'a Timestamp>, b: Option<&'a Timestamp>) -> Option<&'a Timestamp> {
        match (a, b) {
            (Some(a), Some(b)) => Some(if b > a { b } else { a }),
            (a, b) => a.or(b),
        }
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.unix_nanos
            .cmp(&other.unix_nanos)
            .then_with(|| self.text.cmp(&other.text))
    }
}

/// Now, for ages.
pub fn now() -> Instant {
    Instant::now()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_instants_not_texts() {
        let chicago = Timestamp::parse("2023-01-16T19:07:16.853479631-06:00").expect("time");
        let utc = Timestamp::parse("2023-01-17T01:07:17Z").expect("time");
        assert!(chicago.is_valid() && utc.is_valid());
        assert!(utc > chicago, "{utc:?} {chicago:?}");
        let tokyo = Timestamp::parse("2023-01-17T09:00:00+09:00").expect("time");
        assert!(tokyo < utc);
        let garbage = Timestamp::parse("yesterday").expect("kept as text");
        assert!(!garbage.is_valid() && garbage < chicago);
        assert_eq!(Timestamp::parse("0001-01-01T00:00:00Z"), None);
        assert_eq!(Timestamp::parse(" "), None);
        let now: Instant = "2023-01-27T01:07:17Z".parse().expect("now");
        assert_eq!(utc.age_days(now), Some(10));
        assert_eq!(garbage.age_days(now), None);
        assert_eq!(Timestamp::newest(Some(&chicago), Some(&utc)), Some(&utc));
        assert_eq!(Timestamp::newest(None, Some(&utc)), Some(&utc));
    }
}
