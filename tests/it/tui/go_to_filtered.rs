//! `g` to something a filter hides lands on it: the filter that hid it is
//! cleared, and the status line says so.

use crossterm::event::KeyCode;
use regscope::tui::message::{Effect, Loaded, Msg};
use regscope::tui::tree::NodeId;

use super::app_support::{app, job_of, key};

#[test]
fn go_to_a_reference_hidden_by_a_filter_clears_the_filter() {
    let mut app = app();
    let effects = app.start_registry();
    let listing = job_of(&effects, |e| matches!(e, Effect::ListRepositories { .. }));
    app.update(Msg::Page {
        job: listing.clone(),
        names: vec!["alpine".to_owned(), "net-monitor".to_owned()],
    });
    app.update(Msg::Loaded {
        job: listing,
        result: Ok(Loaded::ListingDone),
    });
    key(&mut app, KeyCode::Char('/'));
    for c in "alp".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    assert!(
        !app.graph()
            .rows()
            .iter()
            .any(|r| *r.path.last().unwrap() == NodeId::repository("net-monitor"))
    );

    key(&mut app, KeyCode::Char('g'));
    for c in "net-monitor:v1".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        *app.graph().tree.selected(),
        [
            NodeId::Registry,
            NodeId::repository("net-monitor"),
            NodeId::tag("v1")
        ]
    );
    let status = app.status.clone().unwrap();
    assert!(
        status.text.contains("cleared the filter \"alp\""),
        "{status:?}"
    );
    assert!(!app.graph().tree.has_filters());
}
