//! Operations on the graph, shared by the TUI and the CLI: pull, attach,
//! copy, delete and list. Each is one async function taking the store(s),
//! its options, a progress sink and a cancellation token; none prints.

pub mod attach;
pub(crate) mod beneath;
pub mod copy;
pub mod delete;
pub mod list;
pub mod paths;
pub mod pull;
pub mod untar;

use std::path::PathBuf;

use tokio::sync::mpsc::UnboundedSender;

use crate::oci::Digest;
use crate::store::StoreError;

pub use attach::{AttachFile, AttachOptions, attach};
pub use copy::{CopyOptions, CopyOutcome, copy};
pub use delete::{
    DeletePlan, ListingIndex, PlannedDelete, TagOnly, delete, plan_delete, plan_tag_delete,
};
pub use list::{Tags, list_repositories, list_tags};
pub use pull::{PlatformChoice, PullOptions, PullOutcome, PullSelect, pull};

pub use tokio_util::sync::CancellationToken;

/// What a running operation reports. Sent best-effort: a caller that does
/// not care drops the receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// A transfer of `total` bytes began.
    Started {
        digest: Digest,
        what: String,
        total: u64,
    },
    /// `done` of the transfer's bytes have moved.
    Bytes { digest: Digest, done: u64 },
    /// The transfer finished and was verified.
    Finished { digest: Digest, what: String },
    /// Nothing to move: the target had it, or it was mounted.
    Skipped {
        digest: Digest,
        what: String,
        reason: String,
    },
    /// A step a person may want to read ("pushed manifest …").
    Note(String),
    /// Something went wrong without failing the operation.
    Warning(String),
}

pub type ProgressSink = UnboundedSender<Progress>;

/// What a blob is, for progress lines that also give its short digest and
/// size: its title, else `config` or `layer` by its media type, else `blob`.
pub(crate) fn blob_label(descriptor: &crate::oci::Descriptor) -> String {
    use crate::oci::media_type as mt;
    if let Some(title) = descriptor.title() {
        return title.to_owned();
    }
    let media_type = descriptor.media_type.as_str();
    if matches!(
        media_type,
        mt::OCI_CONFIG | mt::DOCKER_CONFIG | mt::OCI_EMPTY
    ) || media_type.contains(".config.")
    {
        "config".to_owned()
    } else if media_type.contains("layer") || media_type.contains("rootfs.diff") {
        "layer".to_owned()
    } else {
        "blob".to_owned()
    }
}

/// Sends without caring whether anyone listens.
pub(crate) fn report(progress: &ProgressSink, event: Progress) {
    let _ = progress.send(event);
}

#[derive(Debug, thiserror::Error)]
pub enum OpError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A title or tar entry that would land outside the output directory, or
    /// otherwise cannot be written safely. Nothing was written.
    #[error("refusing {entry:?}: {reason}")]
    UnsafePath { entry: String, reason: String },
    #[error("{context}: {cause}")]
    Io {
        context: String,
        cause: std::io::Error,
    },
    #[error("{what}: the unpacked content hashes to {actual}, not {expected}")]
    ContentDigest {
        what: String,
        expected: String,
        actual: Digest,
    },
    /// A pull told to keep existing files found one with other content at
    /// a final name. Nothing was written.
    #[error("{} already exists with other content; nothing was written", path.display())]
    WouldReplace { path: std::path::PathBuf },
    #[error("{subject} has no referrer of type {wanted}")]
    NoSuchReferrer { subject: String, wanted: String },
    #[error("{0}")]
    Invalid(String),
    #[error("cancelled")]
    Cancelled,
}

impl OpError {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> OpError {
        OpError::Io {
            context: context.into(),
            cause: source,
        }
    }

    pub(crate) fn unsafe_path(entry: impl Into<String>, reason: impl Into<String>) -> OpError {
        OpError::UnsafePath {
            entry: entry.into(),
            reason: reason.into(),
        }
    }
}

/// Where a pull put something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenPath {
    pub path: PathBuf,
    pub digest: Digest,
    pub directory: bool,
}
