//! The operations of `ops` as the TUI asks for them (`OperationRequest`,
//! inside `Effect::Operation`) and what they report back
//! (`OperationOutcome`).

use std::path::PathBuf;
use std::sync::Arc;

use crate::oci::{Descriptor, Digest};
use crate::ops::{AttachOptions, DeletePlan, PlatformChoice, PullSelect};

/// An operation of `ops`, as the TUI asks for it.
#[derive(Debug, Clone)]
pub enum OperationRequest {
    Pull {
        repository: String,
        reference: String,
        select: PullSelect,
        /// For an index: the platform row that was selected, or the host's.
        platform: PlatformChoice,
        output_dir: PathBuf,
        /// Only once the user said yes to replacing a different file.
        replace_existing: bool,
        /// The first level of the graph the tree holds, so the pull asks
        /// the registry for nothing it was asked before.
        known_graph: Option<Arc<crate::graph::ReferrerTree>>,
    },
    PullBlob {
        repository: String,
        descriptor: Box<Descriptor>,
        output_dir: PathBuf,
        replace_existing: bool,
    },
    Attach {
        repository: String,
        reference: String,
        options: AttachOptions,
    },
    /// A copy, referrers included.
    Copy {
        repository: String,
        reference: String,
        destination: CopyDestination,
        tag: Option<String>,
        /// The whole graph below the image when the tree holds all of it,
        /// so the copy discovers nothing again.
        known_graph: Option<Arc<crate::graph::ReferrerTree>>,
    },
    PlanDelete {
        repository: String,
        reference: String,
        /// As for a copy: the whole graph, when the tree holds it.
        known_graph: Option<Arc<crate::graph::ReferrerTree>>,
    },
    Delete {
        plan: Box<DeletePlan>,
    },
}

/// Where a copy goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyDestination {
    /// Another repository of the store being browsed.
    SameStore { repository: String },
    /// Another registry (`registry/repo`) or an OCI layout (`oci:DIR`), in
    /// the CLI's spelling; opened by the runner when the copy starts.
    Elsewhere(crate::target::Spec),
}

#[derive(Debug, Clone)]
pub enum OperationOutcome {
    Pulled {
        files: Vec<PathBuf>,
        /// What was taken, one line per manifest written from: what it
        /// is, its digest, its format, its platform, where it was found.
        took: Vec<String>,
        /// Layers left out for having no file name (an image's).
        untitled: usize,
    },
    Attached {
        digest: Digest,
    },
    /// How many manifests were pushed, and the blobs: moved, mounted from
    /// another repository, or already at the target.
    Copied {
        manifests: usize,
        transferred: usize,
        mounted: usize,
        skipped: usize,
    },
    DeletePlanned(Box<DeletePlan>),
    /// How many manifests went, their digests and the tags that went
    /// (to forget them).
    Deleted {
        count: usize,
        digests: Vec<Digest>,
        repository: String,
        tags: Vec<String>,
    },
}
