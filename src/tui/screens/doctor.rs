//! The doctor's report as a screen: `D` on the registry row (or inside a
//! repository, reading that repository) runs `doctor::run` in the runner,
//! read-only as `regscope doctor` runs without `--write`, and the checks
//! arrive as one `Msg::Doctor`. Each check is a row of the shared list
//! (outcome, id, summary); Enter unfolds what it asks, what it found and
//! its evidence (`rows`, written once when the report arrives). A key runs
//! it again; another runs it with the checks that write, once the user
//! said yes (`keys`). `draw` lays it out; `task` is what the runner runs.
//! The graph opens it (`app::doctor_open`); `app::doctor_tests` test it.

mod draw;
mod keys;
mod rows;
mod task;

use std::collections::BTreeSet;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::text::Line;

pub use rows::CheckRow;
pub use task::DoctorTask;

use crate::doctor::Report;
use crate::store::ReferrersSupport;
use crate::tui::keymap::Mode;
use crate::tui::list::ListView;
use crate::tui::message::{Effect, Msg};
use crate::tui::screen::{Areas, Cx, DrawCx, Screen};

/// One run the screen asks the runner for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoctorRun {
    /// The screen it is for.
    pub id: u64,
    /// Which of its runs: the answer of a run superseded is dropped.
    pub run: u64,
    /// The repository to read; `None`: the catalog's first.
    pub repository: Option<String>,
    /// Push into a scratch repository (`regscope-doctor/<random>`) and
    /// delete again, as `regscope doctor --write`.
    pub write: bool,
    /// What the checks that write say when not run: the key that runs
    /// them, not the CLI's flag.
    pub writes_not_asked: String,
}

/// What the runner reports: the report, or why there is none.
#[derive(Debug)]
pub struct DoctorMsg {
    pub id: u64,
    pub run: u64,
    /// What the registry's referrers mode is now known to be.
    pub support: ReferrersSupport,
    pub result: Result<Box<Report>, String>,
}

/// What a doctor's report taught about the registry's referrers, for the
/// session (the registry row and the status bar show it).
pub fn learned_support(msg: &Msg) -> Option<ReferrersSupport> {
    match msg {
        Msg::Doctor(DoctorMsg { support, .. }) if *support != ReferrersSupport::NotYetKnown => {
            Some(*support)
        }
        _ => None,
    }
}

#[derive(Debug, Clone)]
pub struct DoctorScreen {
    pub id: u64,
    /// The registry as the session names it.
    pub registry: String,
    /// The repository read, if one was chosen.
    pub repository: Option<String>,
    /// The latest run asked for.
    pub run: u64,
    /// Whether that run writes.
    pub write: bool,
    pub running: bool,
    /// The last report that arrived; kept while a new run goes.
    pub report: Option<Report>,
    /// Why the last run gave no report.
    pub error: Option<String>,
    /// The report's checks, as the rows show them.
    pub rows: Vec<CheckRow>,
    pub list: ListView,
    /// Rows (indices into `rows`) whose detail shows.
    pub unfolded: BTreeSet<usize>,
    pub filter: String,
    pub filtering: bool,
    /// The question before a run that writes is on the bottom line.
    pub asking_write: bool,
    /// The last thing said on the screen (cancelled, already running).
    pub note: Option<String>,
    /// Rows a page key moves.
    pub page: usize,
    /// The key that runs the checks that write, for the ones skipped.
    write_key: String,
}

impl DoctorScreen {
    /// The screen `id` for `registry` (reading `repository`), with the
    /// read-only run it starts with; `write_key` runs the checks that
    /// write (the key map's).
    pub fn open(
        id: u64,
        (registry, repository): (String, Option<String>),
        page: usize,
        write_key: String,
    ) -> (DoctorScreen, Effect) {
        let mut screen = DoctorScreen {
            id,
            registry,
            repository,
            run: 0,
            write: false,
            running: false,
            report: None,
            error: None,
            rows: Vec::new(),
            list: ListView::default(),
            unfolded: BTreeSet::new(),
            filter: String::new(),
            filtering: false,
            asking_write: false,
            note: None,
            page,
            write_key,
        };
        let effect = screen.start(false);
        (screen, effect)
    }

    /// Starts a new run; the report shown stays until its answer comes.
    fn start(&mut self, write: bool) -> Effect {
        self.run += 1;
        self.write = write;
        self.running = true;
        self.error = None;
        self.note = None;
        Effect::Doctor(DoctorRun {
            id: self.id,
            run: self.run,
            // A run that writes pushes into a scratch repository of its
            // own, never into the user's.
            repository: if write { None } else { self.repository.clone() },
            write,
            writes_not_asked: format!("not tried: press {} to try writes", self.write_key),
        })
    }

    /// Shows `report`: its rows written once, the selection kept on the
    /// same check, the filter applied again.
    pub fn show(&mut self, report: Report) {
        let selected = self.selected_row().map(|row| row.id);
        let unfolded: Vec<_> = self.unfolded.iter().map(|&i| self.rows[i].id).collect();
        self.rows = rows::rows_of(&report);
        self.list = ListView::default();
        for row in &self.rows {
            self.list.push(&row.haystack());
        }
        self.list.set_filter(&self.filter);
        self.unfolded = (0..self.rows.len())
            .filter(|&i| unfolded.contains(&self.rows[i].id))
            .collect();
        if let Some(position) = selected.and_then(|id| {
            let index = self.rows.iter().position(|row| row.id == id)?;
            self.list.shown().iter().position(|&i| i as usize == index)
        }) {
            for _ in 0..position {
                self.list.apply(crate::tui::keymap::Action::Down, self.page);
            }
        }
        self.report = Some(report);
    }

    pub fn selected_row(&self) -> Option<&CheckRow> {
        self.list.selected_item().and_then(|i| self.rows.get(i))
    }

    fn on_report(&mut self, msg: DoctorMsg) {
        if msg.run != self.run {
            return;
        }
        self.running = false;
        match msg.result {
            Ok(report) => self.show(*report),
            Err(error) => self.error = Some(error),
        }
    }
}

impl Screen for DoctorScreen {
    fn mode(&self) -> Mode {
        Mode::Doctor
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        self.on_doctor_key(key, cx);
    }

    fn on_msg(&mut self, msg: Msg, _cx: &mut Cx<'_>) -> Option<Msg> {
        match msg {
            Msg::Doctor(report) if report.id == self.id => {
                self.on_report(report);
                None
            }
            other => Some(other),
        }
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
