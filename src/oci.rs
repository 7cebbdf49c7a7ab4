//! The OCI vocabulary: digests, references, media types, descriptors and a
//! permissive manifest model. Pure data and parsing; no I/O.

pub mod descriptor;
pub mod digest;
pub mod manifest;
pub mod media_type;
pub mod platform;
pub mod reference;
pub mod verify;

pub use descriptor::{Descriptor, Platform};
pub use digest::{Algorithm, Digest, DigestHasher};
pub use manifest::{Manifest, ManifestKind};
pub use platform::PlatformSpec;
pub use reference::Reference;
