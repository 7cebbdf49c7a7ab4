//! The lines of what comes with an image: the SBOM's packages added,
//! removed and changed (with which SBOM each side has), and the
//! attachments only one side has or both have.

use super::{Mark, SectionLines, entry};
use crate::diff::SbomDiff;
use crate::diff::attachments::{Attachment, AttachmentsDiff};
use crate::text::escape_control;

pub(super) fn sbom_section(sbom: &SbomDiff) -> SectionLines {
    let side = |which: &str, source: &Option<crate::diff::sbom::SbomSource>| match source {
        Some(s) => format!(
            "{which}: {} {} in {} ({} packages)",
            escape_control(&s.format),
            escape_control(&s.kind),
            s.digest.short(),
            s.packages
        ),
        None => format!("{which}: no SBOM"),
    };
    let mut entries = vec![
        entry(Mark::Info, "", side("left", &sbom.left)),
        entry(Mark::Info, "", side("right", &sbom.right)),
    ];
    let purl = |p: &str| {
        if p.is_empty() {
            String::new()
        } else {
            format!(" ({})", escape_control(p))
        }
    };
    for (mark, list) in [(Mark::Added, &sbom.added), (Mark::Removed, &sbom.removed)] {
        for p in list {
            let text = format!(
                "{} {}{}",
                escape_control(&p.name),
                escape_control(&p.version),
                purl(&p.purl)
            );
            entries.push(entry(mark, &format!("{} {}", p.name, p.purl), text));
        }
    }
    for c in &sbom.changed {
        let text = format!(
            "{} {} → {}{}",
            escape_control(&c.name),
            escape_control(&c.from),
            escape_control(&c.to),
            purl(&c.purl)
        );
        entries.push(entry(
            Mark::Changed,
            &format!("{} {}", c.name, c.purl),
            text,
        ));
    }
    let summary = match (&sbom.left, &sbom.right) {
        (None, None) => "no SBOM on either side".to_owned(),
        (Some(_), None) => "SBOM missing on the right".to_owned(),
        (None, Some(_)) => "SBOM missing on the left".to_owned(),
        (Some(_), Some(_)) => format!(
            "+{} \u{2212}{} ~{} packages",
            sbom.added.len(),
            sbom.removed.len(),
            sbom.changed.len()
        ),
    };
    SectionLines {
        name: "SBOM packages".to_owned(),
        summary,
        entries,
    }
}

pub(super) fn attachments_section(attachments: &AttachmentsDiff) -> SectionLines {
    let mut entries = Vec::new();
    let one = |mark, item: &Attachment, what: &str| {
        let platform = item
            .platform
            .as_deref()
            .map(|p| format!(" on {}", escape_control(p)))
            .unwrap_or_default();
        let kind_and_type = attachment_name(item.kind, item.artifact_type.as_deref());
        let text = format!(
            "{} {kind_and_type}{platform} ({}): {what}",
            item.digest.short(),
            escape_control(&item.found_by.join(", "))
        );
        entry(mark, &format!("{} {kind_and_type}", item.digest), text)
    };
    for item in &attachments.only_left {
        entries.push(one(Mark::Removed, item, "missing on the right"));
    }
    for item in &attachments.only_right {
        entries.push(one(Mark::Added, item, "missing on the left"));
    }
    for item in &attachments.both {
        let name = attachment_name(item.kind, item.artifact_type.as_deref());
        let (mark, how) = match &item.right_digest {
            Some(right) => (
                Mark::Changed,
                format!(" → {} (matched by kind and artifact type)", right.short()),
            ),
            None => (Mark::Same, String::new()),
        };
        let text = format!("{} {name}{how}", item.digest.short());
        entries.push(entry(mark, &format!("{} {name}", item.digest), text));
    }
    SectionLines {
        name: "Attachments".to_owned(),
        summary: format!(
            "{} on both sides, {} only on the left, {} only on the right",
            attachments.both.len(),
            attachments.only_left.len(),
            attachments.only_right.len()
        ),
        entries,
    }
}

/// `signature signature/example`.
fn attachment_name(kind: &str, artifact_type: Option<&str>) -> String {
    format!(
        "{kind} {}",
        escape_control(artifact_type.unwrap_or("<unknown>"))
    )
}
