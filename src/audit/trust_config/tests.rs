//! Scopes, the two shapes of a `[trust]` entry, and the errors that name
//! what is wrong.

use super::*;

fn bare(scope: &str) -> TrustEntry {
    TrustEntry {
        scope: scope.to_owned(),
        ..TrustEntry::default()
    }
}

#[test]
fn scopes_match_everything_a_registry_or_a_repository_prefix() {
    let entries: Vec<TrustEntry> = ["*", "r:5000", "r:5000/acme", "other"]
        .into_iter()
        .map(bare)
        .collect();
    let scopes = |registry: &str, repository: Option<&str>| -> Vec<&str> {
        entries
            .iter()
            .filter(|e| matches(e, registry, repository))
            .map(|e| e.scope.as_str())
            .collect()
    };
    assert_eq!(
        scopes("r:5000", Some("acme/app")),
        ["*", "r:5000", "r:5000/acme"]
    );
    assert_eq!(scopes("r:5000", Some("acmeco")), ["*", "r:5000"]);
    assert_eq!(scopes("r:5000", None), ["*", "r:5000"]);
    assert_eq!(scopes("x.io", Some("acme")), ["*"]);
}

#[test]
fn keys_come_as_a_list_or_in_a_table_and_mistakes_are_named() {
    use p256::pkcs8::EncodePublicKey as _;
    let dir = tempfile::tempdir().expect("temp dir");
    let key = p256::ecdsa::SigningKey::from_slice(&[9; 32]).expect("scalar");
    let pem = key
        .verifying_key()
        .to_public_key_pem(p256::pkcs8::LineEnding::LF)
        .expect("pem");
    let path = dir.path().join("k.pub");
    std::fs::write(&path, pem).expect("write key");
    let path = path.to_str().expect("utf-8 path");
    let text = format!("[trust]\n\"*\" = [{path:?}]\n[trust.\"r:5000/acme\"]\nkeys = [{path:?}]\n");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, text).expect("write config");
    let entries = load(&config).expect("loads");
    assert_eq!(
        for_target(&entries, "r:5000", Some("acme/app")).keys.len(),
        2
    );
    assert_eq!(for_target(&entries, "r:5000", Some("other")).keys.len(), 1);
    assert!(
        load(&dir.path().join("absent.toml"))
            .expect("no file")
            .is_empty()
    );

    let value = |text: &str| -> toml::Value {
        let table: toml::Table = toml::from_str(&format!("v = {text}")).expect("toml");
        table["v"].clone()
    };
    let err = entry("s", &value("{ key = [] }")).expect_err("typo");
    assert!(err.contains("unknown setting \"key\""), "{err}");
    let err = entry("s", &value("{ certificate-identity = \"a@b\" }")).expect_err("no issuer");
    assert!(err.contains("needs certificate-oidc-issuer"), "{err}");
    let err = entry("s", &value("{ trusted-root = \"/nonexistent.json\" }")).expect_err("no file");
    assert!(err.contains("cannot read /nonexistent.json"), "{err}");
    let err = entry("s", &value("[\"/nonexistent.pub\"]")).expect_err("missing key");
    assert!(err.starts_with("trust.\"s\": cannot read"), "{err}");
}

#[test]
fn time_settings_and_warnings_come_with_their_scope() {
    let value = |text: &str| -> toml::Value {
        let table: toml::Table = toml::from_str(&format!("v = {text}")).expect("toml");
        table["v"].clone()
    };
    let entry = entry("*", &value("{ insecure-ignore-tlog = true }")).expect("entry");
    assert!(entry.policy.insecure_ignore_tlog && !entry.policy.require_tlog);
    let err = super::entry("s", &value("{ require-tlog = \"yes\" }")).expect_err("not a bool");
    assert!(err.contains("require-tlog is not true or false"), "{err}");
    let material = for_target(&[entry], "r:5000", None);
    assert!(material.policy.insecure_ignore_tlog);
    assert_eq!(material.scopes, ["*"]);
    assert!(material.is_empty(), "a time setting is no trust material");
    assert_eq!(material.describe(), "--insecure-ignore-tlog");
}

/// The identity alone checks keyless signatures against the public-good
/// root; a trusted root alone only gives the keys' proofs their logs.
#[test]
fn an_identity_alone_uses_the_public_good_root_and_a_root_alone_serves_the_keys() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("root.json");
    std::fs::write(&root, crate::audit::transparency::shipped::PUBLIC_GOOD_JSON)
        .expect("write root");
    let value = |text: &str| -> toml::Value {
        let table: toml::Table = toml::from_str(&format!("v = {text}")).expect("toml");
        table["v"].clone()
    };
    let keyless = entry(
        "*",
        &value(r#"{ certificate-identity = "a@b", certificate-oidc-issuer = "https://i", insecure-ignore-sct = true }"#),
    )
    .expect("keyless");
    let used = keyless.keyless.as_ref().expect("keyless trust");
    assert!(
        used.root.source.starts_with("public-good ("),
        "{}",
        used.root.source
    );
    assert!(keyless.root.is_none() && keyless.policy.insecure_ignore_sct);

    let text = format!("{{ trusted-root = {:?} }}", root.to_str().expect("utf-8"));
    let logs = entry("*", &value(&text)).expect("root alone");
    assert!(logs.keyless.is_none());
    let material = for_target(&[logs], "r:5000", None);
    assert!(
        material.is_empty(),
        "a root alone verifies nothing by itself"
    );
    assert!(
        material.describe().contains("for log keys"),
        "{}",
        material.describe()
    );
    assert_eq!(
        material.proof_root().map(|r| r.source.clone()),
        material.root.as_ref().map(|r| r.source.clone())
    );
    assert!(material.root.is_some());
}
