//! `tree --format json` is `oras discover --format json`, what `attach`
//! pushes oras sees, and `pull` writes what `oras pull` writes.

use super::{assert_same_tree, normalised, oras_tree, regscope, regscope_json, tree_json};
use crate::support::fixture::{README_TYPE, SBOM_TYPE};
use crate::support::{Fixture, Oras, Registry};

#[test]
fn tree_json_is_oras_discover_json_on_both_registries() {
    for registry in [Registry::distribution(), Registry::olareg()] {
        let fixture = Fixture::seed(&registry);
        let oras = Oras::for_registry(&registry);
        let work = tempfile::tempdir().unwrap();
        for reference in [fixture.image_ref(), fixture.multi_ref()] {
            let ours = tree_json(work.path(), &reference);
            let theirs = oras_tree(&oras, &reference);
            assert_eq!(ours, theirs, "{registry:?} {reference}");
        }
        let sbom_only = regscope_json(
            work.path(),
            &[
                "tree",
                &fixture.image_ref(),
                "--format",
                "json",
                "--artifact-type",
                SBOM_TYPE,
            ],
        );
        let theirs = oras.json(&[
            "discover",
            &fixture.image_ref(),
            "--format",
            "json",
            "--artifact-type",
            SBOM_TYPE,
        ]);
        assert_eq!(normalised(sbom_only), normalised(theirs));
        let shallow = regscope_json(
            work.path(),
            &[
                "tree",
                &fixture.image_ref(),
                "--format",
                "json",
                "--depth",
                "1",
            ],
        );
        let theirs = oras.json(&[
            "discover",
            &fixture.image_ref(),
            "--format",
            "json",
            "--depth",
            "1",
        ]);
        assert_eq!(normalised(shallow), normalised(theirs));
        let text = regscope(work.path(), &["tree", &fixture.image_ref()]);
        assert!(
            text.contains(&format!("└── {SBOM_TYPE}\n"))
                || text.contains(&format!("├── {SBOM_TYPE}\n")),
            "{text}"
        );
        assert!(text.contains(&fixture.sbom_signature), "{text}");
    }
}

#[test]
fn attach_is_seen_by_oras_and_pull_writes_what_oras_pulls() {
    for registry in [Registry::distribution(), Registry::olareg()] {
        let fixture = Fixture::seed(&registry);
        let oras = Oras::for_registry(&registry);
        let work = tempfile::tempdir().unwrap();
        let files = work.path().join("in");
        std::fs::create_dir_all(files.join("tree/deeper")).unwrap();
        std::fs::write(files.join("report.json"), b"{\"scan\":\"clean\"}\n").unwrap();
        std::fs::write(files.join("tree/deeper/leaf.txt"), b"leaf\n").unwrap();
        let out = regscope(
            &files,
            &[
                "attach",
                &fixture.image_ref(),
                "--artifact-type",
                "scan/example",
                "report.json:application/json",
                "tree",
                "--annotation",
                "team=blue",
            ],
        );
        let digest = out.trim().rsplit('@').next().unwrap().to_owned();
        let theirs = oras.json(&[
            "discover",
            &fixture.image_ref(),
            "--format",
            "json",
            "--artifact-type",
            "scan/example",
        ]);
        let found = &theirs["referrers"][0];
        assert_eq!(found["digest"], digest.as_str());
        assert_eq!(found["annotations"]["team"], "blue");
        assert!(found["annotations"]["org.opencontainers.image.created"].is_string());

        // oras pull of what regscope attached, and regscope pull of the same.
        let by_oras = work.path().join("by-oras");
        let by_us = work.path().join("by-us");
        let attached = fixture.digest_ref("net-monitor", &digest);
        oras.run(&["pull", "-o", by_oras.to_str().unwrap(), &attached]);
        regscope(
            work.path(),
            &["pull", &attached, "-o", by_us.to_str().unwrap()],
        );
        assert_same_tree(&by_oras, &by_us);
        assert_eq!(
            std::fs::read(by_us.join("tree/deeper/leaf.txt")).unwrap(),
            b"leaf\n"
        );

        // The seeded readme (a file and a directory, pushed by oras).
        let readme = fixture.digest_ref("net-monitor", &fixture.readme);
        let (a, b) = (
            work.path().join("readme-oras"),
            work.path().join("readme-us"),
        );
        oras.run(&["pull", "-o", a.to_str().unwrap(), &readme]);
        regscope(work.path(), &["pull", &readme, "-o", b.to_str().unwrap()]);
        assert_same_tree(&a, &b);
        // And "pull the readme of the image" by type.
        let c = work.path().join("readme-by-type");
        regscope(
            work.path(),
            &[
                "pull",
                &fixture.image_ref(),
                "--artifact-type",
                README_TYPE,
                "-o",
                c.to_str().unwrap(),
            ],
        );
        assert_same_tree(&a, &c);
    }
}
