use super::*;

fn entry(path: &str, kind: EntryKind, size: u64) -> FileEntry {
    FileEntry {
        path: path.to_owned(),
        kind,
        size,
        mode: 0o644,
        uid: 0,
        gid: 0,
        user: String::new(),
        group: String::new(),
        mtime: 0,
        link: None,
    }
}

fn file(path: &str, size: u64) -> FileEntry {
    entry(path, EntryKind::File, size)
}

fn dir(path: &str) -> FileEntry {
    entry(path, EntryKind::Dir, 0)
}

fn state(view: &MergedView, path: &str) -> Option<(usize, Change)> {
    view.find(path).map(|e| (e.layer, e.change))
}

#[test]
fn labels_each_path_with_the_layer_that_last_changed_it() {
    let layers = vec![
        vec![dir("etc"), file("etc/motd", 10), file("etc/hosts", 5)],
        vec![dir("etc"), file("etc/motd", 20), file("etc/new", 1)],
    ];
    let view = merge(&layers);
    assert_eq!(state(&view, "etc"), Some((0, Change::Added)));
    assert_eq!(state(&view, "etc/hosts"), Some((0, Change::Added)));
    assert_eq!(state(&view, "etc/motd"), Some((1, Change::Modified)));
    assert_eq!(state(&view, "etc/new"), Some((1, Change::Added)));
    assert_eq!(view.find("etc/motd").map(|e| e.entry.size), Some(20));
    assert_eq!(view.wasted_bytes, 10);
}

#[test]
fn whiteouts_remove_a_path_and_everything_under_it() {
    let layers = vec![
        vec![
            dir("tmp"),
            file("tmp/a", 3),
            file("tmp/b", 4),
            file("keep", 1),
        ],
        vec![entry("tmp", EntryKind::Whiteout, 0)],
    ];
    let view = merge(&layers);
    assert_eq!(state(&view, "tmp"), Some((1, Change::Removed)));
    assert_eq!(state(&view, "tmp/a"), Some((1, Change::Removed)));
    let visible: Vec<&str> = view.visible().map(|e| e.entry.path.as_str()).collect();
    assert_eq!(visible, ["keep"]);
    assert_eq!(view.wasted_bytes, 7);
}

#[test]
fn an_opaque_directory_hides_only_the_lower_layers_content() {
    let layers = vec![
        vec![dir("cache"), file("cache/old", 8)],
        vec![
            dir("cache"),
            entry("cache", EntryKind::Opaque, 0),
            file("cache/new", 2),
        ],
    ];
    let view = merge(&layers);
    let visible: Vec<&str> = view.visible().map(|e| e.entry.path.as_str()).collect();
    assert_eq!(visible, ["cache", "cache/new"]);
    assert_eq!(state(&view, "cache/old"), Some((1, Change::Removed)));
    assert_eq!(view.wasted_bytes, 8);
}

#[test]
fn a_path_added_again_after_removal_counts_as_added() {
    let layers = vec![
        vec![file("x", 1)],
        vec![entry("x", EntryKind::Whiteout, 0)],
        vec![file("x", 2)],
    ];
    let view = merge(&layers);
    assert_eq!(state(&view, "x"), Some((2, Change::Added)));
    assert_eq!(view.wasted_bytes, 1);
}

#[test]
fn a_file_replacing_a_directory_hides_its_content() {
    let layers = vec![vec![dir("d"), file("d/f", 6)], vec![file("d", 1)]];
    let view = merge(&layers);
    let visible: Vec<&str> = view.visible().map(|e| e.entry.path.as_str()).collect();
    assert_eq!(visible, ["d"]);
    assert_eq!(view.wasted_bytes, 6);
}

#[test]
fn each_layer_lists_what_it_adds_modifies_and_removes() {
    let layers = vec![
        vec![
            dir("etc"),
            file("etc/motd", 10),
            dir("tmp"),
            file("tmp/a", 3),
        ],
        vec![
            dir("etc"),
            file("etc/motd", 20),
            file("etc/new", 1),
            entry("tmp", EntryKind::Whiteout, 0),
        ],
    ];
    let changes = layer_changes(&layers);
    let listed = |layer: usize| -> Vec<(String, Change)> {
        changes[layer]
            .iter()
            .map(|e| (e.entry.path.clone(), e.change))
            .collect()
    };
    assert_eq!(
        listed(0),
        [
            ("etc".to_owned(), Change::Added),
            ("etc/motd".to_owned(), Change::Added),
            ("tmp".to_owned(), Change::Added),
            ("tmp/a".to_owned(), Change::Added),
        ]
    );
    // The directory listed again unchanged is no change of the layer.
    assert_eq!(
        listed(1),
        [
            ("etc/motd".to_owned(), Change::Modified),
            ("etc/new".to_owned(), Change::Added),
            ("tmp".to_owned(), Change::Removed),
            ("tmp/a".to_owned(), Change::Removed),
        ]
    );
    // The same walk as the merged view.
    assert_eq!(merge(&layers).wasted_bytes, 13);
}
