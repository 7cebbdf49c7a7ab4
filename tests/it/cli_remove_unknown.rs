//! `rm` when the plan cannot read everything it needs to know whether an
//! index lists what goes: the repository's tags (a token without list
//! rights) or a tagged index. A fault proxy in front of distribution 2.8
//! answers 403 for them; `-y` alone is refused as it is for an index the
//! plan saw, `--break-index` deletes, and the registry itself (asked with
//! oras) says what went.

use crate::cli::regscope_output;
use crate::support::fixture::push_image;
use crate::support::{FaultProxy, Oras, Registry, Rule};

struct Setup {
    registry: Registry,
    proxy: FaultProxy,
    oras: Oras,
    work: tempfile::TempDir,
    amd: String,
    index: String,
}

/// `app:amd` and the index `app:multi` listing it, behind a proxy.
fn setup() -> Setup {
    let registry = Registry::distribution();
    let work = tempfile::tempdir().unwrap();
    let oras = Oras::for_registry(&registry);
    let amd = push_image(
        &oras,
        work.path(),
        &registry.reference("app:amd"),
        "amd",
        "linux",
        "amd64",
    )
    .0;
    let multi = registry.reference("app:multi");
    oras.run_in(work.path(), &["manifest", "index", "create", &multi, &amd]);
    let index = oras.run(&["resolve", &multi]).trim().to_owned();
    let proxy = FaultProxy::start(registry.host());
    Setup {
        registry,
        proxy,
        oras,
        work,
        amd,
        index,
    }
}

impl Setup {
    fn rm(&self, extra: &[&str]) -> (bool, String) {
        let target = format!("{}/app@{}", self.proxy.host(), self.amd);
        let mut args = vec!["rm", "-y"];
        args.extend_from_slice(extra);
        args.push(&target);
        let out = regscope_output(self.work.path(), &args);
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn amd_exists(&self) -> bool {
        let reference = self.registry.reference(&format!("app@{}", self.amd));
        self.oras
            .output(&["manifest", "fetch", &reference])
            .status
            .success()
    }
}

#[test]
fn unreadable_tags_refuse_a_delete_an_index_may_break() {
    let setup = setup();
    setup
        .proxy
        .add_rule(Rule::new("GET", "/v2/app/tags/list").status(403));
    let (deleted, said) = setup.rm(&[]);
    assert!(!deleted, "{said}");
    assert!(
        said.contains("tags could not be listed")
            && said.contains("without knowing whether an index lists what goes")
            && said.contains("--break-index"),
        "{said}"
    );
    assert!(setup.amd_exists(), "refused, yet deleted");

    let (deleted, said) = setup.rm(&["--break-index"]);
    assert!(deleted, "{said}");
    assert!(!setup.amd_exists(), "still there");
    // The index stays, pointing at nothing: what --break-index asked for.
    let index = setup.registry.reference(&format!("app@{}", setup.index));
    assert!(
        setup
            .oras
            .output(&["manifest", "fetch", &index])
            .status
            .success()
    );
}

#[test]
fn an_unreadable_index_refuses_a_delete_it_may_break() {
    let setup = setup();
    let path = format!("/v2/app/manifests/{}", setup.index);
    setup.proxy.add_rule(Rule::new("GET", &path).status(403));
    let (deleted, said) = setup.rm(&[]);
    assert!(!deleted, "{said}");
    assert!(
        said.contains(&format!(
            "the index {} (tag multi) could not be read",
            setup.index
        )) && said.contains("without knowing whether an index lists what goes"),
        "{said}"
    );
    assert!(setup.amd_exists(), "refused, yet deleted");

    // Readable, the index is named and the refusal says so.
    setup.proxy.clear_rules();
    let (deleted, said) = setup.rm(&[]);
    assert!(!deleted, "{said}");
    assert!(said.contains("the index multi"), "{said}");
    assert!(setup.amd_exists());
}

#[test]
fn a_tag_alone_needs_no_index_check() {
    let setup = setup();
    setup
        .proxy
        .add_rule(Rule::new("GET", "/v2/app/tags/list").status(403));
    let target = format!("{}/app:amd", setup.proxy.host());
    let out = regscope_output(setup.work.path(), &["rm", "-y", &target]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(setup.amd_exists(), "the manifest went with its tag");
    let tags = setup
        .oras
        .run(&["repo", "tags", &setup.registry.reference("app")]);
    assert_eq!(tags.lines().collect::<Vec<_>>(), ["multi"]);
}
