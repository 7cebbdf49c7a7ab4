//! Credential lookup: the options, docker config files written here in
//! temp dirs, and credential helpers as shell scripts on a private `PATH`
//! (answering, not knowing the server, hanging, missing, babbling).

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use regscope::store::remote::ConnectOptions;
use regscope::store::remote::credentials::{
    Credential, LookupEnv, containers_auth_files, lookup_containers_auth, lookup_with, server_key,
};
use tempfile::TempDir;

use super::basic;

pub(crate) struct HelperEnv {
    dir: TempDir,
    pub(crate) lookup: LookupEnv,
}

/// A private config dir and a `PATH` whose first entry holds the given
/// `docker-credential-<name>` scripts.
pub(crate) fn helper_env(helpers: &[(&str, &str)]) -> HelperEnv {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    for (name, script) in helpers {
        let file = bin.join(format!("docker-credential-{name}"));
        std::fs::write(&file, script).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = std::env::join_paths([bin.as_path(), Path::new("/usr/bin"), Path::new("/bin")]);
    let lookup = LookupEnv {
        config_dir: Some(dir.path().join("docker")),
        path: Some(path.unwrap()),
        helper_timeout: Duration::from_secs(5),
        containers_auth_files: vec![dir.path().join("containers/auth.json")],
    };
    std::fs::create_dir(dir.path().join("docker")).unwrap();
    std::fs::create_dir(dir.path().join("containers")).unwrap();
    HelperEnv { dir, lookup }
}

pub(crate) fn write_config(env: &HelperEnv, json: &str) {
    std::fs::write(env.dir.path().join("docker/config.json"), json).unwrap();
}

/// A helper that knows one server's credential and says "not found" for
/// every other one, checking it was called as `get` with the server on stdin.
pub(crate) fn answering_helper(server: &str, user: &str, secret: &str) -> String {
    format!(
        "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nserver=$(cat)\n\
         if [ \"$server\" = '{server}' ]; then\n\
         printf '%s' '{{\"ServerURL\":\"{server}\",\"Username\":\"{user}\",\"Secret\":\"{secret}\"}}'\n\
         else\necho 'credentials not found in native keychain'\nexit 1\nfi\n"
    )
}

/// Writes the containers-auth.json(5) file podman and skopeo would use.
pub(crate) fn write_containers_auth(env: &HelperEnv, json: &str) {
    std::fs::write(env.dir.path().join("containers/auth.json"), json).unwrap();
}

fn find(env: &HelperEnv, registry: &str) -> Result<Option<Credential>, String> {
    lookup_with(registry, &ConnectOptions::default(), &env.lookup).map_err(|e| e.to_string())
}

fn encoded(user_and_password: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(user_and_password)
}

#[test]
fn options_come_first_and_must_be_complete() {
    let env = helper_env(&[]);
    write_config(
        &env,
        &format!(
            r#"{{"auths":{{"r.io":{{"auth":"{}"}}}}}}"#,
            encoded("cfg:pw")
        ),
    );
    let mut options = ConnectOptions {
        username: Some("opt".into()),
        password: Some("opt-pw".into()),
        ..ConnectOptions::default()
    };
    assert_eq!(
        lookup_with("r.io", &options, &env.lookup).unwrap(),
        basic("opt", "opt-pw")
    );
    options.password = None;
    let err = lookup_with("r.io", &options, &env.lookup).unwrap_err();
    assert!(err.to_string().contains("--password-stdin"), "{err}");
}

#[test]
fn no_config_means_no_credential() {
    let env = helper_env(&[]);
    assert_eq!(find(&env, "r.io"), Ok(None));
    let nowhere = LookupEnv {
        config_dir: None,
        containers_auth_files: Vec::new(),
        ..env.lookup.clone()
    };
    assert_eq!(
        lookup_with("r.io", &ConnectOptions::default(), &nowhere).unwrap(),
        None
    );
}

#[test]
fn auths_entries_in_every_form() {
    let env = helper_env(&[]);
    write_config(
        &env,
        &format!(
            r#"{{"auths": {{
                "https://a.example:5000/v1/": {{"auth": "{}"}},
                "http://b.example": {{"username": "bee", "password": "b:pw"}},
                "c.example": {{"auth": "", "identitytoken": "refresh-c"}},
                "https://index.docker.io/v1/": {{"auth": "{}"}},
                "127.0.0.1:5001": {{"auth": "{}"}},
                "empty.example": {{}}
            }}}}"#,
            encoded("ay:pw:with:colons"),
            encoded("hub:hub-pw"),
            encoded("local:pw")
        ),
    );
    assert_eq!(
        find(&env, "a.example:5000"),
        Ok(basic("ay", "pw:with:colons"))
    );
    assert_eq!(find(&env, "b.example"), Ok(basic("bee", "b:pw")));
    assert_eq!(
        find(&env, "c.example"),
        Ok(Some(Credential::IdentityToken("refresh-c".into())))
    );
    for hub in ["docker.io", "registry-1.docker.io", "index.docker.io"] {
        assert_eq!(find(&env, hub), Ok(basic("hub", "hub-pw")), "{hub}");
    }
    assert_eq!(find(&env, "127.0.0.1:5001"), Ok(basic("local", "pw")));
    // Another port of the same host is another registry.
    assert_eq!(find(&env, "127.0.0.1:5002"), Ok(None));
    assert_eq!(find(&env, "empty.example"), Ok(None));
    assert_eq!(find(&env, "a.example"), Ok(None));
}

#[test]
fn docker_hub_uses_its_historic_key() {
    assert_eq!(server_key("docker.io"), "https://index.docker.io/v1/");
    assert_eq!(
        server_key("registry-1.docker.io"),
        "https://index.docker.io/v1/"
    );
    assert_eq!(server_key("ghcr.io"), "ghcr.io");
}

#[test]
fn malformed_configs_are_errors_that_quote_no_secret() {
    let env = helper_env(&[]);
    write_config(
        &env,
        r#"{"auths": {"r.io": {"auth": "not base64 SECRET-0x1"}}}"#,
    );
    let err = find(&env, "r.io").unwrap_err();
    assert!(err.contains("malformed `auth` for r.io"), "{err}");
    assert!(!err.contains("SECRET-0x1"), "{err}");
    write_config(&env, r#"{"auths": {"r.io": {"auth": "SECRET-0x2"#);
    let err = find(&env, "r.io").unwrap_err();
    assert!(err.contains("is not valid (line 1"), "{err}");
    assert!(!err.contains("SECRET-0x2"), "{err}");
}

#[test]
fn cred_helpers_then_creds_store_then_auths() {
    let env = helper_env(&[
        (
            "per-host",
            &answering_helper("h.example", "from-helper", "helper-pw"),
        ),
        (
            "store",
            &answering_helper("s.example", "from-store", "store-pw"),
        ),
    ]);
    write_config(
        &env,
        &format!(
            r#"{{"credHelpers": {{"h.example": "per-host"}}, "credsStore": "store",
                 "auths": {{"h.example": {{"auth": "{0}"}}, "s.example": {{"auth": "{0}"}},
                            "a.example": {{"auth": "{0}"}}}}}}"#,
            encoded("inline:pw")
        ),
    );
    assert_eq!(
        find(&env, "h.example"),
        Ok(basic("from-helper", "helper-pw"))
    );
    assert_eq!(find(&env, "s.example"), Ok(basic("from-store", "store-pw")));
    // The store has nothing for it: the inline entry answers.
    assert_eq!(find(&env, "a.example"), Ok(basic("inline", "pw")));
    // Nothing anywhere.
    assert_eq!(find(&env, "z.example"), Ok(None));
}

#[test]
fn a_helper_answering_token_means_an_identity_token() {
    let env = helper_env(&[(
        "acr",
        &answering_helper("x.azurecr.io", "<token>", "refresh-9"),
    )]);
    write_config(&env, r#"{"credsStore": "acr"}"#);
    assert_eq!(
        find(&env, "x.azurecr.io"),
        Ok(Some(Credential::IdentityToken("refresh-9".into())))
    );
}

#[test]
fn docker_hub_helpers_are_asked_for_the_historic_key() {
    let hub = "https://index.docker.io/v1/";
    let env = helper_env(&[("desktop", &answering_helper(hub, "whale", "hub-pat"))]);
    write_config(
        &env,
        r#"{"credsStore": "desktop", "auths": {"https://index.docker.io/v1/": {}}}"#,
    );
    assert_eq!(find(&env, "docker.io"), Ok(basic("whale", "hub-pat")));
    assert_eq!(find(&env, "ghcr.io"), Ok(None));
}

#[test]
fn a_hanging_helper_is_stopped_at_the_deadline() {
    let mut env = helper_env(&[("hang", "#!/bin/sh\nexec sleep 60\n")]);
    env.lookup.helper_timeout = Duration::from_millis(500);
    write_config(&env, r#"{"credsStore": "hang"}"#);
    let err = find(&env, "r.io").unwrap_err();
    assert!(
        err.contains("docker-credential-hang gave no answer within 0.5s"),
        "{err}"
    );
}

#[test]
fn a_missing_helper_is_an_error_naming_it_not_a_fallback() {
    let env = helper_env(&[]);
    write_config(
        &env,
        &format!(
            r#"{{"credsStore": "doesnotexist", "auths": {{"r.io": {{"auth": "{}"}}}}}}"#,
            encoded("inline:pw")
        ),
    );
    let err = find(&env, "r.io").unwrap_err();
    assert!(
        err.contains("docker-credential-doesnotexist") && err.contains("not on PATH"),
        "{err}"
    );
    write_config(&env, r#"{"credHelpers": {"r.io": "../../bin/sh"}}"#);
    let err = find(&env, "r.io").unwrap_err();
    assert!(err.contains("not a plain name"), "{err}");
}

#[test]
fn helper_output_never_reaches_the_message() {
    let garbage = "#!/bin/sh\necho 'LEAKED-SECRET-1 is not json'\n";
    let failing =
        "#!/bin/sh\necho '{\"Secret\":\"LEAKED-SECRET-2\"}'\necho 'keychain locked' >&2\nexit 3\n";
    let flood = "#!/bin/sh\nhead -c 5000000 /dev/zero | tr '\\0' 'x'\n";
    let env = helper_env(&[("garbage", garbage), ("failing", failing), ("flood", flood)]);
    write_config(
        &env,
        r#"{"credHelpers": {"g.example": "garbage", "f.example": "failing", "x.example": "flood"}}"#,
    );
    let err = find(&env, "x.example").unwrap_err();
    assert!(
        err.contains("malformed answer") && !err.contains("xxxx"),
        "{err}"
    );
    let err = find(&env, "g.example").unwrap_err();
    assert!(
        err.contains("malformed answer") && !err.contains("LEAKED"),
        "{err}"
    );
    let err = find(&env, "f.example").unwrap_err();
    assert!(
        err.contains("failed") && err.contains("keychain locked"),
        "{err}"
    );
    assert!(!err.contains("LEAKED"), "{err}");
}

#[test]
fn debug_output_hides_secrets() {
    let basic = Credential::Basic {
        username: "u".into(),
        password: "pw-secret-77".into(),
    };
    let token = Credential::IdentityToken("tok-secret-88".into());
    let shown = format!("{basic:?} {token:?}");
    assert!(
        shown.contains("\"u\"") && !shown.contains("secret"),
        "{shown}"
    );
}

#[test]
fn podman_auth_json_comes_after_docker_and_its_most_specific_key_wins() {
    let env = helper_env(&[]);
    // The format containers-auth.json(5) publishes: docker's `auths` map,
    // keyed by host, namespace or repository.
    write_containers_auth(
        &env,
        &format!(
            r#"{{"auths":{{
                "r.io":{{"auth":"{}"}},
                "r.io/team":{{"auth":"{}"}},
                "r.io/team/app":{{"auth":"{}"}},
                "https://old.io/v1/":{{"auth":"{}"}},
                "only.io/team":{{"auth":"{}"}}
            }}}}"#,
            encoded("host:pw"),
            encoded("team:pw"),
            encoded("app:pw"),
            encoded("legacy:pw"),
            encoded("ns-only:pw"),
        ),
    );
    let lookup = |registry, repository| {
        lookup_containers_auth(registry, repository, &env.lookup).map_err(|e| e.to_string())
    };
    assert_eq!(lookup("r.io", None), Ok(basic("host", "pw")));
    assert_eq!(lookup("r.io", Some("team/app")), Ok(basic("app", "pw")));
    assert_eq!(lookup("r.io", Some("team/app/sub")), Ok(basic("app", "pw")));
    assert_eq!(lookup("r.io", Some("team/other")), Ok(basic("team", "pw")));
    assert_eq!(lookup("r.io", Some("teamx")), Ok(basic("host", "pw")));
    assert_eq!(lookup("old.io", None), Ok(basic("legacy", "pw")));
    // A namespace's credential is not the whole host's.
    assert_eq!(lookup("only.io", None), Ok(None));
    assert_eq!(
        lookup("only.io", Some("team/app")),
        Ok(basic("ns-only", "pw"))
    );

    // Through the ordinary lookup: podman's file answers when docker's
    // config has nothing, and docker's config answers first when it has.
    assert_eq!(find(&env, "r.io"), Ok(basic("host", "pw")));
    write_config(
        &env,
        &format!(
            r#"{{"auths":{{"r.io":{{"auth":"{}"}}}}}}"#,
            encoded("docker:pw")
        ),
    );
    assert_eq!(find(&env, "r.io"), Ok(basic("docker", "pw")));
    assert_eq!(find(&env, "old.io"), Ok(basic("legacy", "pw")));
}

#[test]
fn registry_auth_file_replaces_the_default_podman_files() {
    let home = std::path::PathBuf::from("/home/u");
    assert_eq!(
        containers_auth_files(
            Some("/tmp/a.json".into()),
            Some("/run/user/1".into()),
            Some(home.clone())
        ),
        vec![std::path::PathBuf::from("/tmp/a.json")]
    );
    assert_eq!(
        containers_auth_files(
            Some("".into()),
            Some("/run/user/1".into()),
            Some(home.clone())
        ),
        vec![
            std::path::PathBuf::from("/run/user/1/containers/auth.json"),
            home.join(".config/containers/auth.json"),
        ]
    );
    assert_eq!(
        containers_auth_files(None, None, Some(home.clone())),
        vec![home.join(".config/containers/auth.json")]
    );
}
