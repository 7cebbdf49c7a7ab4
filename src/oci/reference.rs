//! Image references with Docker's rules: `[registry/]repository[:tag][@digest]`.
//!
//! No registry means Docker Hub (`docker.io`, API host `registry-1.docker.io`),
//! where a one-part repository gets `library/`. The first path component is a
//! registry when it contains a dot or a port, is `localhost`, or has upper-case
//! letters (repositories never do).

use std::fmt;
use std::str::FromStr;

use super::digest::{Digest, DigestError};

pub const DOCKER_HUB: &str = "docker.io";
pub const DOCKER_HUB_API_HOST: &str = "registry-1.docker.io";
/// The key Docker's config and credential helpers use for Docker Hub.
pub const DOCKER_HUB_CREDENTIAL_KEY: &str = "https://index.docker.io/v1/";

/// Docker refuses longer names; checking first keeps hostile input cheap.
const MAX_REFERENCE_LEN: usize = 4096;
const MAX_NAME_LEN: usize = 255;
const MAX_TAG_LEN: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<Digest>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    #[error("the reference is empty")]
    Empty,
    #[error("the reference is longer than {MAX_REFERENCE_LEN} characters")]
    TooLong,
    #[error("registry {0:?} is not a valid host[:port]")]
    BadRegistry(String),
    #[error("repository {0:?} is invalid: {1}")]
    BadRepository(String, &'static str),
    #[error("tag {0:?} is invalid: up to 128 of [A-Za-z0-9_.-], not starting with '.' or '-'")]
    BadTag(String),
    #[error("digest is invalid: {0}")]
    BadDigest(DigestError),
}

// By hand rather than `#[from]`, which would also make the digest error the
// `source()`: the message already says it, and the CLI would repeat it.
impl From<DigestError> for ReferenceError {
    fn from(error: DigestError) -> ReferenceError {
        ReferenceError::BadDigest(error)
    }
}

impl Reference {
    pub fn parse(input: &str) -> Result<Reference, ReferenceError> {
        if input.is_empty() {
            return Err(ReferenceError::Empty);
        }
        if input.len() > MAX_REFERENCE_LEN {
            return Err(ReferenceError::TooLong);
        }
        let (rest, digest) = match input.split_once('@') {
            Some((rest, digest)) => (rest, Some(digest.parse::<Digest>()?)),
            None => (input, None),
        };
        // A colon after the last slash separates the tag; one before it is a port.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
            None => (rest, None),
        };
        if let Some(tag) = tag {
            validate_tag(tag)?;
        }
        let (registry, repository) = split_registry(name)?;
        Ok(Reference {
            registry,
            repository,
            tag: tag.map(str::to_owned),
            digest,
        })
    }

    /// A reference to a repository as a whole (no tag, no digest).
    pub fn repository(registry: &str, repository: &str) -> Reference {
        Reference {
            registry: registry.to_owned(),
            repository: repository.to_owned(),
            tag: None,
            digest: None,
        }
    }

    /// The host that serves the registry API.
    pub fn api_host(&self) -> &str {
        api_host(&self.registry)
    }

    /// What to resolve in the repository: the digest wins over the tag
    /// (a tag beside a digest is ignored, as the distribution spec says),
    /// and no tag means `latest`.
    pub fn target(&self) -> String {
        match (&self.digest, &self.tag) {
            (Some(digest), _) => digest.to_string(),
            (None, Some(tag)) => tag.clone(),
            (None, None) => "latest".to_owned(),
        }
    }

    pub fn has_target(&self) -> bool {
        self.tag.is_some() || self.digest.is_some()
    }

    /// `registry/repository` without tag or digest.
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }
}

impl FromStr for Reference {
    type Err = ReferenceError;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Reference::parse(input)
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

/// The API host of a registry name (`docker.io` is served elsewhere).
pub fn api_host(registry: &str) -> &str {
    if registry == DOCKER_HUB {
        DOCKER_HUB_API_HOST
    } else {
        registry
    }
}

/// The key under which Docker's config stores credentials for a registry.
pub fn credential_key(registry: &str) -> &str {
    if registry == DOCKER_HUB {
        DOCKER_HUB_CREDENTIAL_KEY
    } else {
        registry
    }
}

fn split_registry(name: &str) -> Result<(String, String), ReferenceError> {
    let (registry, repository) = match name.split_once('/') {
        Some((first, rest)) if looks_like_registry(first) => {
            validate_registry(first)?;
            (normalise_registry(first), rest.to_owned())
        }
        _ => (DOCKER_HUB.to_owned(), name.to_owned()),
    };
    let repository = if registry == DOCKER_HUB && !repository.contains('/') {
        format!("library/{repository}")
    } else {
        repository
    };
    validate_repository(&repository)?;
    Ok((registry, repository))
}

fn looks_like_registry(component: &str) -> bool {
    component.contains(['.', ':'])
        || component == "localhost"
        || component.chars().any(|c| c.is_ascii_uppercase())
}

fn normalise_registry(registry: &str) -> String {
    match registry {
        "index.docker.io" | "registry-1.docker.io" => DOCKER_HUB.to_owned(),
        other => other.to_owned(),
    }
}

/// Whether `input` names a registry alone (`localhost:5000`, `ghcr.io`).
pub fn is_registry_name(input: &str) -> bool {
    !input.contains(['/', '@'])
        && (input.contains(['.', ':']) || input == "localhost")
        && validate_registry(input).is_ok()
}

pub fn validate_registry(registry: &str) -> Result<(), ReferenceError> {
    let bad = || ReferenceError::BadRegistry(registry.chars().take(80).collect());
    let (host, port) = match registry.rsplit_once(':') {
        Some((host, _)) if !host.ends_with(']') && host.contains(':') => (registry, None),
        Some((host, port)) => (host, Some(port)),
        None => (registry, None),
    };
    if let Some(port) = port
        && (port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let ipv6 = host.starts_with('[') && host.ends_with(']');
    let valid_host = !host.is_empty()
        && (ipv6
            && host[1..host.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
            || host.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            }));
    if valid_host { Ok(()) } else { Err(bad()) }
}

/// Path components of `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*` separated by `/`.
pub fn validate_repository(repository: &str) -> Result<(), ReferenceError> {
    let bad = |why| ReferenceError::BadRepository(repository.chars().take(80).collect(), why);
    if repository.is_empty() {
        return Err(bad("it is empty"));
    }
    if repository.len() > MAX_NAME_LEN {
        return Err(bad("it is longer than 255 characters"));
    }
    if repository.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(bad("repository names are lower-case"));
    }
    for component in repository.split('/') {
        if !valid_path_component(component) {
            return Err(bad(
                "each path component is lower-case letters and digits, separated by '.', '_', '__' or dashes",
            ));
        }
    }
    Ok(())
}

fn valid_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        // A separator run: '.', '_', '__' or any number of '-'.
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let ok = matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if !ok {
            return false;
        }
    }
    true
}

pub fn validate_tag(tag: &str) -> Result<(), ReferenceError> {
    let valid = !tag.is_empty()
        && tag.len() <= MAX_TAG_LEN
        && tag
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        && tag
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if valid {
        Ok(())
    } else {
        Err(ReferenceError::BadTag(tag.chars().take(80).collect()))
    }
}

#[cfg(test)]
#[path = "reference_tests.rs"]
mod tests;
