//! The clipboard: the system clipboard through arboard when there is a
//! display, OSC 52 (the terminal sets its clipboard; works over ssh and
//! inside tmux with `set-clipboard on`) otherwise or when arboard fails.

use std::io::Write;
use std::sync::{Arc, Mutex};

use base64::Engine;

pub enum Clipboard {
    /// One arboard instance for the session (on X11 it must outlive the
    /// copy to keep serving it).
    System(arboard::Clipboard),
    Osc52,
    /// For tests: remembers what was copied.
    Memory(Arc<Mutex<Vec<String>>>),
}

impl std::fmt::Debug for Clipboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Clipboard::System(_) => "Clipboard::System",
            Clipboard::Osc52 => "Clipboard::Osc52",
            Clipboard::Memory(_) => "Clipboard::Memory",
        })
    }
}

impl Clipboard {
    /// The system clipboard where there is a local display, else OSC 52.
    pub fn detect() -> Clipboard {
        let remote =
            std::env::var_os("SSH_CONNECTION").is_some() || std::env::var_os("SSH_TTY").is_some();
        let display = cfg!(any(target_os = "macos", target_os = "windows"))
            || std::env::var_os("DISPLAY").is_some()
            || std::env::var_os("WAYLAND_DISPLAY").is_some();
        if remote || !display {
            return Clipboard::Osc52;
        }
        arboard::Clipboard::new().map_or(Clipboard::Osc52, Clipboard::System)
    }

    /// Copies `text`; says how.
    pub fn copy(&mut self, text: &str) -> Result<&'static str, String> {
        match self {
            Clipboard::System(clipboard) => match clipboard.set_text(text) {
                Ok(()) => Ok("clipboard"),
                Err(e) => {
                    tracing::info!("system clipboard failed ({e}); using OSC 52");
                    *self = Clipboard::Osc52;
                    write_osc52(text)
                }
            },
            Clipboard::Osc52 => write_osc52(text),
            Clipboard::Memory(copied) => {
                copied
                    .lock()
                    .map_err(|_| "clipboard poisoned".to_owned())?
                    .push(text.to_owned());
                Ok("memory")
            }
        }
    }
}

/// `ESC ] 52 ; c ; <base64> BEL` asks the terminal to set its clipboard.
fn write_osc52(text: &str) -> Result<&'static str, String> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout().lock();
    write!(out, "\x1b]52;c;{encoded}\x07")
        .and_then(|()| out.flush())
        .map_err(|e| e.to_string())?;
    Ok("OSC 52")
}
