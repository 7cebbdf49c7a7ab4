//! References and repository names as they may enter a URL: checked
//! first, so no path segment a registry or user sent can escape its place.

use crate::oci::Digest;
use crate::oci::reference::{validate_repository, validate_tag};
use crate::store::StoreError;

/// A tag or a digest, validated before it goes into a URL.
pub(super) enum Target {
    Tag(String),
    Digest(Digest),
}

impl Target {
    pub(super) fn parse(reference: &str) -> Result<Target, StoreError> {
        if reference.contains(':') {
            let digest = reference
                .parse()
                .map_err(|e| StoreError::Invalid(format!("{e}")))?;
            return Ok(Target::Digest(digest));
        }
        validate_tag(reference)?;
        Ok(Target::Tag(reference.to_owned()))
    }

    pub(super) fn as_path(&self) -> String {
        match self {
            Target::Tag(tag) => tag.clone(),
            Target::Digest(digest) => digest.to_string(),
        }
    }
}

pub(super) fn check_repository(repository: &str) -> Result<(), StoreError> {
    validate_repository(repository)?;
    Ok(())
}

/// A repository and a tag or digest in it, both checked before any URL.
pub(super) fn checked_target(repository: &str, reference: &str) -> Result<Target, StoreError> {
    check_repository(repository)?;
    Target::parse(reference)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_validated_before_they_reach_a_url() {
        for bad in ["sha256:../x", "../x", "v1/../../x", "", "v1?x=1"] {
            assert!(Target::parse(bad).is_err(), "{bad:?}");
        }
        assert!(matches!(Target::parse("v1.0"), Ok(Target::Tag(_))));
        let digest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert!(matches!(Target::parse(digest), Ok(Target::Digest(_))));
        for bad in ["../etc", "UPPER", "a//b", ""] {
            assert!(check_repository(bad).is_err(), "{bad:?}");
        }
    }
}
