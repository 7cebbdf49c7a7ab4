//! The regscope binary against real registries, compared with the real ORAS
//! CLI: the same tree (`tree --format json` = `oras discover --format
//! json`, ignoring order), what `attach` pushes oras sees, what `cp -r`
//! copies oras discovers with the same digests, `pull` writes the same bytes
//! as `oras pull`, and after `rm --with-referrers` nothing is left. The
//! helpers here run the binary for every CLI test.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::support::Oras;

mod copy_delete;
mod escapes;
mod tree_attach_pull;

/// Runs the built binary with a private HOME (no user credentials).
pub fn regscope_output(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regscope"))
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("DOCKER_CONFIG", dir.join(".docker"))
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .output()
        .expect("run regscope")
}

/// Runs the binary and returns stdout; panics with stderr on failure.
pub fn regscope(dir: &Path, args: &[&str]) -> String {
    let out = regscope_output(dir, args);
    assert!(
        out.status.success(),
        "regscope {args:?} failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

pub fn regscope_json(dir: &Path, args: &[&str]) -> Value {
    let out = regscope(dir, args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

/// Sorts every `referrers` array by digest, so trees compare ignoring order.
pub fn normalised(mut node: Value) -> Value {
    if let Some(list) = node.get_mut("referrers").and_then(Value::as_array_mut) {
        let mut sorted: Vec<Value> = list.drain(..).map(normalised).collect();
        sorted.sort_by_key(|r| r["digest"].as_str().unwrap_or_default().to_owned());
        *list = sorted;
    }
    node
}

/// The tree without `reference` fields (they name the repository), for
/// comparing a copy with its source.
pub fn without_references(mut node: Value) -> Value {
    if let Some(object) = node.as_object_mut() {
        object.remove("reference");
    }
    if let Some(list) = node.get_mut("referrers").and_then(Value::as_array_mut) {
        let stripped: Vec<Value> = list.drain(..).map(without_references).collect();
        *list = stripped;
    }
    normalised(node)
}

fn tree_json(dir: &Path, reference: &str) -> Value {
    normalised(regscope_json(dir, &["tree", reference, "--format", "json"]))
}

fn oras_tree(oras: &Oras, reference: &str) -> Value {
    normalised(oras.json(&["discover", reference, "--format", "json"]))
}

/// Same relative paths, same bytes, same kinds.
pub fn assert_same_tree(a: &Path, b: &Path) {
    let list = |root: &Path| {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let entry = entry.unwrap();
                let path = entry.path();
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                let meta = std::fs::symlink_metadata(&path).unwrap();
                if meta.is_dir() {
                    stack.push(path.clone());
                    out.push((rel, None));
                } else {
                    out.push((rel, Some(std::fs::read(&path).unwrap())));
                }
            }
        }
        out.sort();
        out
    };
    assert_eq!(
        list(a),
        list(b),
        "{} and {} differ",
        a.display(),
        b.display()
    );
}
