//! `rm` as a newcomer uses it, on distribution 2.8 (which drops every tag
//! of a deleted manifest and has no tag-delete API) and olareg (and v3 for
//! the tag-delete API): the plan names everything that goes
//! (other tags, cosign's tags, referrers) and every index that would break,
//! `rm REPO:TAG` takes the tag alone, an index's platform is never deleted
//! without `--break-index`, and each test ends by asking the registry with
//! oras what is left.

use crate::cli::{regscope, regscope_output};
use crate::support::fixture::push_image;
use crate::support::two_platforms::{TwoPlatforms, push_two_platforms};
use crate::support::{Cosign, CosignMode, Fixture, Oras, Regctl, Registry, RegistryKind};

/// What the registry itself says: the tags of `repo`, sorted.
fn tags(oras: &Oras, registry: &Registry, repo: &str) -> Vec<String> {
    let out = oras.run(&["repo", "tags", &registry.reference(repo)]);
    let mut tags: Vec<String> = out.lines().map(str::to_owned).collect();
    tags.sort();
    tags
}

/// Whether the registry serves `repo@digest`.
fn exists(oras: &Oras, registry: &Registry, repo: &str, digest: &str) -> bool {
    let reference = registry.reference(&format!("{repo}@{digest}"));
    oras.output(&["manifest", "fetch", &reference])
        .status
        .success()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `app:amd` and `app:latest` name one image; `app:arm` another; the index
/// `app:multi` lists both.
fn push_app(registry: &Registry, work: &std::path::Path) -> TwoPlatforms {
    let app = push_two_platforms(registry, work);
    Oras::for_registry(registry).run(&["tag", &registry.reference("app:amd"), "latest"]);
    app
}

fn several_tags_on_one_digest(registry: Registry) {
    let work = tempfile::tempdir().unwrap();
    let oras = Oras::for_registry(&registry);
    let amd = push_app(&registry, work.path()).amd;

    // rm of a tag takes the tag alone: `latest` and the image stay.
    let out = regscope_output(work.path(), &["rm", "-y", &registry.reference("app:amd")]);
    let said = stderr(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("1 tag will be deleted (amd), no manifest"),
        "{said}"
    );
    assert!(
        said.contains(&format!("the manifest it names stays: {amd}")),
        "{said}"
    );
    // distribution 2.8 refuses the tag-delete API (400): regctl's throwaway
    // manifest is the only way there; v3 and olareg take the API.
    let throwaway = said.contains("deleted tag amd (by a throwaway manifest, as regctl does)");
    assert_eq!(
        throwaway,
        registry.kind() == RegistryKind::Distribution,
        "{said}"
    );
    assert!(said.contains("deleted tag amd"), "{said}");
    assert_eq!(tags(&oras, &registry, "app"), ["arm", "latest", "multi"]);
    assert!(
        exists(&oras, &registry, "app", &amd),
        "the image went with its tag"
    );

    // Asked for the manifest, the plan names every tag that goes with it.
    oras.run(&["tag", &registry.reference("app:latest"), "v1"]);
    let out = regscope_output(
        work.path(),
        &["rm", "--manifest", "-y", &registry.reference("app:v1")],
    );
    let said = stderr(&out);
    assert!(!out.status.success(), "the index lists it: {said}");
    assert!(said.contains("and with it 2 tags"), "{said}");
    assert!(
        said.contains(&format!("{amd}  manifest  (tags latest, v1)")),
        "{said}"
    );
    assert!(said.contains("read 4 tags of app"), "{said}");
    assert_eq!(
        tags(&oras, &registry, "app"),
        ["arm", "latest", "multi", "v1"]
    );
    assert!(
        exists(&oras, &registry, "app", &amd),
        "refused, yet deleted"
    );
    // regctl's `tag rm` leaves the registry as regscope's `rm REPO:TAG` did.
    Regctl::for_registry(&registry).run(&["tag", "rm", &registry.reference("app:v1")]);
    assert_eq!(tags(&oras, &registry, "app"), ["arm", "latest", "multi"]);
    assert!(exists(&oras, &registry, "app", &amd));

    // No index lists it: the manifest goes, and both its tags with it, as
    // the plan said.
    let solo = registry.reference("solo:a");
    let image = push_image(&oras, work.path(), &solo, "solo", "linux", "amd64").0;
    oras.run(&["tag", &solo, "b"]);
    oras.run(&["tag", &solo, "keep-me-not"]);
    let other = push_image(
        &oras,
        work.path(),
        &registry.reference("solo:other"),
        "o",
        "linux",
        "arm64",
    )
    .0;
    let out = regscope_output(work.path(), &["rm", "--manifest", "-y", &solo]);
    let said = stderr(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("1 manifest will be deleted, and with it 3 tags"),
        "{said}"
    );
    assert!(said.contains("(tags a, b, keep-me-not)"), "{said}");
    assert_eq!(tags(&oras, &registry, "solo"), ["other"]);
    assert!(!exists(&oras, &registry, "solo", &image));
    assert!(exists(&oras, &registry, "solo", &other));
}

#[test]
fn several_tags_on_one_digest_on_distribution() {
    several_tags_on_one_digest(Registry::distribution());
}

#[test]
fn several_tags_on_one_digest_on_distribution3() {
    several_tags_on_one_digest(Registry::distribution3());
}

#[test]
fn several_tags_on_one_digest_on_olareg() {
    several_tags_on_one_digest(Registry::olareg());
}

fn a_digest_an_index_lists(registry: Registry) {
    let work = tempfile::tempdir().unwrap();
    let oras = Oras::for_registry(&registry);
    let TwoPlatforms { amd, arm, index } = push_app(&registry, work.path());
    let by_digest = registry.reference(&format!("app@{amd}"));

    // -y alone never breaks an index.
    let out = regscope_output(work.path(), &["rm", "-y", &by_digest]);
    let said = stderr(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains(&format!(
            "the index multi ({}) lists {amd} (linux/amd64): it would point at nothing",
            &index["sha256:".len().."sha256:".len() + 12]
        )),
        "{said}"
    );
    assert!(
        said.contains("refusing") && said.contains("--break-index"),
        "{said}"
    );
    assert!(exists(&oras, &registry, "app", &amd));
    assert_eq!(
        tags(&oras, &registry, "app"),
        ["amd", "arm", "latest", "multi"]
    );

    // Said in so many words, it goes; the index stays, pointing at nothing.
    let out = regscope_output(work.path(), &["rm", "-y", "--break-index", &by_digest]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!exists(&oras, &registry, "app", &amd), "still there");
    assert!(
        exists(&oras, &registry, "app", &index),
        "the index went too"
    );
    assert!(
        exists(&oras, &registry, "app", &arm),
        "the other platform went"
    );
    assert_eq!(tags(&oras, &registry, "app"), ["arm", "multi"]);
}

#[test]
fn a_digest_an_index_lists_on_distribution() {
    a_digest_an_index_lists(Registry::distribution());
}

#[test]
fn a_digest_an_index_lists_on_olareg() {
    a_digest_an_index_lists(Registry::olareg());
}

/// `rm` without `--with-referrers` on a manifest that has referrers: it
/// says how many would be orphaned and refuses unless `-y`/`--force`.
#[test]
fn removing_a_subject_alone_names_its_orphans_and_needs_force() {
    let registry = Registry::olareg();
    let fixture = Fixture::seed(&registry);
    let oras = Oras::for_registry(&registry);
    let work = tempfile::tempdir().unwrap();
    let image = fixture.image_ref();

    let refused = regscope_output(work.path(), &["rm", "--manifest", &image]);
    let said = stderr(&refused);
    assert!(!refused.status.success(), "deleted without --force");
    assert!(
        said.contains("3 referrers would be left orphaned"),
        "{said}"
    );
    assert!(said.contains("--force"), "{said}");
    let still = oras.output(&["manifest", "fetch", &image]);
    assert!(still.status.success(), "the image went anyway");

    let forced = regscope(work.path(), &["rm", "--manifest", "--force", &image]);
    assert!(
        forced.is_empty(),
        "rm prints its result on stderr: {forced}"
    );
    let gone = oras.output(&[
        "manifest",
        "fetch",
        &fixture.digest_ref("net-monitor", &fixture.image),
    ]);
    assert!(!gone.status.success(), "the image is still there");
    // Only the subject went: its referrers are still fetchable by digest.
    let orphan = oras.output(&[
        "manifest",
        "fetch",
        &fixture.digest_ref("net-monitor", &fixture.sbom),
    ]);
    assert!(orphan.status.success(), "a referrer was deleted too");
}

fn an_image_signed_by_cosign(registry: Registry) {
    let work = tempfile::tempdir().unwrap();
    let oras = Oras::for_registry(&registry);
    let reference = registry.reference("signed:v1");
    let image = push_image(&oras, work.path(), &reference, "img", "linux", "amd64").0;
    let cosign = Cosign::v2();
    cosign.sign(
        &registry.reference(&format!("signed@{image}")),
        CosignMode::LegacyTags,
    );
    let sig_tag = format!("sha256-{}.sig", &image["sha256:".len()..]);
    assert_eq!(tags(&oras, &registry, "signed"), [sig_tag.as_str(), "v1"]);

    // The tree says the signature is attached by cosign's tag, not unlinked.
    let tree = regscope(work.path(), &["tree", &reference]);
    assert!(tree.contains(&format!("[cosign tag {sig_tag}]")), "{tree}");
    assert!(!tree.contains("unlinked"), "{tree}");

    // The plan names the cosign tag; afterwards neither tag nor manifest is
    // left.
    let out = regscope_output(work.path(), &["rm", "--with-referrers", "-y", &reference]);
    let said = stderr(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("2 manifests will be deleted, and with them 2 tags"),
        "{said}"
    );
    assert!(said.contains(&format!("(cosign tag {sig_tag})")), "{said}");
    assert!(
        said.contains(&format!("{image}  manifest  (tag v1)")),
        "{said}"
    );
    let left = oras.output(&["repo", "tags", &registry.reference("signed")]);
    let left = String::from_utf8_lossy(&left.stdout);
    assert!(left.trim().is_empty(), "tags left: {left}");
    assert!(!exists(&oras, &registry, "signed", &image));
}

#[test]
fn an_image_signed_by_cosign_on_distribution() {
    an_image_signed_by_cosign(Registry::distribution());
}

#[test]
fn an_image_signed_by_cosign_on_olareg() {
    an_image_signed_by_cosign(Registry::olareg());
}
