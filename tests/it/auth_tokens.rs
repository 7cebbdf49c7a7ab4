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

fn token_requests(proxy: &FaultProxy) -> Vec<RecordedRequest> {
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

/// A `tracing` writer that keeps everything written, for leak checks.
#[derive(Clone, Default)]
struct CapturedLog(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn no_secret_reaches_a_trace_log_or_a_debug_print() {
    use base64::Engine as _;
    let reg = olareg_with_tokens();
    let basic_reg = Registry::distribution_htpasswd(USER, PASSWORD);
    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let (token, debug) = tracing::subscriber::with_default(subscriber, || {
        run(async {
            let (path, scopes) = (tags("private/app"), pull("private/app"));
            let bearer = Authenticator::new(client(), reg.host(), basic(USER, PASSWORD), true);
            let status = get(&bearer, reg.host(), &path, &scopes);
            assert_eq!(status.await.unwrap(), 200);
            let wrong = Authenticator::new(client(), reg.host(), basic(USER, "wrong-6e2d"), true);
            let failed = get(&wrong, reg.host(), &path, &scopes);
            assert!(failed.await.is_err());
            let basic_auth =
                Authenticator::new(client(), basic_reg.host(), basic(USER, PASSWORD), true);
            assert_eq!(
                get(&basic_auth, basic_reg.host(), "/v2/", &[])
                    .await
                    .unwrap(),
                200
            );
            let header = bearer.authorization(&scopes).await.unwrap();
            let token = header
                .to_str()
                .unwrap()
                .trim_start_matches("Bearer ")
                .to_owned();
            (
                token,
                format!("{bearer:?} {basic_auth:?} {wrong:?} {header:?}"),
            )
        })
    });
    let log = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("fetching a bearer token"),
        "the log captured nothing: {log}"
    );
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    for secret in [PASSWORD, "wrong-6e2d", token.as_str(), encoded.as_str()] {
        assert!(!log.contains(secret), "a secret reached the log:\n{log}");
        assert!(
            !debug.contains(secret),
            "a secret reached a Debug print: {debug}"
        );
    }
}

#[test]
fn token_server_redirects_carry_credentials_only_on_the_realms_origin() {
    let reg = olareg_with_tokens();
    let sink = RecordingSink::start_with(
        200,
        &[("Content-Type", "application/json")],
        br#"{"token":"from-sink","expires_in":120}"#,
    );
    let elsewhere = challenge_proxy(
        &reg,
        vec![Rule::new("GET", "/token").redirect_to_base(307, &sink.base_url())],
        None,
    );
    let same = challenge_proxy(&reg, vec![], None);
    let again = format!(
        "{}/token?service=olareg+registry&scope=repository%3Aprivate%2Fapp%3Apull",
        same.base_url()
    );
    same.add_rule(Rule::new("GET", "/token?").times(1).redirect(&again));
    run(async {
        let auth = Authenticator::new(client(), &elsewhere.host(), basic(USER, PASSWORD), true);
        let challenge = client()
            .get(format!("{}/v2/", elsewhere.base_url()))
            .send()
            .await;
        let challenge = challenge.unwrap();
        let header = auth
            .answer_challenge(challenge.headers(), &[])
            .await
            .unwrap();
        assert_eq!(header.to_str().unwrap(), "Bearer from-sink");

        let auth = Authenticator::new(client(), &same.host(), basic(USER, PASSWORD), true);
        let status = get(
            &auth,
            &same.host(),
            &tags("private/app"),
            &pull("private/app"),
        )
        .await;
        assert_eq!(status.unwrap(), 200);
    });
    let at_sink = sink.requests();
    assert_eq!(at_sink.len(), 1);
    assert!(at_sink[0].header("authorization").is_none());
    let hops = token_requests(&same);
    assert_eq!(hops.len(), 2);
    assert!(hops.iter().all(|r| r.header("authorization").is_some()));
}

#[test]
fn token_server_redirects_to_local_addresses_or_with_the_oauth2_form_are_refused() {
    let reg = olareg_with_tokens();
    let sink = RecordingSink::start(200);
    let local = challenge_proxy(
        &reg,
        vec![Rule::new("GET", "/token").redirect("http://127.0.0.2:9/token")],
        None,
    );
    let oauth2 = challenge_proxy(
        &reg,
        vec![Rule::new("POST", "/token").redirect_to_base(307, &sink.base_url())],
        None,
    );
    run(async {
        let auth = Authenticator::new(client(), &local.host(), basic(USER, PASSWORD), true);
        let err = get(&auth, &local.host(), "/v2/", &[]).await.unwrap_err();
        assert!(
            err.to_string()
                .contains("refusing the registry's token realm"),
            "{err}"
        );

        let identity = Some(Credential::IdentityToken("refresh-canary-5e1a".into()));
        let auth = Authenticator::new(client(), &oauth2.host(), identity, true);
        let err = get(&auth, &oauth2.host(), "/v2/", &[]).await.unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("would carry the identity token"),
            "{message}"
        );
        assert!(!message.contains("refresh-canary"), "{message}");
    });
    assert!(sink.requests().is_empty());
}
