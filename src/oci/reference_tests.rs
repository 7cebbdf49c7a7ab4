//! Parsing references as Docker does, and refusing what it refuses.

use super::*;

const HEX: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn parts(input: &str) -> (String, String, Option<String>, Option<String>) {
    let r = Reference::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
    (
        r.registry,
        r.repository,
        r.tag,
        r.digest.map(|d| d.to_string()),
    )
}

#[test]
fn docker_normalisation_examples() {
    let s = |x: &str| x.to_owned();
    assert_eq!(
        parts("alpine"),
        (s("docker.io"), s("library/alpine"), None, None)
    );
    assert_eq!(
        parts("alpine:3.20"),
        (s("docker.io"), s("library/alpine"), Some(s("3.20")), None)
    );
    assert_eq!(
        parts("user/app"),
        (s("docker.io"), s("user/app"), None, None)
    );
    assert_eq!(
        parts("docker.io/alpine"),
        (s("docker.io"), s("library/alpine"), None, None)
    );
    assert_eq!(
        parts("index.docker.io/library/alpine"),
        (s("docker.io"), s("library/alpine"), None, None)
    );
    assert_eq!(
        parts("localhost/app:v1"),
        (s("localhost"), s("app"), Some(s("v1")), None)
    );
    assert_eq!(
        parts("localhost:5000/net-monitor:v1"),
        (s("localhost:5000"), s("net-monitor"), Some(s("v1")), None)
    );
    assert_eq!(
        parts("ghcr.io/org/team/app"),
        (s("ghcr.io"), s("org/team/app"), None, None)
    );
    assert_eq!(
        parts("Host.Name/app"),
        (s("Host.Name"), s("app"), None, None)
    );
    assert_eq!(
        parts("127.0.0.1:5000/a/b_c__d.e--f:tag_1.0-x"),
        (
            s("127.0.0.1:5000"),
            s("a/b_c__d.e--f"),
            Some(s("tag_1.0-x")),
            None
        )
    );
    assert_eq!(
        parts("[::1]:5000/app"),
        (s("[::1]:5000"), s("app"), None, None)
    );
}

#[test]
fn digest_wins_over_tag() {
    let r = Reference::parse(&format!("localhost:5000/app:v1@sha256:{HEX}")).unwrap();
    assert_eq!(r.tag.as_deref(), Some("v1"));
    assert_eq!(r.target(), format!("sha256:{HEX}"));
    assert_eq!(r.to_string(), format!("localhost:5000/app:v1@sha256:{HEX}"));
    assert_eq!(Reference::parse("x.io/app").unwrap().target(), "latest");
}

#[test]
fn api_host_and_credential_key_for_docker_hub() {
    let r = Reference::parse("alpine").unwrap();
    assert_eq!(r.api_host(), "registry-1.docker.io");
    assert_eq!(credential_key(&r.registry), "https://index.docker.io/v1/");
    assert_eq!(api_host("ghcr.io"), "ghcr.io");
}

#[test]
fn errors_say_which_part_is_wrong() {
    let err = |s: &str| Reference::parse(s).unwrap_err();
    assert_eq!(err(""), ReferenceError::Empty);
    assert!(matches!(
        err("ghcr.io/Org/app"),
        ReferenceError::BadRepository(..)
    ));
    assert!(matches!(err("ghcr.io/app:"), ReferenceError::BadTag(..)));
    assert!(matches!(err("ghcr.io/app:-x"), ReferenceError::BadTag(..)));
    assert!(matches!(
        err(&format!("ghcr.io/app:{}", "a".repeat(129))),
        ReferenceError::BadTag(..)
    ));
    assert!(matches!(
        err("ghcr.io/app@sha256:abc"),
        ReferenceError::BadDigest(..)
    ));
    assert!(matches!(
        err("ghcr.io/app@md5:abc"),
        ReferenceError::BadDigest(..)
    ));
    assert!(matches!(
        err("ghcr.io/a//b"),
        ReferenceError::BadRepository(..)
    ));
    assert!(matches!(
        err("ghcr.io/a/-b"),
        ReferenceError::BadRepository(..)
    ));
    assert!(matches!(
        err("ghcr.io/a..b"),
        ReferenceError::BadRepository(..)
    ));
    assert!(matches!(err("ghcr.io/"), ReferenceError::BadRepository(..)));
    assert!(matches!(
        err("bad_host.io:99999999/app"),
        ReferenceError::BadRegistry(..)
    ));
    assert!(matches!(
        err("host:port/app"),
        ReferenceError::BadRegistry(..)
    ));
    assert_eq!(err(&"a".repeat(5000)), ReferenceError::TooLong);
    assert!(matches!(
        err(&"a".repeat(300)),
        ReferenceError::BadRepository(..)
    ));
}

#[test]
fn pathological_input_is_cheap() {
    let nasty = format!("{}!", "a-".repeat(2000));
    assert!(Reference::parse(&nasty).is_err());
}

#[test]
fn registry_alone() {
    assert!(is_registry_name("localhost:5000"));
    assert!(is_registry_name("ghcr.io"));
    assert!(is_registry_name("localhost"));
    assert!(!is_registry_name("alpine"));
    assert!(!is_registry_name("ghcr.io/app"));
}
