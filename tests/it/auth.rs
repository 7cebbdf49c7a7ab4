//! The authenticator against real registries: Basic on distribution with
//! htpasswd, the Bearer token dance on olareg's token server (challenge,
//! token endpoint, access lists, anonymous tokens), with credentials from
//! a docker config and from a helper. A fault proxy in front of olareg
//! rewrites challenges to check realms, scopes, caps and the token cache.
//!
//! The requests are made here with a plain reqwest client, the way the
//! transport uses the authenticator: send with `authorization()`, on 401
//! `answer_challenge()` and send once more.

#[path = "auth_credentials.rs"]
mod credentials;

use std::sync::Arc;

use regscope::store::StoreError;
use regscope::store::remote::ConnectOptions;
use regscope::store::remote::auth::{Authenticator, Scope};
use regscope::store::remote::credentials::{Credential, LookupEnv, lookup_with};
use reqwest::header::{AUTHORIZATION, HeaderValue};

use crate::support::{FaultProxy, OlaregAcl, OlaregAuth, Oras, RecordingSink, Registry, Rule};

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

fn pull(repo: &str) -> Vec<Scope> {
    vec![Scope::Pull(repo.to_owned())]
}

fn tags(repo: &str) -> String {
    format!("/v2/{repo}/tags/list")
}

/// olareg with token auth: `canary-user` may do anything, `bob` has a
/// password but no access, anyone may read `public/*`. Each repository
/// holds one artifact.
fn olareg_with_tokens() -> Registry {
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

/// A proxy in front of olareg whose challenges name `realm` instead, or
/// the proxy's own `/token` (forwarded to olareg) when `realm` is `None`.
/// `rules` come first, so they can answer token requests.
fn challenge_proxy(reg: &Registry, rules: Vec<Rule>, realm: Option<&str>) -> FaultProxy {
    let proxy = FaultProxy::start(reg.host());
    for rule in rules {
        proxy.add_rule(rule);
    }
    let realm = realm.map_or_else(|| format!("{}/token", proxy.base_url()), str::to_owned);
    let challenge = format!(r#"Bearer realm="{realm}",service="olareg registry""#);
    proxy.add_rule(
        Rule::any()
            .path("/v2/")
            .header("WWW-Authenticate", &challenge),
    );
    proxy
}

/// Runs the async part of a test whose proxies and sinks live outside any
/// runtime (they start and stop their own).
fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

fn token_requests(proxy: &FaultProxy) -> Vec<crate::support::RecordedRequest> {
    let mut requests = proxy.requests();
    requests.retain(|r| r.path.starts_with("/token"));
    requests
}

#[test]
fn tokens_are_cached_per_scope_and_concurrent_challenges_share_one_fetch() {
    let reg = olareg_with_tokens();
    let proxy = FaultProxy::start(reg.host());
    let realm = format!("{}/token", proxy.base_url());
    proxy.add_rule(Rule::any().path("/v2/").header(
        "WWW-Authenticate",
        &format!(r#"Bearer realm="{realm}",service="olareg registry",scope="repository:private/app:pull""#),
    ));
    let host = proxy.host();
    let auth = Arc::new(Authenticator::new(
        client(),
        &host,
        basic(USER, PASSWORD),
        true,
    ));
    run(async {
        let status = get(&auth, &host, &tags("private/app"), &pull("private/app")).await;
        assert_eq!(status.unwrap(), 200);
        let first = token_requests(&proxy);
        assert_eq!(first.len(), 1);
        let path = &first[0].path;
        assert!(
            path.contains("scope=repository%3Aprivate%2Fapp%3Apull"),
            "{path}"
        );
        assert!(path.contains("service=olareg"), "{path}");
        let sent = first[0].header("authorization");
        assert!(sent.is_some_and(|h| h.starts_with("Basic ")));

        // The cached token answers again, without a token request.
        let status = get(&auth, &host, &tags("private/app"), &pull("private/app")).await;
        assert_eq!(status.unwrap(), 200);
        assert_eq!(token_requests(&proxy).len(), 1);

        // Eight requests rejected at once for a new scope: one token request.
        let challenge = reqwest::header::HeaderMap::from_iter([(
            reqwest::header::WWW_AUTHENTICATE,
            HeaderValue::try_from(format!(
                r#"Bearer realm="{realm}",service="olareg registry""#
            ))
            .unwrap(),
        )]);
        let answers = futures_util::future::join_all((0..8).map(|_| {
            let (auth, challenge) = (auth.clone(), challenge.clone());
            async move {
                auth.answer_challenge(&challenge, &pull("public/hello"))
                    .await
                    .unwrap()
            }
        }))
        .await;
        assert!(answers.windows(2).all(|w| w[0] == w[1]));
        assert_eq!(token_requests(&proxy).len(), 2);

        // Pushing needs more than the pull token grants: a new token for the
        // merged scope, fetched without waiting for another challenge.
        let push = [
            Scope::Push("private/app".into()),
            Scope::Pull("private/app".into()),
        ];
        assert!(auth.authorization(&push).await.is_some());
        let all = token_requests(&proxy);
        assert_eq!(all.len(), 3);
        let path = &all[2].path;
        assert!(
            path.contains("scope=repository%3Aprivate%2Fapp%3Apull%2Cpush"),
            "{path}"
        );
    });
}

#[test]
fn an_insufficient_scope_challenge_widens_the_token_request() {
    let reg = olareg_with_tokens();
    let proxy = FaultProxy::start(reg.host());
    let realm = format!("{}/token", proxy.base_url());
    proxy.add_rule(Rule::any().path("/v2/").header(
        "WWW-Authenticate",
        &format!(
            r#"Bearer realm="{realm}",service="olareg registry",error="insufficient_scope",scope="repository:public/hello:pull repository:private/app:delete""#
        ),
    ));
    let host = proxy.host();
    let auth = Authenticator::new(client(), &host, basic(USER, PASSWORD), true);
    run(async {
        let status = get(&auth, &host, &tags("private/app"), &pull("private/app")).await;
        assert_eq!(status.unwrap(), 200);
    });
    let token = token_requests(&proxy).remove(0);
    let path = &token.path;
    assert!(
        path.contains("scope=repository%3Aprivate%2Fapp%3Adelete%2Cpull"),
        "{path}"
    );
    assert!(
        path.contains("scope=repository%3Apublic%2Fhello%3Apull"),
        "{path}"
    );
}

#[test]
fn a_realm_on_another_local_address_is_refused_before_contact() {
    let reg = olareg_with_tokens();
    let sink = RecordingSink::start(200);
    let port = sink.host().rsplit(':').next().unwrap().to_owned();
    let elsewhere = challenge_proxy(
        &reg,
        vec![],
        Some(&format!("http://127.0.0.2:{port}/token")),
    );
    let file = challenge_proxy(&reg, vec![], Some("file:///etc/passwd"));
    run(async {
        let auth = Authenticator::new(client(), &elsewhere.host(), basic(USER, PASSWORD), true);
        let result = get(
            &auth,
            &elsewhere.host(),
            &tags("private/app"),
            &pull("private/app"),
        )
        .await;
        let err = result.unwrap_err().to_string();
        assert!(err.contains("refusing the registry's token realm"), "{err}");

        let auth = Authenticator::new(client(), &file.host(), basic(USER, PASSWORD), true);
        let err = get(&auth, &file.host(), "/v2/", &[])
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("not http(s)"), "{err}");
    });
    assert!(sink.requests().is_empty());
}

#[test]
fn oversized_empty_and_non_json_token_answers_are_errors() {
    let reg = olareg_with_tokens();
    let cases = [
        (
            Rule::new("GET", "/token")
                .status(200)
                .body(vec![b' '; 200 * 1024]),
            "larger than the 131072-byte limit",
        ),
        (
            Rule::new("GET", "/token")
                .status(200)
                .body(r#"{"token":""}"#),
            "holds no token",
        ),
        (
            Rule::new("GET", "/token").status(200).body("<html>"),
            "is not JSON",
        ),
    ];
    for (rule, expected) in cases {
        let proxy = challenge_proxy(&reg, vec![rule], None);
        let auth = Authenticator::new(client(), &proxy.host(), basic(USER, PASSWORD), true);
        let err = run(get(&auth, &proxy.host(), "/v2/", &[])).unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
    }
}

#[test]
fn an_identity_token_is_exchanged_with_the_oauth2_form() {
    let reg = olareg_with_tokens();
    let sink = RecordingSink::start_with(
        200,
        &[("Content-Type", "application/json")],
        br#"{"access_token":"issued-by-sink","expires_in":300}"#,
    );
    let proxy = challenge_proxy(
        &reg,
        vec![],
        Some(&format!("{}/oauth2/token", sink.base_url())),
    );
    let identity = Some(Credential::IdentityToken("refresh-canary-0b1f".into()));
    let auth = Authenticator::new(client(), &proxy.host(), identity, true);
    let header = run(async {
        let url = format!("http://{}/v2/", proxy.host());
        let challenge = client().get(url).send().await.unwrap();
        assert_eq!(challenge.status(), 401);
        auth.answer_challenge(challenge.headers(), &pull("private/app"))
            .await
            .unwrap()
    });
    assert_eq!(header.to_str().unwrap(), "Bearer issued-by-sink");
    let requests = sink.requests();
    assert_eq!(requests.len(), 1);
    let token_request = &requests[0];
    assert_eq!(token_request.method, "POST");
    assert_eq!(token_request.path, "/oauth2/token");
    let content_type = token_request.header("content-type");
    assert_eq!(content_type, Some("application/x-www-form-urlencoded"));
    assert!(token_request.header("authorization").is_none());
    assert!(token_request.body_len > "grant_type=refresh_token".len());
}
