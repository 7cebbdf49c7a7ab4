//! The real binary in tmux on the demo: keys in through `send-keys`, the
//! screen read with `capture-pane`, polled until a condition holds or a
//! timeout (then the screen is printed). OSC 52 copies land in tmux's
//! buffer with `set-clipboard on`.
//!
//! With `REGSCOPE_SCREENSHOTS=DIR`, the screens are also saved (with
//! colours, `capture-pane -e`) for `screenshots/render.py`.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use regscope::demo::{NET_MONITOR_SBOM, NET_MONITOR_SBOM_COMPONENTS};

const WAIT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(50);

/// A tmux server of our own (its own socket), killed on drop.
struct Tmux {
    socket: String,
    _home: tempfile::TempDir,
}

impl Tmux {
    fn start(command: &str, width: u16, height: u16) -> Tmux {
        let home = tempfile::tempdir().unwrap();
        let socket = format!("regscope-test-{}", std::process::id());
        let tmux = Tmux {
            socket,
            _home: home,
        };
        let home = tmux._home.path().display().to_string();
        // No display: the app must fall back to OSC 52. Fresh config and
        // cache dirs: no user file changes the keys under test.
        // The shell reports the exit status on the normal screen, then
        // stays, so the terminal's state after the app can be read.
        let command = format!(
            "sh -c 'env -u DISPLAY -u WAYLAND_DISPLAY XDG_CONFIG_HOME={home}/config XDG_CACHE_HOME={home}/cache {command}; echo regscope exited with $?; exec sleep 600'"
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

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs (is it installed?)")
    }

    fn text(&self, args: &[&str]) -> String {
        String::from_utf8_lossy(&self.run(args).stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.text(&["capture-pane", "-p", "-t", "ui"])
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "ui"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    fn wait_for(&self, what: &str, condition: impl Fn(&str) -> bool) -> String {
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

    fn pane(&self, format: &str) -> String {
        self.text(&["display-message", "-p", "-t", "ui", format])
            .trim()
            .to_owned()
    }

    /// Saves the coloured screen when screenshots are asked for.
    fn save(&self, name: &str) {
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

#[test]
fn the_binary_shows_the_sbom_copies_its_digest_and_quits_cleanly() {
    let binary = env!("CARGO_BIN_EXE_regscope");
    let tmux = Tmux::start(binary, 140, 40);
    tmux.wait_for("the demo's repositories", |s| {
        s.contains("net-monitor") && s.contains("plain")
    });
    tmux.save("registry");

    tmux.keys(&["g"]);
    tmux.keys(&["-l", "net-monitor:v1"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the referrer graph", |s| {
        s.contains("3 referrers") && s.contains("CycloneDX SBOM")
    });
    tmux.save("graph");

    // Resizing redraws to the new size.
    tmux.run(&["resize-window", "-t", "ui", "-x", "100", "-y", "30"]);
    tmux.wait_for("a redraw at 100 columns", |s| {
        s.lines()
            .next()
            .is_some_and(|top| top.chars().count() == 100 && top.ends_with('╮'))
    });
    tmux.run(&["resize-window", "-t", "ui", "-x", "140", "-y", "40"]);
    tmux.wait_for("a redraw at 140 columns", |s| {
        s.lines()
            .next()
            .is_some_and(|top| top.chars().count() == 140 && top.ends_with('╮'))
    });

    // From the tag: the SBOM group, then the SBOM itself.
    tmux.keys(&["Down", "Down"]);
    let count = format!("components {NET_MONITOR_SBOM_COMPONENTS}");
    let screen = tmux.wait_for("the SBOM's component count", |s| s.contains(&count));
    assert!(screen.contains("CycloneDX 1.5"), "{screen}");
    tmux.save("sbom");

    tmux.keys(&["y"]);
    tmux.wait_for("the copy message", |s| s.contains("copied sha256:a36a3df5"));
    let deadline = Instant::now() + WAIT;
    let copied = loop {
        let buffer = tmux.text(&["show-buffer"]);
        if buffer == NET_MONITOR_SBOM || Instant::now() > deadline {
            break buffer;
        }
        std::thread::sleep(POLL);
    };
    assert_eq!(copied, NET_MONITOR_SBOM, "tmux buffer after OSC 52 copy");

    tmux.keys(&["?"]);
    tmux.wait_for("help", |s| s.contains("copy registry/repo@digest"));
    tmux.save("help");
    tmux.keys(&["Escape"]);
    // Wait before the next key: ESC and `q` read together are Alt-q.
    tmux.wait_for("help to close", |s| {
        !s.contains("copy registry/repo@digest")
    });

    tmux.keys(&["q"]);
    tmux.wait_for("the exit", |s| s.contains("regscope exited with"));
    // A sane terminal: the alternate screen is left, the cursor shows,
    // mouse reporting is off, and the TUI is gone from the screen.
    let sane = "#{alternate_on} #{cursor_flag} #{mouse_any_flag}";
    let deadline = Instant::now() + WAIT;
    while tmux.pane(sane) != "0 1 0" {
        assert!(
            Instant::now() < deadline,
            "terminal left as {:?} (alternate, cursor, mouse); screen:\n{}",
            tmux.pane(sane),
            tmux.screen()
        );
        std::thread::sleep(POLL);
    }
    let screen = tmux.screen();
    assert!(
        screen.contains("regscope exited with 0"),
        "exit status:\n{screen}"
    );
    assert!(!screen.contains("╭ graph"), "TUI left on screen:\n{screen}");
}
