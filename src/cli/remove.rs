//! `rm`: plan, show exactly what will go, ask (or refuse off a terminal
//! without `-y`), then delete. `rm REPO:TAG` deletes the tag alone; with
//! `--manifest` (or `--with-referrers`) the manifest it names, every tag
//! naming it, and its referrers, deepest first. A plan that would leave an
//! index pointing at nothing is refused without `--break-index`.

use std::io::IsTerminal;

use color_eyre::eyre::{Result, WrapErr, bail};

use super::commands::open_ref;
use super::progress::Reporter;
use super::write_args::DeleteArgs;
use crate::ops::{CancellationToken, DeletePlan};
use crate::store::remote::ConnectOptions;
use crate::target::Spec;
use crate::text::{count, escape_control};

pub(super) async fn remove(
    args: DeleteArgs,
    connection: &ConnectOptions,
    cancel: &CancellationToken,
    reporter: Reporter,
) -> Result<()> {
    let tag = Spec::parse(&args.reference)?.tag().map(str::to_owned);
    let (target, reference) = open_ref(&args.reference, connection)?;
    let store = target.store.as_ref();
    let planned = match tag.as_deref() {
        Some(tag) if !args.manifest && !args.with_referrers => {
            crate::ops::plan_tag_delete(store, &target.repository, tag).await
        }
        _ => {
            crate::ops::plan_delete(
                store,
                &target.repository,
                &reference,
                args.with_referrers,
                !args.no_cosign_tags,
                None,
            )
            .await
        }
    };
    let mut plan = planned.wrap_err_with(|| format!("cannot plan deleting {}", args.reference))?;
    plan.break_indexes = args.break_index;
    let orphans = orphan_note(plan.orphaned.len());
    let listing = listing(&plan, orphans.as_deref());
    if let Some(refusal) = plan.refusal() {
        eprint!("{listing}");
        bail!("{refusal} (--break-index deletes it anyway)");
    }
    // The plan is what the question is about: asked, it is always shown.
    if !(args.yes && reporter.is_quiet()) {
        eprint!("{listing}");
    }
    if !args.yes {
        confirm(orphans.as_deref())?;
    }
    let result = reporter
        .with_progress(cancel, |sink| async move {
            crate::ops::delete(store, &plan, &sink, cancel).await
        })
        .await;
    let deleted = result.wrap_err_with(|| format!("cannot delete {}", args.reference))?;
    reporter.info(&match tag {
        Some(tag) if deleted == 0 => format!("Deleted the tag {}", escape_control(&tag)),
        _ => format!("Deleted {}", count(deleted, "manifest")),
    });
    Ok(())
}

/// The plan as printed before the question: the engine's lines, its
/// warnings, and how to change it.
fn listing(plan: &DeletePlan, orphans: Option<&str>) -> String {
    let mut listing = format!("{}:\n", crate::ops::delete::plan_summary(plan));
    for line in crate::ops::delete::plan_lines(plan) {
        listing.push_str(&format!("  {}\n", escape_control(&line)));
    }
    for warning in &plan.warnings {
        listing.push_str(&format!("warning: {}\n", escape_control(warning)));
    }
    if let Some(note) = orphans {
        listing.push_str(&format!("{note}\n"));
    }
    if plan.tag_only.is_some() {
        listing.push_str(
            "(--manifest deletes the manifest instead, and with it every tag that names it)\n",
        );
    }
    listing
}

/// Asks on a terminal; refuses elsewhere.
fn confirm(orphans: Option<&str>) -> Result<()> {
    if !std::io::stdin().is_terminal() {
        match orphans {
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
    Ok(())
}

/// What deleting only the subject does to its referrers, when it has some.
fn orphan_note(orphaned: usize) -> Option<String> {
    (orphaned > 0).then(|| {
        format!(
            "{} would be left orphaned, pointing at a deleted manifest \
             (--with-referrers deletes them too)",
            count(orphaned, "referrer")
        )
    })
}
