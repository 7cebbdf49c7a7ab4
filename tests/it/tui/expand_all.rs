//! `E` expands the whole graph below, however much of it was loaded
//! before: referrers already counted are opened too, not only the first
//! level.

use crossterm::event::KeyCode;
use regscope::graph::Attachments;
use regscope::store::ReferrersSupport;
use regscope::tui::app::App;
use regscope::tui::message::{Effect, Loaded, Msg};
use regscope::tui::tree::NodeId;

use super::app_support::{app, image, job_of, key, sbom_of};

fn referrers(
    app: &mut App,
    effects: &[Effect],
    nodes: Vec<regscope::graph::GraphNode>,
) -> Vec<Effect> {
    let job = job_of(effects, |e| matches!(e, Effect::FetchReferrers { .. }));
    app.update(Msg::Loaded {
        job,
        result: Ok(Loaded::Referrers {
            attachments: Attachments {
                nodes,
                warnings: Vec::new(),
            },
            support: ReferrersSupport::NotYetKnown,
        }),
    })
}

#[test]
fn expand_all_on_an_opened_image_opens_every_level() {
    let mut app = app();
    let effects = app.start_repository("net-monitor");
    let listing = job_of(&effects, |e| matches!(e, Effect::ListTags { .. }));
    app.update(Msg::Page {
        job: listing.clone(),
        names: vec!["v1".to_owned()],
    });
    app.update(Msg::Loaded {
        job: listing,
        result: Ok(Loaded::ListingDone),
    });
    key(&mut app, KeyCode::Down);
    let effects = key(&mut app, KeyCode::Enter);
    let manifest_job = job_of(&effects, |e| matches!(e, Effect::FetchManifest { .. }));
    let effects = app.update(Msg::Loaded {
        job: manifest_job,
        result: Ok(Loaded::Manifest(image())),
    });
    // The image's SBOM, and a referrer of the SBOM (counted, not opened).
    let sbom = sbom_of(image().digest());
    let sbom_digest = sbom.digest().clone();
    let effects = referrers(&mut app, &effects, vec![sbom]);
    let of_sbom = sbom_of(&sbom_digest);
    let deep_id = NodeId::referrer(of_sbom.digest().clone());
    referrers(&mut app, &effects, vec![of_sbom]);
    let visible = |app: &App| {
        app.graph()
            .rows()
            .iter()
            .any(|r| r.path.last() == Some(&deep_id))
    };
    assert!(!visible(&app), "not expanded yet");

    assert_eq!(app.graph().tree.selected().last(), Some(&NodeId::tag("v1")));
    key(&mut app, KeyCode::Char('E'));
    assert!(
        visible(&app),
        "E stopped above the SBOM's referrer: {:#?}",
        app.graph()
            .rows()
            .iter()
            .map(|r| r.path.last().unwrap().clone())
            .collect::<Vec<_>>()
    );
}
