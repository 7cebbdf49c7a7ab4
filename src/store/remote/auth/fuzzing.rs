//! Entry points for the fuzz targets in `fuzz/` (challenge parsing, token
//! answers); not an API.

use std::collections::BTreeMap;
use std::time::Duration;

/// Each challenge of one `WWW-Authenticate` value: scheme and parameters.
pub fn challenges(header: &str) -> Vec<(String, BTreeMap<String, String>)> {
    super::challenge::parse_challenges(header)
        .into_iter()
        .map(|c| (format!("{:?}", c.scheme), c.params))
        .collect()
}

/// A token server's `200 OK` body: the header's length and the lifetime.
pub fn token_answer(body: &[u8]) -> Result<(usize, Duration), String> {
    super::token::answer::parse_answer("fuzz", body)
        .map(|t| (t.header.len(), t.lifetime))
        .map_err(|e| e.to_string())
}
