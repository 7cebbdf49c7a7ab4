//! Several programs writing one OCI layout's `index.json` at once.
//!
//! regscope processes exclude each other with a lock on the layout
//! directory, so none of their entries may go missing. ORAS takes no lock
//! and rewrites the whole file from the copy it read when it started, so
//! with ORAS in the mix what regscope can promise is narrower: it carries
//! over what ORAS wrote into the file it replaced and applies its own
//! again when ORAS's rewrite dropped them; an ORAS rewrite after regscope
//! last looked still drops regscope's, and a save ORAS opened before the
//! rename but wrote after regscope's last look is lost (README, "Layouts
//! shared with other tools"): that moment is the span of one `open` to
//! `write` in ORAS, which a run of this test is very unlikely to hit.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;

use crate::support::Oras;

const WRITERS: usize = 8;
const ROUNDS: usize = 3;

/// An `index.json` entry: digest and tag (none for an untagged one).
type Entry = (String, Option<String>);

fn index_entries(layout: &Path) -> Vec<Value> {
    let raw = std::fs::read(layout.join("index.json")).unwrap();
    let index: Value = serde_json::from_slice(&raw).unwrap_or_else(|e| {
        panic!(
            "index.json does not parse ({e}): {}",
            String::from_utf8_lossy(&raw)
        )
    });
    index["manifests"].as_array().unwrap().clone()
}

fn entries(layout: &Path) -> BTreeSet<Entry> {
    index_entries(layout)
        .iter()
        .map(|entry| {
            (
                entry["digest"].as_str().unwrap().to_owned(),
                entry["annotations"]["org.opencontainers.image.ref.name"]
                    .as_str()
                    .map(str::to_owned),
            )
        })
        .collect()
}

/// Every entry's manifest is in the layout: nothing listed points nowhere.
fn assert_every_entry_stored(layout: &Path) {
    for entry in index_entries(layout) {
        let digest = entry["digest"].as_str().unwrap();
        let hex = digest.strip_prefix("sha256:").unwrap();
        assert!(
            layout.join("blobs/sha256").join(hex).is_file(),
            "{digest} is listed but not stored"
        );
    }
}

fn regscope(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_regscope"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait_all(children: Vec<Child>) {
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "a regscope writer failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// A layout holding `base`, pushed by ORAS.
fn layout_with_base(oras: &Oras, work: &Path) -> std::path::PathBuf {
    let layout = work.join("shared-layout");
    std::fs::write(work.join("image.txt"), "the image").unwrap();
    oras.run_in(
        work,
        &[
            "push",
            "--oci-layout",
            &format!("{}:base", layout.display()),
            "--artifact-type",
            "test/image",
            "image.txt",
        ],
    );
    layout
}

/// A regscope writer: even ones attach a note to `base` (an untagged
/// entry), odd ones copy `base` to a tag of their own (a tagged entry).
fn spawn_writer(layout: &Path, work: &Path, round: usize, writer: usize) -> Child {
    let base = format!("oci:{}:base", layout.display());
    if writer.is_multiple_of(2) {
        let note = work.join(format!("note-{round}-{writer}.json"));
        std::fs::write(&note, format!("{{\"round\":{round},\"writer\":{writer}}}")).unwrap();
        regscope(&[
            "attach",
            &base,
            "--artifact-type",
            "note/example",
            note.to_str().unwrap(),
        ])
    } else {
        let copy = format!("oci:{}:copy-{round}-{writer}", layout.display());
        regscope(&["cp", &base, &copy])
    }
}

#[test]
fn regscope_processes_writing_one_layout_at_once_lose_no_entry() {
    let work = tempfile::tempdir().unwrap();
    let oras = Oras::new();
    let layout = layout_with_base(&oras, work.path());
    let mut expected = entries(&layout);

    for round in 0..ROUNDS {
        let writers = (0..WRITERS)
            .map(|writer| spawn_writer(&layout, work.path(), round, writer))
            .collect();
        wait_all(writers);
        let now = entries(&layout);
        assert!(
            expected.is_subset(&now),
            "round {round}: entries were lost: {:?}",
            expected.difference(&now).collect::<Vec<_>>()
        );
        assert_eq!(
            now.len(),
            expected.len() + WRITERS,
            "round {round}: not every writer's entry is listed: {:?}",
            now.difference(&expected).collect::<Vec<_>>()
        );
        expected = now;
    }
    assert_every_entry_stored(&layout);

    // ORAS reads the same layout: every tag, and every note under `base`.
    let target = format!("{}:base", layout.display());
    let tags = oras.run(&[
        "repo",
        "tags",
        "--oci-layout",
        &layout.display().to_string(),
    ]);
    assert_eq!(tags.lines().count(), 1 + ROUNDS * WRITERS / 2, "{tags}");
    let tree = oras.json(&["discover", "--oci-layout", &target, "--format", "json"]);
    let notes = tree["referrers"].as_array().map_or(0, Vec::len);
    assert_eq!(notes, ROUNDS * WRITERS / 2);
}

#[test]
fn oras_entries_survive_regscope_writing_the_same_layout() {
    const ORAS_PUSHES_AT_LEAST: usize = 6;
    const NOTE_ROUNDS: usize = 8;
    let work = tempfile::tempdir().unwrap();
    let oras = Arc::new(Oras::new());
    let layout = layout_with_base(&oras, work.path());

    // ORAS pushes one tag after another for as long as regscope writes, so
    // the two overlap; ORAS processes never overlap each other, so any
    // ORAS entry that goes missing was dropped by regscope.
    let writing = Arc::new(AtomicBool::new(true));
    let pusher = {
        let (oras, writing) = (oras.clone(), writing.clone());
        let (layout, work) = (layout.clone(), work.path().to_path_buf());
        std::thread::spawn(move || {
            let mut pushed = Vec::new();
            while pushed.len() < ORAS_PUSHES_AT_LEAST || writing.load(Ordering::SeqCst) {
                let tag = format!("oras-{}", pushed.len());
                let file = format!("{tag}.txt");
                std::fs::write(work.join(&file), &tag).unwrap();
                let target = format!("{}:{tag}", layout.display());
                let args = [
                    "push",
                    "--oci-layout",
                    &target,
                    "--artifact-type",
                    "test/oras",
                ];
                let mut args = args.to_vec();
                args.push(&file);
                oras.run_in(&work, &args);
                pushed.push(tag);
            }
            pushed
        })
    };
    for round in 0..NOTE_ROUNDS {
        let writers = (0..WRITERS / 2)
            .map(|writer| spawn_writer(&layout, work.path(), round, writer * 2))
            .collect();
        wait_all(writers);
    }
    writing.store(false, Ordering::SeqCst);
    let oras_tags = pusher.join().unwrap();

    let now = entries(&layout);
    let tagged: BTreeSet<&str> = now.iter().filter_map(|(_, tag)| tag.as_deref()).collect();
    let missing: Vec<_> = oras_tags
        .iter()
        .filter(|tag| !tagged.contains(tag.as_str()))
        .collect();
    assert!(missing.is_empty(), "ORAS's entries were lost: {missing:?}");
    assert!(tagged.contains("base"));
    assert_every_entry_stored(&layout);
    // What ORAS's own rewrites dropped of regscope's notes is ORAS's
    // doing and not asserted; the count says how often it happened here.
    let notes = now.iter().filter(|(_, tag)| tag.is_none()).count();
    eprintln!(
        "{notes} of {} regscope notes survived {} ORAS pushes",
        NOTE_ROUNDS * WRITERS / 2,
        oras_tags.len()
    );
}
