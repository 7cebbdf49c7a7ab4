//! The walk of one discovery, level by level: the first level lists the
//! subject's and its platforms' attachments, each further level fetches the
//! listed nodes' manifests beside their own listings.

use std::collections::HashSet;

use futures_util::future::join;
use futures_util::stream;
use futures_util::{FutureExt, StreamExt};

use super::Listing;
use super::arena::{Parent, Pending, Placed, enqueue};
use crate::graph::Unfetched;
use crate::graph::node::{NodeContext, fetch_node, is_wanted, list_candidates};
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::Store;

/// What every level of one discovery shares.
pub(super) struct Walk<'a> {
    pub(super) store: &'a dyn Store,
    pub(super) repository: &'a str,
    pub(super) context: NodeContext<'a>,
    pub(super) concurrency: usize,
}

impl Walk<'_> {
    /// Level 1: the subject's and its platforms' own attachments, listed in
    /// parallel (the subject's may have been listed already, beside its
    /// manifest's fetch), the subject's first; and whether each platform's
    /// manifest is there at all (an index whose platform was deleted behind
    /// its back points at nothing).
    pub(super) async fn first_level(
        &self,
        subject: &Descriptor,
        subject_listing: Option<Listing>,
        platforms: &[Descriptor],
        manifest: &Manifest,
        subject_index: Option<&Manifest>,
    ) -> Vec<(Parent, Digest, Listing, Option<Unfetched>)> {
        let mut done = Vec::new();
        let mut roots = Vec::new();
        match subject_listing {
            Some(listed) => done.push((Parent::Subject, subject.digest.clone(), listed, None)),
            None => roots.push((Parent::Subject, subject.digest.clone())),
        }
        // Collected first: a stream over borrowing iterators would make
        // this future fail rustc's higher-ranked `Send` check.
        roots.extend(
            platforms
                .iter()
                .enumerate()
                .map(|(i, platform)| (Parent::Platform(i), platform.digest.clone())),
        );
        let listed: Vec<_> = stream::iter(roots)
            .map(|(parent, digest)| {
                let mut context = self.context;
                context.parent_index = match parent {
                    Parent::Platform(_) => Some(manifest),
                    _ => subject_index,
                };
                async move {
                    let listing = list_candidates(self.store, self.repository, &digest, context);
                    let (listed, unfetched) = match parent {
                        Parent::Platform(_) => {
                            let reference = digest.to_string();
                            let fetched = self.store.fetch_manifest(self.repository, &reference);
                            let (listed, fetched) = join(listing, fetched).await;
                            (listed, fetched.err().map(|e| Unfetched::from_error(&e)))
                        }
                        _ => (listing.await, None),
                    };
                    (parent, digest, listed, unfetched)
                }
            })
            .buffered(self.concurrency)
            .collect()
            .await;
        done.extend(listed);
        done
    }

    /// Each further level: fetch every listed node's manifest and, at the
    /// same time, list that node's own attachments.
    pub(super) async fn deeper_levels(
        &self,
        mut pending: Vec<Pending>,
        seen: &mut HashSet<Digest>,
        warnings: &mut Vec<String>,
        max_depth: Option<usize>,
    ) -> Vec<Placed> {
        let mut arena: Vec<Placed> = Vec::new();
        let mut depth = 0;
        while !pending.is_empty() {
            depth += 1;
            let at_limit = max_depth.is_some_and(|max| depth >= max);
            let results = self.fetch_level(pending, at_limit).await;
            let mut next = Vec::new();
            for (parent, mut node, children) in results {
                if !is_wanted(self.context, &node) {
                    continue;
                }
                node.depth_limited = at_limit;
                let index = arena.len();
                // A node whose manifest could not be read is shown, not expanded.
                match children {
                    Some(Ok((candidates, listing_warnings))) if node.manifest.is_some() => {
                        warnings.extend(listing_warnings);
                        let digest = node.digest().clone();
                        enqueue(
                            &mut next,
                            seen,
                            warnings,
                            Parent::Node(index),
                            &digest,
                            candidates,
                        );
                    }
                    Some(Err(error)) if node.manifest.is_some() => {
                        node.warnings.push(format!("referrers not listed: {error}"));
                    }
                    _ => {}
                }
                arena.push(Placed { parent, node });
            }
            pending = next;
        }
        arena
    }

    /// One level's manifests fetched, each beside its own listing (none at
    /// the depth limit).
    async fn fetch_level(
        &self,
        pending: Vec<Pending>,
        at_limit: bool,
    ) -> Vec<(Parent, crate::graph::GraphNode, Option<Listing>)> {
        stream::iter(pending)
            .map(
                |Pending {
                     parent,
                     subject,
                     candidate,
                 }| async move {
                    let digest = candidate.digest().clone();
                    let children = async {
                        if at_limit {
                            None
                        } else {
                            Some(
                                list_candidates(self.store, self.repository, &digest, self.context)
                                    .await,
                            )
                        }
                    };
                    let node = fetch_node(self.store, self.repository, &subject, candidate).boxed();
                    let (node, children) = join(node, children).await;
                    (parent, node, children)
                },
            )
            .buffered(self.concurrency)
            .collect()
            .await
    }
}
