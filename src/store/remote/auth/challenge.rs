//! `WWW-Authenticate` challenges (RFC 7235 §2.1): a case-insensitive scheme,
//! then comma-separated `name=value` parameters whose values are tokens or
//! quoted strings with backslash escapes. One header may hold several
//! challenges, and a response may carry several headers.
//!
//! Registries send malformed headers too; the parser keeps what it could
//! read before the damage instead of failing, as docker and oras do.

use std::collections::BTreeMap;

use reqwest::header::{HeaderMap, WWW_AUTHENTICATE};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AuthScheme {
    Basic,
    Bearer,
    /// Any other scheme, as the registry spelled it.
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    pub(crate) scheme: AuthScheme,
    /// Parameter names lower-cased (they are case-insensitive).
    pub(crate) params: BTreeMap<String, String>,
}

impl Challenge {
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

/// Every challenge of every `WWW-Authenticate` header, in order.
pub(crate) fn challenges_in(headers: &HeaderMap) -> Vec<Challenge> {
    headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .flat_map(|value| parse_challenges(&String::from_utf8_lossy(value.as_bytes())))
        .collect()
}

/// Parses one header value into its challenges.
pub(crate) fn parse_challenges(header: &str) -> Vec<Challenge> {
    let mut cursor = Cursor { rest: header };
    let mut challenges = Vec::new();
    loop {
        cursor.skip_separators();
        if cursor.rest.is_empty() {
            return challenges;
        }
        let scheme = cursor.token();
        if scheme.is_empty() {
            // Not a challenge: give up on the rest rather than guess.
            return challenges;
        }
        let mut challenge = Challenge {
            scheme: scheme_of(scheme),
            params: BTreeMap::new(),
        };
        let complete = cursor.params(&mut challenge.params);
        challenges.push(challenge);
        if !complete {
            return challenges;
        }
    }
}

fn scheme_of(scheme: &str) -> AuthScheme {
    if scheme.eq_ignore_ascii_case("basic") {
        AuthScheme::Basic
    } else if scheme.eq_ignore_ascii_case("bearer") {
        AuthScheme::Bearer
    } else {
        AuthScheme::Other(scheme.to_owned())
    }
}

struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    /// Reads the parameters after a scheme. Returns false when the header
    /// is malformed past this point, so nothing after it can be trusted.
    fn params(&mut self, params: &mut BTreeMap<String, String>) -> bool {
        loop {
            self.skip_space();
            let before = self.rest;
            let name = self.token();
            if name.is_empty() {
                // A token68 credential (`Negotiate abc==`) or the end.
                self.rest = self.rest.trim_start_matches(|c: char| c != ',');
                return true;
            }
            self.skip_space();
            let Some(after_equals) = self.rest.strip_prefix('=') else {
                // A bare token: the scheme of the next challenge (or junk
                // read as one); either way not a parameter of this one.
                self.rest = before;
                return true;
            };
            self.rest = after_equals;
            self.skip_space();
            let value = if self.rest.starts_with('"') {
                match self.quoted_string() {
                    Some(value) => value,
                    None => return false,
                }
            } else {
                let value = self.token();
                if value.is_empty() {
                    return false;
                }
                value.to_owned()
            };
            params.insert(name.to_ascii_lowercase(), value);
            self.skip_space();
            match self.rest.strip_prefix(',') {
                Some(after_comma) => self.rest = after_comma,
                None => return self.rest.is_empty(),
            }
        }
    }

    /// `1*tchar` (RFC 7230 §3.2.6); empty when the next character is not one.
    fn token(&mut self) -> &'a str {
        let end = self
            .rest
            .find(|c: char| !is_token_char(c))
            .unwrap_or(self.rest.len());
        let (token, rest) = self.rest.split_at(end);
        self.rest = rest;
        token
    }

    /// A quoted string starting at the current `"`; `None` when it never ends.
    fn quoted_string(&mut self) -> Option<String> {
        let mut value = String::new();
        let mut chars = self.rest.char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.rest = &self.rest[i + 1..];
                    return Some(value);
                }
                '\\' => value.push(chars.next()?.1),
                c => value.push(c),
            }
        }
        None
    }

    fn skip_space(&mut self) {
        self.rest = self.rest.trim_start_matches([' ', '\t']);
    }

    fn skip_separators(&mut self) {
        self.rest = self.rest.trim_start_matches([' ', '\t', ',']);
    }
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

#[cfg(test)]
#[path = "challenge_tests.rs"]
mod tests;
