//! Work done once, counted at a recording proxy in front of real
//! registries: an audit fetches each tag's manifest once and asks for it
//! by digest no more; a session's stores share what they fetched by digest; a pull of
//! an SBOM that had to be read to be chosen downloads it once; and bytes
//! that failed their digest are never served from memory.

use std::process::{Command, Output};

use regscope::graph::{DiscoverOptions, discover};
use regscope::oci::Descriptor;
use regscope::store::Store;
use regscope::store::remote::{ConnectOptions, RemoteStore};

use crate::support::{FaultProxy, Oras, RecordedRequest, Registry, Rule, sha256_digest};

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

/// The requests of the second of two discoveries of `reference`, each by
/// its own store.
fn discover_twice(
    proxy: &FaultProxy,
    reference: &str,
    first: ConnectOptions,
    second: ConnectOptions,
) -> Vec<RecordedRequest> {
    runtime().block_on(async {
        for options in [first, second] {
            proxy.clear_requests();
            let store = RemoteStore::new(&proxy.host(), options).unwrap();
            let tree = discover(&store, "app", reference, &DiscoverOptions::default())
                .await
                .unwrap();
            assert_eq!(tree.referrers.len(), 1);
        }
    });
    proxy.requests()
}

#[test]
fn a_session_fetches_each_manifest_by_digest_once() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let image = push_signed(&oras, &registry, "app:v1", "one");
    let proxy = FaultProxy::start(registry.host());

    // Two stores of one session: the second asks the registry for no
    // manifest by digest.
    let session = ConnectOptions::default();
    let requests = discover_twice(&proxy, &image, session.clone(), session);
    let by_digest = requests
        .iter()
        .filter(|r| r.path.contains("/manifests/sha256:"))
        .count();
    assert_eq!(by_digest, 0, "all from the session: {requests:#?}");

    // Two sessions: each fetches for itself (the cache is the session's):
    // the image resolved and fetched, the signature fetched.
    let requests = discover_twice(
        &proxy,
        &image,
        ConnectOptions::default(),
        ConnectOptions::default(),
    );
    let by_digest = requests
        .iter()
        .filter(|r| r.path.contains("/manifests/sha256:"))
        .count();
    assert_eq!(by_digest, 3, "{requests:#?}");
}

#[test]
fn bytes_that_failed_their_digest_are_fetched_again() {
    let registry = Registry::olareg();
    let content = b"a small blob, verified before it is kept".to_vec();
    let descriptor = Descriptor::of_bytes("application/octet-stream", &content);
    let digest = sha256_digest(&content);
    let proxy = FaultProxy::start(registry.host());
    runtime().block_on(async {
        let options = ConnectOptions::default();
        let store = RemoteStore::new(&proxy.host(), options.clone()).unwrap();
        store
            .push_blob(
                "app",
                &descriptor,
                regscope::store::bytes_stream(content.clone().into()),
            )
            .await
            .unwrap();
        proxy.add_rule(
            Rule::new("GET", &format!("/blobs/{digest}"))
                .flip_byte(3)
                .times(1),
        );
        let flipped = store.fetch_blob_bytes("app", &descriptor, 1024).await;
        assert!(flipped.is_err(), "a flipped byte fails its digest");
        let again = store
            .fetch_blob_bytes("app", &descriptor, 1024)
            .await
            .unwrap();
        assert_eq!(again.as_ref(), content.as_slice());
        let third = RemoteStore::new(&proxy.host(), options).unwrap();
        let kept = third
            .fetch_blob_bytes("app", &descriptor, 1024)
            .await
            .unwrap();
        assert_eq!(kept.as_ref(), content.as_slice());
    });
    let gets = proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with(&format!("/blobs/{digest}")))
        .count();
    // The corrupt answer, then the good one; the third store's read came
    // from the session, byte for byte.
    assert_eq!(gets, 2);
}

#[test]
fn an_sbom_read_to_be_chosen_is_downloaded_once() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("file.txt"), "image").unwrap();
    let sbom = r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"zlib","version":"1.3"}]}"#;
    std::fs::write(work.path().join("bom.json"), sbom).unwrap();
    let image = registry.reference("app:v1");
    oras.run_in(work.path(), &["push", &image, "file.txt"]);
    // Announced as nothing in particular: pull must read it to know.
    oras.run_in(
        work.path(),
        &[
            "attach",
            "--artifact-type",
            "application/vnd.example.report",
            &image,
            "bom.json:application/json",
        ],
    );
    let proxy = FaultProxy::start(registry.host());
    let out_dir = tempfile::tempdir().unwrap();
    let out = regscope(&[
        "pull",
        "--sbom",
        &format!("{}/app:v1", proxy.host()),
        "-o",
        out_dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(out_dir.path().join("bom.json")).unwrap(),
        sbom
    );
    let sbom_digest = sha256_digest(sbom.as_bytes());
    let reads = proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with(&format!("/blobs/{sbom_digest}")))
        .count();
    assert_eq!(reads, 1);
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

/// Copies `image` with its referrers from the proxy's registry into a new
/// layout, handing over `known`; returns the source's requests and how many
/// referrers the copy has.
fn copy_with_known_graph(
    proxy: &FaultProxy,
    image: &str,
    known: regscope::graph::ReferrerTree,
) -> (Vec<RecordedRequest>, usize) {
    use regscope::ops::{CancellationToken, CopyOptions};
    use regscope::store::layout::LayoutStore;

    proxy.clear_requests();
    let target_dir = tempfile::tempdir().unwrap();
    let referrers = runtime().block_on(async {
        let source = RemoteStore::new(&proxy.host(), ConnectOptions::default()).unwrap();
        let target = LayoutStore::create_directory(target_dir.path()).unwrap();
        let (progress, _events) = tokio::sync::mpsc::unbounded_channel();
        let options = CopyOptions {
            referrers: true,
            known_graph: Some(std::sync::Arc::new(known)),
            ..CopyOptions::default()
        };
        regscope::ops::copy(
            &source,
            "app",
            image,
            &target,
            "mirror",
            &options,
            &progress,
            &CancellationToken::new(),
        )
        .await
        .unwrap();
        let copied = discover(&target, "mirror", image, &DiscoverOptions::default())
            .await
            .unwrap();
        copied.referrers.len()
    });
    (proxy.requests(), referrers)
}

#[test]
fn a_copy_from_a_graph_already_discovered_does_not_discover_again() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let one = push_signed(&oras, &registry, "app:v1", "one");
    let two = push_signed(&oras, &registry, "app:v2", "two");
    let proxy = FaultProxy::start(registry.host());
    let graph_of = |image: &str| {
        runtime().block_on(async {
            let store = RemoteStore::new(registry.host(), ConnectOptions::default()).unwrap();
            discover(&store, "app", image, &DiscoverOptions::default())
                .await
                .unwrap()
        })
    };
    let asks_for_the_graph = |requests: &[RecordedRequest]| {
        requests
            .iter()
            .filter(|r| r.path.contains("/referrers/") || r.path.contains("/tags/list"))
            .count()
    };

    let (requests, copied) = copy_with_known_graph(&proxy, &one, graph_of(&one));
    assert_eq!(copied, 1, "the signature came along");
    assert_eq!(asks_for_the_graph(&requests), 0, "{requests:#?}");

    // Another image's graph is not this one's: the copy discovers.
    let (requests, copied) = copy_with_known_graph(&proxy, &one, graph_of(&two));
    assert_eq!(copied, 1);
    assert!(asks_for_the_graph(&requests) > 0, "{requests:#?}");
}
