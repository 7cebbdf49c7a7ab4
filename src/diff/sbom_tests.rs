//! Matching packages: by purl, else by name and type, across formats.

use super::*;

fn component(name: &str, version: &str, purl: &str, kind: &str) -> Component {
    Component {
        name: name.to_owned(),
        version: version.to_owned(),
        purl: purl.to_owned(),
        kind: kind.to_owned(),
    }
}

#[test]
fn finds_added_removed_and_bumped_packages() {
    let left = [
        component("requests", "2.32.3", "pkg:pypi/requests@2.32.3", "library"),
        component("urllib3", "2.2.3", "pkg:pypi/urllib3@2.2.3", "library"),
        component(
            "certifi",
            "2024.8.30",
            "pkg:pypi/certifi@2024.8.30",
            "library",
        ),
        component("busybox", "1.36", "", "application"),
    ];
    let right = [
        // Another format of the same package: the type differs, the purl matches.
        component(
            "requests",
            "2.32.3",
            "pkg:pypi/requests@2.32.3",
            "application",
        ),
        component(
            "urllib3",
            "2.3.0",
            "pkg:pypi/urllib3@2.3.0?foo=bar",
            "application",
        ),
        component(
            "packaging",
            "24.2",
            "pkg:pypi/packaging@24.2",
            "application",
        ),
        component("busybox", "1.37", "", "application"),
    ];
    let diff = compare(&left, &right);
    assert_eq!(
        diff.added,
        [Package {
            name: "packaging".into(),
            version: "24.2".into(),
            purl: "pkg:pypi/packaging@24.2".into()
        }]
    );
    assert_eq!(diff.removed.len(), 1);
    assert_eq!(diff.removed[0].name, "certifi");
    let changed: Vec<(&str, &str, &str)> = diff
        .changed
        .iter()
        .map(|c| (c.name.as_str(), c.from.as_str(), c.to.as_str()))
        .collect();
    assert_eq!(
        changed,
        [("busybox", "1.36", "1.37"), ("urllib3", "2.2.3", "2.3.0")]
    );
    let same = compare(&left, &left);
    assert!(same.added.is_empty() && same.removed.is_empty() && same.changed.is_empty());
}

#[test]
fn keeps_each_version_of_a_package_listed_twice() {
    let left = [
        component("lib", "1.0", "pkg:npm/lib@1.0", ""),
        component("lib", "2.0", "pkg:npm/lib@2.0", ""),
    ];
    let right = [component("lib", "2.0", "pkg:npm/lib@2.0", "")];
    let diff = compare(&left, &right);
    assert_eq!(diff.removed.len(), 1);
    assert_eq!(diff.removed[0].version, "1.0");
    assert!(diff.changed.is_empty());
}

#[test]
fn purl_keys_drop_version_qualifiers_and_subpath() {
    let key = |purl: &str| purl_key(&component("", "", purl, ""));
    assert_eq!(
        key("pkg:pypi/Charset_Normalizer@3.4.0"),
        "pkg:pypi/charset-normalizer"
    );
    assert_eq!(
        key("pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12"),
        "pkg:deb/debian/libc6"
    );
    assert_eq!(
        key("pkg:npm/%40scope/name@1.0#sub/path"),
        "pkg:npm/%40scope/name"
    );
    assert_eq!(
        key("PKG:golang/example.com/mod"),
        "pkg:golang/example.com/mod"
    );
}
