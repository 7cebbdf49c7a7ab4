//! The authenticator against real registries: Basic on distribution with
//! htpasswd, the Bearer token dance on olareg's token server (challenge,
//! token endpoint, access lists, anonymous tokens), with credentials from
//! a docker config and from a helper. `tokens` puts a fault proxy in front
//! of olareg to check realms, scopes, caps and the token cache.
//!
//! The requests are made here with a plain reqwest client, the way the
//! transport uses the authenticator: send with `authorization()`, on 401
//! `answer_challenge()` and send once more.

#[path = "auth_cli.rs"]
mod cli;
#[path = "auth_credentials.rs"]
mod credentials;
#[path = "auth_leaks.rs"]
mod leaks;
#[path = "auth_store.rs"]
mod store;
#[path = "auth_tokens.rs"]
mod tokens;

use base64::Engine as _;
use regscope::store::StoreError;
use regscope::store::remote::ConnectOptions;
use regscope::store::remote::auth::{Authenticator, Scope};
use regscope::store::remote::credentials::{Credential, CredentialSource, LookupEnv, lookup_with};
use reqwest::header::AUTHORIZATION;

use crate::support::{OlaregAcl, OlaregAuth, Oras, Registry};

pub(crate) const USER: &str = "canary-user";
pub(crate) const PASSWORD: &str = "canary-pass-7f3a";

pub(crate) fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub(crate) fn basic(user: &str, password: &str) -> Option<Credential> {
    Some(Credential::Basic {
        username: user.to_owned(),
        password: password.to_owned(),
    })
}

/// GET `http://host{path}` as the transport would: with what the
/// authenticator knows, and once more after answering a 401.
pub(crate) async fn get(
    auth: &Authenticator,
    host: &str,
    path: &str,
    scopes: &[Scope],
) -> Result<u16, StoreError> {
    let client = client();
    let url = format!("http://{host}{path}");
    let mut request = client.get(&url);
    if let Some(header) = auth.authorization(scopes).await {
        request = request.header(AUTHORIZATION, header);
    }
    let response = request.send().await.unwrap();
    if response.status() != 401 {
        return Ok(response.status().as_u16());
    }
    let header = auth.answer_challenge(response.headers(), scopes).await?;
    let retry = client.get(&url).header(AUTHORIZATION, header).send().await;
    Ok(retry.unwrap().status().as_u16())
}

/// Pushes a one-file artifact as `repo:v1` with the real ORAS CLI.
pub(crate) fn push_artifact(oras: &Oras, host: &str, repo: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hello.txt"), b"hello").unwrap();
    oras.run_in(
        dir.path(),
        &["push", &format!("{host}/{repo}:v1"), "hello.txt"],
    );
}

pub(crate) fn pull(repo: &str) -> Vec<Scope> {
    vec![Scope::Pull(repo.to_owned())]
}

pub(crate) fn tags(repo: &str) -> String {
    format!("/v2/{repo}/tags/list")
}

/// olareg with token auth: `canary-user` may do anything, `bob` has a
/// password but no access, anyone may read `public/*`. Each repository
/// holds one artifact.
pub(crate) fn olareg_with_tokens() -> Registry {
    let auth = OlaregAuth::single_user(USER, PASSWORD)
        .user("bob", "bob-pass-91c2")
        .acl(OlaregAcl::anonymous("public/*", &["read"]));
    let reg = Registry::olareg_token_auth(&auth);
    let oras = Oras::for_registry(&reg);
    push_artifact(&oras, reg.host(), "private/app");
    push_artifact(&oras, reg.host(), "public/hello");
    reg
}

#[tokio::test]
async fn basic_auth_on_distribution_with_htpasswd() {
    let reg = Registry::distribution_htpasswd(USER, PASSWORD);
    push_artifact(&Oras::for_registry(&reg), reg.host(), "app");
    let auth = Authenticator::new(client(), reg.host(), basic(USER, PASSWORD), true);
    assert_eq!(auth.authorization(&pull("app")).await, None);
    assert_eq!(get(&auth, reg.host(), "/v2/", &[]).await.unwrap(), 200);
    // Once challenged with Basic, every request carries it from the start.
    let header = auth.authorization(&pull("app")).await.expect("basic known");
    assert!(header.is_sensitive());
    assert!(header.to_str().unwrap().starts_with("Basic "));
    let r = client()
        .get(format!("http://{}{}", reg.host(), tags("app")))
        .header(AUTHORIZATION, header)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("v1"));
}

#[tokio::test]
async fn basic_auth_from_a_podman_auth_json() {
    let reg = Registry::distribution_htpasswd(USER, PASSWORD);
    push_artifact(&Oras::for_registry(&reg), reg.host(), "app");
    let env = credentials::helper_env(&[]);
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    credentials::write_containers_auth(
        &env,
        &format!(r#"{{"auths":{{"{}":{{"auth":"{auth}"}}}}}}"#, reg.host()),
    );
    let source =
        CredentialSource::with_env(reg.host(), &ConnectOptions::default(), env.lookup.clone())
            .unwrap();
    let auth = Authenticator::with_source(client(), reg.host(), source, true);
    assert_eq!(
        get(&auth, reg.host(), &tags("app"), &pull("app"))
            .await
            .unwrap(),
        200
    );
}

#[tokio::test]
async fn basic_auth_without_or_with_wrong_credentials_says_so_plainly() {
    let reg = Registry::distribution_htpasswd(USER, PASSWORD);
    let anonymous = Authenticator::new(client(), reg.host(), None, true);
    let err = get(&anonymous, reg.host(), "/v2/", &[]).await.unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, StoreError::Unauthorized { .. }), "{err:?}");
    assert!(
        message.contains("401") && message.contains("username and password"),
        "{message}"
    );

    let wrong = Authenticator::new(client(), reg.host(), basic(USER, "wrong-pass-d00d"), true);
    assert_eq!(get(&wrong, reg.host(), "/v2/", &[]).await.unwrap(), 401);
    let debug = format!("{wrong:?}");
    assert!(!debug.contains("wrong-pass-d00d"), "{debug}");
}

#[tokio::test]
async fn bearer_tokens_from_olareg_for_a_user_anonymous_and_a_refused_user() {
    let reg = olareg_with_tokens();
    let host = reg.host();

    let user = Authenticator::new(client(), host, basic(USER, PASSWORD), true);
    assert_eq!(
        get(&user, host, &tags("private/app"), &pull("private/app"))
            .await
            .unwrap(),
        200
    );
    let header = user
        .authorization(&pull("private/app"))
        .await
        .expect("cached token");
    assert!(header.is_sensitive() && header.to_str().unwrap().starts_with("Bearer "));

    // Anonymous tokens open public repositories and nothing else.
    let anonymous = Authenticator::new(client(), host, None, true);
    assert_eq!(
        get(
            &anonymous,
            host,
            &tags("public/hello"),
            &pull("public/hello")
        )
        .await
        .unwrap(),
        200
    );
    let status = get(&anonymous, host, &tags("private/app"), &pull("private/app")).await;
    assert!(matches!(status, Ok(401 | 403)), "{status:?}");

    // A user the access list leaves out gets a token, then still a 401
    // (olareg's answer; other registries say 403), which the transport
    // reports as is.
    let bob = Authenticator::new(client(), host, basic("bob", "bob-pass-91c2"), true);
    assert_eq!(
        get(&bob, host, &tags("private/app"), &pull("private/app"))
            .await
            .unwrap(),
        401
    );

    // A wrong password is refused by the token server itself (olareg says
    // 403 there; distribution's token servers say 401).
    let wrong = Authenticator::new(client(), host, basic(USER, "nope-55aa"), true);
    let err = get(&wrong, host, &tags("private/app"), &pull("private/app"))
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, StoreError::Forbidden { .. }), "{err:?}");
    assert!(
        message.contains("403") && message.contains("token server") && message.contains(USER),
        "{message}"
    );
    assert!(!message.contains("nope-55aa"), "{message}");
}

#[tokio::test]
async fn credentials_from_the_docker_config_oras_login_writes() {
    let reg = olareg_with_tokens();
    let oras = Oras::for_registry(&reg);
    let env = LookupEnv {
        config_dir: Some(oras.docker_config()),
        path: None,
        helper_timeout: std::time::Duration::from_secs(5),
        containers_auth_files: Vec::new(),
    };
    let credential = lookup_with(reg.host(), &ConnectOptions::default(), &env).unwrap();
    assert_eq!(credential, basic(USER, PASSWORD));
    let auth = Authenticator::new(client(), reg.host(), credential, true);
    assert_eq!(
        get(
            &auth,
            reg.host(),
            &tags("private/app"),
            &pull("private/app")
        )
        .await
        .unwrap(),
        200
    );
}

#[tokio::test]
async fn credentials_from_a_helper_script_on_path() {
    let reg = Registry::distribution_htpasswd(USER, PASSWORD);
    let env = credentials::helper_env(&[(
        "canary",
        &credentials::answering_helper(reg.host(), USER, PASSWORD),
    )]);
    credentials::write_config(
        &env,
        &format!(r#"{{"credHelpers": {{"{}": "canary"}}}}"#, reg.host()),
    );
    let credential = lookup_with(reg.host(), &ConnectOptions::default(), &env.lookup).unwrap();
    assert_eq!(credential, basic(USER, PASSWORD));
    let auth = Authenticator::new(client(), reg.host(), credential, true);
    assert_eq!(get(&auth, reg.host(), "/v2/", &[]).await.unwrap(), 200);
}

/// The docker config is read and the helper run only when the registry
/// first challenges, and on a blocking thread: a slow helper does not
/// stall the runtime (this test's runtime has one thread, which keeps
/// ticking meanwhile).
#[tokio::test(flavor = "current_thread")]
async fn a_slow_helper_runs_off_the_runtime_on_the_first_challenge() {
    let reg = Registry::distribution_htpasswd(USER, PASSWORD);
    let answer = credentials::answering_helper(reg.host(), USER, PASSWORD);
    let slow = answer.replacen("#!/bin/sh\n", "#!/bin/sh\nsleep 1\n", 1);
    let env = credentials::helper_env(&[("slow", &slow)]);
    credentials::write_config(
        &env,
        &format!(r#"{{"credHelpers": {{"{}": "slow"}}}}"#, reg.host()),
    );
    let source =
        CredentialSource::with_env(reg.host(), &ConnectOptions::default(), env.lookup.clone())
            .unwrap();
    let auth = Authenticator::with_source(client(), reg.host(), source, true);
    assert!(
        format!("{auth:?}").contains("not yet looked up"),
        "{auth:?}"
    );

    let ticks = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counter = ticks.clone();
    let ticker = tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let started = std::time::Instant::now();
    assert_eq!(get(&auth, reg.host(), "/v2/", &[]).await.unwrap(), 200);
    ticker.abort();
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "the helper ran"
    );
    let ticked = ticks.load(std::sync::atomic::Ordering::SeqCst);
    assert!(ticked >= 10, "the runtime stalled: {ticked} ticks");
}
