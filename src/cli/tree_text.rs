//! `regscope tree`'s text, as `oras discover --format tree` prints it:
//! box drawing, siblings grouped under their artifact type; plus what oras
//! does not say (how a node was found, whether it names its subject, a
//! manifest that could not be fetched).

use super::tree::{UNVERIFIED_DIGEST, digest_verified};
use crate::graph::{FoundBy, GraphNode, ReferrerTree};
use crate::text::escape_control;

/// A node of the text tree: ORAS groups siblings of one artifact type under
/// a shared type line.
struct TextNode {
    value: String,
    children: Vec<TextNode>,
}

impl TextNode {
    fn new(value: String) -> TextNode {
        TextNode {
            value,
            children: Vec::new(),
        }
    }

    /// The child with this value, created when missing.
    fn child(&mut self, value: String) -> &mut TextNode {
        let at = match self.children.iter().position(|c| c.value == value) {
            Some(at) => at,
            None => {
                self.children.push(TextNode::new(value));
                self.children.len() - 1
            }
        };
        &mut self.children[at]
    }
}

fn add_referrer(parent: &mut TextNode, node: &GraphNode) {
    let mut line = node.digest().to_string();
    let unusual: Vec<String> = node
        .found_by
        .iter()
        .filter(|f| !matches!(f, FoundBy::Referrers(_)))
        .map(ToString::to_string)
        .collect();
    if !unusual.is_empty() {
        line.push_str(&format!(" [{}]", unusual.join(", ")));
    }
    // A Sigstore bundle or DSSE envelope says what it carries: a signature
    // or an attestation, and of what.
    if let Some(predicate) = &node.predicate_type {
        if node.is_attestation() {
            line.push_str(&format!(
                " (attestation: {})",
                crate::oci::media_type::predicate_name(predicate)
            ));
        } else {
            line.push_str(" (signature)");
        }
    }
    if let Some(unfetched) = &node.unfetched {
        // Nothing was read: whether it names its subject, or matches its
        // digest, is unknown, not "unlinked".
        line.push(' ');
        line.push_str(&unfetched.label());
    } else {
        // cosign's tags and BuildKit's entries attach by name or place:
        // copy and delete take them although their manifests name no subject.
        if !node.is_attached() {
            line.push_str(" (unlinked: does not name its subject; copy and delete leave it)");
        }
        if !digest_verified(node) {
            line.push(' ');
            line.push_str(UNVERIFIED_DIGEST);
        }
    }
    let type_line = escape_control(node.type_label()).into_owned();
    let added = parent
        .child(type_line)
        .child(escape_control(&line).into_owned());
    for child in &node.children {
        add_referrer(added, child);
    }
}

/// The tree as `oras discover --format tree` prints it.
pub fn to_text(tree: &ReferrerTree, name: &str) -> String {
    let mut root =
        TextNode::new(escape_control(&format!("{name}@{}", tree.subject.digest)).into_owned());
    for node in &tree.referrers {
        add_referrer(&mut root, node);
    }
    for platform in &tree.platforms {
        let label = platform
            .descriptor
            .platform
            .as_ref()
            .map_or_else(|| "platform".to_owned(), ToString::to_string);
        let mut line = format!("[{label}] {}", platform.descriptor.digest);
        if let Some(unfetched) = &platform.unfetched {
            line.push(' ');
            line.push_str(&unfetched.label());
        }
        let platform_node = root.child(escape_control(&line).into_owned());
        for node in &platform.referrers {
            add_referrer(platform_node, node);
        }
    }
    let mut out = String::new();
    print(&mut out, "", &root);
    out
}

fn print(out: &mut String, prefix: &str, node: &TextNode) {
    out.push_str(&node.value);
    out.push('\n');
    let Some((last, rest)) = node.children.split_last() else {
        return;
    };
    for child in rest {
        out.push_str(prefix);
        out.push_str("├── ");
        print(out, &format!("{prefix}│   "), child);
    }
    out.push_str(prefix);
    out.push_str("└── ");
    print(out, &format!("{prefix}    "), last);
}
