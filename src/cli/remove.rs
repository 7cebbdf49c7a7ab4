//! `rm`: plan, show exactly what will go, ask (or refuse off a terminal
//! without `-y`), then delete deepest first.

use std::io::IsTerminal;

use color_eyre::eyre::{Result, WrapErr, bail};

use super::DeleteArgs;
use super::commands::open_ref;
use super::progress::Reporter;
use crate::ops::CancellationToken;
use crate::store::remote::ConnectOptions;
use crate::text::escape_control;

pub(super) async fn remove(
    args: DeleteArgs,
    connection: &ConnectOptions,
    cancel: &CancellationToken,
    reporter: Reporter,
) -> Result<()> {
    let (target, reference) = open_ref(&args.reference, connection)?;
    let store = target.store.as_ref();
    let plan = crate::ops::plan_delete(
        store,
        &target.repository,
        &reference,
        args.with_referrers,
        !args.no_cosign_tags,
        None,
    )
    .await
    .wrap_err_with(|| format!("cannot plan deleting {}", args.reference))?;
    let mut listing = format!(
        "{} will be deleted:\n",
        crate::text::count(plan.manifests.len(), "manifest")
    );
    for item in &plan.manifests {
        let tags = if item.tags.is_empty() {
            String::new()
        } else {
            format!(" (tag {})", escape_control(&item.tags.join(", ")))
        };
        listing.push_str(&format!(
            "  {} {}{tags}\n",
            item.descriptor.digest,
            escape_control(item.artifact_type.as_deref().unwrap_or("(subject)"))
        ));
    }
    for kept in &plan.in_index {
        listing.push_str(&format!(
            "  kept (an entry of the index, BuildKit attestation): {}\n",
            kept.digest
        ));
    }
    for skipped in &plan.unverified {
        listing.push_str(&format!(
            "  kept (unlinked referrer: does not name its subject): {}\n",
            skipped.digest
        ));
    }
    for warning in &plan.warnings {
        listing.push_str(&format!("warning: {}\n", escape_control(warning)));
    }
    let orphans = orphan_note(plan.orphaned.len());
    if let Some(note) = &orphans {
        listing.push_str(&format!("{note}\n"));
    }
    // The plan is what the question is about: asked, it is always shown.
    if !(args.yes && reporter.is_quiet()) {
        eprint!("{listing}");
    }
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            match &orphans {
                Some(note) => {
                    bail!("refusing to delete: {note}; pass -y (or --force) to delete anyway")
                }
                None => bail!(
                    "refusing to delete without confirmation: pass -y (standard input is not a terminal)"
                ),
            }
        }
        eprint!("Delete these? [y/N] ");
        let mut answer = String::new();
        std::io::stdin()
            .read_line(&mut answer)
            .wrap_err("cannot read the answer")?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            bail!("nothing deleted");
        }
    }
    let result = reporter
        .with_progress(cancel, |sink| async move {
            crate::ops::delete(store, &plan, &sink, cancel).await
        })
        .await;
    let deleted = result.wrap_err_with(|| format!("cannot delete {}", args.reference))?;
    reporter.info(&format!(
        "Deleted {}",
        crate::text::count(deleted, "manifest")
    ));
    Ok(())
}

/// What deleting only the subject does to its referrers, when it has some.
fn orphan_note(orphaned: usize) -> Option<String> {
    (orphaned > 0).then(|| {
        format!(
            "{} would be left orphaned, pointing at a deleted manifest \
             (--with-referrers deletes them too)",
            crate::text::count(orphaned, "referrer")
        )
    })
}
