//! The engine (`oci`, `store`, `graph`, `ops`, `layer`, `demo`) must stay usable
//! without a terminal: it never imports a front end or a terminal crate.
//! This keeps the boundary DESIGN.md draws as if the engine were a crate.

use std::fs;
use std::path::{Path, PathBuf};

const ENGINE: &[&str] = &[
    "oci", "store", "graph", "ops", "demo", "text", "document", "audit", "layer",
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

#[test]
fn engine_never_imports_a_front_end() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for module in ENGINE {
        rust_files(&src.join(format!("{module}.rs")), &mut files);
        rust_files(&src.join(module), &mut files);
    }
    assert!(
        files.len() >= ENGINE.len(),
        "engine sources not found under {}",
        src.display()
    );
    let mut offences = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).expect("readable source");
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for word in FORBIDDEN {
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
    assert!(
        offences.is_empty(),
        "the engine imports a front end:\n{}",
        offences.join("\n")
    );
}
