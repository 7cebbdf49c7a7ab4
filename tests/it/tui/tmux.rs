//! The real binary in a tmux server of its own: keys in through
//! `send-keys`, the screen read with `capture-pane`, polled until a
//! condition holds or a timeout (then the screen is printed). OSC 52
//! copies land in tmux's buffer with `set-clipboard on`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(30);
pub const POLL: Duration = Duration::from_millis(50);

/// Tests run in parallel threads of one process: each server gets its own
/// socket.
static SERVERS: AtomicUsize = AtomicUsize::new(0);

/// A tmux server of our own (its own socket), killed on drop.
pub struct Tmux {
    socket: String,
    home: tempfile::TempDir,
}

impl Tmux {
    /// Runs `command` in a `width`×`height` pane with a fresh home, config
    /// and cache dir (no user file changes the keys under test).
    pub fn start(command: &str, width: u16, height: u16) -> Tmux {
        Tmux::start_with_config(command, width, height, None)
    }

    /// As `start`, with `config` as the user's `regscope/config.toml`.
    pub fn start_with_config(command: &str, width: u16, height: u16, config: Option<&str>) -> Tmux {
        let home = tempfile::tempdir().unwrap();
        if let Some(config) = config {
            let dir = home.path().join("config/regscope");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("config.toml"), config).unwrap();
        }
        let server = SERVERS.fetch_add(1, Ordering::Relaxed);
        let socket = format!("regscope-test-{}-{server}", std::process::id());
        let tmux = Tmux { socket, home };
        // Screenshots show the help's config and log paths: neutral ones
        // there, the temp home otherwise.
        let home = if std::env::var_os("REGSCOPE_SCREENSHOTS").is_some() && config.is_none() {
            "/home/user".to_owned()
        } else {
            tmux.home.path().display().to_string()
        };
        let (config_home, cache_home) = if home == "/home/user" {
            (format!("{home}/.config"), format!("{home}/.cache"))
        } else {
            (format!("{home}/config"), format!("{home}/cache"))
        };
        // No display: the app must fall back to OSC 52. The shell reports
        // the exit status on the normal screen, then stays, so the
        // terminal's state after the app can be read.
        let command = format!(
            "sh -c 'env -u DISPLAY -u WAYLAND_DISPLAY HOME={home} XDG_CONFIG_HOME={config_home} XDG_CACHE_HOME={cache_home} {command}; echo regscope exited with $?; exec sleep 600'"
        );
        let out = tmux.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "ui",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            &command,
        ]);
        assert!(out.status.success(), "tmux new-session failed: {out:?}");
        tmux.run(&["set-option", "-s", "set-clipboard", "on"]);
        tmux
    }

    /// The temp home of this run (downloads, files to attach).
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs (is it installed?)")
    }

    pub fn text(&self, args: &[&str]) -> String {
        String::from_utf8_lossy(&self.run(args).stdout).into_owned()
    }

    pub fn screen(&self) -> String {
        self.text(&["capture-pane", "-p", "-t", "ui"])
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "ui"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Types `text` literally (no key names).
    pub fn type_text(&self, text: &str) {
        self.keys(&["-l", text]);
    }

    pub fn wait_for(&self, what: &str, condition: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let screen = self.screen();
            if condition(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(POLL);
        }
    }

    pub fn pane(&self, format: &str) -> String {
        self.text(&["display-message", "-p", "-t", "ui", format])
            .trim()
            .to_owned()
    }

    /// Saves the coloured screen when screenshots are asked for.
    pub fn save(&self, name: &str) {
        if let Some(dir) = std::env::var_os("REGSCOPE_SCREENSHOTS") {
            let ansi = self.run(&["capture-pane", "-p", "-e", "-t", "ui"]).stdout;
            let path = PathBuf::from(dir).join(format!("{name}.ans"));
            std::fs::write(&path, ansi).unwrap();
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}
