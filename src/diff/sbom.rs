//! The SBOM section: packages added, removed or changed between the two
//! sides' SBOMs, whatever format each is in. Packages are matched by purl
//! (without its version, qualifiers and subpath), else by name and type (a
//! purl's type where there is one); within a match, versions both sides
//! list are the same package, and the rest pair up as version changes.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::document::components::Component;
use crate::oci::Digest;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Package {
    pub name: String,
    pub version: String,
    pub purl: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PackageChange {
    pub name: String,
    pub from: String,
    pub to: String,
    /// The right side's purl.
    pub purl: String,
}

/// Which document a side's packages came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SbomSource {
    /// The manifest holding it.
    pub digest: Digest,
    pub format: String,
    /// "SBOM artifact", "cosign SBOM", "attestation", …
    pub kind: String,
    pub found_by: String,
    pub packages: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SbomDiff {
    pub added: Vec<Package>,
    pub removed: Vec<Package>,
    pub changed: Vec<PackageChange>,
    /// `null` for a side with no SBOM.
    pub left: Option<SbomSource>,
    pub right: Option<SbomSource>,
}

impl SbomDiff {
    /// No package differs, and both sides have an SBOM or neither has.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.left.is_some() == self.right.is_some()
    }
}

/// The packages that differ between two lists.
pub fn compare(left: &[Component], right: &[Component]) -> SbomDiff {
    let mut diff = SbomDiff::default();
    let (mut left_purls, mut right_purls) = (by_purl(left), by_purl(right));
    let matched: Vec<String> = left_purls
        .keys()
        .filter(|k| right_purls.contains_key(*k))
        .cloned()
        .collect();
    for key in matched {
        if let (Some(l), Some(r)) = (left_purls.remove(&key), right_purls.remove(&key)) {
            pair_versions(&l, &r, &mut diff);
        }
    }
    // What no purl matched: by name and type.
    let left_named = leftovers(left_purls, left);
    let mut right_named = leftovers(right_purls, right);
    for (key, l) in left_named {
        let r = right_named.remove(&key).unwrap_or_default();
        pair_versions(&l, &r, &mut diff);
    }
    for r in right_named.into_values() {
        pair_versions(&[], &r, &mut diff);
    }
    diff.added.sort();
    diff.removed.sort();
    diff.changed.sort();
    diff
}

fn by_purl(items: &[Component]) -> BTreeMap<String, Vec<&Component>> {
    group(items.iter().filter(|c| !c.purl.is_empty()), purl_key)
}

/// The packages a purl did not match, and those without one, by name and
/// type.
fn leftovers<'a>(
    purls: BTreeMap<String, Vec<&'a Component>>,
    items: &'a [Component],
) -> BTreeMap<String, Vec<&'a Component>> {
    let unmatched = purls.into_values().flatten();
    let without_purl = items.iter().filter(|c| c.purl.is_empty());
    group(unmatched.chain(without_purl), name_key)
}

fn group<'a>(
    items: impl Iterator<Item = &'a Component>,
    key: impl Fn(&Component) -> String,
) -> BTreeMap<String, Vec<&'a Component>> {
    let mut out: BTreeMap<String, Vec<&'a Component>> = BTreeMap::new();
    for item in items {
        out.entry(key(item)).or_default().push(item);
    }
    out
}

/// Versions both sides list are the same package; the others pair up in
/// order as changes, and what is left over was added or removed.
fn pair_versions(left: &[&Component], right: &[&Component], diff: &mut SbomDiff) {
    let versions = |items: &[&Component]| -> BTreeSet<String> {
        items.iter().map(|c| c.version.clone()).collect()
    };
    let (lv, rv) = (versions(left), versions(right));
    let first_with = |items: &[&Component], version: &str| {
        items
            .iter()
            .find(|c| c.version == version)
            .map(|c| (*c).clone())
    };
    let only_left: Vec<Component> = lv
        .difference(&rv)
        .filter_map(|v| first_with(left, v))
        .collect();
    let only_right: Vec<Component> = rv
        .difference(&lv)
        .filter_map(|v| first_with(right, v))
        .collect();
    let paired = only_left.len().min(only_right.len());
    for (l, r) in only_left.iter().zip(&only_right) {
        diff.changed.push(PackageChange {
            name: r.name.clone(),
            from: l.version.clone(),
            to: r.version.clone(),
            purl: r.purl.clone(),
        });
    }
    diff.removed.extend(only_left[paired..].iter().map(package));
    diff.added.extend(only_right[paired..].iter().map(package));
}

fn package(c: &Component) -> Package {
    Package {
        name: c.name.clone(),
        version: c.version.clone(),
        purl: c.purl.clone(),
    }
}

/// `pkg:type/namespace/name`: the purl without version, qualifiers or
/// subpath, its type lowercased, and a PyPI name normalised as PEP 503
/// and the purl spec say (lowercase, `_` as `-`).
pub fn purl_key(component: &Component) -> String {
    let purl = component.purl.trim();
    let purl = purl.split('#').next().unwrap_or_default();
    let purl = purl.split('?').next().unwrap_or_default();
    let (path, _version) = match purl.rfind('@') {
        // An `@` before the last `/` is part of a namespace (`%40` unescaped).
        Some(at) if purl[at..].find('/').is_none() => (&purl[..at], &purl[at + 1..]),
        _ => (purl, ""),
    };
    let path = match path.get(..4) {
        Some(scheme) if scheme.eq_ignore_ascii_case("pkg:") => &path[4..],
        _ => path,
    };
    let (kind, rest) = path.split_once('/').unwrap_or((path, ""));
    let kind = kind.to_ascii_lowercase();
    let rest = if kind == "pypi" {
        rest.to_ascii_lowercase().replace('_', "-")
    } else {
        rest.to_owned()
    };
    format!("pkg:{kind}/{rest}")
}

/// Name and type, for packages without a purl (or whose purl found no
/// match): the purl's type when there is one, else the document's.
fn name_key(component: &Component) -> String {
    let kind = if component.purl.is_empty() {
        component.kind.clone()
    } else {
        purl_key(component)
            .strip_prefix("pkg:")
            .and_then(|p| p.split('/').next())
            .unwrap_or_default()
            .to_owned()
    };
    format!("{}\u{0}{kind}", component.name.to_lowercase())
}

#[cfg(test)]
#[path = "sbom_tests.rs"]
mod tests;
