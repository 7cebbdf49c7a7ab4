//! Opening the files view: Enter on a layer row lists that layer, the
//! `files` key on an image (or one platform of an index) lists its merged
//! file system. Each opening gets a new id, so reports for a view that was
//! closed or replaced are dropped.

use std::sync::atomic::{AtomicU64, Ordering};

use super::App;
use super::files::FilesView;
use crate::oci::Descriptor;
use crate::tui::message::Effect;
use crate::tui::tree::node::{BlobRole, NodeKind};

static NEXT_FILES: AtomicU64 = AtomicU64::new(1);

impl App {
    /// Enter on a layer row: that layer's files.
    pub(super) fn open_layer_files(&mut self) -> Option<Vec<Effect>> {
        let node = self.selected_node()?;
        let NodeKind::Blob {
            repository,
            role: BlobRole::Layer(index),
        } = &node.kind
        else {
            return None;
        };
        // An artifact's blob (an SBOM's JSON) has no files: Enter then
        // does what it does on any row.
        let descriptor = node
            .descriptor
            .clone()
            .filter(crate::layer::image::is_filesystem_layer)?;
        let title = format!("Files of layer {index} ({})", descriptor.digest.short());
        Some(self.start_files(title, repository.clone(), vec![descriptor], Some(*index)))
    }

    /// The files key on an image or platform row: the merged view.
    pub(super) fn open_image_files(&mut self) -> Vec<Effect> {
        let Some(node) = self.selected_node() else {
            return Vec::new();
        };
        let (NodeKind::Manifest { repository, .. } | NodeKind::Blob { repository, .. }) =
            &node.kind
        else {
            self.complain("select an image (or one platform of an index) to see its files");
            return Vec::new();
        };
        let repository = repository.clone();
        // On a layer or config row, the image is the parent's manifest.
        let manifest = node.manifest.clone().or_else(|| {
            let selected = self.tree.selected();
            let parent = &selected[..selected.len().saturating_sub(1)];
            self.tree.node(parent).and_then(|p| p.manifest.clone())
        });
        let Some(manifest) = manifest else {
            self.complain("the manifest is not loaded yet: expand it first");
            return Vec::new();
        };
        if manifest.is_index() {
            self.complain("an index has no files of its own: choose one of its platforms");
            return Vec::new();
        }
        match crate::layer::image::filesystem_layers(&manifest) {
            Ok(layers) => {
                let title = format!("Files of {repository}@{}", manifest.digest().short());
                self.start_files(title, repository, layers, None)
            }
            Err(error) => {
                self.complain(error.to_string());
                Vec::new()
            }
        }
    }

    fn start_files(
        &mut self,
        title: String,
        repository: String,
        layers: Vec<Descriptor>,
        single: Option<usize>,
    ) -> Vec<Effect> {
        let id = NEXT_FILES.fetch_add(1, Ordering::Relaxed);
        let total = layers.iter().map(|l| l.size).sum();
        self.files = Some(FilesView {
            id,
            title,
            repository: repository.clone(),
            layers: layers.clone(),
            single,
            progress: (0, total),
            loading: true,
            error: None,
            listings: Vec::new(),
            merged: None,
            rows: Vec::new(),
            selected: 0,
            filter: String::new(),
            filtering: false,
            preview: None,
            note: None,
            confirm_replace: None,
        });
        vec![Effect::ListFiles {
            id,
            repository,
            layers,
            merged: single.is_none(),
        }]
    }
}
