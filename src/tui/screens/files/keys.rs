//! Keys of the files view, from the key map (`Mode::Files` before the
//! shared list keys): move, filter, preview a file, write it to the
//! download directory (again to replace a different file), close (which
//! first closes a preview, or cancels a listing under way).

use crossterm::event::KeyEvent;

use super::{FilePreview, FilesView};
use crate::layer::EntryKind;
use crate::layer::extract::locate;
use crate::tui::config::Config;
use crate::tui::keymap::{Action, Mode};
use crate::tui::message::Effect;
use crate::tui::screen::{Ask, Cx};
use crate::tui::typing::edit_text;

impl FilesView {
    pub(super) fn on_files_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        let config = cx.config;
        let keymap = &config.keymap;
        let view = self;
        if view.filtering {
            let action = keymap.action_in(Mode::Dialog, &key);
            match action {
                Some(Action::Confirm) => view.filtering = false,
                Some(Action::Cancel) => {
                    view.filtering = false;
                    view.filter.clear();
                }
                _ => {
                    edit_text(&mut view.filter, key, action);
                }
            }
            view.list.set_filter(&view.filter);
            return;
        }
        let Some(action) = keymap.action_on(Mode::Files, &key) else {
            return;
        };
        match action {
            Action::Close if view.preview.is_some() => view.preview = None,
            Action::Close => {
                if view.loading {
                    cx.effect(Effect::CancelFiles);
                }
                cx.ask(Ask::Close);
            }
            Action::Filter => view.filtering = true,
            Action::Preview => cx.effects.extend(view.read_selected_file(false, config)),
            Action::SaveFile => cx.effects.extend(view.read_selected_file(true, config)),
            Action::Help => cx.ask(Ask::Help(Mode::Files)),
            Action::Messages => cx.ask(Ask::Messages),
            Action::Quit => cx.ask(Ask::Quit),
            other => {
                let page = view.page;
                view.list.apply(other, page);
            }
        }
    }

    /// Reads the selected file: into the preview, or out to the download
    /// directory.
    fn read_selected_file(&mut self, save: bool, config: &Config) -> Vec<Effect> {
        let download_dir = config.download_dir.clone();
        let view = self;
        let Some(row) = view.selected_row().cloned() else {
            return Vec::new();
        };
        let path = row.entry.path.clone();
        let found = match (&view.merged, view.single) {
            (Some(merged), _) => locate(merged, &view.listings, &path).map(|found| {
                let layer = view.layers.get(found.layer).cloned();
                (layer, found.path)
            }),
            (None, _) => match row.entry.kind {
                EntryKind::File => Ok((view.layers.first().cloned(), path.clone())),
                // A hard link shares the bytes of an entry of its layer.
                EntryKind::Hardlink => Ok((
                    view.layers.first().cloned(),
                    row.entry.link.clone().unwrap_or_default(),
                )),
                _ => Err(crate::ops::OpError::Invalid(format!(
                    "{path}: not a regular file"
                ))),
            },
        };
        let (layer, in_layer) = match found {
            Ok((Some(layer), in_layer)) => (layer, in_layer),
            Ok((None, _)) => return Vec::new(),
            Err(error) => {
                view.note = Some(error.to_string());
                return Vec::new();
            }
        };
        let save_to = if save {
            let force = view.confirm_replace.as_deref() == Some(path.as_str());
            view.note = Some(format!("writing {path}…"));
            Some((download_dir, force))
        } else {
            view.preview = Some(FilePreview {
                path: path.clone(),
                text: None,
            });
            None
        };
        vec![Effect::ReadLayerFile {
            id: view.id,
            repository: view.repository.clone(),
            layer: Box::new(layer),
            path: in_layer,
            shown_as: path,
            save_to,
        }]
    }
}
