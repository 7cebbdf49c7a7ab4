//! The files view's work in the runner: listing a layer or a whole image
//! (byte progress throttled onto the queue), and reading one file for the
//! preview or out to the download directory. Results go back as
//! `Msg::Files`; nothing here touches the app's state.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::progress::BYTES_INTERVAL;
use crate::layer::extract::{InLayer, Saved, read_to_temp, save};
use crate::layer::image::list_image;
use crate::layer::{FilesOptions, list_layer};
use crate::oci::Descriptor;
use crate::ops::{CancellationToken, OpError, Progress, ProgressSink};
use crate::store::SharedStore;
use crate::tui::message::Msg;
use crate::tui::screens::files::{FilesMsg, Listed, PREVIEW_CAP, SaveRefusal};

/// Sends the view's byte progress, summed over its layers, at most ten
/// times a second.
async fn forward_bytes(
    id: u64,
    total: u64,
    mut events: UnboundedReceiver<Progress>,
    sender: UnboundedSender<Msg>,
) {
    let mut each: HashMap<crate::oci::Digest, u64> = HashMap::new();
    let mut last = None::<Instant>;
    while let Some(event) = events.recv().await {
        if let Progress::Bytes { digest, done } = event {
            each.insert(digest, done);
            let now = Instant::now();
            if last.is_none_or(|l| now.duration_since(l) >= BYTES_INTERVAL) {
                last = Some(now);
                let done = each.values().sum();
                let _ = sender.send(Msg::Files(FilesMsg::Progress { id, done, total }));
            }
        }
    }
}

fn progress_sink(id: u64, total: u64, sender: &UnboundedSender<Msg>) -> ProgressSink {
    let (sink, events) = unbounded_channel();
    tokio::spawn(forward_bytes(id, total, events, sender.clone()));
    sink
}

/// What a files view asks to list.
pub struct Listing {
    pub id: u64,
    pub repository: String,
    pub layers: Vec<Descriptor>,
    pub merged: bool,
    /// An index: its platform is chosen here, by the engine's chooser.
    pub index: Option<String>,
}

pub async fn list(
    store: SharedStore,
    listing: Listing,
    sender: UnboundedSender<Msg>,
    cancel: CancellationToken,
) {
    let Listing {
        id,
        repository,
        mut layers,
        merged,
        index,
    } = listing;
    if let Some(index) = index {
        match platform_layers(&store, &repository, &index).await {
            Ok((platform, found)) => {
                layers = found;
                let resolved = FilesMsg::Resolved {
                    id,
                    platform,
                    layers: layers.clone(),
                };
                let _ = sender.send(Msg::Files(resolved));
            }
            Err(error) => {
                let result = Err(error.to_string());
                let _ = sender.send(Msg::Files(FilesMsg::Listed { id, result }));
                return;
            }
        }
    }
    let total = layers.iter().map(|l| l.size).sum();
    let sink = progress_sink(id, total, &sender);
    let options = FilesOptions::default();
    let store = store.as_ref();
    let result = if merged {
        list_image(store, &repository, &layers, &options, &sink, &cancel)
            .await
            .map(|(listings, view)| Listed {
                listings,
                merged: Some(view),
            })
    } else {
        match layers.first() {
            Some(layer) => list_layer(store, &repository, layer, &options, &sink, &cancel)
                .await
                .map(|listing| Listed {
                    listings: vec![listing],
                    merged: None,
                }),
            None => Err(OpError::Invalid("no layer to list".to_owned())),
        }
    };
    let result = result.map_err(|e| e.to_string());
    let _ = sender.send(Msg::Files(FilesMsg::Listed { id, result }));
}

/// The platform of `index` the engine's chooser takes (as `regscope
/// files` takes it), said the way the CLI says it, and that image's layers.
async fn platform_layers(
    store: &SharedStore,
    repository: &str,
    index: &str,
) -> Result<(String, Vec<Descriptor>), OpError> {
    let store = store.as_ref();
    let index = store.fetch_manifest(repository, index).await?;
    let entry = crate::graph::choose_platform(&index, None)?;
    let platform = entry
        .platform
        .as_ref()
        .map(crate::oci::PlatformSpec::of)
        .map_or_else(|| "its only platform".to_owned(), |p| p.to_string());
    let why = if entry
        .platform
        .as_ref()
        .is_some_and(|p| crate::oci::PlatformSpec::host().matches(p))
    {
        "this machine's platform"
    } else {
        "the index's only platform"
    };
    let manifest = store
        .fetch_manifest(repository, &entry.digest.to_string())
        .await?;
    let layers = crate::layer::image::filesystem_layers(&manifest)?;
    Ok((format!("{platform} ({why})"), layers))
}

#[allow(clippy::too_many_arguments)] // one effect's fields, passed on as they come
pub async fn read(
    store: SharedStore,
    id: u64,
    repository: String,
    layer: Descriptor,
    path: String,
    shown_as: String,
    save_to: Option<(PathBuf, bool)>,
    sender: UnboundedSender<Msg>,
    cancel: CancellationToken,
) {
    let sink = progress_sink(id, layer.size, &sender);
    let dir = match &save_to {
        Some((dir, _)) => dir.clone(),
        None => std::env::temp_dir(),
    };
    if let Err(error) = std::fs::create_dir_all(&dir) {
        let result = Err(SaveRefusal::Failed(format!("{}: {error}", dir.display())));
        let _ = sender.send(Msg::Files(FilesMsg::Saved {
            id,
            path: shown_as,
            result,
        }));
        return;
    }
    let limits = FilesOptions::default().limits;
    let wanted = InLayer {
        layer: &layer,
        path: &path,
    };
    let read = read_to_temp(
        store.as_ref(),
        &repository,
        wanted,
        &dir,
        limits,
        &sink,
        &cancel,
    )
    .await;
    let message = match save_to {
        None => FilesMsg::Preview {
            id,
            result: read.map_err(|e| e.to_string()).and_then(|(temp, _)| {
                let mut bytes = Vec::new();
                temp.as_file()
                    .take(PREVIEW_CAP as u64 + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|e| e.to_string())?;
                Ok(bytes)
            }),
            path: shown_as,
        },
        Some((dir, force)) => {
            let result = match read.and_then(|(temp, _)| save(temp, &dir, &shown_as, force)) {
                Ok(Saved::Written(to)) => Ok(format!("wrote {}", to.display())),
                Ok(Saved::AlreadyThere(to)) => {
                    Ok(format!("{} already has these bytes", to.display()))
                }
                Err(OpError::Invalid(text)) if text.contains("--force") => Err(
                    SaveRefusal::Exists(
                        text.replace("--force replaces it", "press p again to replace it"),
                    ),
                ),
                Err(error) => Err(SaveRefusal::Failed(error.to_string())),
            };
            FilesMsg::Saved {
                id,
                path: shown_as,
                result,
            }
        }
    };
    let _ = sender.send(Msg::Files(message));
}
