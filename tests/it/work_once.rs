//! Work done once, counted at a recording proxy in front of real
//! registries: an audit fetches each tag's manifest once and asks for it
//! by digest no more; a session's stores share what they fetched by digest; a pull of
//! an SBOM that had to be read to be chosen downloads it once; and bytes
//! that failed their digest are never served from memory. The audit's
//! counts are here, the session's and the transfers' in `work_once/`.

use std::process::{Command, Output};

use crate::support::{FaultProxy, Oras, RecordedRequest, Registry};

mod session;
mod transfer;

fn regscope(args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_regscope"))
        .args(args)
        .env("HOME", home.path())
        .env("NO_PROXY", "127.0.0.1,localhost")
        .output()
        .unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

/// Pushes `repo:tag` (a one-layer artifact named by `content`) and
/// attaches a signature-typed artifact to it; returns the image's digest.
fn push_signed(oras: &Oras, registry: &Registry, repo_tag: &str, content: &str) -> String {
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("file.txt"), content).unwrap();
    std::fs::write(work.path().join("sig.txt"), format!("sig of {content}")).unwrap();
    let image = registry.reference(repo_tag);
    let digest = oras.run_in(
        work.path(),
        &[
            "push",
            "--format",
            "go-template={{.digest}}",
            &image,
            "file.txt",
        ],
    );
    oras.run_in(
        work.path(),
        &[
            "attach",
            "--artifact-type",
            "application/vnd.dev.cosign.artifact.sig.v1+json",
            &image,
            "sig.txt",
        ],
    );
    digest.trim().to_owned()
}

fn manifest_requests<'a>(
    requests: &'a [RecordedRequest],
    method: &'a str,
    reference: &'a str,
) -> impl Iterator<Item = &'a RecordedRequest> {
    let suffix = format!("/manifests/{reference}");
    requests
        .iter()
        .filter(move |r| r.method == method && r.path.ends_with(&suffix))
}

#[test]
fn an_audit_resolves_each_tag_once_and_fetches_each_image_once() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let one = push_signed(&oras, &registry, "app:v1", "one");
    let two = push_signed(&oras, &registry, "app:v2", "two");
    // A second tag on the first image: one row, two tags, one fetch.
    oras.run(&["tag", &registry.reference("app:v1"), "latest"]);
    let proxy = FaultProxy::start(registry.host());
    let out = regscope(&[
        "audit",
        &format!("{}/app", proxy.host()),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["images"], 2, "{json}");
    assert_eq!(json["summary"]["signed"], 2, "{json}");

    let requests = proxy.requests();
    for tag in ["v1", "v2", "latest"] {
        let resolves = manifest_requests(&requests, "HEAD", tag).count()
            + manifest_requests(&requests, "GET", tag).count();
        assert_eq!(resolves, 1, "{tag} resolved once: {requests:#?}");
    }
    // Resolving a tag fetched its manifest: discovery takes it from the
    // session, so the image's digest is named once, by its referrers
    // listing (4 requests an image with one signature, not 5).
    for image in [&one, &two] {
        let naming: Vec<&RecordedRequest> = requests
            .iter()
            .filter(|r| r.path.contains(image.as_str()))
            .collect();
        assert_eq!(naming.len(), 1, "{image}: {naming:#?}");
        assert!(naming[0].path.contains("/referrers/"), "{naming:#?}");
    }
}

#[test]
fn an_audit_reads_a_notation_envelope_once_to_name_and_verify_its_signer() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let notation = crate::support::notation::Notation::new();
    notation.generate_test_key("alice");
    let dir = tempfile::tempdir().unwrap();
    let reference = registry.reference("signed:v1");
    let (digest, ..) =
        crate::support::fixture::push_image(&oras, dir.path(), &reference, "v1", "linux", "amd64");
    notation.sign(
        "alice",
        "jws",
        &registry.reference(&format!("signed@{digest}")),
        true,
    );
    let proxy = FaultProxy::start(registry.host());
    let audit = |trust_store: &str| {
        let out = crate::cli::regscope_output(
            dir.path(),
            &[
                "audit",
                &format!("{}/signed", proxy.host()),
                "--format",
                "json",
                "--notation-trust-store",
                trust_store,
            ],
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        json["images"][0]["details"]["signatures"][0].clone()
    };
    let trusted = notation.trust_store("alice");
    let signature = audit(trusted.to_str().unwrap());
    assert_eq!(signature["scheme"], "notation", "{signature:#}");
    assert!(
        signature["signer"]
            .as_str()
            .is_some_and(|s| s.starts_with("subject CN=alice,")),
        "{signature:#}"
    );
    assert_eq!(
        signature["verification"]["status"], "verified",
        "{signature:#}"
    );
    let requests = proxy.requests();
    let mut blob_gets = std::collections::BTreeMap::<&str, usize>::new();
    for request in requests.iter().filter(|r| r.method == "GET") {
        if let Some((_, blob)) = request.path.split_once("/blobs/") {
            *blob_gets.entry(blob).or_default() += 1;
        }
    }
    assert!(!blob_gets.is_empty(), "{requests:#?}");
    assert!(
        blob_gets.values().all(|gets| *gets == 1),
        "every blob read once: {blob_gets:#?}"
    );

    // Another process is another session: it reads the envelope again,
    // and with a trust store that does not hold alice, fails.
    notation.generate_test_key("mallory");
    proxy.clear_requests();
    let stranger = notation.trust_store("mallory");
    let signature = audit(stranger.to_str().unwrap());
    assert_eq!(
        signature["verification"]["status"], "failed",
        "{signature:#}"
    );
    assert!(
        proxy
            .requests()
            .iter()
            .any(|r| r.method == "GET" && r.path.contains("/blobs/")),
    );
}
