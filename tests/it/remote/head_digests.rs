//! Reliability B3: a digest regscope only heard in a HEAD answer
//! (`Docker-Content-Digest`, no body) is the registry's word. The fault
//! proxy makes distribution lie in HEAD: for the image's tag it names
//! another manifest, for a cosign tag a digest whose GET serves other
//! bytes. `tree` describes what the GET served (hashed), says the two
//! disagreed, and labels the digest nothing confirmed; the GET of that
//! digest fails with a digest mismatch.

use std::process::Command;

use regscope::oci::Digest;
use serde_json::Value;

use super::{push_image, run, store};
use crate::support::{FaultProxy, Registry, Rule};

const UNVERIFIED: &str = "(digest not verified: the registry's word)";

/// `tree` of app:v1; the cosign tag's manifest cannot be fetched, so it
/// fails unless `--allow-missing`.
fn tree(proxy: &FaultProxy, format: &str) -> (String, String) {
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_regscope"))
            .args(["tree", "--format", format])
            .args(extra)
            .arg(format!("{}/app:v1", proxy.host()))
            .env("NO_COLOR", "1")
            .output()
            .expect("run regscope")
    };
    let strict = run(&[]);
    let said = String::from_utf8_lossy(&strict.stderr);
    assert!(
        !strict.status.success(),
        "an unreadable node passed: {said}"
    );
    assert!(said.contains("could not be fetched"), "{said}");
    let output = run(&["--allow-missing"]);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    (stdout, stderr)
}

#[test]
fn digests_only_a_head_answer_named_are_labelled_and_fail_their_get() {
    let registry = Registry::distribution();
    let direct = store(registry.host());
    let (image, signature) = run(async {
        let image = push_image(&direct, "app", "v1", "the image").await;
        let sig_tag = format!("{}.sig", image.digest().fallback_tag());
        let signature = push_image(&direct, "app", &sig_tag, "a cosign signature").await;
        (image, signature)
    });
    let image = image.digest().clone();
    let signature = signature.digest().clone();
    let lie = Digest::sha256_of(b"a manifest nobody pushed");
    let proxy = FaultProxy::start(registry.host());
    // HEAD of the image's tag names the signature; GET of it is honest.
    proxy.add_rule(
        Rule::new("HEAD", "/manifests/v1").header("Docker-Content-Digest", &signature.to_string()),
    );
    // HEAD of the cosign tag names a digest whose GET serves the real
    // signature's bytes.
    proxy.add_rule(
        Rule::new("HEAD", &format!("/manifests/{}.sig", image.fallback_tag()))
            .header("Docker-Content-Digest", &lie.to_string()),
    );
    proxy.add_rule(
        Rule::new("GET", &format!("/manifests/{lie}")).redirect(&format!(
            "{}/v2/app/manifests/{signature}",
            proxy.base_url()
        )),
    );

    let (text, said) = tree(&proxy, "tree");
    let root = text.lines().next().unwrap_or_default();
    assert!(root.ends_with(&format!("app@{image}")), "{text}");
    assert!(
        said.contains(&format!("resolving v1 gave {signature}")) && said.contains("hashed here"),
        "{said}"
    );
    let labelled = text
        .lines()
        .find(|line| line.contains(&lie.to_string()))
        .unwrap_or_else(|| panic!("the cosign tag's node is missing:\n{text}"));
    assert!(labelled.contains(UNVERIFIED), "{text}");
    assert!(said.contains("digest mismatch"), "{said}");
    assert!(said.contains(&format!("expected {lie}")), "{said}");

    let (json, _) = tree(&proxy, "json");
    let json: Value = serde_json::from_str(&json).expect("tree JSON");
    assert_eq!(json["digest"], image.to_string());
    assert!(json.get("digestVerified").is_none());
    let node = json["referrers"]
        .as_array()
        .expect("referrers")
        .iter()
        .find(|n| n["digest"] == lie.to_string())
        .expect("the cosign tag's node");
    assert_eq!(node["digestVerified"], false);
    assert_eq!(node["unreadable"], true);
    assert!(
        node["error"]
            .as_str()
            .unwrap_or_default()
            .contains("digest mismatch")
    );

    // The lies were told where the proxy says they were.
    let lied_heads = proxy
        .requests()
        .iter()
        .filter(|r| r.method == "HEAD" && r.rule.is_some())
        .count();
    assert!(lied_heads >= 2, "{lied_heads} lying HEAD answers");
}

/// `attach` names as its subject what the GET of the tag served (hashed),
/// not the digest a lying HEAD answered with.
#[test]
fn attach_takes_its_subject_from_the_bytes_not_from_head() {
    let registry = Registry::distribution();
    let direct = store(registry.host());
    let (image, other) = run(async {
        let image = push_image(&direct, "app", "v1", "the image").await;
        let other = push_image(&direct, "app", "other", "another manifest").await;
        (image, other)
    });
    let proxy = FaultProxy::start(registry.host());
    proxy.add_rule(
        Rule::new("HEAD", "/manifests/v1")
            .header("Docker-Content-Digest", &other.digest().to_string()),
    );
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("note.txt"), "a note\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_regscope"))
        .current_dir(work.path())
        .args(["attach", "--artifact-type", "application/vnd.example.note"])
        .arg(format!("{}/app:v1", proxy.host()))
        .arg("note.txt")
        .output()
        .expect("run regscope");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pushed = String::from_utf8_lossy(&output.stdout);
    let referrer = pushed
        .trim()
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .to_owned();
    let manifest = run(async {
        use regscope::store::Store as _;
        direct
            .fetch_manifest("app", &referrer)
            .await
            .expect("the referrer")
    });
    let subject = manifest.subject.expect("a subject");
    assert_eq!(&subject.digest, image.digest(), "not {}", other.digest());
    // The subject's bytes came from a GET of the tag through the proxy.
    // (attach asks no HEAD today, so the lie is only there for a change
    // that would start asking one.)
    let got = proxy
        .requests()
        .iter()
        .any(|r| r.method == "GET" && r.path == "/v2/app/manifests/v1");
    assert!(got, "{:?}", proxy.requests());
}
