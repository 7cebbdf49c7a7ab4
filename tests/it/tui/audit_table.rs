//! The audit table on the demo: `A` on a repository fills a row per image
//! as lookups finish, with the summary line; sorting and filtering narrow
//! it; Enter opens the image's graph; Esc closes it.

use crossterm::event::KeyCode;
use regscope::demo::NET_MONITOR_V1;
use regscope::tui::Start;

use super::harness::Harness;

#[tokio::test]
async fn audit_table_fills_sorts_filters_and_opens_the_graph() {
    let start = Start::Repository("net-monitor".to_owned());
    let mut ui = Harness::demo(start, 160, 14);
    ui.settle().await;
    ui.key(KeyCode::Char('A'));
    let screen = ui
        .wait_for("the audit to finish", |s| s.contains("images audited"))
        .await;
    assert!(screen.contains("Audit of net-monitor"), "{screen}");
    assert!(
        screen.contains("signed ·") && screen.contains("with SBOM"),
        "{screen}"
    );
    assert!(screen.contains(&NET_MONITOR_V1[7..19]), "{screen}");
    insta::assert_snapshot!("audit_table", screen);

    ui.key(KeyCode::Char('s'));
    assert!(ui.screen().contains("sorted by unsigned first"));
    ui.key(KeyCode::Char('/'));
    ui.type_text("no-such-tag");
    ui.key(KeyCode::Enter);
    assert!(ui.screen().contains("0 of"), "{}", ui.screen());
    // Esc in the filter clears it, as in every prompt.
    ui.key(KeyCode::Char('/'));
    ui.key(KeyCode::Esc);

    // Enter: the selected image's graph, in the tree.
    ui.key(KeyCode::Enter);
    let screen = ui.settle().await;
    assert!(!screen.contains("Audit of"), "{screen}");
    assert!(ui.driver.app.audit().is_none());

    // Esc closes a finished table.
    ui.key(KeyCode::Char('A'));
    ui.wait_for("the audit", |s| s.contains("images audited"))
        .await;
    ui.key(KeyCode::Esc);
    assert!(!ui.screen().contains("Audit of"));
}

/// The real binary in tmux on a real registry: `A` on the repository opens
/// the audit table, which fills; Enter reaches the image's graph.
#[test]
fn tmux_audit_on_a_real_registry_then_enter_opens_the_graph() {
    use crate::support::fixture::{IMAGE_REPO, IMAGE_TAG};
    use crate::support::{Fixture, Registry};

    let registry = Registry::olareg();
    let fixture = Fixture::seed(&registry);
    let binary = env!("CARGO_BIN_EXE_regscope");
    let command = format!("{binary} {}/{IMAGE_REPO}", fixture.host);
    let tmux = super::tmux::Tmux::start(&command, 160, 30);
    tmux.wait_for("the repository's tags", |s| s.contains(IMAGE_TAG));
    tmux.keys(&["A"]);
    let screen = tmux.wait_for("the audit table", |s| s.contains("images audited"));
    assert!(
        screen.contains(&format!("Audit of {IMAGE_REPO}"))
            && screen.contains("1/1 signed · 1 with SBOM")
            && screen.contains(&fixture.image[7..19]),
        "{screen}"
    );
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("the image's graph", |s| {
        !s.contains("Audit of") && s.contains("sbom/example") && s.contains("signature/example")
    });
    assert!(screen.contains(&fixture.image[7..19]), "{screen}");
}

/// With `[trust]` in the config, the table says which images verify, with
/// which key, and why the others do not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trusted_keys_from_the_config_verify_in_the_table() {
    use std::sync::Arc;

    use regscope::store::remote::{ConnectOptions, RemoteStore};

    use crate::support::fixture::push_image;
    use crate::support::{Cosign, CosignMode, Oras, Registry};

    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let cosign = Cosign::v2();
    let stranger = Cosign::v2();
    let dir = tempfile::tempdir().unwrap();
    for (tag, arch, signer) in [("good", "amd64", &cosign), ("bad", "arm64", &stranger)] {
        let (digest, ..) = push_image(
            &oras,
            dir.path(),
            &registry.reference(&format!("trusted:{tag}")),
            tag,
            "linux",
            arch,
        );
        signer.sign(
            &registry.reference(&format!("trusted@{digest}")),
            CosignMode::LegacyTags,
        );
    }
    let config_file = dir.path().join("config.toml");
    let config_text = format!(
        "[trust]\n\"{}/trusted\" = [\"{}\"]\n",
        registry.host(),
        cosign.public_key().display()
    );
    let config = regscope::tui::config::Config::from_text(&config_text, &config_file).unwrap();
    let store = RemoteStore::new(registry.host(), ConnectOptions::default()).unwrap();
    let start = Start::Repository("trusted".to_owned());
    let mut ui = Harness::with_store(Arc::new(store), None, start, 200, 40);
    ui.driver.app.config = config;
    ui.settle().await;
    ui.key(KeyCode::Char('A'));
    let screen = ui
        .wait_for("the audit", |s| s.contains("images audited"))
        .await;
    assert!(
        screen.contains("2/2 signed · 0 with SBOM · 1 verified"),
        "{screen}"
    );
    let good = screen.lines().find(|l| l.contains(" good ")).unwrap();
    assert!(
        good.contains("verified") && good.contains("cosign.pub"),
        "{screen}"
    );
    let bad = screen.lines().find(|l| l.contains(" bad ")).unwrap();
    assert!(
        bad.contains("failed: ") && bad.contains("the signature"),
        "{screen}"
    );

    // The verdicts stay with the session: the good image's signature shows
    // its verdict and time source in the detail pane.
    let verdicts = &ui.driver.app.graph().verdicts;
    assert_eq!(verdicts.len(), 2, "{verdicts:?}");
    assert_eq!(verdicts.values().filter(|v| v.is_verified()).count(), 1);
    ui.key(KeyCode::Down);
    ui.key(KeyCode::Enter);
    ui.settle().await;
    let mut screen = ui.screen();
    for _ in 0..8 {
        if screen.contains("verified by") {
            break;
        }
        ui.key(KeyCode::Down);
        screen = ui.settle().await;
    }
    assert!(
        screen.contains("verified by") && screen.contains("no transparency log entry"),
        "{screen}"
    );
}
