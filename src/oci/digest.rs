//! Content digests (`algorithm:hex`), parsed strictly because a digest ends up
//! in URLs and file paths, and hashed in a streaming fashion because blobs can
//! be large.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest as _, Sha256, Sha512};

/// The hash algorithms the OCI image spec registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    Sha256,
    Sha512,
}

impl Algorithm {
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }

    fn hex_len(self) -> usize {
        match self {
            Algorithm::Sha256 => 64,
            Algorithm::Sha512 => 128,
        }
    }
}

/// A validated digest: known algorithm, lower-case hex of the right length.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest {
    algorithm: Algorithm,
    hex: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigestError {
    #[error("digest {0:?} has no algorithm (expected `sha256:<hex>`)")]
    MissingAlgorithm(String),
    #[error("digest algorithm {0:?} is not supported (sha256 and sha512 are)")]
    UnsupportedAlgorithm(String),
    #[error("digest {value:?} must have {expected} lower-case hex characters")]
    BadHex { value: String, expected: usize },
}

impl Digest {
    /// Hashes `bytes` with SHA-256.
    pub fn sha256_of(bytes: &[u8]) -> Digest {
        let mut hasher = DigestHasher::new(Algorithm::Sha256);
        hasher.update(bytes);
        hasher.finish()
    }

    /// Hashes `bytes` with this digest's algorithm; used to verify content.
    pub fn matches(&self, bytes: &[u8]) -> bool {
        let mut hasher = DigestHasher::new(self.algorithm);
        hasher.update(bytes);
        hasher.finish() == *self
    }

    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    pub fn hex(&self) -> &str {
        &self.hex
    }

    /// The first 12 hex characters, as people scan digests.
    pub fn short(&self) -> &str {
        &self.hex[..12]
    }

    /// The tag under which the referrers tag schema stores this digest's
    /// referrers: `<alg>-<hex>`, the hex cut to 64 characters as the
    /// distribution spec says (a sha512 tag would otherwise exceed the
    /// 128-character tag limit).
    pub fn fallback_tag(&self) -> String {
        format!("{}-{}", self.algorithm.name(), &self.hex[..64])
    }

    /// A path relative to an OCI layout's root: `blobs/sha256/<hex>`.
    /// Safe to join because the hex was validated.
    pub fn layout_path(&self) -> String {
        format!("blobs/{}/{}", self.algorithm.name(), self.hex)
    }
}

impl FromStr for Digest {
    type Err = DigestError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let Some((algorithm, hex)) = value.split_once(':') else {
            return Err(DigestError::MissingAlgorithm(truncate(value)));
        };
        let algorithm = match algorithm {
            "sha256" => Algorithm::Sha256,
            "sha512" => Algorithm::Sha512,
            other => return Err(DigestError::UnsupportedAlgorithm(truncate(other))),
        };
        let valid = hex.len() == algorithm.hex_len()
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !valid {
            return Err(DigestError::BadHex {
                value: truncate(value),
                expected: algorithm.hex_len(),
            });
        }
        Ok(Digest {
            algorithm,
            hex: hex.to_owned(),
        })
    }
}

/// Keeps hostile input from flooding an error message.
fn truncate(value: &str) -> String {
    value.chars().take(80).collect()
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm.name(), self.hex)
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Streaming hasher for either algorithm.
#[derive(Clone)]
pub enum DigestHasher {
    Sha256(Sha256),
    Sha512(Sha512),
}

impl DigestHasher {
    pub fn new(algorithm: Algorithm) -> DigestHasher {
        match algorithm {
            Algorithm::Sha256 => DigestHasher::Sha256(Sha256::new()),
            Algorithm::Sha512 => DigestHasher::Sha512(Sha512::new()),
        }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            DigestHasher::Sha256(h) => h.update(bytes),
            DigestHasher::Sha512(h) => h.update(bytes),
        }
    }

    pub fn finish(self) -> Digest {
        let (algorithm, hex) = match self {
            DigestHasher::Sha256(h) => (Algorithm::Sha256, to_hex(&h.finalize())),
            DigestHasher::Sha512(h) => (Algorithm::Sha512, to_hex(&h.finalize())),
        };
        Digest { algorithm, hex }
    }
}

fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY: &str = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn hashes_and_parses_round_trip() {
        let digest = Digest::sha256_of(b"");
        assert_eq!(digest.to_string(), EMPTY);
        assert_eq!(EMPTY.parse::<Digest>(), Ok(digest.clone()));
        assert_eq!(digest.short(), "e3b0c44298fc");
        assert!(digest.fallback_tag().starts_with("sha256-e3b0"));
        assert!(digest.matches(b""));
        assert!(!digest.matches(b"x"));
    }

    #[test]
    fn sha512_is_supported() {
        let mut hasher = DigestHasher::new(Algorithm::Sha512);
        hasher.update(b"abc");
        let digest = hasher.finish();
        assert_eq!(digest.hex().len(), 128);
        assert_eq!(digest.fallback_tag().len(), "sha512-".len() + 64);
        assert_eq!(digest.to_string().parse::<Digest>(), Ok(digest));
    }

    #[test]
    fn rejects_what_could_escape_a_path_or_url() {
        for bad in [
            "",
            "sha256",
            "sha256:",
            "sha256:abc",
            "sha256:../../etc/passwd",
            "md5:d41d8cd98f00b204e9800998ecf8427e",
            "SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855?x=1",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85/",
        ] {
            assert!(bad.parse::<Digest>().is_err(), "{bad:?} accepted");
        }
    }
}
