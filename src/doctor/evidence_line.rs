//! One request of a check as a person reads it, the same in the CLI's
//! table and the TUI's unfolded check.

use std::fmt::Write as _;

use super::Evidence;
use crate::text::escape_control;

impl Evidence {
    /// `GET /v2/ → 200, header: value, 2 bytes (note)`, with what the
    /// registry sent escaped (a header can carry terminal controls).
    pub fn line(&self) -> String {
        let mut line = format!("{} → ", escape_control(&self.request));
        match self.status {
            Some(status) => {
                let _ = write!(line, "{status}");
            }
            None => line.push_str("no answer"),
        }
        for (name, value) in &self.headers {
            let _ = write!(line, ", {name}: {}", escape_control(value));
        }
        if let Some(size) = self.body_size {
            let _ = write!(line, ", {size} bytes");
        }
        if let Some(note) = &self.note {
            let _ = write!(line, " ({})", escape_control(note));
        }
        line
    }
}
