//! A registry reached over https must not send regscope, or its
//! credentials, to plain http (reliability rule 4, issue 12). The fault
//! proxy speaks HTTPS in front of a real registry and redirects one kind of
//! request to a plain-http sink: a blob GET, an upload's `Location`, a
//! token request. Each is refused with an error that names both ends, and
//! the sink counts no request at all.

use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::store::{Store, StoreError, bytes_stream};

use super::{push_image, run};
use crate::auth::{PASSWORD, USER, olareg_with_tokens};
use crate::support::{FaultProxy, RecordingSink, Registry, Rule, TestCa};

const REPO: &str = "secure/app";

/// Over https to the proxy, trusting its CA, with the registry's login.
fn store(proxy: &FaultProxy, ca: &TestCa) -> RemoteStore {
    let options = ConnectOptions {
        ca_file: Some(ca.ca_file()),
        username: Some(USER.to_owned()),
        password: Some(PASSWORD.to_owned()),
        ..ConnectOptions::default()
    };
    RemoteStore::new(&proxy.host(), options).expect("store")
}

fn assert_refused_downgrade(error: &StoreError, proxy: &FaultProxy, sink: &RecordingSink) {
    let message = error.to_string();
    assert!(
        message.contains(&format!("https://{}", proxy.host())),
        "{message}"
    );
    assert!(
        message.contains(&format!("http://{}", sink.host())),
        "{message}"
    );
    assert!(message.contains("refused"), "{message}");
    assert!(!message.contains(PASSWORD), "{message}");
}

#[test]
fn an_https_registry_redirecting_a_blob_or_an_upload_to_plain_http_is_refused() {
    let registry = Registry::distribution_htpasswd(USER, PASSWORD);
    let ca = TestCa::new();
    let proxy = FaultProxy::start_tls(registry.host(), &ca);
    let sink = RecordingSink::start(200);
    let store = store(&proxy, &ca);
    run(async {
        let image = push_image(&store, REPO, "v1", "downgrade").await;
        let layer = image.layers.first().expect("a layer").clone();

        proxy.add_rule(Rule::new("GET", "/blobs/sha256:").redirect_to_base(307, &sink.base_url()));
        let error = store
            .fetch_blob_bytes(REPO, &layer, 1024)
            .await
            .expect_err("a redirect to plain http");
        assert_refused_downgrade(&error, &proxy, &sink);

        // The registry answers an upload with a Location on plain http.
        let upload_at = format!("{}/v2/{REPO}/blobs/uploads/elsewhere", sink.base_url());
        proxy.add_rule(Rule::new("POST", "/blobs/uploads/").header("Location", &upload_at));
        let content = bytes::Bytes::from_static(b"never sent in the clear");
        let descriptor = regscope::oci::Descriptor::of_bytes("text/plain", &content);
        let error = store
            .push_blob(REPO, &descriptor, bytes_stream(content))
            .await
            .expect_err("an upload Location on plain http");
        let message = error.to_string();
        assert!(message.contains("another origin"), "{message}");
        assert!(message.contains(&sink.host()), "{message}");
    });
    // The registry's own https origin got the credentials; the http side
    // never heard from regscope.
    let blob_get = proxy
        .requests()
        .into_iter()
        .find(|r| r.method == "GET" && r.path.contains("/blobs/sha256:"))
        .expect("the blob GET reached the registry");
    assert!(blob_get.header("authorization").is_some());
    assert!(sink.requests().is_empty(), "{:?}", sink.requests());
}

#[test]
fn an_https_token_realm_redirecting_to_plain_http_never_gets_the_password() {
    let registry = olareg_with_tokens();
    let ca = TestCa::new();
    let proxy = FaultProxy::start_tls(registry.host(), &ca);
    let sink = RecordingSink::start_with(
        200,
        &[("Content-Type", "application/json")],
        br#"{"token":"from-the-clear","expires_in":300}"#,
    );
    // olareg names its own plain-http realm; the proxy names itself, on
    // https, and then sends the token request to plain http.
    let challenge = format!(
        r#"Bearer realm="{}/token",service="olareg registry""#,
        proxy.base_url()
    );
    proxy.add_rule(Rule::new("GET", "/token").redirect_to_base(307, &sink.base_url()));
    proxy.add_rule(
        Rule::any()
            .path("/v2/")
            .header("WWW-Authenticate", &challenge),
    );
    let store = store(&proxy, &ca);
    let error = run(async {
        store
            .tags("private/app", &mut |_| {})
            .await
            .expect_err("a token redirect to plain http")
    });
    assert_refused_downgrade(&error, &proxy, &sink);
    assert!(error.to_string().contains("from https to plain http"));
    let asked = proxy
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/token"))
        .count();
    assert!(asked >= 1, "the realm on https was asked first");
    assert!(sink.requests().is_empty(), "{:?}", sink.requests());
}
