//! The audit table as a screen: `A` on a repository (or on the registry,
//! for all its repositories) runs `audit::audit` in the runner; rows
//! arrive one by one as `Msg::Audit` and fill the table while the rest is
//! looked up. Each row's cells are written once, when it arrives
//! (`rows`), the list component keeps them sorted and filtered, and a
//! frame fits them to the width (`draw`). Its keys are the key map's
//! (`Mode::Audit` before the shared list keys): sort, filter, go to the
//! image's row in the graph, cancel or close.

mod draw;
mod rows;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::text::Line;

pub use rows::{AUDIT_COLUMNS, AuditSort, AuditTable};

use crate::audit::AuditEvent;
use crate::tui::keymap::{Action, Mode};
use crate::tui::message::{Effect, Msg, Notice};
use crate::tui::screen::{Areas, Ask, Cx, DrawCx, ListKey, Screen};

/// What the runner reports about an audit.
#[derive(Debug)]
pub enum AuditMsg {
    Event(u64, AuditEvent),
    /// It ended: `Err` says why (cancelled, the listing failed).
    Done(u64, Result<(), String>),
}

impl AuditTable {
    /// A table for the audit `id` of `title`, filled by its reports, its
    /// pages `page` rows.
    pub fn open(id: u64, title: String, page: usize) -> AuditTable {
        let mut table = AuditTable::new(id, title);
        table.page = page;
        table
    }

    /// Enter on a row: the image's row in the graph, by its first tag (the
    /// row the repository already lists), else by its digest.
    fn go_to_image(&mut self, cx: &mut Cx<'_>) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let repository = row.repository.clone();
        let reference = row
            .tags
            .first()
            .cloned()
            .unwrap_or_else(|| row.digest.to_string());
        if self.running {
            cx.effect(Effect::CancelAudit);
        }
        cx.ask(Ask::Close);
        cx.ask(Ask::Tell(Notice::GoTo {
            repository,
            reference: Some(reference),
        }));
    }
}

impl Screen for AuditTable {
    fn mode(&self) -> Mode {
        Mode::Audit
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        let table = &mut *self;
        let filter = (&mut table.filter, &mut table.filtering);
        let action = match cx.list_key(key, Mode::Audit, filter) {
            ListKey::Action(action) => action,
            ListKey::Filtered => return table.list.set_filter(&table.filter),
            ListKey::Answered => return,
        };
        match action {
            Action::Close if table.running => {
                table.running = false;
                table.outcome = Some("cancelled".to_owned());
                cx.effect(Effect::CancelAudit);
            }
            Action::Close => cx.ask(Ask::Close),
            Action::Sort => {
                table.sort = table.sort.next();
                table.sort_rows();
            }
            Action::GoToImage => table.go_to_image(cx),
            other => {
                let page = table.page;
                table.list.apply(other, page);
            }
        }
    }

    fn on_msg(&mut self, msg: Msg, _cx: &mut Cx<'_>) -> Option<Msg> {
        let table = &mut *self;
        match msg {
            Msg::Audit(AuditMsg::Event(id, event)) if id == table.id => match event {
                AuditEvent::Planned { images, .. } => table.planned += images,
                AuditEvent::Row(row) => table.add(*row),
                AuditEvent::Warning(warning) => table.warnings.push(warning),
            },
            Msg::Audit(AuditMsg::Done(id, result)) if id == table.id => {
                table.running = false;
                table.outcome = result.err();
            }
            other => return Some(other),
        }
        None
    }

    fn is_animating(&self) -> bool {
        self.running
    }

    fn draw(&self, areas: &Areas, buf: &mut Buffer, cx: &DrawCx<'_>) {
        draw::draw(self, areas.panes(), buf, cx);
    }

    fn footer(&self, cx: &DrawCx<'_>) -> Option<Line<'static>> {
        Some(draw::footer_line(self, cx))
    }
}
