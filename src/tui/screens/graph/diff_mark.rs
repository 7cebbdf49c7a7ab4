//! Marking an image in the graph and opening the diff from it: the mark
//! key marks the selected image (a tag, a platform, any manifest) or, on
//! the marked row, unmarks it; the diff key on another image asks the
//! runner for `crate::diff::diff` of the two and opens the diff screen.
//! The mark lives with the tree (`Tree::diff_mark`), so the row shows it,
//! and names its store: after `g` to another store the graph keeps it
//! (`Graph::after`), the diff compares across the two stores, and its row
//! shows it again once `g` comes back to its store.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;

use crate::ops::CancellationToken;
use crate::text::escape_control;
use crate::tui::keymap::{Action, KeyMap};
use crate::tui::message::Effect;
use crate::tui::screens::diff::{DiffMark, DiffScreen, DiffTarget};
use crate::tui::tree::{ManifestRole, NodeId, NodeKind, Tree};

/// What the selected row names, or why it cannot be compared.
pub(super) fn selected_target(tree: &Tree) -> Result<DiffTarget, String> {
    let refuse = || "select an image (a tag, a platform or a manifest) to compare".to_owned();
    let node = tree.selected_node().ok_or_else(refuse)?;
    let NodeKind::Manifest {
        repository,
        reference,
        role,
    } = &node.kind
    else {
        return Err(refuse());
    };
    let digest = node.digest();
    let name = match (role, &digest) {
        (ManifestRole::Tag(tag), _) if !tag.contains(':') => format!("{repository}:{tag}"),
        (_, Some(digest)) => format!("{repository}@{digest}"),
        (_, None) => format!("{repository}@{reference}"),
    };
    Ok(DiffTarget {
        repository: repository.clone(),
        reference: digest.map_or_else(|| reference.clone(), |d| d.to_string()),
        name,
        store: None,
    })
}

/// The mark key: marks the selected image of `store`, or unmarks it when
/// it is the marked one. Returns what to say (`Err`: why nothing was
/// marked).
pub(super) fn toggle_mark(tree: &mut Tree, keymap: &KeyMap, store: &str) -> Result<String, String> {
    let path = tree.selected().clone();
    if tree
        .diff_mark
        .as_ref()
        .is_some_and(|m| m.is_at(&path, store))
    {
        let name = tree.diff_mark.take().map(|m| m.target.name);
        return Ok(format!(
            "{} is no longer marked for a diff",
            escape_control(&name.unwrap_or_default())
        ));
    }
    let target = selected_target(tree)?;
    let said = format!(
        "marked {} for a diff: select another image and press {}",
        escape_control(&target.name),
        keymap.hint(Action::DiffWithMark)
    );
    tree.diff_mark = Some(DiffMark {
        path,
        target,
        store: store.to_owned(),
    });
    Ok(said)
}

/// The diff key: the marked image (left) against the selected one of
/// `store` (right), the marked one in the store it was marked in. The
/// screen waits for `Msg::Diff` with its id; the effect runs the diff in
/// the runner with the screen's cancel token.
pub(super) fn open_diff(
    tree: &Tree,
    keymap: &KeyMap,
    (id, page): (u64, usize),
    store: &str,
) -> Result<(DiffScreen, Effect), String> {
    let Some(mark) = &tree.diff_mark else {
        return Err(format!(
            "nothing is marked: mark an image with {}, then press {} on another",
            keymap.hint(Action::MarkDiff),
            keymap.hint(Action::DiffWithMark)
        ));
    };
    if mark.is_at(tree.selected(), store) {
        return Err("this is the marked image: select another one to compare it with".to_owned());
    }
    let right = selected_target(tree)?;
    let mut left = mark.target.clone();
    if mark.store != store {
        left.name = format!("{}/{}", mark.store, left.name);
        left.store = Some(mark.store.clone());
    }
    let cancel = CancellationToken::new();
    let screen = DiffScreen::new(id, &left, &right, cancel.clone(), page);
    let effect = Effect::Diff {
        id,
        left,
        right,
        cancel,
    };
    Ok((screen, effect))
}

/// What the marked row (`path` of the graph of `store`) shows before its
/// label.
pub fn mark_span(tree: &Tree, path: &[NodeId], store: &str) -> Option<Span<'static>> {
    tree.diff_mark.as_ref().filter(|m| m.is_at(path, store))?;
    Some(Span::styled(
        "[marked] ",
        Style::new()
            .fg(Color::LightMagenta)
            .add_modifier(Modifier::BOLD),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::KeyMap;

    /// A tree at `repository:v1`, selected.
    fn select_tag(tree: &mut Tree, repository: &str) {
        let repository_path = vec![NodeId::Registry, NodeId::repository(repository)];
        tree.select(repository_path.clone());
        let mut path = repository_path;
        path.push(NodeId::tag("v1"));
        tree.select(path.clone());
        let node = tree.node_mut(&path).expect("selected node");
        assert!(
            matches!(node.kind, NodeKind::Manifest { .. }),
            "{:?}",
            node.kind
        );
    }

    #[test]
    fn the_mark_toggles_and_the_diff_key_needs_it_and_another_image() {
        let keymap = KeyMap::defaults();
        let mut tree = Tree::new();
        assert!(
            open_diff(&tree, &keymap, (1, 10), "demo").is_err(),
            "nothing marked"
        );
        assert!(
            toggle_mark(&mut tree, &keymap, "demo").is_err(),
            "the registry is no image"
        );
        select_tag(&mut tree, "net-monitor");
        let said = toggle_mark(&mut tree, &keymap, "demo").expect("marks");
        assert!(
            said.contains("net-monitor:v1") && said.contains('='),
            "{said}"
        );
        let marked = tree.selected().clone();
        assert!(mark_span(&tree, &marked, "demo").is_some());
        assert!(
            mark_span(&tree, &marked, "localhost:5000").is_none(),
            "the same row of another store is not the marked one"
        );
        let refused = open_diff(&tree, &keymap, (1, 10), "demo").expect_err("the same image");
        assert!(refused.contains("marked image"), "{refused}");

        select_tag(&mut tree, "plain");
        assert!(mark_span(&tree, tree.selected(), "demo").is_none());
        let (screen, effect) = open_diff(&tree, &keymap, (9, 10), "demo").expect("opens");
        assert_eq!(screen.title, "net-monitor:v1 → plain:v1");
        match effect {
            Effect::Diff {
                id, left, right, ..
            } => {
                assert_eq!(id, 9);
                assert_eq!(
                    (left.repository.as_str(), left.reference.as_str()),
                    ("net-monitor", "v1")
                );
                assert_eq!(right.name, "plain:v1");
                assert_eq!(left.store, None, "both in the store browsed");
            }
            other => panic!("expected a diff, got {other:?}"),
        }
        // The mark stays for another comparison; on its row the key unmarks.
        tree.select(marked.clone());
        let said = toggle_mark(&mut tree, &keymap, "demo").expect("unmarks");
        assert!(said.contains("no longer marked"), "{said}");
        assert!(tree.diff_mark.is_none() && mark_span(&tree, &marked, "demo").is_none());
    }
}
