//! A delete plan as data: the manifests that go (deepest first), the tag
//! alone when only a tag goes, and what the plan found that stays or
//! breaks, with the one rule that refuses a plan (an index left pointing
//! at nothing).

use super::ListingIndex;
use crate::oci::{Descriptor, Digest};

/// One manifest that will be deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDelete {
    pub descriptor: Descriptor,
    pub artifact_type: Option<String>,
    /// 0 for the subject, 1 for its referrers, …
    pub depth: usize,
    /// The digest it is attached to (`None` for the subject).
    pub parent: Option<Digest>,
    /// cosign's tags that name it; they go with it.
    pub tags: Vec<String>,
    /// The repository's other tags that name it (the one it was asked by
    /// included): the registry drops them with it.
    pub named_by: Vec<String>,
}

/// `rm REPO:TAG` without asking for the manifest: the tag goes, what it
/// names stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagOnly {
    pub tag: String,
    /// What the tag names when the plan was made.
    pub descriptor: Descriptor,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletePlan {
    pub repository: String,
    /// Set when only a tag goes; `manifests` is then empty.
    pub tag_only: Option<TagOnly>,
    /// Deepest first; the subject is last.
    pub manifests: Vec<PlannedDelete>,
    /// Listed as referrers but not naming their subject: left alone.
    pub unverified: Vec<Descriptor>,
    /// Referrers of the subject a plan without referrers leaves behind,
    /// pointing at nothing once the subject is gone.
    pub orphaned: Vec<Descriptor>,
    /// BuildKit attestations stored inside the index: entries of it, not
    /// referrers, left as they are.
    pub in_index: Vec<Descriptor>,
    /// How many of the repository's tags were read to find the tags and
    /// indexes naming what goes.
    pub tags_read: usize,
    /// Indexes that list a manifest that goes: they would point at nothing.
    pub listed_by: Vec<ListingIndex>,
    /// Some tags, or some tagged index, could not be read: an index may
    /// list what goes without the plan knowing (the warnings say which).
    pub indexes_unknown: bool,
    /// The caller was told about `listed_by` and wants the delete anyway
    /// (`rm --break-index`); without it `delete` refuses such a plan.
    pub break_indexes: bool,
    pub warnings: Vec<String>,
}

impl DeletePlan {
    pub(super) fn new(repository: &str) -> DeletePlan {
        DeletePlan {
            repository: repository.to_owned(),
            tag_only: None,
            manifests: Vec::new(),
            unverified: Vec::new(),
            orphaned: Vec::new(),
            in_index: Vec::new(),
            tags_read: 0,
            listed_by: Vec::new(),
            indexes_unknown: false,
            break_indexes: false,
            warnings: Vec::new(),
        }
    }

    /// Deleting `tag` alone, which names `descriptor`: the manifest stays,
    /// with its other tags and its referrers. `delete` checks that the tag
    /// still names it.
    pub fn for_tag(repository: &str, tag: &str, descriptor: Descriptor) -> DeletePlan {
        let mut plan = DeletePlan::new(repository);
        plan.tag_only = Some(TagOnly {
            tag: tag.to_owned(),
            descriptor,
        });
        plan
    }

    /// The subject the plan was made for.
    pub fn subject(&self) -> Option<&PlannedDelete> {
        self.manifests.last()
    }

    /// Every tag that goes: cosign's and the ones people gave.
    pub fn tags_going(&self) -> Vec<String> {
        let mut tags: Vec<String> = self
            .manifests
            .iter()
            .flat_map(|m| m.tags.iter().chain(&m.named_by).cloned())
            .chain(self.tag_only.iter().map(|t| t.tag.clone()))
            .collect();
        tags.sort();
        tags.dedup();
        tags
    }

    /// Why `delete` will not carry the plan out, if it will not: it would
    /// leave an index pointing at nothing, or may (the plan could not read
    /// everything), and breaking one was not allowed.
    pub fn refusal(&self) -> Option<String> {
        if self.break_indexes || self.tag_only.is_some() {
            return None;
        }
        if self.listed_by.is_empty() {
            return self.indexes_unknown.then(|| {
                "refusing to delete without knowing whether an index lists what goes: \
                 a tag of the repository, or an index one names, could not be read"
                    .to_owned()
            });
        }
        let names: Vec<String> = self.listed_by.iter().map(index_name).collect();
        Some(format!(
            "refusing to delete a manifest that {} {} lists: {} would point at nothing",
            if names.len() == 1 {
                "the index"
            } else {
                "the indexes"
            },
            names.join(", "),
            if names.len() == 1 { "it" } else { "they" },
        ))
    }
}

/// How an index is named to a person: its tags, or its digest.
pub fn index_name(index: &ListingIndex) -> String {
    if index.tags.is_empty() {
        index.digest.to_string()
    } else {
        format!("{} ({})", index.tags.join(", "), index.digest.short())
    }
}
