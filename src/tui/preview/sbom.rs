//! An SBOM's summary: format and version, number of components, and the
//! components with version and licence (CycloneDX, SPDX, Syft JSON).

use std::sync::{Arc, Mutex};

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use serde_json::Value;

use crate::document::SbomFormat;
use crate::text::escape_control;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub name: String,
    pub version: String,
    pub licence: String,
    pub purl: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SbomSummary {
    /// "CycloneDX 1.5", "SPDX-2.3", "Syft 16.0.0"
    pub format: String,
    pub components: Vec<Component>,
}

impl SbomSummary {
    /// Reads a JSON SBOM; `None` when the document is none of the formats.
    pub fn parse(bytes: &[u8]) -> Option<SbomSummary> {
        let doc: Value = serde_json::from_slice(bytes).ok()?;
        // The engine's one detector says which format; this reads licences.
        let format = SbomFormat::of_json(&doc)?;
        if format == SbomFormat::CycloneDxJson {
            let version = text(&doc["specVersion"]);
            let mut components = Vec::new();
            collect_cyclonedx(&doc["components"], &mut components);
            return Some(SbomSummary {
                format: format!("CycloneDX {version}").trim().to_owned(),
                components,
            });
        }
        if let Some(version) = doc.get("spdxVersion").and_then(Value::as_str) {
            let components = array(&doc["packages"])
                .map(|p| Component {
                    name: text(&p["name"]),
                    version: text(&p["versionInfo"]),
                    licence: [&p["licenseConcluded"], &p["licenseDeclared"]]
                        .into_iter()
                        .map(text)
                        .find(|l| !l.is_empty() && l != "NOASSERTION")
                        .unwrap_or_default(),
                    purl: array(&p["externalRefs"])
                        .find(|r| r["referenceType"] == "purl")
                        .map(|r| text(&r["referenceLocator"]))
                        .unwrap_or_default(),
                })
                .collect();
            return Some(SbomSummary {
                format: version.to_owned(),
                components,
            });
        }
        if format == SbomFormat::SyftJson {
            let components = array(&doc["artifacts"])
                .map(|a| Component {
                    name: text(&a["name"]),
                    version: text(&a["version"]),
                    licence: array(&a["licenses"])
                        .map(|l| {
                            if l.is_string() {
                                text(l)
                            } else {
                                text(&l["value"])
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" OR "),
                    purl: text(&a["purl"]),
                })
                .collect();
            return Some(SbomSummary {
                format: format!("Syft {}", text(&doc["schema"]["version"])),
                components,
            });
        }
        None
    }

    /// The summary as lines; `search` narrows the components
    /// (case-insensitive, over what the rows show: name, version, licence).
    pub fn lines(&self, search: &str, heading: Style) -> Vec<Line<'static>> {
        let table = SbomTable::from(self.clone());
        let matches = table.matching(search);
        let mut lines = table.head(search, matches.as_deref().map(<[u32]>::len), heading);
        match matches {
            Some(picked) => lines.extend(picked.iter().map(|&i| table.rows[i as usize].clone())),
            None => lines.extend(table.rows.iter().cloned()),
        }
        lines
    }
}

/// An SBOM laid out once, when it arrives: one line per component, and
/// each component's searchable text already lowercased, so a search is one
/// pass of `contains` and a frame clones nothing it does not show.
#[derive(Debug)]
pub struct SbomTable {
    pub format: String,
    /// The column headings, then one line per component.
    pub rows: Vec<Line<'static>>,
    /// Name, version and licence of each component (what its row shows,
    /// uncut), lowercased and joined by NUL (typed text never holds one).
    haystacks: Vec<String>,
    /// The last search and its matches (indices into `rows`), kept for the
    /// frames that follow it.
    last_search: Mutex<Option<(String, Arc<[u32]>)>>,
}

impl From<SbomSummary> for SbomTable {
    fn from(summary: SbomSummary) -> SbomTable {
        // Widths over every component, so the lines never change with a
        // search.
        let components = &summary.components;
        let name_width = column_width(components.iter().map(|c| c.name.as_str()), 4, 26);
        let version_width = column_width(components.iter().map(|c| c.version.as_str()), 7, 14);
        let rows = components
            .iter()
            .map(|c| {
                // Every cell within its column (cut with an ellipsis), so a
                // long name or version never pushes the columns after it
                // and a long licence never wraps back to column 0.
                Line::from(vec![
                    Span::raw(format!("  {}  ", cell(&c.name, name_width))),
                    Span::styled(
                        format!("{}  ", cell(&c.version, version_width)),
                        Style::new().fg(Color::Yellow),
                    ),
                    Span::styled(
                        cell(&c.licence, LICENCE_WIDTH).trim_end().to_owned(),
                        Style::new().fg(Color::Green),
                    ),
                ])
            })
            .collect();
        let haystacks = components
            .iter()
            .map(|c| format!("{}\0{}\0{}", c.name, c.version, c.licence).to_lowercase())
            .collect();
        SbomTable {
            format: summary.format,
            rows,
            haystacks,
            last_search: Mutex::new(None),
        }
        .with_columns(name_width, version_width)
    }
}

impl SbomTable {
    fn with_columns(mut self, name_width: usize, version_width: usize) -> SbomTable {
        self.rows.insert(
            0,
            Line::raw(format!(
                "  {:<name_width$}  {:<version_width$}  licence",
                "name", "version"
            )),
        );
        self
    }

    /// How many components there are.
    pub fn components(&self) -> usize {
        self.haystacks.len()
    }

    /// The component lines (without the column headings).
    pub fn component_rows(&self) -> &[Line<'static>] {
        &self.rows[1..]
    }

    /// Indices into `component_rows` of the components `search` matches;
    /// `None` when there is no search. Computed once per search text.
    pub fn matching(&self, search: &str) -> Option<Arc<[u32]>> {
        if search.is_empty() {
            return None;
        }
        let mut last = self
            .last_search
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((text, matches)) = last.as_ref()
            && text == search
        {
            return Some(Arc::clone(matches));
        }
        let needle = search.to_lowercase();
        let matches: Arc<[u32]> = self
            .haystacks
            .iter()
            .enumerate()
            .filter(|(_, haystack)| haystack.contains(&needle))
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect();
        *last = Some((search.to_owned(), Arc::clone(&matches)));
        Some(matches)
    }

    /// The lines above the components: format, count (and matches), and
    /// the column headings in `heading`'s style.
    pub fn head(&self, search: &str, matches: Option<usize>, heading: Style) -> Vec<Line<'static>> {
        let mut columns = self.rows[0].clone();
        columns.style = heading;
        vec![
            Line::from(vec![
                Span::styled("format     ", heading),
                Span::raw(escape_control(&self.format).into_owned()),
            ]),
            Line::from(vec![
                Span::styled("components ", heading),
                Span::styled(
                    self.components().to_string(),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                match matches {
                    Some(count) => Span::raw(format!("  ({count} match {search:?})")),
                    None => Span::raw(""),
                },
            ]),
            columns,
        ]
    }
}

fn collect_cyclonedx(components: &Value, out: &mut Vec<Component>) {
    for c in array(components) {
        let licence = array(&c["licenses"])
            .map(|l| {
                let licence = &l["license"];
                [&l["expression"], &licence["id"], &licence["name"]]
                    .into_iter()
                    .map(text)
                    .find(|s| !s.is_empty())
                    .unwrap_or_default()
            })
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" AND ");
        out.push(Component {
            name: text(&c["name"]),
            version: text(&c["version"]),
            licence,
            purl: text(&c["purl"]),
        });
        // Nested components count too, as CycloneDX allows.
        collect_cyclonedx(&c["components"], out);
    }
}

fn array(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// The widest a licence shows; the search still finds the whole text.
const LICENCE_WIDTH: usize = 30;

/// `text` made safe to show and fitted to `width` columns: cut with an
/// ellipsis when longer, padded when shorter.
fn cell(text: &str, width: usize) -> String {
    let clean = escape_control(text);
    if clean.chars().count() <= width {
        return format!("{clean:<width$}");
    }
    let mut cut: String = clean.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The width of a column: its widest cell, within `min..=max`.
fn column_width<'a>(cells: impl Iterator<Item = &'a str>, min: usize, max: usize) -> usize {
    cells
        .map(|cell| cell.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(min, max)
}

#[cfg(test)]
#[path = "sbom_tests.rs"]
mod tests;
