//! The doctor's screen opened from the graph on real registries: the
//! registry row says how the registry serves referrers as the session
//! learns it, `D` runs the read-only checks in the background and shows
//! them, and what they found is what `regscope doctor` finds there:
//! olareg with the referrers API, distribution 2.8 without it.

use std::sync::Arc;

use crossterm::event::KeyCode;
use regscope::doctor::{CheckId, Status};
use regscope::store::ReferrersSupport;
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::tui::Start;
use regscope::tui::screens::doctor::DoctorScreen;
use regscope::tui::tree::NodeId;

use super::harness::Harness;
use crate::support::fixture::{self, Fixture};
use crate::support::registry::Registry;

fn ui_for(registry: &Registry, start: Start) -> Harness {
    let store = RemoteStore::new(registry.host(), ConnectOptions::default()).unwrap();
    Harness::with_store(Arc::new(store), None, start, 160, 45)
}

/// `D` on the selected row, then the report once it arrived.
async fn run_doctor(ui: &mut Harness) -> String {
    ui.key(KeyCode::Char('D'));
    assert!(
        ui.driver.app.screen::<DoctorScreen>().is_some(),
        "{}",
        ui.screen()
    );
    ui.wait_for("the report", |s| {
        s.contains("Doctor of") && s.contains("pass ·")
    })
    .await
}

fn status(ui: &Harness, id: CheckId) -> Option<Status> {
    let screen = ui.driver.app.screen::<DoctorScreen>()?;
    screen
        .rows
        .iter()
        .find(|row| row.id == id)
        .map(|row| row.status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_distribution_the_registry_row_learns_tag_fallback_from_the_doctor() {
    let registry = Registry::distribution();
    let _fixture = Fixture::seed(&registry);
    let mut ui = ui_for(&registry, Start::Registry);
    let screen = ui
        .wait_for("the catalog", |s| s.contains(fixture::IMAGE_REPO))
        .await;
    assert!(screen.contains("referrers unknown yet"), "{screen}");
    ui.move_to(&NodeId::Registry);

    let report = run_doctor(&mut ui).await;
    assert!(report.contains("read-only"), "{report}");
    assert!(report.contains("referrers: fallback tags"), "{report}");
    assert_eq!(status(&ui, CheckId::ReferrersApi), Some(Status::Warn));
    assert_eq!(status(&ui, CheckId::Catalog), Some(Status::Pass));
    assert_eq!(status(&ui, CheckId::FallbackTags), Some(Status::Pass));
    assert_eq!(
        status(&ui, CheckId::ManifestDelete),
        Some(Status::Skip),
        "read-only: nothing written"
    );

    // Enter unfolds the selected check (the first, ping) with its evidence.
    ui.key(KeyCode::Enter);
    let unfolded = ui.screen();
    assert!(unfolded.contains("evidence  GET /v2/ → 200"), "{unfolded}");

    ui.key(KeyCode::Esc);
    let graph = ui.screen();
    assert!(ui.driver.app.screen::<DoctorScreen>().is_none(), "{graph}");
    assert!(graph.contains("referrers by tag fallback"), "{graph}");
    assert_eq!(
        ui.driver.app.session.referrers_support,
        ReferrersSupport::FallbackTag
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_olareg_the_repository_is_read_and_the_api_passes() {
    let registry = Registry::olareg();
    let _fixture = Fixture::seed(&registry);
    let start = Start::reference(fixture::IMAGE_REPO, fixture::IMAGE_TAG);
    let mut ui = ui_for(&registry, start);
    ui.wait_for("the graph over the API", |s| s.contains(fixture::SBOM_TYPE))
        .await;
    ui.settle().await;
    let graph = ui.screen();
    assert!(graph.contains("referrers API"), "{graph}");
    assert!(!graph.contains("referrers by tag fallback"), "{graph}");

    ui.move_to(&NodeId::repository(fixture::IMAGE_REPO));
    let report = run_doctor(&mut ui).await;
    let target = format!("Doctor of {}/{}", registry.host(), fixture::IMAGE_REPO);
    assert!(report.contains(&target), "{report}");
    assert!(report.contains("referrers: API"), "{report}");
    assert_eq!(status(&ui, CheckId::ReferrersApi), Some(Status::Pass));
    // olareg has no catalog: the same check distribution passes warns here.
    assert_eq!(status(&ui, CheckId::Catalog), Some(Status::Warn));
    assert_eq!(status(&ui, CheckId::ManifestHeadDigest), Some(Status::Pass));

    // `r` runs it again, with a spinner until the new report is in.
    ui.key(KeyCode::Char('r'));
    assert!(ui.screen().contains("checking…"));
    ui.settle().await;
    assert_eq!(status(&ui, CheckId::ReferrersApi), Some(Status::Pass));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checks_that_write_run_only_after_a_yes() {
    let registry = Registry::olareg();
    let _fixture = Fixture::seed(&registry);
    let start = Start::reference(fixture::IMAGE_REPO, fixture::IMAGE_TAG);
    let mut ui = ui_for(&registry, start);
    ui.wait_for("the graph", |s| s.contains(fixture::SBOM_TYPE))
        .await;
    ui.settle().await;
    ui.move_to(&NodeId::Registry);
    run_doctor(&mut ui).await;
    assert_eq!(status(&ui, CheckId::ManifestDelete), Some(Status::Skip));
    // The key that runs them, not the CLI's flag the TUI cannot take.
    let doctor = ui.driver.app.screen::<DoctorScreen>().unwrap();
    let skipped = doctor
        .rows
        .iter()
        .find(|row| row.id == CheckId::ManifestDelete);
    assert_eq!(
        skipped.map(|row| row.summary.as_str()),
        Some("not tried: press W to try writes")
    );

    // `W` asks; `n` leaves everything as it was.
    ui.key(KeyCode::Char('W'));
    let asked = ui.screen();
    assert!(asked.contains("regscope-doctor/<random>"), "{asked}");
    ui.key(KeyCode::Char('n'));
    assert!(!ui.driver.app.is_animating(), "{}", ui.screen());
    assert_eq!(status(&ui, CheckId::ManifestDelete), Some(Status::Skip));

    ui.key(KeyCode::Char('W'));
    ui.key(KeyCode::Char('y'));
    let written = ui
        .wait_for("the run that writes", |s| {
            s.contains("with writes") && s.contains("left behind")
        })
        .await;
    let doctor = ui.driver.app.screen::<DoctorScreen>().unwrap();
    let report = doctor.report.as_ref().unwrap();
    assert!(report.write, "{written}");
    let scratch = report.repository.as_deref().unwrap_or_default();
    assert!(scratch.starts_with("regscope-doctor/"), "{written}");
    assert_eq!(status(&ui, CheckId::ManifestDelete), Some(Status::Pass));
    assert_eq!(status(&ui, CheckId::SubjectHeader), Some(Status::Pass));
    // olareg deletes manifests but not blobs: the screen names them.
    assert!(
        written.contains("left behind (the registry would not delete it): blob"),
        "{written}"
    );
}
