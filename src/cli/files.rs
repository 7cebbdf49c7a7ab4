//! `files` and `cat`: an image's files, listed like `tar tv` or written
//! out, straight from the registry or layout (see `crate::layer`).

use std::io::Write;

use color_eyre::eyre::{Result, WrapErr};

use super::commands::{open_ref, print_stdout};
use super::files_output::{
    changes_json, changes_text, layer_json, layer_text, merged_json, merged_text,
};
use super::progress::Reporter;
use super::read_args::{CatArgs, FilesArgs, FilesFormat};
use crate::layer::extract::{InLayer, ReadHow, Saved, locate, read_to_temp, save};
use crate::layer::image::{filesystem_layers, find_layer, image_manifest, list_image};
use crate::layer::{FilesOptions, list_layer};
use crate::oci::{Descriptor, Manifest, PlatformSpec};
use crate::ops::CancellationToken;
use crate::store::remote::ConnectOptions;
use crate::target::Target;
use crate::text::{escape_control, human_size};

pub(super) async fn files(
    args: FilesArgs,
    connection: &ConnectOptions,
    cancel: &CancellationToken,
    reporter: Reporter,
) -> Result<()> {
    let (target, manifest, layers) =
        open_layers(&args.reference, args.platform.as_ref(), connection).await?;
    let store = target.store.as_ref();
    let repository = target.repository.as_str();
    let options = FilesOptions::default();
    let text = if args.changes {
        let only = match &args.layer {
            Some(wanted) => Some(find_layer(&layers, wanted)?),
            None => None,
        };
        let listings = reporter
            .with_progress(cancel, |sink| {
                let options = &options;
                let layers = &layers;
                async move { list_image(store, repository, layers, options, &sink, cancel).await }
            })
            .await
            .wrap_err_with(|| format!("cannot list the files of {}", args.reference))?
            .0;
        let entries: Vec<&[crate::layer::FileEntry]> =
            listings.iter().map(|l| l.entries.as_slice()).collect();
        let changes = crate::layer::merge::layer_changes(&entries);
        match args.format {
            FilesFormat::Text => changes_text(&listings, &changes, only),
            FilesFormat::Json => changes_json(manifest.digest(), &listings, &changes, only)?,
        }
    } else if let Some(wanted) = &args.layer {
        let index = find_layer(&layers, wanted)?;
        let listing = reporter
            .with_progress(cancel, |sink| {
                let options = &options;
                let layer = &layers[index];
                async move { list_layer(store, repository, layer, options, &sink, cancel).await }
            })
            .await
            .wrap_err_with(|| format!("cannot list layer {index} of {}", args.reference))?;
        reporter.info(&format!(
            "Layer {index} {} ({}): {}",
            listing.descriptor.digest,
            human_size(listing.descriptor.size),
            listing.source.describe()
        ));
        match args.format {
            FilesFormat::Text => layer_text(&listing.entries),
            FilesFormat::Json => layer_json(index, &listing)?,
        }
    } else {
        let (listings, view) = reporter
            .with_progress(cancel, |sink| {
                let options = &options;
                let layers = &layers;
                async move { list_image(store, repository, layers, options, &sink, cancel).await }
            })
            .await
            .wrap_err_with(|| format!("cannot list the files of {}", args.reference))?;
        for (index, listing) in listings.iter().enumerate() {
            reporter.info(&format!(
                "Layer {index} {}: {}",
                listing.descriptor.digest.short(),
                listing.source.describe()
            ));
        }
        reporter.info(&format!(
            "{} wasted by files that later layers replace or remove",
            human_size(view.wasted_bytes)
        ));
        match args.format {
            FilesFormat::Text => merged_text(&view),
            FilesFormat::Json => merged_json(manifest.digest(), &listings, &view)?,
        }
    };
    print_stdout(&text)
}

pub(super) async fn cat(
    args: CatArgs,
    connection: &ConnectOptions,
    cancel: &CancellationToken,
    reporter: Reporter,
) -> Result<()> {
    let (target, _, layers) =
        open_layers(&args.reference, args.platform.as_ref(), connection).await?;
    let store = target.store.as_ref();
    let repository = target.repository.as_str();
    let options = FilesOptions::default();
    let dir = match &args.output {
        Some(dir) => dir.clone(),
        None => std::env::temp_dir(),
    };
    let (temp, how) = reporter
        .with_progress(cancel, |sink| {
            let options = &options;
            let layers = &layers;
            let dir = &dir;
            let wanted = args.path.as_str();
            async move {
                let (listings, view) =
                    list_image(store, repository, layers, options, &sink, cancel).await?;
                let found = locate(&view, &listings, wanted)?;
                read_to_temp(
                    store,
                    repository,
                    InLayer {
                        layer: &layers[found.layer],
                        path: &found.path,
                    },
                    dir,
                    options.limits,
                    &sink,
                    cancel,
                )
                .await
            }
        })
        .await
        .wrap_err_with(|| format!("cannot read {} from {}", args.path, args.reference))?;
    if let ReadHow::Chunks { format, bytes_read } = how {
        reporter.info(&format!(
            "Read {} of the layer: the {} table of contents and the file's chunks",
            human_size(bytes_read),
            format.name()
        ));
    }
    match &args.output {
        Some(dir) => {
            let saved = save(temp, dir, &args.path, args.force)?;
            let (Saved::Written(path) | Saved::AlreadyThere(path)) = &saved;
            if matches!(saved, Saved::AlreadyThere(_)) {
                reporter.info(&format!(
                    "{} already has these bytes",
                    escape_control(&path.display().to_string())
                ));
            }
            print_stdout(&format!(
                "{}\n",
                escape_control(&path.display().to_string())
            ))
        }
        None => {
            let mut file = temp.reopen().wrap_err("cannot read the temporary file")?;
            let mut stdout = std::io::stdout().lock();
            std::io::copy(&mut file, &mut stdout).wrap_err("cannot write to stdout")?;
            stdout.flush().wrap_err("cannot write to stdout")
        }
    }
}

/// The store, the manifest and the file-system layers of the image `reference` names
/// (its `platform` manifest when it is an index): what `files` and `cat`
/// both start from.
async fn open_layers(
    reference: &str,
    platform: Option<&PlatformSpec>,
    connection: &ConnectOptions,
) -> Result<(Target, Manifest, Vec<Descriptor>)> {
    let (target, within) = open_ref(reference, connection)?;
    let manifest = image_manifest(
        target.store.as_ref(),
        target.repository.as_str(),
        &within,
        platform,
    )
    .await
    .wrap_err_with(|| format!("cannot read {reference}"))?;
    let layers = filesystem_layers(&manifest)?;
    Ok((target, manifest, layers))
}
