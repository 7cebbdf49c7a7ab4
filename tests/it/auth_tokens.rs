//! The token dance seen through a fault proxy in front of olareg: the proxy
//! rewrites challenges to name its own `/token` (forwarded to olareg, so
//! token requests can be counted and their scopes read), another local
//! address, or a recording sink; rules answer token requests with
//! oversized or broken bodies.

use std::sync::Arc;

use regscope::store::remote::auth::{Authenticator, Scope};
use regscope::store::remote::credentials::Credential;
use reqwest::header::HeaderValue;

use super::{PASSWORD, USER, basic, client, get, olareg_with_tokens, pull, tags};
use crate::support::{FaultProxy, RecordedRequest, RecordingSink, Registry, Rule};

/// A proxy in front of olareg whose challenges name `realm` instead, or
/// the proxy's own `/token` (forwarded to olareg) when `realm` is `None`.
/// `rules` come first, so they can answer token requests.
pub(super) fn challenge_proxy(reg: &Registry, rules: Vec<Rule>, realm: Option<&str>) -> FaultProxy {
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
pub(super) fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

pub(super) fn token_requests(proxy: &FaultProxy) -> Vec<RecordedRequest> {
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
    // The sink again, named as another local address: an IPv4-mapped
    // IPv6 literal reaches 127.0.0.1 but is not the registry's own host.
    let realm = format!("http://[::ffff:127.0.0.1]:{port}/token");
    let reached = run(async { client().get(&realm).send().await.map(|r| r.status()) });
    assert_eq!(
        reached.map(|s| s.as_u16()).ok(),
        Some(200),
        "the sink must be reachable at {realm} for this test to mean anything"
    );
    assert_eq!(sink.requests().len(), 1);
    let elsewhere = challenge_proxy(&reg, vec![], Some(&realm));
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
    // Both registries were asked, and answered with their challenge.
    for proxy in [&elsewhere, &file] {
        let challenged = proxy.requests().iter().any(|r| r.status == 401);
        assert!(challenged, "{:?}", proxy.requests());
    }
    assert_eq!(sink.requests().len(), 1, "the realm was contacted");
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
