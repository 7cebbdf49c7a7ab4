//! Opening the files view: Enter on a layer row lists that layer, the
//! `files` key on an image (or one platform of an index) lists its merged
//! file system, and on an index the platform the engine's one chooser
//! takes (this machine's, as `regscope files` and `s` take it). Each
//! opening gets a new id, so reports for a view that was closed or
//! replaced are dropped.

use super::Graph;
use crate::oci::Descriptor;
use crate::tui::message::Effect;
use crate::tui::screen::{Ask, Cx};
use crate::tui::screens::files::FilesView;
use crate::tui::tree::node::{BlobRole, NodeKind};

impl Graph {
    /// Enter on a layer row: that layer's files.
    pub(super) fn open_layer_files(&mut self, cx: &mut Cx<'_>) -> Option<Vec<Effect>> {
        let node = self.tree.selected_node()?;
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
        let repository = repository.clone();
        Some(Self::start_files(
            (title, repository),
            vec![descriptor],
            Some(*index),
            None,
            cx,
        ))
    }

    /// The files key on an image or platform row: the merged view.
    pub(super) fn open_image_files(&mut self, cx: &mut Cx<'_>) -> Vec<Effect> {
        let Some(node) = self.tree.selected_node() else {
            return Vec::new();
        };
        let (NodeKind::Manifest { repository, .. } | NodeKind::Blob { repository, .. }) =
            &node.kind
        else {
            cx.complain("select an image (or one platform of an index) to see its files");
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
            cx.complain("the manifest is not loaded yet: expand it first");
            return Vec::new();
        };
        if manifest.is_index() {
            // The runner asks the engine's chooser (this machine's
            // platform, or the only one) and says which it took.
            let title = format!("Files of {repository}@{}", manifest.digest().short());
            let index = manifest.digest().to_string();
            return Self::start_files((title, repository), Vec::new(), None, Some(index), cx);
        }
        match crate::layer::image::filesystem_layers(&manifest) {
            Ok(layers) => {
                let title = format!("Files of {repository}@{}", manifest.digest().short());
                Self::start_files((title, repository), layers, None, None, cx)
            }
            Err(error) => {
                cx.complain(error.to_string());
                Vec::new()
            }
        }
    }

    fn start_files(
        (title, repository): (String, String),
        layers: Vec<Descriptor>,
        single: Option<usize>,
        index: Option<String>,
        cx: &mut Cx<'_>,
    ) -> Vec<Effect> {
        let id = cx.next_id();
        let title = (title, repository.clone());
        let view = FilesView::open(id, title, layers.clone(), single, cx.page());
        cx.ask(Ask::Open(Box::new(view)));
        vec![Effect::ListFiles {
            id,
            repository,
            layers,
            merged: single.is_none(),
            index,
        }]
    }
}
