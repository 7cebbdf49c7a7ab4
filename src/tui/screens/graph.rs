//! The graph as a screen, at the bottom of the stack: the tree of
//! repositories, tags, manifests and what refers to them, and the detail
//! pane of the selection. It owns the tree, the selection, the scroll
//! offsets and the focus; it starts the loads of its nodes and applies
//! their results (`loading`, `children`, `jobs`), moves (`navigation`,
//! `jump`), filters (`filter`), and opens the other screens from its keys
//! (`keys`, `actions`, `audit_open`, `files_open`, `doctor_open`,
//! `vulns_open`, `diff_mark`). Its drawing is the
//! view's tree and detail panes (`view::AppView`).

mod actions;
mod audit_open;
mod children;
mod diff_mark;
mod doctor_open;
mod files_open;
mod filter;
mod jobs;
mod jump;
mod keys;
mod loading;
mod navigation;
mod vulns_open;

pub use diff_mark::mark_span;

use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use crate::tui::keymap::{Action, Mode};
use crate::tui::message::{Effect, Msg, NodePath, Notice};
use crate::tui::screen::{Areas, Ask, Cx, DrawCx, Screen};
use crate::tui::tree::{Node, NodeId, Row, Tree};
use crate::tui::view::{AppView, DetailPane, TreePane, footer, location};

/// Which pane keys go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Tree,
    Detail,
}

#[derive(Debug)]
pub struct Graph {
    /// The browsed tree: nodes, opened, selected, filters, pins.
    pub tree: Tree,
    pub tree_offset: usize,
    pub detail_scroll: u16,
    pub focus: Focus,
    /// Narrows the SBOM component list in the detail pane.
    pub detail_search: String,
    /// What the session's audits found of each signature, by its digest:
    /// the signature's detail pane shows it after the table is closed.
    pub verdicts: std::collections::HashMap<crate::oci::Digest, crate::audit::Verification>,
    /// The list the open `/` prompt filters.
    filtering: Option<NodePath>,
    /// Where the panes are, for paging and mouse hits.
    areas: Areas,
    next_generation: u64,
}

impl Graph {
    pub fn new() -> Graph {
        Graph {
            tree: Tree::new(),
            tree_offset: 0,
            detail_scroll: 0,
            focus: Focus::Tree,
            detail_search: String::new(),
            verdicts: std::collections::HashMap::new(),
            filtering: None,
            areas: Areas::default(),
            next_generation: 0,
        }
    }

    /// A fresh graph on another store, its loads numbered after `old`'s,
    /// so answers still queued from the old store match no job. The diff
    /// mark stays as it is: it names its store, so it shows on no row of
    /// another one, and on its row again when `g` comes back.
    pub fn after(old: &Graph) -> Graph {
        let mut graph = Graph {
            next_generation: old.next_generation,
            areas: old.areas,
            verdicts: old.verdicts.clone(),
            ..Graph::new()
        };
        graph.tree.diff_mark.clone_from(&old.tree.diff_mark);
        graph
    }

    /// The first effects: open the registry's repositories.
    pub fn start_registry(&mut self) -> Vec<Effect> {
        self.open_node(&Tree::root())
    }

    /// Opens one repository's tags, without listing the registry (many
    /// registries refuse `_catalog`).
    pub fn start_repository(&mut self, repository: &str, cx: &mut Cx<'_>) -> Vec<Effect> {
        let repo_path = self.pin_repository(repository);
        self.reveal(&repo_path, cx);
        self.tree.select(repo_path.clone());
        self.open_node(&repo_path)
    }

    /// The rows the tree shows, top to bottom.
    pub fn rows(&self) -> Vec<Row> {
        self.tree.rows()
    }

    pub fn node(&self, path: &[NodeId]) -> Option<&Node> {
        self.tree.node(path)
    }

    pub fn selected_node(&self) -> Option<&Node> {
        self.tree.selected_node()
    }

    /// What another screen or the router told the graph.
    fn on_notice(&mut self, notice: Notice, cx: &mut Cx<'_>) -> Result<Vec<Effect>, Notice> {
        Ok(match notice {
            Notice::GoTo {
                repository,
                reference: Some(reference),
            } => self.go_to(&repository, &reference, cx),
            Notice::GoTo {
                repository,
                reference: None,
            } => self.start_repository(&repository, cx),
            Notice::Reload(path) => self.reload(&path),
            Notice::Deleted {
                count,
                digests,
                repository,
                tags,
            } => {
                let digests = digests.into_iter().collect();
                let mut moved = self.tree.forget_digests(&digests);
                moved |= self.tree.forget_tags(&repository, &tags);
                let broken = self.tree.mark_dangling(&digests);
                self.after_forgetting(moved);
                let mut said = match (count, tags.as_slice()) {
                    (0, [tag]) => format!(
                        "deleted the tag {}; the manifest it named stays",
                        crate::text::escape_control(tag)
                    ),
                    _ => format!("deleted {}", crate::text::count(count, "manifest")),
                };
                match broken {
                    0 => {}
                    1 => said.push_str("; 1 index now points at nothing (marked)"),
                    n => said.push_str(&format!("; {n} indexes now point at nothing (marked)")),
                }
                cx.ask(Ask::Say(said));
                Vec::new()
            }
            Notice::Typed { prompt, text } => self.typed(prompt, text),
            other @ Notice::DeletePlanned { .. } => return Err(other),
        })
    }
}

impl Default for Graph {
    fn default() -> Self {
        Graph::new()
    }
}

impl Screen for Graph {
    fn mode(&self) -> Mode {
        Mode::Browse
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        if let Some(action) = cx.config.keymap.action_for(&key) {
            let effects = self.on_action(action, cx);
            cx.effects.extend(effects);
        }
    }

    fn on_mouse(&mut self, mouse: MouseEvent, cx: &mut Cx<'_>) {
        let effects = self.mouse(mouse, cx);
        cx.effects.extend(effects);
    }

    fn on_msg(&mut self, msg: Msg, cx: &mut Cx<'_>) -> Option<Msg> {
        let effects = match msg {
            Msg::Page { job, names } => {
                self.on_page(&job, names);
                Vec::new()
            }
            Msg::Loaded { job, result } => self.on_loaded(&job, result, cx),
            Msg::Vulns(collected) => {
                self.on_vulns_collected(collected);
                Vec::new()
            }
            Msg::Notice(notice) => match self.on_notice(notice, cx) {
                Ok(effects) => effects,
                Err(other) => return Some(Msg::Notice(other)),
            },
            other => return Some(other),
        };
        cx.effects.extend(effects);
        None
    }

    fn on_resize(&mut self, areas: Areas) {
        self.areas = areas;
        self.keep_selection_visible();
    }

    fn is_animating(&self) -> bool {
        self.loads() > 0
    }

    fn loads(&self) -> usize {
        self.tree
            .nodes()
            .map(|(_, n)| {
                [
                    &n.listing,
                    &n.manifest_slot,
                    &n.referrers_slot,
                    &n.preview_slot,
                ]
                .iter()
                .filter(|s| s.is_loading())
                .count()
            })
            .sum()
    }

    fn draw(&self, areas: &Areas, buf: &mut Buffer, cx: &DrawCx<'_>) {
        let app = AppView::new(self, cx);
        (&TreePane { app: &app }).render(areas.tree, buf);
        (&DetailPane { app: &app }).render(areas.detail, buf);
    }

    fn footer(&self, cx: &DrawCx<'_>) -> Option<Line<'static>> {
        Some(footer(
            cx.config,
            &[
                (Action::Help, "help"),
                (Action::Open, "open"),
                (Action::Filter, "filter"),
                (Action::GoTo, "go to"),
                (Action::CopyDigest, "copy digest"),
                (Action::SwitchPane, "pane"),
                (Action::Quit, "quit"),
            ],
        ))
    }

    fn location(&self, cx: &DrawCx<'_>) -> Option<String> {
        Some(location(&AppView::new(self, cx)))
    }
}
