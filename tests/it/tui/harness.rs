//! A terminal-less TUI on the demo: send keys, wait until the screen shows
//! something (or fail printing it), snapshot it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use regscope::store::Store;
use regscope::store::remote::ConnectOptions;
use regscope::tui::clipboard::Clipboard;
use regscope::tui::config::Config;
use regscope::tui::{Driver, Launch, Start, view};
use tempfile::TempDir;

const WAIT: Duration = Duration::from_secs(20);

pub struct Harness {
    pub driver: Driver,
    terminal: Terminal<TestBackend>,
    pub copied: Arc<Mutex<Vec<String>>>,
    _scratch: Option<TempDir>,
}

impl Harness {
    /// The demo, opened at `start`, in a `width`×`height` terminal.
    pub fn demo(start: Start, width: u16, height: u16) -> Harness {
        let (store, scratch) = regscope::demo::open_scratch().unwrap();
        Harness::with_store(Arc::new(store), Some(scratch), start, width, height)
    }

    /// The demo with more tags on `repository`'s `v1` (written to the
    /// scratch copy through the store, as a push would).
    pub async fn demo_with_tags(
        repository: &str,
        tags: &[&str],
        start: Start,
        width: u16,
        height: u16,
    ) -> Harness {
        let (store, scratch) = regscope::demo::open_scratch().unwrap();
        let manifest = store.fetch_manifest(repository, "v1").await.unwrap();
        for tag in tags {
            store
                .push_manifest(repository, &manifest, Some(tag))
                .await
                .unwrap();
        }
        Harness::with_store(Arc::new(store), Some(scratch), start, width, height)
    }

    /// Any store, e.g. a real registry on loopback.
    pub fn with_store(
        store: regscope::store::SharedStore,
        scratch: Option<TempDir>,
        start: Start,
        width: u16,
        height: u16,
    ) -> Harness {
        let connect = ConnectOptions::default();
        Harness::with_connect(store, connect, scratch, start, (width, height))
    }

    /// A store opened with `connect`, given to the app too, as `main`
    /// does (stores the session opens later use them: credentials).
    pub fn with_connect(
        store: regscope::store::SharedStore,
        connect: ConnectOptions,
        scratch: Option<TempDir>,
        start: Start,
        (width, height): (u16, u16),
    ) -> Harness {
        let copied = Arc::new(Mutex::new(Vec::new()));
        let launch = Launch {
            store,
            start,
            scratch_note: scratch
                .as_ref()
                .map(|_| "demo: writes go to a scratch copy".to_owned()),
            connect,
        };
        let driver = Driver::new(
            launch,
            Config::defaults(),
            Clipboard::Memory(Arc::clone(&copied)),
            None,
            Rect::new(0, 0, width, height),
        );
        Harness {
            driver,
            terminal: Terminal::new(TestBackend::new(width, height)).unwrap(),
            copied,
            _scratch: scratch,
        }
    }

    pub fn net_monitor() -> Harness {
        Harness::demo(Start::reference("net-monitor", "v1"), 120, 40)
    }

    pub fn key(&mut self, code: KeyCode) {
        self.driver.handle(super::app_support::key_msg(code));
    }

    /// `g`, the reference, Enter: as a person goes to a reference.
    pub fn go_to(&mut self, reference: &str) {
        self.key(KeyCode::Char('g'));
        self.type_text(reference);
        self.key(KeyCode::Enter);
    }

    /// Types each character as a key press.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// The screen as text, one line per row, trailing blanks trimmed.
    pub fn screen(&mut self) -> String {
        let app = &self.driver.app;
        self.terminal.draw(|frame| view::draw(frame, app)).unwrap();
        let buffer = self.terminal.backend().buffer();
        let area = buffer.area;
        let mut out = String::new();
        for y in 0..area.height {
            let mut line = String::new();
            for x in 0..area.width {
                line.push_str(buffer[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// The screen with its colours, as ANSI escapes (what `tmux
    /// capture-pane -e` gives), for `screenshots/render.py`.
    pub fn ansi(&mut self) -> String {
        let _ = self.screen();
        let buffer = self.terminal.backend().buffer();
        let area = buffer.area;
        let mut out = String::new();
        for y in 0..area.height {
            let mut last = None;
            for x in 0..area.width {
                let cell = &buffer[(x, y)];
                let style = (cell.fg, cell.bg, cell.modifier);
                if last != Some(style) {
                    out.push_str(&sgr(cell.fg, cell.bg, cell.modifier));
                    last = Some(style);
                }
                out.push_str(cell.symbol());
            }
            out.push_str("\x1b[0m\n");
        }
        out
    }

    /// Handles messages until `condition` holds on the screen; panics with
    /// the screen after the timeout.
    pub async fn wait_for(&mut self, what: &str, condition: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            self.driver.drain();
            let screen = self.screen();
            if condition(&screen) {
                return screen;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "timed out waiting for {what}; screen:\n{screen}"
            );
            if let Ok(Some(msg)) = tokio::time::timeout(left, self.driver.next()).await {
                self.driver.handle(msg);
            }
        }
    }

    /// `d` then `w` (the manifest's delete, not the tag's); returns the
    /// screen once the engine's plan shows `plan_says`.
    pub async fn whole_delete_planned(&mut self, plan_says: &str) -> String {
        self.key(KeyCode::Char('d'));
        self.key(KeyCode::Char('w'));
        self.wait_for("the engine's plan", |s| s.contains(plan_says))
            .await
    }

    /// Waits until no load is running, then returns the screen.
    pub async fn settle(&mut self) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            self.driver.drain();
            if !self.driver.app.is_animating() {
                return self.screen();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "still loading; screen:\n{}", self.screen());
            if let Ok(Some(msg)) = tokio::time::timeout(left, self.driver.next()).await {
                self.driver.handle(msg);
            }
        }
    }

    /// Moves the selection with arrow keys, as a person would, to the
    /// first visible row whose path ends with `id`.
    pub fn move_to(&mut self, id: &regscope::tui::tree::NodeId) {
        let rows = self.driver.app.graph().rows();
        let Some(target) = rows
            .iter()
            .position(|r| r.path.last().is_some_and(|last| last == id))
        else {
            panic!("no visible row {id}; screen:\n{}", self.screen());
        };
        for _ in 0..rows.len() {
            let rows = self.driver.app.graph().rows();
            let current = rows
                .iter()
                .position(|r| r.path == *self.driver.app.graph().tree.selected())
                .unwrap_or(0);
            if current == target {
                return;
            }
            self.key(if current < target {
                KeyCode::Down
            } else {
                KeyCode::Up
            });
        }
        panic!("could not reach {id}; screen:\n{}", self.screen());
    }
}

/// The escape that sets a cell's colours and weight.
fn sgr(
    fg: ratatui::style::Color,
    bg: ratatui::style::Color,
    modifier: ratatui::style::Modifier,
) -> String {
    use ratatui::style::{Color, Modifier};
    let colour = |colour: Color, base: u8| -> Option<String> {
        Some(match colour {
            Color::Reset => return None,
            Color::Rgb(r, g, b) => format!("{};2;{r};{g};{b}", base + 8),
            Color::Indexed(i) => format!("{};5;{i}", base + 8),
            named => {
                let index = [
                    Color::Black,
                    Color::Red,
                    Color::Green,
                    Color::Yellow,
                    Color::Blue,
                    Color::Magenta,
                    Color::Cyan,
                    Color::Gray,
                    Color::DarkGray,
                    Color::LightRed,
                    Color::LightGreen,
                    Color::LightYellow,
                    Color::LightBlue,
                    Color::LightMagenta,
                    Color::LightCyan,
                    Color::White,
                ]
                .iter()
                .position(|c| *c == named)?;
                let index = u8::try_from(index).ok()?;
                if index < 8 {
                    (base + index).to_string()
                } else {
                    (base + 60 + index - 8).to_string()
                }
            }
        })
    };
    let mut codes = vec!["0".to_owned()];
    if modifier.contains(Modifier::BOLD) {
        codes.push("1".to_owned());
    }
    if modifier.contains(Modifier::REVERSED) {
        codes.push("7".to_owned());
    }
    codes.extend(colour(fg, 30));
    codes.extend(colour(bg, 40));
    format!("\x1b[{}m", codes.join(";"))
}
