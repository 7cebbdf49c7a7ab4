//! Verifying content as it streams: the size must match exactly (no short
//! body, no trailing bytes) and the digest must be the one asked for.

use super::descriptor::Descriptor;
use super::digest::{Digest, DigestHasher};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("{digest}: received more than the expected {expected} bytes")]
    TooLong { digest: Digest, expected: u64 },
    #[error("{digest}: received {received} bytes, expected {expected}")]
    TooShort {
        digest: Digest,
        expected: u64,
        received: u64,
    },
    #[error("digest mismatch: expected {expected}, content hashes to {actual}")]
    DigestMismatch { expected: Digest, actual: Digest },
}

/// Feed it chunks as they arrive; it fails as soon as the size is exceeded,
/// and `finish` checks length and digest.
pub struct ContentVerifier {
    expected: Digest,
    expected_size: u64,
    received: u64,
    hasher: DigestHasher,
}

impl ContentVerifier {
    pub fn new(descriptor: &Descriptor) -> ContentVerifier {
        ContentVerifier::for_digest(descriptor.digest.clone(), descriptor.size)
    }

    pub fn for_digest(expected: Digest, expected_size: u64) -> ContentVerifier {
        ContentVerifier {
            hasher: DigestHasher::new(expected.algorithm()),
            expected,
            expected_size,
            received: 0,
        }
    }

    pub fn update(&mut self, chunk: &[u8]) -> Result<(), VerifyError> {
        self.received = self.received.saturating_add(chunk.len() as u64);
        if self.received > self.expected_size {
            return Err(VerifyError::TooLong {
                digest: self.expected.clone(),
                expected: self.expected_size,
            });
        }
        self.hasher.update(chunk);
        Ok(())
    }

    pub fn received(&self) -> u64 {
        self.received
    }

    pub fn finish(self) -> Result<(), VerifyError> {
        if self.received != self.expected_size {
            return Err(VerifyError::TooShort {
                digest: self.expected,
                expected: self.expected_size,
                received: self.received,
            });
        }
        let actual = self.hasher.finish();
        if actual != self.expected {
            return Err(VerifyError::DigestMismatch {
                expected: self.expected,
                actual,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_exact_content_in_chunks() {
        let digest = Digest::sha256_of(b"hello world");
        let mut v = ContentVerifier::for_digest(digest, 11);
        v.update(b"hello ").expect("fits");
        v.update(b"world").expect("fits");
        assert_eq!(v.finish(), Ok(()));
    }

    #[test]
    fn rejects_short_long_and_altered_content() {
        let digest = Digest::sha256_of(b"hello");
        let mut short = ContentVerifier::for_digest(digest.clone(), 5);
        short.update(b"hell").expect("fits");
        assert!(matches!(short.finish(), Err(VerifyError::TooShort { .. })));
        let mut long = ContentVerifier::for_digest(digest.clone(), 5);
        assert!(matches!(
            long.update(b"hello!"),
            Err(VerifyError::TooLong { .. })
        ));
        let mut flipped = ContentVerifier::for_digest(digest, 5);
        flipped.update(b"jello").expect("fits");
        assert!(matches!(
            flipped.finish(),
            Err(VerifyError::DigestMismatch { .. })
        ));
    }
}
