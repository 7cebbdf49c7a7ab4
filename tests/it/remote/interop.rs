//! The ORAS CLI reads what the store writes: `oras discover` finds a
//! referrer pushed through the store, `oras pull` gets its file byte for
//! byte. (The other direction, a graph pushed by oras read through the
//! store, is checked in `read`.)

use super::{annotations, push_image, push_referrer, store, subject_of};
use crate::support::{Oras, Registry};

const REPO: &str = "interop";
const NOTES: &[u8] = b"release notes\nwith \x00 binary \xff bytes\n";

async fn oras_reads_what_the_store_pushed(reg: Registry) {
    let store = store(reg.host());
    let image = push_image(&store, REPO, "v1", "interop").await;
    let subject = subject_of(&image);
    let (artifact, _) = push_referrer(
        &store,
        REPO,
        &subject,
        "readme/example",
        ("notes.txt", NOTES),
        annotations(&[("note", "from regscope")]),
    )
    .await;

    let oras = Oras::for_registry(&reg);
    let tree = oras.json(&[
        "discover",
        "--format",
        "json",
        &reg.reference(&format!("{REPO}:v1")),
    ]);
    let found = tree["referrers"]
        .as_array()
        .and_then(|r| {
            r.iter()
                .find(|d| d["digest"] == artifact.digest().to_string())
        })
        .unwrap_or_else(|| panic!("{}: oras does not see the referrer: {tree:#}", reg.kind()));
    assert_eq!(found["artifactType"], "readme/example");
    assert_eq!(found["annotations"]["note"], "from regscope");

    let out = tempfile::tempdir().expect("temp dir");
    let reference = reg.reference(&format!("{REPO}@{}", artifact.digest()));
    oras.run(&[
        "pull",
        "-o",
        out.path().to_str().expect("utf-8 path"),
        &reference,
    ]);
    assert_eq!(
        std::fs::read(out.path().join("notes.txt")).expect("pulled file"),
        NOTES
    );
}

#[tokio::test]
async fn remote_oras_reads_what_the_store_pushed_on_distribution() {
    oras_reads_what_the_store_pushed(Registry::distribution()).await;
}

#[tokio::test]
async fn remote_oras_reads_what_the_store_pushed_on_olareg() {
    oras_reads_what_the_store_pushed(Registry::olareg()).await;
}
