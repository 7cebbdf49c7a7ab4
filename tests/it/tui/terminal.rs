//! The real binary in tmux on the demo (see `tmux.rs`): browsing to the
//! SBOM, copying its digest through OSC 52, resizing, quitting cleanly.
//!
//! With `REGSCOPE_SCREENSHOTS=DIR`, the screens are also saved (with
//! colours, `capture-pane -e`) for `screenshots/render.py`.

use std::time::Instant;

use regscope::demo::{NET_MONITOR_SBOM, NET_MONITOR_SBOM_COMPONENTS};

use super::tmux::{POLL, Tmux, WAIT};

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
