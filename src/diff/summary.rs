//! The one line that says what differs, for the markdown comment, the
//! text output and a screen's title: "+3 −1 ~2 packages, 4 files changed,
//! signature missing on the right".

use std::collections::BTreeMap;

use super::ImageDiff;
use super::attachments::Attachment;
use crate::text::count;

pub fn summary_line(image: &ImageDiff) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(sbom) = &image.sbom {
        parts.push(match (&sbom.left, &sbom.right) {
            (None, None) => "no SBOM on either side".to_owned(),
            (Some(_), None) => "SBOM missing on the right".to_owned(),
            (None, Some(_)) => "SBOM missing on the left".to_owned(),
            (Some(_), Some(_)) => format!(
                "+{} \u{2212}{} ~{} packages",
                sbom.added.len(),
                sbom.removed.len(),
                sbom.changed.len()
            ),
        });
    }
    if let Some(files) = &image.files {
        parts.push(format!("{} changed", count(files.changed(), "file")));
    }
    if let Some(attachments) = &image.attachments {
        parts.extend(missing(&attachments.only_left, "right"));
        parts.extend(missing(&attachments.only_right, "left"));
        let other = attachments
            .both
            .iter()
            .filter(|m| m.right_digest.is_some())
            .count();
        if other > 0 {
            let verb = if other == 1 { "differs" } else { "differ" };
            parts.push(format!("{} {verb}", count(other, "attachment")));
        }
    }
    if let Some(manifest) = &image.manifest {
        let fields = manifest.changes.len();
        if fields > 0 {
            parts.push(format!(
                "{} changed",
                count(fields, "manifest or config field")
            ));
        }
        for platform in &manifest.platforms.added {
            parts.push(format!("platform {platform} added"));
        }
        for platform in &manifest.platforms.removed {
            parts.push(format!("platform {platform} removed"));
        }
    }
    if let Some(layers) = &image.layers
        && (!layers.added.is_empty() || !layers.removed.is_empty())
    {
        parts.push(format!(
            "{} added, {} removed",
            count(layers.added.len(), "layer"),
            layers.removed.len()
        ));
    }
    if image.same {
        return if parts.is_empty() {
            "no differences".to_owned()
        } else {
            format!("no differences ({})", parts.join(", "))
        };
    }
    parts.join(", ")
}

/// "signature missing on the right", "2 sboms missing on the right".
fn missing(items: &[Attachment], side: &str) -> Vec<String> {
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for item in items {
        *by_kind.entry(item.kind).or_default() += 1;
    }
    by_kind
        .into_iter()
        .map(|(kind, number)| {
            if number == 1 {
                format!("{kind} missing on the {side}")
            } else {
                format!("{} missing on the {side}", count(number, kind))
            }
        })
        .collect()
}
