//! What travels on the one queue (`Msg`) and what `update` asks the runner
//! to do (`Effect`). Results travel inside the message that reports them.

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::Event;

use crate::graph::Attachments;
use crate::oci::{Descriptor, Digest, Manifest};
use crate::ops::DeletePlan;
use crate::store::ReferrersSupport;
use crate::tui::failure::Failure;
use crate::tui::preview::{Preview, PreviewKind};
use crate::tui::screens::prompt::PromptKind;

mod operation;

pub use crate::tui::tree::NodePath;
pub use operation::{CopyDestination, OperationOutcome, OperationRequest};

/// The independent loads one node can have running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// Repositories of the registry, or tags of a repository.
    Listing,
    Manifest,
    Referrers,
    /// The bytes shown in the detail pane (a blob, or an SBOM's document).
    Preview,
}

/// Names one request. A newer request for the same node and kind carries a
/// higher generation, and results of older ones are dropped on arrival.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JobKey {
    pub node: NodePath,
    pub kind: JobKind,
    pub generation: u64,
}

#[derive(Debug, Clone)]
pub enum Loaded {
    /// A listing finished (its pages came as `Msg::Page`).
    ListingDone,
    Manifest(Arc<Manifest>),
    Referrers {
        attachments: Attachments,
        /// What the store now knows of its referrers API.
        support: ReferrersSupport,
    },
    /// The bytes, and what the detail pane shows of them, computed once.
    Preview(Arc<Preview>),
}

#[derive(Debug)]
pub enum Msg {
    /// A terminal event: key, mouse, resize.
    Input(Event),
    /// Time passed while something animates (spinners).
    Tick,
    /// One page of a listing.
    Page { job: JobKey, names: Vec<String> },
    /// A job ended. A tag the store does not have (404) is removed rather
    /// than kept as a ghost; other failures show on the node.
    Loaded {
        job: JobKey,
        result: Result<Loaded, Failure>,
    },
    /// A running operation reported a step.
    OperationProgress { id: u64, text: String },
    /// Bytes moved so far over all of an operation's transfers, of `total`
    /// announced (throttled by the runner).
    OperationBytes { id: u64, done: u64, total: u64 },
    /// An operation ended.
    OperationDone {
        id: u64,
        result: Result<OperationOutcome, Failure>,
    },
    /// An audit reported rows or ended.
    Audit(super::screens::audit::AuditMsg),
    /// The files view's listing, preview or save reported.
    Files(super::screens::files::FilesMsg),
    /// What one screen tells those below it, through the router.
    Notice(Notice),
    /// A run of the doctor ended.
    Doctor(super::screens::doctor::DoctorMsg),
    /// An image's scans and VEX were read and applied.
    Vulns(super::screens::vulns::VulnsCollected),
    /// A diff progressed or ended.
    Diff(super::screens::diff::DiffMsg),
    /// Completions of the path typed in the attach dialog.
    PathCompleted {
        typed: String,
        completions: Vec<String>,
    },
    /// The file the attach dialog names is there and can be read, or why
    /// not.
    FileChecked {
        path: PathBuf,
        result: Result<(), String>,
    },
    /// Another registry or layout (`g`) was opened and answered, or could
    /// not be reached; the driver switches to it only on `Ok`.
    Browsed {
        target: String,
        result: Result<Box<crate::target::Target>, String>,
    },
    /// The clipboard was written (`Ok(how)`) or could not be.
    Clipboard {
        what: String,
        result: Result<&'static str, String>,
    },
}

/// What one screen tells the others (handed down the stack by the router
/// until one takes it), or the router tells them when an operation ends.
#[derive(Debug, Clone)]
pub enum Notice {
    /// Show this tag or digest in the graph; `None`: the repository's
    /// tags alone.
    GoTo {
        repository: String,
        reference: Option<String>,
    },
    /// Load again what an operation changed: a list, or a subject's
    /// referrers.
    Reload(NodePath),
    /// These manifests (and these tags of `repository`) were deleted:
    /// their rows go, and indexes now pointing at nothing are marked.
    Deleted {
        count: usize,
        digests: Vec<Digest>,
        repository: String,
        tags: Vec<String>,
    },
    /// The plan of the delete operation `id`, for its dialog.
    DeletePlanned { id: u64, plan: Box<DeletePlan> },
    /// What is typed in a prompt changed (a cancelled prompt: empty).
    Typed { prompt: PromptKind, text: String },
}

#[derive(Debug, Clone)]
pub enum Effect {
    ListRepositories {
        job: JobKey,
    },
    ListTags {
        job: JobKey,
        repository: String,
    },
    FetchManifest {
        job: JobKey,
        repository: String,
        reference: String,
    },
    FetchReferrers {
        job: JobKey,
        repository: String,
        subject: Digest,
        /// The repository's `sha256-*` tags known so far, where cosign
        /// keeps its signatures.
        digest_tags: Vec<String>,
        /// For a platform manifest: its index, where BuildKit keeps
        /// attestations.
        parent_index: Option<Arc<Manifest>>,
    },
    FetchPreview {
        job: JobKey,
        repository: String,
        descriptor: Box<Descriptor>,
        /// How its bytes are read once they arrive.
        kind: PreviewKind,
    },
    CopyToClipboard {
        what: String,
        text: String,
    },
    /// Runs one of the `ops` with progress and a cancel token.
    Operation {
        id: u64,
        request: OperationRequest,
    },
    /// Cancels every running operation.
    CancelOperations,
    /// Audits a repository or the registry, rows coming back as
    /// `Msg::Audit`; a newer audit replaces a running one.
    Audit {
        id: u64,
        target: crate::audit::AuditTarget,
        /// From the config's `[trust]`: signatures are checked with these.
        trust: crate::audit::trust_config::TrustMaterial,
    },
    CancelAudit,
    /// Lists a layer's files, or with `merged` the image's merged file
    /// system, answering with `Msg::Files`; a newer listing replaces a
    /// running one.
    ListFiles {
        id: u64,
        repository: String,
        layers: Vec<Descriptor>,
        merged: bool,
        /// An index's digest: the engine's platform chooser picks the
        /// image whose layers are listed (`layers` is then empty).
        index: Option<String>,
    },
    /// Reads one file of a layer: its first bytes back for the preview, or
    /// with `save_to` (directory, replace a different file) written there.
    ReadLayerFile {
        id: u64,
        repository: String,
        layer: Box<Descriptor>,
        /// The path inside the layer (a hard link's target).
        path: String,
        /// The path the user chose, named in messages and the file name.
        shown_as: String,
        save_to: Option<(PathBuf, bool)>,
    },
    CancelFiles,
    /// Runs the doctor's checks on the registry being browsed (reading
    /// `repository`, if any; with `write`, in a scratch repository),
    /// answering with `Msg::Doctor`.
    Doctor(super::screens::doctor::DoctorRun),
    /// Stops a read-only run of the doctor (one that writes cleans up).
    CancelDoctor,
    /// Reads the scans and VEX attached to the image at `subject` (its
    /// graph as the tree holds it), answering with `Msg::Vulns`.
    CollectVulns {
        subject: NodePath,
        tree: Arc<crate::graph::ReferrerTree>,
    },
    /// Compares two images of the store (`crate::diff::diff`), answering
    /// with `Msg::Diff`. The screen keeps `cancel` and cancels it when it
    /// closes, so the runner keeps no table of diffs.
    Diff {
        id: u64,
        left: super::screens::diff::DiffTarget,
        right: super::screens::diff::DiffTarget,
        cancel: crate::ops::CancellationToken,
    },
    /// Lists what a typed path could complete to.
    CompletePath {
        typed: String,
    },
    /// Checks that a file to attach is there and can be read: a regular
    /// file that opens, or a directory that lists.
    CheckFile {
        path: PathBuf,
    },
    /// Browse another registry (`host[:port]`, `host/repo[:tag]`) or
    /// layout (`oci:DIR`) instead: the driver opens its store and starts
    /// the app afresh there.
    Browse {
        target: String,
    },
}

impl Effect {
    pub fn job(&self) -> Option<&JobKey> {
        match self {
            Effect::ListRepositories { job }
            | Effect::ListTags { job, .. }
            | Effect::FetchManifest { job, .. }
            | Effect::FetchReferrers { job, .. }
            | Effect::FetchPreview { job, .. } => Some(job),
            Effect::CopyToClipboard { .. }
            | Effect::Operation { .. }
            | Effect::CancelOperations
            | Effect::Audit { .. }
            | Effect::CancelAudit
            | Effect::ListFiles { .. }
            | Effect::ReadLayerFile { .. }
            | Effect::CancelFiles
            | Effect::Doctor(_)
            | Effect::CancelDoctor
            | Effect::CollectVulns { .. }
            | Effect::Diff { .. }
            | Effect::CompletePath { .. }
            | Effect::CheckFile { .. }
            | Effect::Browse { .. } => None,
        }
    }
}
