//! Progress for the CLI, always on stderr (stdout carries results a script
//! may parse). On a terminal each transfer gets a live byte bar that
//! disappears when it is done, leaving one line; elsewhere (a pipe, a CI
//! log) one plain line per step. `--quiet` leaves only warnings. Each
//! transfer line names its blob once: what it is (a file name, `layer`,
//! `config`), its short digest and its size.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::interrupt::cancel_on_interrupt;
use crate::oci::Digest;
use crate::ops::{CancellationToken, Progress, ProgressSink};
use crate::text::escape_control;

/// How the CLI talks to the person running it, decided once per run.
#[derive(Debug, Clone, Copy)]
pub struct Reporter {
    quiet: bool,
    bars: bool,
}

impl Reporter {
    /// Bars only when stderr is a terminal that can redraw a line.
    pub fn new(quiet: bool) -> Reporter {
        let dumb = std::env::var_os("TERM").is_some_and(|term| term == "dumb");
        Reporter {
            quiet,
            bars: !quiet && !dumb && std::io::stderr().is_terminal(),
        }
    }

    pub fn is_quiet(self) -> bool {
        self.quiet
    }

    /// A line about what happened ("Copied 3 manifests…"); `--quiet` drops it.
    pub fn info(self, line: &str) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr(), "{line}");
        }
    }

    /// A warning of the command's own, shown even with `--quiet`.
    pub fn warn(self, line: &str) {
        let _ = writeln!(std::io::stderr(), "warning: {line}");
    }

    /// Runs `operation` with its progress shown, and with Ctrl-C cancelling
    /// `cancel`; returns once every line is out, so the result prints after
    /// them.
    pub async fn with_progress<T, F, Fut>(self, cancel: &CancellationToken, operation: F) -> T
    where
        F: FnOnce(ProgressSink) -> Fut,
        Fut: Future<Output = T>,
    {
        let _interrupt = cancel_on_interrupt(cancel.clone());
        let (sink, events) = unbounded_channel();
        let printer = tokio::spawn(show(events, self));
        // The future owns the sink: when it ends the printer sees the end.
        let result = operation(sink).await;
        let _ = printer.await;
        result
    }
}

async fn show(mut events: UnboundedReceiver<Progress>, reporter: Reporter) {
    let mut screen = Screen::new(reporter);
    while let Some(event) = events.recv().await {
        screen.event(event);
    }
    screen.clear();
}

/// The bars in flight (keyed by digest: a blob is moved once at a time)
/// and where lines go.
struct Screen {
    reporter: Reporter,
    multi: Option<MultiProgress>,
    bars: HashMap<Digest, ProgressBar>,
}

impl Screen {
    fn new(reporter: Reporter) -> Screen {
        let multi = reporter
            .bars
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr_with_hz(10)));
        Screen {
            reporter,
            multi,
            bars: HashMap::new(),
        }
    }

    fn event(&mut self, event: Progress) {
        match event {
            Progress::Started {
                digest,
                what,
                total,
            } => {
                if let Some(multi) = &self.multi {
                    let bar = multi.add(ProgressBar::new(total));
                    bar.set_style(bar_style());
                    bar.set_prefix(digest.short().to_string());
                    bar.set_message(escape_control(&what).into_owned());
                    bar.enable_steady_tick(Duration::from_millis(200));
                    self.bars.insert(digest, bar);
                } else {
                    self.line(format!(
                        "Transferring {} {} ({})",
                        escape_control(&what),
                        digest.short(),
                        size(total)
                    ));
                }
            }
            Progress::Bytes { digest, done } => {
                if let Some(bar) = self.bars.get(&digest) {
                    bar.set_position(done);
                }
            }
            Progress::Finished { digest, what } => {
                if let Some(bar) = self.bars.remove(&digest) {
                    bar.finish_and_clear();
                }
                self.line(format!(
                    "Done         {} {}",
                    escape_control(&what),
                    digest.short()
                ));
            }
            Progress::Skipped {
                digest,
                what,
                reason,
            } => {
                if let Some(bar) = self.bars.remove(&digest) {
                    bar.finish_and_clear();
                }
                self.line(format!(
                    "Skipped      {} {} ({})",
                    escape_control(&what),
                    digest.short(),
                    escape_control(&reason)
                ));
            }
            Progress::Note(note) => self.line(escape_control(&note).into_owned()),
            Progress::Warning(warning) => {
                self.warning(format!("warning: {}", escape_control(&warning)))
            }
        }
    }

    fn line(&self, line: String) {
        if !self.reporter.quiet {
            self.print(line);
        }
    }

    fn warning(&self, line: String) {
        self.print(line);
    }

    /// Above the bars on a terminal, so they are not torn.
    fn print(&self, line: String) {
        match &self.multi {
            Some(multi) => {
                let _ = multi.println(line);
            }
            None => {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
        }
    }

    /// Bars of transfers that never finished (an error, Ctrl-C) go, so the
    /// error that follows is the last thing on screen.
    fn clear(&mut self) {
        for (_, bar) in self.bars.drain() {
            bar.finish_and_clear();
        }
        if let Some(multi) = &self.multi {
            let _ = multi.clear();
        }
    }
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{prefix:.dim} {wide_msg} {bar:24.cyan/blue} {binary_bytes:>10}/{binary_total_bytes:<10} {binary_bytes_per_sec:>12}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("━╸ ")
}

/// Bytes as a person reads them.
pub fn size(bytes: u64) -> String {
    crate::text::human_size(bytes)
}
