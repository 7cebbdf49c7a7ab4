//! The audit table: a key on a repository (or on the registry, for all its
//! repositories) runs `audit::audit` in the runner; rows arrive one by one
//! as `Msg::Audit` and fill the table while the rest is looked up. The
//! table sorts (`s`), filters (`/`), opens the selected image's graph
//! (Enter) and cancels or closes with Esc. Drawing never waits: the table
//! is state like any other.

use std::sync::atomic::{AtomicU64, Ordering};

use crossterm::event::{KeyCode, KeyEvent};

use super::App;
use crate::audit::{AuditEvent, AuditTarget, ImageAudit, Summary};
use crate::tui::message::Effect;
use crate::tui::tree::NodeKind;

static NEXT_AUDIT: AtomicU64 = AtomicU64::new(1);

/// How the table is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditSort {
    Tags,
    /// Unsigned first: what needs attention on top.
    Signed,
    Sbom,
    /// Newest attachment first.
    Newest,
}

impl AuditSort {
    fn next(self) -> AuditSort {
        match self {
            AuditSort::Tags => AuditSort::Signed,
            AuditSort::Signed => AuditSort::Sbom,
            AuditSort::Sbom => AuditSort::Newest,
            AuditSort::Newest => AuditSort::Tags,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AuditSort::Tags => "tags",
            AuditSort::Signed => "unsigned first",
            AuditSort::Sbom => "without SBOM first",
            AuditSort::Newest => "newest attachment first",
        }
    }
}

/// What the runner reports about an audit.
#[derive(Debug)]
pub enum AuditMsg {
    Event(u64, AuditEvent),
    /// It ended: `Err` says why (cancelled, the listing failed).
    Done(u64, Result<(), String>),
}

#[derive(Debug, Clone)]
pub struct AuditTable {
    pub id: u64,
    /// What is audited: `repo`, or the registry's name.
    pub title: String,
    pub rows: Vec<ImageAudit>,
    /// Rows announced so far (tags grouped by digest).
    pub planned: usize,
    pub running: bool,
    pub outcome: Option<String>,
    pub warnings: Vec<String>,
    pub selected: usize,
    pub sort: AuditSort,
    pub filter: String,
    pub filtering: bool,
}

impl AuditTable {
    /// The rows shown: filtered by tag, digest or repository, then sorted.
    pub fn visible(&self) -> Vec<&ImageAudit> {
        let needle = self.filter.to_ascii_lowercase();
        let mut rows: Vec<&ImageAudit> = self
            .rows
            .iter()
            .filter(|row| {
                needle.is_empty()
                    || row.digest.to_string().contains(&needle)
                    || row.repository.to_ascii_lowercase().contains(&needle)
                    || row
                        .tags
                        .iter()
                        .any(|t| t.to_ascii_lowercase().contains(&needle))
            })
            .collect();
        let by_tags = |row: &ImageAudit| (row.repository.clone(), row.tags.first().cloned());
        match self.sort {
            AuditSort::Tags => rows.sort_by_key(|r| by_tags(r)),
            AuditSort::Signed => rows.sort_by_key(|r| (r.signed(), by_tags(r))),
            AuditSort::Sbom => rows.sort_by_key(|r| (!r.sbom.digests.is_empty(), by_tags(r))),
            AuditSort::Newest => {
                rows.sort_by_key(|r| (std::cmp::Reverse(r.newest.clone()), by_tags(r)));
            }
        }
        rows
    }

    pub fn summary(&self) -> Summary {
        Summary::of(&self.rows)
    }
}

impl App {
    /// Opens the audit of the selected repository (or of the registry).
    pub(super) fn start_audit(&mut self) -> Vec<Effect> {
        let (target, title) = match self.selected_node().map(|n| &n.kind) {
            Some(NodeKind::Repository { name }) => {
                (AuditTarget::Repository(name.clone()), name.clone())
            }
            Some(NodeKind::Registry) | None => {
                (AuditTarget::Registry, self.session.store_name.clone())
            }
            Some(_) => match self.selected_node().and_then(|n| n.repository()) {
                Some(repository) => (
                    AuditTarget::Repository(repository.to_owned()),
                    repository.to_owned(),
                ),
                None => (AuditTarget::Registry, self.session.store_name.clone()),
            },
        };
        let repository = match &target {
            AuditTarget::Repository(name) => Some(name.as_str()),
            AuditTarget::Registry => None,
        };
        let trust = self.config.trust(&self.session.registry, repository);
        let id = NEXT_AUDIT.fetch_add(1, Ordering::Relaxed);
        self.audit = Some(AuditTable {
            id,
            title,
            rows: Vec::new(),
            planned: 0,
            running: true,
            outcome: None,
            warnings: trust.warnings.clone(),
            selected: 0,
            sort: AuditSort::Tags,
            filter: String::new(),
            filtering: false,
        });
        vec![Effect::Audit { id, target, trust }]
    }

    pub(super) fn on_audit_msg(&mut self, msg: AuditMsg) {
        if let AuditMsg::Event(_, AuditEvent::Row(row)) = &msg {
            for signature in &row.signatures {
                self.verdicts
                    .insert(signature.digest.clone(), signature.verification.clone());
            }
        }
        let Some(table) = &mut self.audit else {
            return;
        };
        match msg {
            AuditMsg::Event(id, event) if id == table.id => match event {
                AuditEvent::Planned { images, .. } => table.planned += images,
                AuditEvent::Row(row) => table.rows.push(*row),
                AuditEvent::Warning(warning) => table.warnings.push(warning),
            },
            AuditMsg::Done(id, result) if id == table.id => {
                table.running = false;
                table.outcome = result.err();
            }
            _ => {}
        }
    }

    pub(super) fn on_audit_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(table) = &mut self.audit else {
            return Vec::new();
        };
        if table.filtering {
            match key.code {
                KeyCode::Enter | KeyCode::Esc => table.filtering = false,
                KeyCode::Backspace => {
                    table.filter.pop();
                }
                KeyCode::Char(c) => table.filter.push(c),
                _ => {}
            }
            table.selected = 0;
            return Vec::new();
        }
        let count = table.visible().len();
        match key.code {
            KeyCode::Esc if table.running => {
                table.running = false;
                table.outcome = Some("cancelled".to_owned());
                return vec![Effect::CancelAudit];
            }
            KeyCode::Esc | KeyCode::Char('q') => {
                let running = table.running;
                self.audit = None;
                return if running {
                    vec![Effect::CancelAudit]
                } else {
                    Vec::new()
                };
            }
            KeyCode::Up | KeyCode::Char('k') => table.selected = table.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                table.selected = (table.selected + 1).min(count.saturating_sub(1));
            }
            KeyCode::Home => table.selected = 0,
            KeyCode::End | KeyCode::Char('G') => table.selected = count.saturating_sub(1),
            KeyCode::Char('s') => {
                table.sort = table.sort.next();
                table.selected = 0;
            }
            KeyCode::Char('/') => {
                table.filtering = true;
                table.filter.clear();
            }
            KeyCode::Enter => {
                let Some(row) = table.visible().get(table.selected).copied() else {
                    return Vec::new();
                };
                let (repository, digest) = (row.repository.clone(), row.digest.to_string());
                let running = table.running;
                self.audit = None;
                let mut effects = if running {
                    vec![Effect::CancelAudit]
                } else {
                    Vec::new()
                };
                effects.extend(self.go_to(&repository, &digest));
                return effects;
            }
            _ => {}
        }
        Vec::new()
    }
}
