//! What a new user hit, on the real binary in tmux: `?` in the audit table
//! and the files view shows their keys first, `g` to something that is not
//! a reference or to a closed port keeps the view and says why (and `m`
//! has it), counts on a repository with cosign's tags count the tags shown,
//! a status line too long for the terminal ends with an ellipsis.

use super::tmux::Tmux;
use crate::support::fixture::{IMAGE_REPO, IMAGE_TAG};
use crate::support::{Cosign, CosignMode, Fixture, Registry};

/// The demo (the binary without arguments) at `width`×`height`.
fn demo(width: u16, height: u16) -> Tmux {
    let tmux = Tmux::start(env!("CARGO_BIN_EXE_regscope"), width, height);
    tmux.wait_for("the demo's graph", |s| s.contains("CycloneDX SBOM"));
    tmux
}

#[test]
fn help_in_the_audit_table_and_the_files_view_shows_their_keys_first() {
    let tmux = demo(140, 45);
    tmux.keys(&["A"]);
    tmux.wait_for("the audit", |s| s.contains("images audited"));
    assert!(tmux.screen().contains(" go to image "), "{}", tmux.screen());
    tmux.keys(&["?"]);
    let screen = tmux.wait_for("the audit's keys", |s| s.contains("in the audit table:"));
    let audit = screen.find("in the audit table:").unwrap();
    let everywhere = screen.find("everywhere:").unwrap_or(usize::MAX);
    assert!(audit < everywhere, "its keys first:\n{screen}");
    assert!(screen.contains("sort: by tags"), "{screen}");
    assert!(!screen.contains("pull the image's SBOM"), "{screen}");
    tmux.keys(&["Escape"]);
    tmux.wait_for("help to close", |s| !s.contains("in the audit table:"));
    tmux.keys(&["Escape"]);
    tmux.wait_for("the graph again", |s| !s.contains("images audited"));

    tmux.keys(&["f"]);
    tmux.wait_for("the files", |s| s.contains("entries"));
    let screen = tmux.screen();
    let footer = screen.trim_end().lines().last().unwrap_or_default();
    assert!(
        footer.contains(" preview ") && !footer.contains("go to"),
        "its own footer:\n{screen}"
    );
    tmux.keys(&["?"]);
    let screen = tmux.wait_for("the files view's keys", |s| {
        s.contains("in the files view:")
    });
    assert!(
        screen.contains("write the file to the download directory"),
        "{screen}"
    );
}

#[test]
fn go_to_a_bad_reference_or_a_closed_port_keeps_the_view() {
    let tmux = demo(140, 40);
    tmux.keys(&["g"]);
    tmux.type_text("Bad Ref!!");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("the refusal", |s| s.contains("go to \"Bad Ref!!\""));
    assert!(
        screen.contains("go to (repo:tag"),
        "the prompt stays:\n{screen}"
    );
    assert!(!screen.contains("▶ Bad Ref!!"), "{screen}");
    tmux.keys(&["Escape"]);
    // ESC and the next `g` read together are Alt-g: the prompt would stay
    // open and take the `g` as text.
    tmux.wait_for("the prompt to close", |s| !s.contains("go to (repo:tag"));

    let closed = crate::support::free_port();
    tmux.keys(&["g"]);
    tmux.type_text(&format!("127.0.0.1:{closed}/x:1"));
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("the refusal", |s| s.contains("still browsing"));
    assert!(screen.contains("net-monitor"), "the view stays:\n{screen}");
    assert!(screen.contains("3 referrers"), "{screen}");
    tmux.keys(&["m"]);
    // Waits for the whole list, not the title: a capture can catch the
    // popup half drawn. Timing out here means `m` lost one of them.
    let port = format!("127.0.0.1:{closed}");
    tmux.wait_for("m keeping both refusals", |s| {
        s.contains("messages") && s.contains("Bad Ref!!") && s.contains(&port)
    });
}

#[test]
fn counts_on_a_repository_with_cosign_tags_count_the_tags_shown() {
    let registry = Registry::distribution();
    let fixture = Fixture::seed(&registry);
    let image = registry.reference(&format!("{IMAGE_REPO}@{}", fixture.image));
    let cosign = Cosign::v2();
    cosign.sign(&image, CosignMode::LegacyTags);
    let command = format!(
        "{} {}/{IMAGE_REPO}",
        env!("CARGO_BIN_EXE_regscope"),
        fixture.host
    );
    let tmux = Tmux::start(&command, 140, 30);
    // v1, the fallback index tag and cosign's `.sig` tag: one is a tag a
    // person looks at.
    let screen = tmux.wait_for("the tags", |s| s.contains(IMAGE_TAG));
    assert!(screen.contains(&format!("{IMAGE_REPO}  1 tag")), "{screen}");
    tmux.keys(&["t"]);
    let screen = tmux.wait_for("the fallback tags", |s| s.contains("sha256-* (shown)"));
    // Shown, each counts: v1 and the fallback tags (cosign's among them).
    let fallback = screen
        .split("fallback tags ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("no fallback count:\n{screen}"));
    assert!(
        fallback >= 2,
        "the signature's tag and a fallback index:\n{screen}"
    );
    let count = format!("{IMAGE_REPO}  {} tags", fallback + 1);
    assert!(screen.contains(&count), "{screen}");
}

#[test]
fn a_cut_status_line_ends_with_an_ellipsis() {
    let tmux = demo(60, 20);
    let screen = tmux.screen();
    let status = screen.lines().nth(18).unwrap_or_default().trim_end();
    assert!(status.ends_with('…'), "status line: {status:?}\n{screen}");
}
