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
    let err = entry("s", &value("{ trusted-root = \"r.json\" }")).expect_err("no identity");
    assert!(err.contains("needs certificate-identity"), "{err}");
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
