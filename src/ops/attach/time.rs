//! RFC 3339 timestamps for `org.opencontainers.image.created`, in UTC to
//! the second, as the OCI annotation convention writes them.

/// Now, in UTC, to the second: `2024-05-01T12:34:56Z`.
pub fn rfc3339_now() -> String {
    rfc3339(jiff::Timestamp::now())
}

pub fn rfc3339(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        let at = |s: i64| jiff::Timestamp::from_second(s).expect("in range");
        assert_eq!(rfc3339(at(0)), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(at(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(at(1_700_000_000)), "2023-11-14T22:13:20Z");
    }
}
