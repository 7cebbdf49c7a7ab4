//! Judging an unpacked directory's symlinks without following one on
//! disk. Each link's text is checked as it arrives (no absolute target, no
//! climbing above the directory from where it stands), but a chain can
//! leave although every link alone stays inside (`x/s -> ..`, then
//! `t -> x/s/../..`). So the archive's tree is kept in memory (what it
//! made at each name) and, once every entry is in, each link is resolved
//! through that tree as the kernel would, hop by hop: one that climbs out
//! fails the unpack. Nothing on disk passes through a link meanwhile (every
//! write refuses symlinks on its way), so judging at the end is in time.

use std::collections::{HashMap, VecDeque};
use std::ffi::{OsStr, OsString};
use std::path::{Component, Path, PathBuf};

use crate::ops::OpError;

/// Links followed while resolving one link, as Linux's `MAXSYMLINKS`.
const MAX_HOPS: usize = 40;
/// Path components stepped through while judging all links: a hostile
/// archive of 100 000 long links must not make judging the slow part.
const MAX_STEPS: usize = 10_000_000;

enum Made {
    Dir(HashMap<OsString, usize>),
    File,
    Symlink(PathBuf),
}

struct Node {
    parent: usize,
    made: Made,
}

/// What the archive made where, below its root (node 0).
pub(super) struct Tree {
    nodes: Vec<Node>,
    /// Each link made, by entry name, and its node.
    links: Vec<(String, usize)>,
}

impl Default for Tree {
    fn default() -> Tree {
        Tree {
            nodes: vec![Node {
                parent: 0,
                made: Made::Dir(HashMap::new()),
            }],
            links: Vec::new(),
        }
    }
}

impl Tree {
    /// Records a directory (and the directories on the way).
    pub(super) fn dir(&mut self, relative: &Path) {
        self.put(relative, || Made::Dir(HashMap::new()), false);
    }

    /// Records a file or hard link at `relative`.
    pub(super) fn file(&mut self, relative: &Path) {
        self.put(relative, || Made::File, true);
    }

    /// Records the link `name` made at `relative`, pointing to `target`.
    pub(super) fn symlink(&mut self, name: &str, relative: &Path, target: &str) {
        let node = self.put(relative, || Made::Symlink(PathBuf::from(target)), true);
        self.links.push((name.to_owned(), node));
    }

    /// Fails for the first link whose resolution leaves the root, loops or
    /// runs too long to judge.
    pub(super) fn judge(&self) -> Result<(), OpError> {
        let mut budget = MAX_STEPS;
        for (name, node) in &self.links {
            // A link replaced by a later entry is no longer a link.
            let Made::Symlink(target) = &self.nodes[*node].made else {
                continue;
            };
            self.resolve(self.nodes[*node].parent, target, &mut budget)
                .map_err(|why| OpError::unsafe_path(name, why))?;
        }
        Ok(())
    }

    /// Walks `target` from directory node `from`. Past a name the archive
    /// did not make (or through a file), the rest is judged by its text.
    fn resolve(&self, from: usize, target: &Path, budget: &mut usize) -> Result<(), &'static str> {
        let mut pending: VecDeque<Component<'_>> = target.components().collect();
        let mut at = from;
        // Levels below `at` reached through names the archive did not make.
        let mut unmade = 0usize;
        let mut hops = 0;
        while let Some(component) = pending.pop_front() {
            *budget = budget
                .checked_sub(1)
                .ok_or("too many symlink steps to judge")?;
            match component {
                Component::CurDir => {}
                Component::ParentDir if unmade > 0 => unmade -= 1,
                Component::ParentDir if at == 0 => {
                    return Err("a chain of symlinks leaves the directory");
                }
                Component::ParentDir => at = self.nodes[at].parent,
                Component::Normal(_) if unmade > 0 => unmade += 1,
                Component::Normal(name) => {
                    match self.child(at, name).map(|n| (n, &self.nodes[n].made)) {
                        Some((child, Made::Dir(_))) => at = child,
                        Some((_, Made::Symlink(next))) => {
                            hops += 1;
                            if hops > MAX_HOPS {
                                return Err("a loop of symlinks, or a chain too long to judge");
                            }
                            for part in next.components().rev() {
                                pending.push_front(part);
                            }
                        }
                        Some((_, Made::File)) | None => unmade = 1,
                    }
                }
                Component::RootDir | Component::Prefix(_) => return Err("absolute symlink"),
            }
        }
        Ok(())
    }

    fn child(&self, dir: usize, name: &OsStr) -> Option<usize> {
        match &self.nodes[dir].made {
            Made::Dir(children) => children.get(name).copied(),
            _ => None,
        }
    }

    /// The node at `relative`, made what `made` says when `replace` or when
    /// new; directories on the way are made as directories.
    fn put(&mut self, relative: &Path, made: impl Fn() -> Made, replace: bool) -> usize {
        let mut at = 0;
        let mut names = relative.iter().peekable();
        while let Some(name) = names.next() {
            let last = names.peek().is_none();
            let existing = self.child(at, name);
            at = match existing {
                Some(node) if last && replace => {
                    self.nodes[node].made = made();
                    node
                }
                Some(node) if matches!(self.nodes[node].made, Made::Dir(_)) || last => node,
                // The disk refused to go through this (a file or link on
                // the way): the entry was never written.
                Some(node) => return node,
                None => {
                    let node = self.nodes.len();
                    let kind = if last {
                        made()
                    } else {
                        Made::Dir(HashMap::new())
                    };
                    self.nodes.push(Node {
                        parent: at,
                        made: kind,
                    });
                    if let Made::Dir(children) = &mut self.nodes[at].made {
                        children.insert(name.to_owned(), node);
                    }
                    node
                }
            };
        }
        at
    }
}

/// A symlink's target, resolved lexically from the link's directory, must
/// stay inside the unpacked directory.
pub(super) fn check_symlink_target(
    raw_name: &str,
    relative: &Path,
    link: &str,
) -> Result<(), OpError> {
    let leaves = || {
        OpError::unsafe_path(
            raw_name,
            format!("symlink to {link:?} leaves the directory"),
        )
    };
    if link.is_empty() || link.starts_with('/') || link.contains(['\\', '\0']) {
        return Err(leaves());
    }
    let mut depth = relative.parent().map_or(0, |p| p.components().count());
    for component in Path::new(link).components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => depth = depth.checked_sub(1).ok_or_else(leaves)?,
            Component::RootDir | Component::Prefix(_) => {
                return Err(OpError::unsafe_path(raw_name, "absolute symlink"));
            }
        }
    }
    Ok(())
}
