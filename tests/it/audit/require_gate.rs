//! `regscope audit --require`: the gate's exit status and the tags it
//! names as missing what, against the ground of `audit.rs`.

use super::audit;
use crate::audit_ground::Ground;

/// `--require`: non-zero, naming what is missing where; success for the
/// tags that meet it.
pub(super) fn the_require_gate(ground: &Ground, app: &str, key: &str) {
    // The gate: non-zero, naming what is missing where.
    let out = audit(ground, &[app, "--require", "signature,sbom"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let unsigned_line = stderr
        .lines()
        .find(|l| l.contains(ground.digests["unsigned"].as_str()))
        .unwrap_or_else(|| panic!("unsigned not named: {stderr}"));
    assert!(
        unsigned_line.contains("missing signature, sbom"),
        "{stderr}"
    );
    assert!(stderr.contains("(other-key): missing sbom"), "{stderr}");
    assert!(!stderr.contains("(latest, legacy)"), "{stderr}");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("6/7 signed · 3 with SBOM · 0 verified"),
        "{table}"
    );

    let out = audit(
        ground,
        &[
            app,
            "--require",
            "verified",
            "--key",
            key,
            "--format",
            "csv",
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for tag in ["unsigned", "other-key", "altered", "copied"] {
        assert!(
            stderr.contains(&format!("({tag}): missing verified")),
            "{tag}: {stderr}"
        );
    }
    let csv = String::from_utf8_lossy(&out.stdout);
    assert_eq!(csv.lines().count(), 8, "{csv}");

    // Only the tags that meet it: success.
    let out = audit(
        ground,
        &[
            app,
            "--tags",
            "{legacy,bundle}",
            "--require",
            "signature,signed-sbom,verified",
            "--key",
            key,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
