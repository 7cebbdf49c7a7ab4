//! The subcommands that move content: `pull`, `attach` and `cp`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use color_eyre::eyre::{Result, WrapErr, bail, eyre};

use super::commands::{open_ref, print_stdout};
use super::progress::Reporter;
use super::write_args::{AttachArgs, CopyArgs, PullArgs};
use crate::ops::pull::Pulled;
use crate::ops::{
    AttachFile, AttachOptions, CancellationToken, CopyOptions, PlatformChoice, PullOptions,
    PullSelect,
};
use crate::store::remote::ConnectOptions;
use crate::target::{Spec, open};
use crate::text::{count, escape_control};

pub(super) async fn pull(
    args: PullArgs,
    connection: &ConnectOptions,
    cancel: &CancellationToken,
    reporter: Reporter,
) -> Result<()> {
    let (target, reference) = open_ref(&args.reference, connection)?;
    let select = match (args.artifact_type, args.sbom, args.layer) {
        (_, _, Some(layer)) => PullSelect::Layer(layer),
        (Some(wanted), _, None) => PullSelect::Referrer(wanted),
        (None, true, None) => PullSelect::Sbom,
        (None, false, None) => PullSelect::Target,
    };
    if args.all && select == PullSelect::Target {
        bail!("--all picks among SBOMs or referrers: add --sbom or --artifact-type");
    }
    let platform = match args.platform.as_deref() {
        None => PlatformChoice::Auto,
        Some("all") => PlatformChoice::All,
        Some(text) => PlatformChoice::One(text.parse()?),
    };
    let options = PullOptions {
        platform,
        all: args.all,
        raw: args.raw,
        replace_existing: !args.keep_old_files,
        ..PullOptions::new(args.output, select)
    };
    let store = target.store.as_ref();
    let result = reporter
        .with_progress(cancel, |sink| async move {
            crate::ops::pull(
                store,
                &target.repository,
                &reference,
                &options,
                &sink,
                cancel,
            )
            .await
        })
        .await;
    let outcome = result.wrap_err_with(|| format!("cannot pull {}", args.reference))?;
    let mut text = String::new();
    for written in &outcome.written {
        text.push_str(&format!(
            "{}\n",
            escape_control(&written.path.display().to_string())
        ));
    }
    for pulled in &outcome.pulled {
        reporter.info(&escape_control(&describe_pulled(pulled)));
    }
    if !outcome.untitled.is_empty() {
        // The command that gets one names the manifest that holds them.
        let holder = match outcome.pulled.as_slice() {
            [one] => format!("{}@{}", target.display_name, one.manifest.digest),
            _ => args.reference.clone(),
        };
        reporter.warn(&untitled_note(&outcome.untitled, &holder));
    }
    reporter.info(&escape_control(&pulled_summary(
        &target.display_name,
        &outcome.pulled,
        outcome.written.len(),
    )));
    print_stdout(&text)
}

/// The last line of a pull: how many files, and every artifact they came
/// from (a pull of each platform's SBOM takes from several).
fn pulled_summary(name: &str, pulled: &[Pulled], files: usize) -> String {
    match pulled {
        [one] => format!(
            "Pulled {name}@{} ({})",
            one.manifest.digest,
            count(files, "file")
        ),
        many => {
            let from: Vec<String> = many
                .iter()
                .map(|p| match &p.platform {
                    Some(platform) => format!("{name}@{} ({platform})", p.manifest.digest),
                    None => format!("{name}@{}", p.manifest.digest),
                })
                .collect();
            format!(
                "Pulled {} from {} artifacts: {}",
                count(files, "file"),
                many.len(),
                from.join(", ")
            )
        }
    }
}

/// What `oras pull` says of layers without a file name, and how to get them.
fn untitled_note(untitled: &[crate::oci::Descriptor], reference: &str) -> String {
    let digests: Vec<&str> = untitled.iter().map(|d| d.digest.short()).collect();
    format!(
        "skipped {} without a file name (no org.opencontainers.image.title), as oras does: {}; \
         `regscope pull {} --layer N` writes one, `regscope cat {} PATH` reads a file inside \
         an image layer",
        count(untitled.len(), "layer"),
        digests.join(", "),
        escape_control(reference),
        escape_control(reference),
    )
}

/// Which manifest a pull wrote from and why: source, digest, format,
/// platform.
fn describe_pulled(pulled: &Pulled) -> String {
    let mut line = format!("From {} {}", pulled.label, pulled.manifest.digest);
    if let Some(platform) = &pulled.platform {
        line.push_str(&format!(" for {platform}"));
    }
    line.push_str(&format!(", found by {}", pulled.found_by));
    if let Some(format) = pulled.format {
        line.push_str(&format!("; {}", format.label()));
    }
    line
}

/// `FILE[:MEDIATYPE]`: the part after the last colon is a media type only
/// when it looks like one (`type/subtype`), so `C:\x` or `a:b` stay paths.
fn parse_file_arg(arg: &str) -> AttachFile {
    match arg.rsplit_once(':') {
        Some((path, media_type))
            if !path.is_empty() && media_type.contains('/') && !media_type.starts_with('/') =>
        {
            AttachFile {
                path: PathBuf::from(path),
                media_type: Some(media_type.to_owned()),
            }
        }
        _ => AttachFile {
            path: PathBuf::from(arg),
            media_type: None,
        },
    }
}

fn parse_annotations(items: &[String]) -> Result<BTreeMap<String, String>> {
    let mut annotations = BTreeMap::new();
    for item in items {
        let (key, value) = item
            .split_once('=')
            .ok_or_else(|| eyre!("annotation {item:?} is not KEY=VALUE"))?;
        if key.is_empty() {
            bail!("annotation {item:?} has an empty key");
        }
        if annotations
            .insert(key.to_owned(), value.to_owned())
            .is_some()
        {
            bail!("annotation {key:?} is given twice");
        }
    }
    Ok(annotations)
}

pub(super) async fn attach(
    args: AttachArgs,
    connection: &ConnectOptions,
    cancel: &CancellationToken,
    reporter: Reporter,
) -> Result<()> {
    let (target, reference) = open_ref(&args.reference, connection)?;
    let options = AttachOptions {
        artifact_type: args.artifact_type,
        files: args.files.iter().map(|f| parse_file_arg(f)).collect(),
        annotations: parse_annotations(&args.annotations)?,
        platform: args.platform,
    };
    let store = target.store.as_ref();
    let result = reporter
        .with_progress(cancel, |sink| async move {
            crate::ops::attach(
                store,
                &target.repository,
                &reference,
                &options,
                &sink,
                cancel,
            )
            .await
        })
        .await;
    let pushed = result.wrap_err_with(|| format!("cannot attach to {}", args.reference))?;
    print_stdout(&format!(
        "{}@{}\n",
        escape_control(&target.display_name),
        pushed.descriptor.digest
    ))
}

pub(super) async fn copy(
    args: CopyArgs,
    connection: &ConnectOptions,
    cancel: &CancellationToken,
    reporter: Reporter,
) -> Result<()> {
    let source_spec = Spec::parse(&args.source)?;
    let destination_spec = Spec::parse(&args.destination)?;
    let source = open(&source_spec, connection, false)?;
    let reference = source.require_reference()?.to_owned();
    let destination = open(&destination_spec, connection, true)?;
    if destination.repository.is_empty() {
        bail!("{} does not name a repository", args.destination);
    }
    if destination_spec.target().is_some() && destination_spec.tag().is_none() {
        bail!("the destination may name a tag, not a digest (the copy keeps the source's digest)");
    }
    // Like oras: a destination without a tag takes the source's tag.
    let tag = destination_spec
        .tag()
        .or_else(|| source_spec.tag())
        .map(str::to_owned);
    let options = CopyOptions {
        referrers: args.recursive,
        artifact_types: args.artifact_type,
        tag,
        platform: args.platform,
        cosign_tags: !args.no_cosign_tags,
        ..CopyOptions::default()
    };
    let (from, to) = (source.store.as_ref(), destination.store.as_ref());
    let result = reporter
        .with_progress(cancel, |sink| async move {
            crate::ops::copy(
                from,
                &source.repository,
                &reference,
                to,
                &destination.repository,
                &options,
                &sink,
                cancel,
            )
            .await
        })
        .await;
    let outcome =
        result.wrap_err_with(|| format!("cannot copy {} to {}", args.source, args.destination))?;
    reporter.info(&format!(
        "Copied {}: {} transferred, {} mounted, {} already there",
        count(outcome.manifests, "manifest"),
        count(outcome.blobs_copied, "blob"),
        outcome.blobs_mounted,
        outcome.blobs_skipped
    ));
    let digest = outcome
        .root
        .map(|d| d.digest.to_string())
        .unwrap_or_default();
    print_stdout(&format!(
        "{}@{digest}\n",
        escape_control(&destination.display_name)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_media_types_only_when_they_look_like_one() {
        let f = parse_file_arg("sbom.json:application/json");
        assert_eq!(f.path, PathBuf::from("sbom.json"));
        assert_eq!(f.media_type.as_deref(), Some("application/json"));
        assert_eq!(parse_file_arg("a:b").path, PathBuf::from("a:b"));
        assert_eq!(parse_file_arg("dir/x").media_type, None);
        assert!(parse_annotations(&["k=v=w".into()]).is_ok());
        assert!(parse_annotations(&["novalue".into()]).is_err());
        assert!(parse_annotations(&["k=1".into(), "k=2".into()]).is_err());
    }
}
