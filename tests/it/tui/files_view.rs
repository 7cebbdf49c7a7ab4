//! The files view on the demo, through the real runner and layout store:
//! `f` on net-monitor:v1 lists the merged file system of its two layers
//! (snapshot), Enter previews a text file, `p` writes it to the download
//! directory and asks before replacing a different file, and Enter on a
//! layer row lists that layer alone.

use crossterm::event::KeyCode;

use super::harness::Harness;

fn select_path(ui: &mut Harness, path: &str) {
    let index = ui
        .driver
        .app
        .files()
        .unwrap()
        .visible()
        .iter()
        .position(|row| row.entry.path == path)
        .unwrap_or_else(|| panic!("no row {path}"));
    ui.key(KeyCode::Home);
    for _ in 0..index {
        ui.key(KeyCode::Down);
    }
}

#[tokio::test]
async fn files_view_lists_previews_and_writes_a_file() {
    let mut ui = Harness::net_monitor();
    ui.settle().await;
    let download = tempfile::tempdir().unwrap();
    ui.driver.app.config.download_dir = download.path().to_path_buf();

    ui.key(KeyCode::Char('f'));
    let screen = ui
        .wait_for("the merged listing", |s| s.contains("entries"))
        .await;
    assert!(
        screen.contains("os-release") && screen.contains("net-monitor"),
        "{screen}"
    );
    assert!(screen.contains("L1  added"), "{screen}");
    // The download directory is a temporary one, and a second run finds
    // the listing in the cache.
    let screen = screen
        .replace(download.path().to_str().unwrap(), "[download dir]")
        .replace("from the listing cache", "[listing source]")
        .replace("whole layer read", "[listing source]");
    insta::assert_snapshot!("files_view_merged", screen);

    select_path(&mut ui, "etc/os-release");
    ui.key(KeyCode::Enter);
    let screen = ui.wait_for("the preview", |s| s.contains("NAME=")).await;
    assert!(screen.contains("etc/os-release"), "{screen}");

    ui.key(KeyCode::Char('p'));
    ui.wait_for("the file written", |s| s.contains("wrote"))
        .await;
    let written = download.path().join("os-release");
    let original = std::fs::read(&written).unwrap();
    assert!(String::from_utf8_lossy(&original).contains("NAME="));

    std::fs::write(&written, b"mine\n").unwrap();
    ui.key(KeyCode::Char('p'));
    ui.wait_for("the question", |s| s.contains("press p again"))
        .await;
    assert_eq!(std::fs::read(&written).unwrap(), b"mine\n");
    ui.key(KeyCode::Char('p'));
    ui.wait_for("the replacement", |s| s.contains("wrote"))
        .await;
    assert_eq!(std::fs::read(&written).unwrap(), original);

    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Esc);
    assert!(ui.driver.app.files().is_none());

    // Enter on a layer row: that layer's own files.
    let app = &ui.driver.app;
    let layer = app
        .graph()
        .rows()
        .iter()
        .filter(|r| {
            app.graph()
                .tree
                .node(&r.path)
                .and_then(|node| node.descriptor.as_ref())
                .is_some_and(|d| d.media_type.contains(".tar"))
        })
        .filter_map(|r| r.path.last().cloned())
        .find(|id| matches!(id, regscope::tui::tree::NodeId::Layer { index: 0, .. }))
        .expect("the image's first layer row");
    ui.move_to(&layer);
    ui.key(KeyCode::Enter);
    let screen = ui
        .wait_for("the layer listing", |s| s.contains("entries"))
        .await;
    assert!(screen.contains("Files of layer 0"), "{screen}");
    assert!(
        screen.contains("config.yaml") && !screen.contains("local/"),
        "{screen}"
    );
}

/// The real binary in tmux on a real registry: `f` on the image opens its
/// merged files, a filter finds one, `p` writes it to the download
/// directory.
#[test]
fn tmux_pulls_one_file_out_of_an_image() {
    use crate::support::{Oras, Registry};

    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let work = tempfile::tempdir().unwrap();
    let layers = crate::files::make_layers(work.path());
    let reference =
        crate::files::push_image(&oras, work.path(), &registry.reference("files:v1"), &layers);
    let download = work.path().join("downloads");
    let config = format!("download_dir = \"{}\"\n", download.display());
    let command = format!("{} {reference}", env!("CARGO_BIN_EXE_regscope"));
    let tmux = super::tmux::Tmux::start_with_config(&command, 140, 30, Some(&config));
    tmux.wait_for("the image", |s| s.contains("layer 1"));
    tmux.keys(&["f"]);
    let screen = tmux.wait_for("the merged files", |s| s.contains("entries"));
    assert!(
        screen.contains("whole layer read") && screen.contains("wasted"),
        "{screen}"
    );
    tmux.keys(&["/"]);
    tmux.type_text("etc/motd");
    tmux.keys(&["Enter", "p"]);
    let screen = tmux.wait_for("the file written", |s| s.contains("wrote"));
    assert!(screen.contains("downloads/motd"), "{screen}");
    assert_eq!(std::fs::read(download.join("motd")).unwrap(), b"changed\n");
}
