//! Embeds the demo layouts (`assets/demo/`, written by
//! `scripts/make-demo-layout`) into the binary, so `regscope` with no
//! argument works offline from `cargo install`: this writes a table of
//! `(relative path, include_bytes!(…))` that `src/demo.rs` includes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let demo = manifest_dir.join("assets").join("demo");
    println!("cargo:rerun-if-changed=assets/demo");
    println!("cargo:rerun-if-changed=build.rs");

    let mut files = Vec::new();
    collect(&demo, &demo, &mut files);
    files.sort();

    let mut table = String::from("&[\n");
    for (relative, absolute) in &files {
        let _ = writeln!(
            table,
            "    ({relative:?}, include_bytes!({absolute:?}) as &[u8]),"
        );
    }
    table.push(']');

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(error) = std::fs::write(out_dir.join("demo_files.rs"), table) {
        panic!("cannot write the demo table: {error}");
    }
}

/// Every regular file below `dir`, as (path relative to `root` with `/`
/// separators, absolute path).
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            collect(root, &path, files);
        } else if file_type.is_file() {
            let Ok(relative) = path.strip_prefix(root) else {
                continue;
            };
            let relative: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.push((relative.join("/"), path.display().to_string()));
        }
    }
}
