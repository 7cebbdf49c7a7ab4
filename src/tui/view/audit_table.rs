//! The audit table: one row per image, filled as lookups finish, with the
//! summary line ("38/40 signed · 12 with SBOM · 3 verified") and progress.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Widget};

use crate::audit::{ImageAudit, Verification};
use crate::text::escape_control;
use crate::tui::app::AuditTable;

pub struct AuditView<'a> {
    pub table: &'a AuditTable,
    pub tick: u64,
}

fn mark(flag: bool) -> Cell<'static> {
    if flag {
        Cell::from("✓").style(Style::new().fg(Color::Green))
    } else {
        Cell::from("✗").style(Style::new().fg(Color::Red))
    }
}

fn row_cells(row: &ImageAudit) -> Vec<Cell<'static>> {
    let tags = if row.tags.is_empty() {
        "-".to_owned()
    } else {
        row.tags.join(", ")
    };
    let schemes: Vec<&str> = row.schemes().iter().map(|s| s.label()).collect();
    let signed = if schemes.is_empty() {
        mark(false)
    } else {
        Cell::from(format!("✓ {}", schemes.join(","))).style(Style::new().fg(Color::Green))
    };
    // For an index the count comes first: a narrow column cuts the format
    // names, never how many platforms have an SBOM.
    let formats = row.sbom.formats.join("+");
    let sbom = match row.sbom.coverage {
        _ if row.sbom.digests.is_empty() => mark(false),
        Some((covered, total)) if covered < total => {
            Cell::from(format!("✗ {covered}/{total} {formats}")).style(Style::new().fg(Color::Red))
        }
        Some((covered, total)) => Cell::from(format!("✓ {covered}/{total} {formats}"))
            .style(Style::new().fg(Color::Green)),
        None => Cell::from(format!("✓ {formats}")).style(Style::new().fg(Color::Green)),
    };
    let verification = match &row.verification {
        Verification::Verified { key } => {
            // A key file's name and fingerprint (its directory is noise);
            // an identity (keyless, Notation) whole, its URLs intact.
            let key = match key.split_once(" (sha256:") {
                Some((file, _)) if file.contains('/') => {
                    &key[file.rfind('/').map_or(0, |i| i + 1)..]
                }
                _ => key.as_str(),
            };
            Cell::from(format!("verified {}", escape_control(key)))
                .style(Style::new().fg(Color::Green))
        }
        Verification::Failed { reasons } => {
            Cell::from(format!("failed: {}", escape_control(&reasons.join("; "))))
                .style(Style::new().fg(Color::Red))
        }
        Verification::Unverified => {
            Cell::from(row.verdict()).style(Style::new().fg(Color::DarkGray))
        }
    };
    let digest = match &row.error {
        Some(_) => Cell::from(format!("{} ✗ error", row.digest.short())),
        // An index whose platform is gone points at nothing there.
        None if !row.unfetched_platforms.is_empty() => Cell::from(format!(
            "{} ⚠ {} missing",
            row.digest.short(),
            row.unfetched_platforms.len()
        ))
        .style(Style::new().fg(Color::Yellow)),
        None => Cell::from(row.digest.short().to_owned()),
    };
    // For an index: how many platforms' SBOMs are signed, like the SBOM column.
    let signed_sbom = match row.sbom.signed_coverage {
        Some((covered, total)) => {
            let colour = if row.sbom.signed {
                Color::Green
            } else {
                Color::Red
            };
            let mark = if row.sbom.signed { "✓" } else { "✗" };
            Cell::from(format!("{mark} {covered}/{total}")).style(Style::new().fg(colour))
        }
        None => mark(row.sbom.signed),
    };
    vec![
        Cell::from(escape_control(&row.repository).into_owned()),
        Cell::from(escape_control(&tags).into_owned()),
        digest,
        signed,
        sbom,
        signed_sbom,
        mark(row.provenance),
        mark(row.scan),
        Cell::from(row.other_attestations.to_string()),
        Cell::from(escape_control(row.newest.as_deref().unwrap_or("-")).into_owned()),
        verification,
    ]
}

impl Widget for &AuditView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let table = self.table;
        let [head, body, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let summary = table.summary();
        let progress = if table.running {
            format!(
                "{} auditing {}/{}",
                super::labels::spinner(self.tick),
                table.rows.len(),
                table.planned
            )
        } else {
            match &table.outcome {
                Some(why) => format!("stopped: {}", escape_control(why)),
                None => format!("{} images audited", table.rows.len()),
            }
        };
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!("Audit of {}  ", escape_control(&table.title)),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(format!("{}  ·  {progress}", summary.line())),
        ]))
        .render(head, buf);

        let header = Row::new([
            "REPOSITORY",
            "TAGS",
            "DIGEST",
            "SIGNED",
            "SBOM",
            "SBOM SIGNED",
            "PROV",
            "SCAN",
            "ATT",
            "NEWEST",
            "VERIFICATION",
        ])
        .style(Style::new().add_modifier(Modifier::BOLD));
        let visible = table.visible();
        let height = usize::from(body.height.saturating_sub(3)).max(1);
        let offset = table.selected.saturating_sub(height - 1);
        let rows: Vec<Row> = visible
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(i, row)| {
                let style = if i == table.selected {
                    Style::new().add_modifier(Modifier::REVERSED)
                } else {
                    Style::new()
                };
                Row::new(row_cells(row)).style(style)
            })
            .collect();
        // Room for "⚠ 1 missing" beside the digest only when a row has it.
        let digest_width = if visible.iter().any(|r| !r.unfetched_platforms.is_empty()) {
            24
        } else {
            12
        };
        let widths = [
            Constraint::Length(14),
            Constraint::Min(10),
            Constraint::Length(digest_width),
            Constraint::Length(18),
            Constraint::Length(16),
            Constraint::Length(11),
            Constraint::Length(4),
            Constraint::Length(4),
            Constraint::Length(3),
            Constraint::Length(20),
            Constraint::Min(12),
        ];
        Table::new(rows, widths)
            .header(header)
            .block(Block::new().borders(Borders::ALL).title(format!(
                " {} of {} shown · sorted by {} ",
                visible.len(),
                table.rows.len(),
                table.sort.label()
            )))
            .render(body, buf);

        let hint = if table.filtering {
            format!(
                "filter: {}▏ (Enter/Esc to finish)",
                escape_control(&table.filter)
            )
        } else {
            let esc = if table.running { "cancel" } else { "close" };
            let filter = if table.filter.is_empty() {
                String::new()
            } else {
                format!("  filter: {}", escape_control(&table.filter))
            };
            format!("↑↓ move · Enter open graph · s sort · / filter · Esc {esc}{filter}")
        };
        Paragraph::new(hint)
            .style(Style::new().fg(Color::DarkGray))
            .render(foot, buf);
    }
}
