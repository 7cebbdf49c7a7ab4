//! The files view as state: `f` on an image asks for its merged listing,
//! progress and the listing arrive as messages, Enter asks for a preview
//! (shown escaped), `p` writes the file and asks before replacing a
//! different one, Esc cancels a listing under way or closes.

use crossterm::event::KeyCode;
use regscope::layer::{EntryKind, FileEntry, LayerListing, ListingSource, merge};
use regscope::oci::Descriptor;
use regscope::tui::app::files::{Listed, SaveRefusal};
use regscope::tui::app::{App, FilesMsg};
use regscope::tui::message::{Effect, Msg};

use super::app_support::{app_at_loaded_tag, key};

fn file(path: &str, kind: EntryKind) -> FileEntry {
    FileEntry {
        path: path.to_owned(),
        kind,
        size: 5,
        mode: 0o644,
        uid: 0,
        gid: 0,
        user: "root".to_owned(),
        group: "root".to_owned(),
        mtime: 0,
        link: None,
    }
}

#[test]
fn the_files_view_loads_in_the_background_previews_and_asks_before_replacing() {
    let mut app = app_at_loaded_tag();
    let (id, layers) = opened_with_progress(&mut app);
    listing_arrives(&mut app, id, &layers);
    enter_previews_escaped(&mut app, id);
    p_asks_before_replacing(&mut app, id);

    key(&mut app, KeyCode::Esc);
    assert!(
        app.files().unwrap().preview.is_none(),
        "Esc closes the preview first"
    );
    let effects = key(&mut app, KeyCode::Esc);
    assert!(effects.is_empty() && app.files().is_none());

    // Esc while loading cancels.
    key(&mut app, KeyCode::Char('f'));
    let effects = key(&mut app, KeyCode::Esc);
    assert!(matches!(effects.as_slice(), [Effect::CancelFiles]));
}

/// `f` asks for one merged listing; progress for this view shows, for an
/// older one changes nothing. Returns the view's id and its layers.
fn opened_with_progress(app: &mut App) -> (u64, Vec<Descriptor>) {
    let effects = key(app, KeyCode::Char('f'));
    let (id, layers) = match effects.as_slice() {
        [
            Effect::ListFiles {
                id,
                layers,
                merged: true,
                ..
            },
        ] => (*id, layers.clone()),
        other => panic!("expected one merged listing, got {other:?}"),
    };
    assert_eq!(layers.len(), 1);
    let view = app.files().unwrap();
    assert!(view.loading && app.is_animating());

    app.update(Msg::Files(FilesMsg::Progress {
        id,
        done: 2,
        total: 3,
    }));
    assert_eq!(app.files().unwrap().progress, (2, 3));
    // A message for an older view changes nothing.
    app.update(Msg::Files(FilesMsg::Progress {
        id: id + 100,
        done: 9,
        total: 9,
    }));
    assert_eq!(app.files().unwrap().progress, (2, 3));
    (id, layers)
}

/// The listing ends the loading and fills the rows.
fn listing_arrives(app: &mut App, id: u64, layers: &[Descriptor]) {
    let entries = vec![
        file("etc", EntryKind::Dir),
        file("etc/motd", EntryKind::File),
    ];
    let listing = LayerListing {
        descriptor: layers[0].clone(),
        entries: entries.clone(),
        source: ListingSource::WholeLayer,
    };
    let listed = Listed {
        merged: Some(merge(&[entries])),
        listings: vec![listing],
    };
    app.update(Msg::Files(FilesMsg::Listed {
        id,
        result: Ok(listed),
    }));
    let view = app.files().unwrap();
    assert!(!view.loading);
    assert_eq!(view.rows.len(), 2);
}

/// Enter on a file asks for a preview, shown with its escapes spelled out.
fn enter_previews_escaped(app: &mut App, id: u64) {
    key(app, KeyCode::Down);
    let effects = key(app, KeyCode::Enter);
    match effects.as_slice() {
        [
            Effect::ReadLayerFile {
                path,
                save_to: None,
                ..
            },
        ] => assert_eq!(path, "etc/motd"),
        other => panic!("expected a preview read, got {other:?}"),
    }
    app.update(Msg::Files(FilesMsg::Preview {
        id,
        path: "etc/motd".to_owned(),
        result: Ok(b"hi \x1b[31mred\n".to_vec()),
    }));
    let preview = app.files().unwrap().preview.clone().unwrap();
    assert_eq!(preview.text, Some(Ok(vec!["hi \\u{1b}[31mred".to_owned()])));
}

/// `p` writes the file; when a different one is there, the second press
/// replaces it.
fn p_asks_before_replacing(app: &mut App, id: u64) {
    let effects = key(app, KeyCode::Char('p'));
    assert!(matches!(
        effects.as_slice(),
        [Effect::ReadLayerFile {
            save_to: Some((_, false)),
            ..
        }]
    ));
    app.update(Msg::Files(FilesMsg::Saved {
        id,
        path: "etc/motd".to_owned(),
        result: Err(SaveRefusal::Exists(
            "./motd exists; press p again".to_owned(),
        )),
    }));
    let effects = key(app, KeyCode::Char('p'));
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::ReadLayerFile {
                save_to: Some((_, true)),
                ..
            }]
        ),
        "the second press replaces: {effects:?}"
    );
}
