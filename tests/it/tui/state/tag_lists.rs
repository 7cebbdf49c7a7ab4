//! Tag lists at the state level: digest-named tags hidden until asked for,
//! version order, filtering as you type, and a hundred thousand tags cut to
//! a page that stays filterable.

use crossterm::event::KeyCode;
use regscope::tui::app::App;
use regscope::tui::message::{Effect, Loaded, Msg};
use regscope::tui::screens::prompt::Prompt;
use regscope::tui::tree::NodeId;

use crate::tui::app_support::{app, job_of, key, top};

#[test]
fn tag_lists_hide_digest_tags_and_filter_as_you_type() {
    let mut app = app();
    let effects = app.start_repository("net-monitor");
    let listing = job_of(&effects, |e| matches!(e, Effect::ListTags { .. }));
    let names = ["v1", "v2", "sha256-abc", "latest"]
        .map(str::to_owned)
        .to_vec();
    app.update(Msg::Page {
        job: listing.clone(),
        names,
    });
    app.update(Msg::Loaded {
        job: listing,
        result: Ok(Loaded::ListingDone),
    });
    let shown = |app: &App| -> Vec<NodeId> {
        app.graph()
            .rows()
            .iter()
            .skip(2)
            .map(|r| r.path.last().unwrap().clone())
            .collect()
    };
    // Tags in version order, not the registry's.
    assert_eq!(
        shown(&app),
        [NodeId::tag("latest"), NodeId::tag("v1"), NodeId::tag("v2")]
    );
    key(&mut app, KeyCode::Char('t'));
    assert_eq!(
        shown(&app),
        [
            NodeId::tag("latest"),
            NodeId::tag("sha256-abc"),
            NodeId::tag("v1"),
            NodeId::tag("v2"),
        ]
    );
    key(&mut app, KeyCode::Char('t'));

    key(&mut app, KeyCode::Char('/'));
    key(&mut app, KeyCode::Char('v'));
    assert_eq!(shown(&app), [NodeId::tag("v1"), NodeId::tag("v2")]);
    assert_eq!(
        app.graph().tree.selected().last(),
        Some(&NodeId::tag("v1")),
        "the cursor goes to the first match"
    );
    key(&mut app, KeyCode::Char('2'));
    assert_eq!(shown(&app), [NodeId::tag("v2")]);
    key(&mut app, KeyCode::Esc);
    assert_eq!(shown(&app).len(), 3);
    assert!(top::<Prompt>(&app).is_none());
}

#[test]
fn a_hundred_thousand_tags_stay_fast_and_filterable() {
    let mut app = app();
    let effects = app.start_repository("big");
    let listing = job_of(&effects, |e| matches!(e, Effect::ListTags { .. }));
    for page in 0..100 {
        let names = (0..1000)
            .map(|i| format!("build-{:06}", page * 1000 + i))
            .collect();
        app.update(Msg::Page {
            job: listing.clone(),
            names,
        });
    }
    let rows = app.graph().rows();
    assert_eq!(rows.len(), 2 + 1000 + 1, "a cut list with one '… more' row");
    assert_eq!(rows.last().unwrap().more, 99_000);
    key(&mut app, KeyCode::Char('/'));
    for c in "099999".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    let shown: Vec<_> = app
        .graph()
        .rows()
        .iter()
        .skip(2)
        .map(|r| r.path.last().unwrap().clone())
        .collect();
    assert_eq!(shown, [NodeId::tag("build-099999")]);
}
