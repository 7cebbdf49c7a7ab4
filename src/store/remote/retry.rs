//! When to try a request again, and how long to wait: bounded attempts with
//! exponential backoff, and the registry's `Retry-After` honoured up to a cap
//! (a registry that asks for an hour gets a fast, typed error instead).

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// Retries after the first attempt.
pub const MAX_RETRIES: u32 = 4;
/// The longest `Retry-After` worth waiting for inside one operation.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(15);
/// Retries after a refused connection (nothing listens there).
pub const MAX_REFUSED_RETRIES: u32 = 1;
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(3);

/// Statuses that say "try again later" rather than "no". A 500 counts for
/// reads only: distribution answers one while another client rewrites the
/// tag being read (the fallback index under concurrent attaches), and a
/// read is safe to repeat; ggcr and oras-go retry it too.
pub fn is_retryable_status(status: StatusCode, method: &Method) -> bool {
    match status.as_u16() {
        429 | 502 | 503 | 504 => true,
        500 => *method == Method::GET || *method == Method::HEAD,
        _ => false,
    }
}

/// The wait before retry number `retry` (1-based): doubling from 200 ms to
/// 3 s, with up to a quarter of jitter so parallel clients spread out.
pub fn backoff(retry: u32) -> Duration {
    let doubled = FIRST_BACKOFF.saturating_mul(1 << retry.saturating_sub(1).min(8));
    let base = doubled.min(MAX_BACKOFF);
    base + jitter(base / 4)
}

/// A random delay up to `up_to` (fastrand: seeded per thread, so clients
/// started at the same instant still spread out).
pub fn jitter(up_to: Duration) -> Duration {
    let span = u64::try_from(up_to.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(fastrand::u64(0..=span))
}

/// `Retry-After` as a delay: delta-seconds or an HTTP-date (IMF-fixdate).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value)?;
    let now = u64::try_from(jiff::Timestamp::now().as_second()).ok()?;
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Seconds since the epoch of `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110's
/// IMF-fixdate, which RFC 2822's parser reads; RFC 9110 says GMT).
fn parse_http_date(value: &str) -> Option<u64> {
    if !value.ends_with(" GMT") {
        return None;
    }
    let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    u64::try_from(at.as_second()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_str(value).expect("header"));
        h
    }

    #[test]
    fn reads_seconds_and_http_dates() {
        assert_eq!(retry_after(&headers("3")), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:49:37 GMT")),
            Some(Duration::ZERO)
        );
        let future = retry_after(&headers("Fri, 01 Jan 2100 00:00:00 GMT")).expect("date");
        assert!(future > Duration::from_secs(86_400 * 365));
        for bad in [
            "soon",
            "-1",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 UTC",
        ] {
            assert_eq!(retry_after(&headers(bad)), None, "{bad}");
        }
    }

    #[test]
    fn jitter_stays_within_its_span_and_varies() {
        let span = Duration::from_millis(50);
        let picks: std::collections::HashSet<Duration> = (0..64).map(|_| jitter(span)).collect();
        assert!(picks.iter().all(|d| *d <= span));
        assert!(picks.len() > 1, "{picks:?}");
        assert_eq!(jitter(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn backoff_grows_and_stays_bounded() {
        assert!(backoff(1) >= Duration::from_millis(200));
        assert!(backoff(2) >= Duration::from_millis(400));
        assert!(backoff(30) <= MAX_BACKOFF + MAX_BACKOFF / 4);
        assert!(is_retryable_status(
            StatusCode::SERVICE_UNAVAILABLE,
            &Method::PUT
        ));
        assert!(is_retryable_status(
            StatusCode::INTERNAL_SERVER_ERROR,
            &Method::GET
        ));
        assert!(!is_retryable_status(
            StatusCode::INTERNAL_SERVER_ERROR,
            &Method::POST
        ));
        assert!(!is_retryable_status(StatusCode::NOT_FOUND, &Method::GET));
    }
}
