//! What must never leave regscope: credentials on a token server's
//! redirect to another origin or a local address, the OAuth2 form sent
//! anywhere but the realm, and any secret in a trace log or `Debug` print.

use std::sync::Arc;

use regscope::store::remote::auth::Authenticator;
use regscope::store::remote::credentials::Credential;

use super::tokens::{challenge_proxy, run, token_requests};
use super::{PASSWORD, USER, basic, client, get, olareg_with_tokens, pull, tags};
use crate::support::{RecordingSink, Registry, Rule};

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
    // Each token server answered with its redirect, and the sink, which a
    // followed redirect would reach, saw nothing.
    assert_eq!(local.rule_hits(0), 1, "{:?}", local.requests());
    assert_eq!(oauth2.rule_hits(0), 1, "{:?}", oauth2.requests());
    assert!(sink.requests().is_empty());
}
