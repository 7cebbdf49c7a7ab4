//! Package URLs as VEX uses them: a statement's purl names a package in a
//! finding when type, namespace and name agree, its version (when it has
//! one) is the finding's, and every qualifier it gives the finding has too
//! (OpenVEX's `PurlMatches`). And the image a `pkg:oci` purl or a
//! `repository@digest` names, by digest. Parsing is `packageurl`'s.

use std::str::FromStr;

use packageurl::PackageUrl;

/// Whether the statement's `vex` purl names the finding's `found` purl.
/// Anything that does not parse as a purl matches only itself, exactly.
pub fn matches(vex: &str, found: &str) -> bool {
    let (Ok(wanted), Ok(have)) = (PackageUrl::from_str(vex), PackageUrl::from_str(found)) else {
        return vex == found;
    };
    if !wanted.ty().eq_ignore_ascii_case(have.ty())
        || wanted.namespace() != have.namespace()
        || wanted.name() != have.name()
    {
        return false;
    }
    if let Some(version) = wanted.version()
        && have.version() != Some(version)
    {
        return false;
    }
    wanted
        .qualifiers()
        .iter()
        .all(|(key, value)| have.qualifiers().get(key) == Some(value))
}

/// The manifest digest an image reference names: the version of a
/// `pkg:oci` purl, or the digest of `repository@sha256:…` (or a bare
/// `sha256:…`). `None` when it names none (a tag, a purl of a package).
pub fn image_digest(text: &str) -> Option<String> {
    let text = text.trim();
    let candidate = if text.starts_with("pkg:") {
        let purl = PackageUrl::from_str(text).ok()?;
        if !purl.ty().eq_ignore_ascii_case("oci") {
            return None;
        }
        purl.version()?.to_owned()
    } else {
        text.rsplit_once('@')
            .map_or(text, |(_, digest)| digest)
            .to_owned()
    };
    let (algorithm, hex) = candidate.split_once(':')?;
    let well_formed = matches!(algorithm, "sha256" | "sha512")
        && !hex.is_empty()
        && hex.bytes().all(|b| b.is_ascii_hexdigit());
    well_formed.then(|| format!("{algorithm}:{}", hex.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_as_openvex_does() {
        let found = "pkg:apk/alpine/busybox@1.36.1-r5?arch=x86_64&distro=3.19.1";
        assert!(matches("pkg:apk/alpine/busybox", found));
        assert!(matches("pkg:apk/alpine/busybox@1.36.1-r5", found));
        assert!(matches(
            "pkg:apk/alpine/busybox@1.36.1-r5?arch=x86_64",
            found
        ));
        assert!(!matches("pkg:apk/alpine/busybox@1.36.1-r6", found));
        assert!(!matches("pkg:apk/alpine/busybox?arch=aarch64", found));
        assert!(!matches("pkg:apk/alpine/ssl_client", found));
        assert!(!matches("pkg:apk/wolfi/busybox", found));
        assert!(!matches(
            "pkg:apk/alpine/busybox@1.36.1-r5",
            "pkg:apk/alpine/busybox"
        ));
        assert!(matches("not a purl", "not a purl"));
        assert!(!matches("not a purl", found));
    }

    #[test]
    fn finds_the_digest_an_image_reference_names() {
        let hex = "ab".repeat(32);
        assert_eq!(
            image_digest(&format!(
                "pkg:oci/app@sha256%3A{hex}?repository_url=localhost%3A5000%2Fapp"
            )),
            Some(format!("sha256:{hex}"))
        );
        assert_eq!(
            image_digest(&format!("localhost:5000/app@sha256:{}", hex.to_uppercase())),
            Some(format!("sha256:{hex}"))
        );
        assert_eq!(
            image_digest(&format!("sha256:{hex}")),
            Some(format!("sha256:{hex}"))
        );
        assert_eq!(image_digest("pkg:oci/debian"), None);
        assert_eq!(image_digest("localhost:5000/app:v1"), None);
        assert_eq!(
            image_digest(&format!("pkg:deb/debian/bash@sha256:{hex}")),
            None
        );
        assert_eq!(image_digest("app@sha256:xyz"), None);
    }
}
