//! The README's pictures are made from the program: each is a screen of the
//! TUI on the built-in demo (the app, runner and view the binary runs),
//! drawn into a test terminal. `screenshots/screens.sha256` keeps a hash
//! of each screen's text, written when the pictures are made: a screen
//! that changed since fails here until its picture is made again.
//!
//!     REGSCOPE_SCREENSHOTS=/tmp/shots cargo test --test it tui::pictures
//!     python3 screenshots/render.py /tmp/shots/*.ans --out screenshots/
//!
//! The first writes each screen with its colours (`NAME.ans`) and the new
//! hashes; the second draws the PNGs.

use std::fmt::Write as _;
use std::path::PathBuf;

use crossterm::event::KeyCode;
use regscope::tui::Start;
use regscope::tui::tree::NodeId;
use sha2::{Digest as _, Sha256};

use super::harness::Harness;

const WIDTH: u16 = 140;
const HEIGHT: u16 = 40;

/// Every picture: its name and its screen.
async fn screens() -> Vec<(&'static str, Harness)> {
    let mut pictures = Vec::new();

    let mut ui = Harness::demo(Start::Registry, WIDTH, HEIGHT);
    ui.settle().await;
    pictures.push(("registry", ui));

    let mut ui = Harness::demo(Start::demo(), WIDTH, HEIGHT);
    ui.wait_for("the graph", |s| s.contains("3 referrers"))
        .await;
    ui.settle().await;
    pictures.push(("graph", ui));

    let mut ui = Harness::demo(Start::demo(), WIDTH, HEIGHT);
    ui.wait_for("the graph", |s| s.contains("3 referrers"))
        .await;
    ui.settle().await;
    ui.key(KeyCode::Down);
    ui.key(KeyCode::Down);
    ui.wait_for("the SBOM", |s| s.contains("components")).await;
    ui.settle().await;
    pictures.push(("sbom", ui));

    let mut ui = Harness::demo(Start::demo(), WIDTH, HEIGHT);
    ui.wait_for("the graph", |s| s.contains("3 referrers"))
        .await;
    ui.settle().await;
    ui.key(KeyCode::Char('?'));
    pictures.push(("help", ui));

    let mut ui = Harness::demo(Start::demo(), WIDTH, HEIGHT);
    ui.wait_for("the graph", |s| s.contains("3 referrers"))
        .await;
    ui.settle().await;
    ui.key(KeyCode::Char('A'));
    ui.wait_for("the audit", |s| s.contains("images audited"))
        .await;
    pictures.push(("audit", ui));

    let mut ui = Harness::demo(Start::demo(), WIDTH, HEIGHT);
    ui.wait_for("the graph", |s| s.contains("3 referrers"))
        .await;
    ui.settle().await;
    ui.move_to(&NodeId::tag("v1"));
    ui.key(KeyCode::Char('f'));
    ui.wait_for("the files", |s| s.contains("entries")).await;
    pictures.push(("files", ui));
    pictures
}

fn hashes_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("screenshots/screens.sha256")
}

#[tokio::test]
async fn every_picture_shows_the_program_as_it_is() {
    let mut hashes = String::new();
    let mut shots = Vec::new();
    for (name, mut ui) in screens().await {
        let text = ui.screen();
        let hash = hex(&Sha256::digest(text.as_bytes()));
        let _ = writeln!(hashes, "{hash}  {name}.png");
        shots.push((name, ui.ansi()));
    }
    if let Some(dir) = std::env::var_os("REGSCOPE_SCREENSHOTS") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, ansi) in &shots {
            std::fs::write(dir.join(format!("{name}.ans")), ansi).unwrap();
        }
        std::fs::write(hashes_file(), &hashes).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(hashes_file()).unwrap_or_default();
    for (line, name) in hashes.lines().zip(shots.iter().map(|(n, _)| n)) {
        assert!(
            committed.lines().any(|c| c == line),
            "screenshots/{name}.png no longer shows the program: make the pictures \
             again (see tests/it/tui/pictures.rs)"
        );
        let png = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("screenshots/{name}.png"));
        assert!(png.exists(), "screenshots/{name}.png is missing");
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
