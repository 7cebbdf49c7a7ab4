//! Keys of the files view: move, filter (`/`), preview a file (Enter),
//! write it to the download directory (`p`, again to replace a different
//! file), close (Esc, which first cancels a listing under way).

use crossterm::event::{KeyCode, KeyEvent};

use super::App;
use super::files::FilePreview;
use crate::layer::EntryKind;
use crate::layer::extract::locate;
use crate::tui::message::Effect;

/// Rows a page key moves.
const PAGE: usize = 10;

impl App {
    pub(super) fn on_files_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(view) = &mut self.files else {
            return Vec::new();
        };
        if view.filtering {
            match key.code {
                KeyCode::Enter | KeyCode::Esc => view.filtering = false,
                KeyCode::Backspace => {
                    view.filter.pop();
                }
                KeyCode::Char(c) => view.filter.push(c),
                _ => {}
            }
            view.selected = 0;
            return Vec::new();
        }
        let count = view.visible().len();
        let last = count.saturating_sub(1);
        match key.code {
            KeyCode::Esc if view.preview.is_some() => view.preview = None,
            KeyCode::Esc | KeyCode::Char('q') => {
                let loading = view.loading;
                self.files = None;
                return if loading {
                    vec![Effect::CancelFiles]
                } else {
                    Vec::new()
                };
            }
            KeyCode::Up | KeyCode::Char('k') => view.selected = view.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => view.selected = (view.selected + 1).min(last),
            KeyCode::PageUp => view.selected = view.selected.saturating_sub(PAGE),
            KeyCode::PageDown => view.selected = (view.selected + PAGE).min(last),
            KeyCode::Home => view.selected = 0,
            KeyCode::End | KeyCode::Char('G') => view.selected = last,
            KeyCode::Char('/') => {
                view.filtering = true;
                view.filter.clear();
            }
            KeyCode::Enter => return self.read_selected_file(false),
            KeyCode::Char('p') => return self.read_selected_file(true),
            _ => {}
        }
        Vec::new()
    }

    /// Reads the selected file: into the preview, or out to the download
    /// directory.
    fn read_selected_file(&mut self, save: bool) -> Vec<Effect> {
        let download_dir = self.config.download_dir.clone();
        let Some(view) = &mut self.files else {
            return Vec::new();
        };
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
