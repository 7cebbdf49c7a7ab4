//! Turning a REF as people type it (on the command line, in the TUI's
//! go-to and copy prompts) into a store, a repository and what to resolve
//! in it: `[REGISTRY/]REPO[:TAG][@DIGEST]` for a registry, or
//! `oci:DIR[:TAG][@DIGEST]` for an OCI image layout on disk. Both front
//! ends use it, so it lives in the engine with a typed error.

use std::path::PathBuf;
use std::sync::Arc;

use crate::oci::Reference;
use crate::oci::reference::{ReferenceError, is_registry_name};
use crate::store::layout::LayoutStore;
use crate::store::remote::{ConnectOptions, RemoteStore};
use crate::store::{SharedStore, StoreError};

/// Why a REF names nothing that can be opened.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("invalid reference {input:?}: {cause}")]
    Reference {
        input: String,
        cause: ReferenceError,
    },
    #[error("cannot connect to {registry}: {cause}")]
    Connect { registry: String, cause: StoreError },
    #[error("cannot open the OCI layout {}: {cause}", dir.display())]
    Layout { dir: PathBuf, cause: StoreError },
    #[error("{0} needs a tag or digest")]
    NoReference(String),
}

const LAYOUT_PREFIX: &str = "oci:";

/// A parsed REF before any store is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    Registry(Reference),
    /// A registry alone (`localhost:5000`): for `ls` and the TUI.
    RegistryOnly(String),
    Layout {
        dir: PathBuf,
        tag: Option<String>,
        digest: Option<String>,
    },
}

impl Spec {
    pub fn parse(input: &str) -> Result<Spec, TargetError> {
        if let Some(rest) = input.strip_prefix(LAYOUT_PREFIX) {
            return Ok(parse_layout(rest));
        }
        if is_registry_name(input) {
            return Ok(Spec::RegistryOnly(input.to_owned()));
        }
        Reference::parse(input)
            .map(Spec::Registry)
            .map_err(|cause| TargetError::Reference {
                input: input.to_owned(),
                cause,
            })
    }

    /// `DIR[:TAG][@DIGEST]` as `--oci-layout` takes it.
    pub fn layout(input: &str) -> Spec {
        parse_layout(input)
    }

    /// The tag or digest asked for, if any (the digest wins).
    pub fn target(&self) -> Option<String> {
        match self {
            Spec::Registry(reference) => reference.has_target().then(|| reference.target()),
            Spec::RegistryOnly(_) => None,
            Spec::Layout { tag, digest, .. } => digest.clone().or_else(|| tag.clone()),
        }
    }

    pub fn tag(&self) -> Option<&str> {
        match self {
            Spec::Registry(reference) if reference.digest.is_none() => reference.tag.as_deref(),
            Spec::Layout {
                tag, digest: None, ..
            } => tag.as_deref(),
            _ => None,
        }
    }
}

fn parse_layout(rest: &str) -> Spec {
    let (path, digest) = match rest.rsplit_once('@') {
        Some((path, digest)) if digest.contains(':') => (path, Some(digest.to_owned())),
        _ => (rest, None),
    };
    // A colon after the last slash starts the tag.
    let last_slash = path.rfind('/').map_or(0, |i| i + 1);
    let (dir, tag) = match path[last_slash..].rfind(':') {
        Some(i) => (
            &path[..last_slash + i],
            Some(path[last_slash + i + 1..].to_owned()),
        ),
        None => (path, None),
    };
    Spec::Layout {
        dir: PathBuf::from(dir),
        tag: tag.filter(|t| !t.is_empty()),
        digest,
    }
}

/// An opened store and where in it the REF points.
#[derive(Debug, Clone)]
pub struct Target {
    pub store: SharedStore,
    /// Empty for a registry alone.
    pub repository: String,
    pub reference: Option<String>,
    /// How oras names the repository in output: `registry/repo`, or the
    /// layout directory.
    pub display_name: String,
}

impl Target {
    /// The tag or digest, or an error naming what is missing.
    pub fn require_reference(&self) -> Result<&str, TargetError> {
        self.reference
            .as_deref()
            .ok_or_else(|| TargetError::NoReference(self.display_name.clone()))
    }
}

/// Opens the store a spec names. `create` makes a missing layout (a copy's
/// destination).
pub fn open(spec: &Spec, connection: &ConnectOptions, create: bool) -> Result<Target, TargetError> {
    match spec {
        Spec::Registry(reference) => {
            let store =
                RemoteStore::new(&reference.registry, connection.clone()).map_err(|cause| {
                    TargetError::Connect {
                        registry: reference.registry.clone(),
                        cause,
                    }
                })?;
            Ok(Target {
                store: Arc::new(store),
                repository: reference.repository.clone(),
                reference: spec.target(),
                display_name: reference.name(),
            })
        }
        Spec::RegistryOnly(registry) => {
            let store = RemoteStore::new(registry, connection.clone()).map_err(|cause| {
                TargetError::Connect {
                    registry: registry.clone(),
                    cause,
                }
            })?;
            Ok(Target {
                store: Arc::new(store),
                repository: String::new(),
                reference: None,
                display_name: registry.clone(),
            })
        }
        Spec::Layout { dir, .. } => {
            let store = if create {
                LayoutStore::create(dir)
            } else {
                LayoutStore::open(dir)
            }
            .map_err(|cause| TargetError::Layout {
                dir: dir.clone(),
                cause,
            })?;
            let repository = store.single_repository().unwrap_or_default().to_owned();
            Ok(Target {
                store: Arc::new(store),
                repository,
                reference: spec.target(),
                display_name: dir.display().to_string(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_layouts_and_registries() {
        assert_eq!(
            Spec::parse("oci:./out:v1").expect("layout"),
            Spec::Layout {
                dir: PathBuf::from("./out"),
                tag: Some("v1".into()),
                digest: None
            }
        );
        let digest = format!("sha256:{}", "a".repeat(64));
        assert_eq!(
            Spec::parse(&format!("oci:/tmp/x@{digest}")).expect("layout"),
            Spec::Layout {
                dir: PathBuf::from("/tmp/x"),
                tag: None,
                digest: Some(digest)
            }
        );
        assert_eq!(
            Spec::parse("localhost:5000").expect("registry"),
            Spec::RegistryOnly("localhost:5000".into())
        );
        let spec = Spec::parse("localhost:5000/net-monitor:v1").expect("ref");
        assert_eq!(spec.target().as_deref(), Some("v1"));
        assert_eq!(spec.tag(), Some("v1"));
        assert!(Spec::parse("localhost:5000/UPPER").is_err());
    }
}
