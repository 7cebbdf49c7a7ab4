//! The files section's lines: paths added, removed and modified, with
//! each side's type, mode, owner and size; a path the unread shared base
//! may hold too is marked uncertain as the CLI marks it.

use super::{Entry, Mark, SectionLines, UNCERTAIN, entry};
use crate::diff::files::{FileInfo, FilesDiff, OneSided};
use crate::text::{escape_control, human_size};

pub(super) fn files_section(files: &FilesDiff) -> SectionLines {
    let mut entries = Vec::new();
    entries.extend(files.added.iter().map(|f| one_sided(Mark::Added, f)));
    entries.extend(files.removed.iter().map(|f| one_sided(Mark::Removed, f)));
    for item in &files.modified {
        let text = format!(
            "{} ({}): {} → {}",
            escape_control(&item.path),
            item.changes.join(", "),
            file_text(&item.left),
            file_text(&item.right)
        );
        entries.push(entry(Mark::Changed, &item.path, text));
    }
    let uncertain = entries.iter().filter(|e| e.uncertain).count();
    let mut summary = format!(
        "{} added, {} removed, {} modified",
        files.added.len(),
        files.removed.len(),
        files.modified.len()
    );
    if uncertain > 0 {
        summary.push_str(&format!(", {uncertain} uncertain"));
    }
    SectionLines {
        name: "Files".to_owned(),
        summary,
        entries,
    }
}

fn one_sided(mark: Mark, item: &OneSided) -> Entry {
    let mut text = escape_control(&item.path).into_owned();
    if let Some(info) = &item.entry {
        text.push(' ');
        text.push_str(&file_text(info));
    }
    if item.uncertain.is_some() {
        text.push(' ');
        text.push_str(UNCERTAIN);
    }
    Entry {
        uncertain: item.uncertain.is_some(),
        ..entry(mark, &item.path, text)
    }
}

/// `file 0644 0/0 12 B`, `symlink 0777 0/0 -> target`.
fn file_text(info: &FileInfo) -> String {
    let kind = serde_json::to_value(info.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let mut text = format!("{kind} {} {}/{}", info.mode, info.uid, info.gid);
    if let Some(link) = &info.link {
        text.push_str(&format!(" -> {}", escape_control(link)));
    } else if kind == "file" {
        text.push_str(&format!(" {}", human_size(info.size)));
    }
    text
}
