//! The engine (`oci`, `store`, `graph`, `ops`, `layer`, `demo`, …) must stay usable
//! without a terminal: it never imports a front end or a terminal crate.
//! The two front ends never import each other either: what both need (how
//! a typed REF opens a store, logging) lives in the engine. This keeps the
//! boundary DESIGN.md draws as if each were a crate.

use std::fs;
use std::path::{Path, PathBuf};

const ENGINE: &[&str] = &[
    "oci", "store", "graph", "ops", "demo", "text", "document", "audit", "target", "logging",
    "layer", "vuln", "diff", "doctor",
];
const FORBIDDEN: &[&str] = &[
    "ratatui",
    "crossterm",
    "tui_tree_widget",
    "arboard",
    "crate::tui",
    "crate::cli",
];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in fs::read_dir(path).expect("readable source dir") {
            rust_files(&entry.expect("dir entry").path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_owned());
    }
}

/// The sources of `modules`, each `src/<module>.rs` and `src/<module>/**`.
fn sources_of(modules: &[&str]) -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for module in modules {
        rust_files(&src.join(format!("{module}.rs")), &mut files);
        rust_files(&src.join(module), &mut files);
    }
    assert!(
        files.len() >= modules.len(),
        "sources of {modules:?} not found under {}",
        src.display()
    );
    files
}

#[test]
fn engine_never_imports_a_front_end() {
    let offences = offences(&sources_of(ENGINE), FORBIDDEN);
    assert!(
        offences.is_empty(),
        "the engine imports a front end:\n{}",
        offences.join("\n")
    );
}

#[test]
fn front_ends_never_import_each_other() {
    let tui = offences(&sources_of(&["tui"]), &["crate::cli", "regscope::cli"]);
    let cli = offences(&sources_of(&["cli"]), &["crate::tui", "regscope::tui"]);
    assert!(
        tui.is_empty() && cli.is_empty(),
        "a front end imports the other:\n{}",
        [tui, cli].concat().join("\n")
    );
}

/// The router (`tui::app`) changes state and returns effects as data: it
/// never draws or runs anything, so it imports neither the view nor the
/// runner. Files that are only tests may draw.
#[test]
fn state_never_imports_view_or_runner() {
    let state: Vec<PathBuf> = sources_of(&["tui/app"])
        .into_iter()
        .filter(|file| !file.to_string_lossy().ends_with("_tests.rs"))
        .collect();
    let offences = offences(
        &state,
        &["tui::view", "tui::runner", "super::view", "super::runner"],
    );
    assert!(
        offences.is_empty(),
        "the state imports the view or the runner:\n{}",
        offences.join("\n")
    );
}

/// Screens (`tui/screens/*`) own their state, keys and drawing: a screen
/// never reaches into the router (`tui::app`) or the runner, and nothing
/// outside a screen names its inner modules (its rows, its drawing, its
/// keys), only the screen. The graph opens the others by their public
/// type; no other screen names another, and only the graph knows the
/// tree.
#[test]
fn screens_never_import_each_others_internals() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui/screens");
    let names: Vec<String> = fs::read_dir(&root)
        .expect("screens")
        .filter_map(|e| {
            let path = e.ok()?.path();
            let stem = path.file_stem()?.to_string_lossy().into_owned();
            (path.extension()? == "rs").then_some(stem)
        })
        .collect();
    for expected in [
        "graph", "audit", "files", "help", "messages", "dialogs", "prompt",
    ] {
        assert!(names.iter().any(|n| n == expected), "no screen {expected}");
    }
    let mut found = Vec::new();
    for name in &names {
        let module = format!("tui/screens/{name}");
        let own = sources_of(&[module.as_str()]);
        let mut forbidden: Vec<String> = ["tui::app", "tui::runner", "super::super::app"]
            .map(str::to_owned)
            .to_vec();
        if name != "graph" {
            forbidden.push("tui::tree".to_owned());
            forbidden.extend(
                names
                    .iter()
                    .filter(|other| *other != name)
                    .map(|other| format!("screens::{other}")),
            );
        }
        let forbidden: Vec<&str> = forbidden.iter().map(String::as_str).collect();
        found.extend(offences(&own, &forbidden));
        // Its inner modules, named from anywhere else in the TUI.
        let inner: Vec<String> = fs::read_dir(root.join(name))
            .map(|dir| {
                dir.filter_map(|e| {
                    let stem = e.ok()?.path().file_stem()?.to_string_lossy().into_owned();
                    Some(format!("screens::{name}::{stem}"))
                })
                .collect()
            })
            .unwrap_or_default();
        let inner: Vec<&str> = inner.iter().map(String::as_str).collect();
        let outside: Vec<PathBuf> = sources_of(&["tui"])
            .into_iter()
            .filter(|f| !own.contains(f))
            .collect();
        found.extend(offences(&outside, &inner));
    }
    assert!(
        found.is_empty(),
        "a screen's internals are reached from outside it:\n{}",
        found.join("\n")
    );
}

/// `App` is a router over the session, the config, the running
/// operations and the stack: a new screen is a screen on the stack, never
/// a field here.
#[test]
fn the_app_has_few_fields() {
    let app = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui/app.rs"))
        .expect("app.rs");
    let body = app
        .split("pub struct App {")
        .nth(1)
        .and_then(|rest| rest.split("\n}").next())
        .expect("struct App");
    let fields: Vec<&str> = body
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("//") && line.ends_with(','))
        .collect();
    assert!(
        fields.len() <= 10,
        "App has {} fields: {fields:#?}",
        fields.len()
    );
}

/// Lines of `files` whose code (not comments) names one of `forbidden`.
fn offences(files: &[PathBuf], forbidden: &[&str]) -> Vec<String> {
    let mut offences = Vec::new();
    for file in files {
        let text = fs::read_to_string(file).expect("readable source");
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for word in forbidden {
                if code.contains(word) {
                    offences.push(format!(
                        "{}:{}: {}",
                        file.display(),
                        number + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    offences
}
