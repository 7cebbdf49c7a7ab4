//! HTTPS to a registry with a private CA (reliability H4, E7): without the
//! CA the handshake fails with an error about the certificate (and nothing
//! falls back to plain HTTP); with `ca_file` everything works; `insecure`
//! works too and says loudly that verification is off. The same through
//! the CLI's `--ca-file` and `--insecure`.

use std::io::Write;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::store::{Store, StoreError};

use super::{push_image, tag_pages};
use crate::support::Registry;

const REPO: &str = "secure/app";

fn options() -> ConnectOptions {
    ConnectOptions {
        https_on_loopback: true,
        ..ConnectOptions::default()
    }
}

#[tokio::test]
async fn remote_tls_needs_the_ca_and_works_with_it() {
    let reg = Registry::distribution_tls();

    let untrusting = RemoteStore::new(reg.host(), options()).expect("store");
    let refused = untrusting.tags(REPO, &mut |_| {}).await;
    let message = match refused {
        Err(error @ StoreError::Transport { .. }) => error.to_string(),
        other => panic!("expected a TLS failure, got {other:?}"),
    };
    assert!(message.contains("certificate"), "{message}");
    assert!(message.contains(reg.host()), "{message}");

    let trusting = ConnectOptions {
        ca_file: Some(reg.ca_file()),
        ..ConnectOptions::default()
    };
    let store = RemoteStore::new(reg.host(), trusting).expect("store");
    let image = push_image(&store, REPO, "v1", "tls").await;
    assert_eq!(tag_pages(&store, REPO).await.concat(), ["v1"]);
    let resolved = store.resolve(REPO, "v1").await.expect("resolve");
    assert_eq!(resolved.digest, *image.digest());
    let fetched = store
        .fetch_manifest(REPO, &image.digest().to_string())
        .await
        .expect("fetch");
    assert_eq!(fetched.raw(), image.raw());
}

/// Collects what `tracing` writes while a closure runs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn remote_insecure_skips_verification_and_says_so() {
    let reg = Registry::distribution_tls();
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let insecure = ConnectOptions {
        insecure: true,
        ..ConnectOptions::default()
    };
    let store = tracing::subscriber::with_default(subscriber, || {
        RemoteStore::new(reg.host(), insecure).expect("store")
    });
    let logged = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("WARN") && logged.contains("verification is OFF"),
        "{logged:?}"
    );
    push_image(&store, REPO, "v1", "insecure").await;
    assert_eq!(tag_pages(&store, REPO).await.concat(), ["v1"]);
}

fn regscope_ls(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regscope"))
        .arg("ls")
        .args(args)
        .env_remove("RUST_LOG")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .output()
        .expect("run regscope")
}

fn text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test]
async fn remote_cli_ls_trusts_a_ca_file() {
    let reg = Registry::distribution_tls();
    let setup = ConnectOptions {
        ca_file: Some(reg.ca_file()),
        ..ConnectOptions::default()
    };
    let store = RemoteStore::new(reg.host(), setup).expect("store");
    push_image(&store, REPO, "v1", "cli").await;
    let repository = reg.reference(REPO);

    let ca_file = reg.ca_file();
    let trusted = regscope_ls(&["--ca-file", ca_file.to_str().unwrap(), &repository]);
    assert!(trusted.status.success(), "{}", text(&trusted));
    assert!(
        String::from_utf8_lossy(&trusted.stdout).contains("v1"),
        "{}",
        text(&trusted)
    );

    let insecure = regscope_ls(&["--insecure", &repository]);
    assert!(insecure.status.success(), "{}", text(&insecure));
    let stderr = String::from_utf8_lossy(&insecure.stderr);
    assert!(stderr.contains("verification is OFF"), "{stderr}");

    // Over TLS the registry offers HTTP/2 (ALPN) and is spoken to in it:
    // one connection carries every request of a level at once.
    let logged = Command::new(env!("CARGO_BIN_EXE_regscope"))
        .args(["ls", "--ca-file", ca_file.to_str().unwrap(), &repository])
        .env_remove("RUST_LOG")
        .env("REGSCOPE_LOG", "regscope=debug")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .output()
        .expect("run regscope");
    let log = String::from_utf8_lossy(&logged.stderr);
    assert!(log.contains("HTTP/2.0"), "{log}");

    // Without a TLS option a loopback host is spoken to in plain HTTP,
    // which a TLS registry refuses: an error, never a silent success.
    let plain = regscope_ls(&[&repository]);
    assert!(!plain.status.success(), "{}", text(&plain));
}

/// `--insecure` vouches for the named host and port only (H4): the same
/// server reached under another name, as a redirect or a token realm could
/// send a request, is verified, and its test certificate is refused.
#[tokio::test]
async fn remote_insecure_covers_the_named_host_only() {
    let reg = Registry::distribution_tls();
    let port = reg.host().rsplit_once(':').expect("port").1.to_owned();
    let insecure = ConnectOptions {
        insecure: true,
        ..ConnectOptions::default()
    };
    let clients =
        regscope::store::remote::Clients::for_registry(reg.host(), &insecure).expect("clients");

    let named = url::Url::parse(&format!("https://{}/v2/", reg.host())).expect("url");
    let answer = clients.for_url(&named).get(named.clone()).send().await;
    assert_eq!(answer.expect("the named host").status(), 200);

    let elsewhere = url::Url::parse(&format!("https://localhost:{port}/v2/")).expect("url");
    let refused = clients
        .for_url(&elsewhere)
        .get(elsewhere.clone())
        .send()
        .await
        .expect_err("another host name is verified");
    let mut message = refused.to_string();
    let mut source = std::error::Error::source(&refused);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    assert!(message.contains("certificate"), "{message}");
}
