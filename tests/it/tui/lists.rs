//! Lists as a person reads them: tags in version order, a filter that says
//! how much it hides ("1 of 3") and stays in sight, and that goes when the
//! selection leaves its list.

use crossterm::event::KeyCode;
use ratatui::layout::Rect;
use regscope::tui::app::App;
use regscope::tui::message::{Effect, Loaded, Msg};
use regscope::tui::tree::NodeId;

use super::app_support::{app, draw, job_of, key};

/// The registry listing `repositories`, the first opened with `tags`.
fn listed(repositories: &[&str], tags: &[&str]) -> App {
    let mut app = app();
    app.resize(Rect::new(0, 0, 120, 30));
    let effects = app.start_registry();
    let listing = job_of(&effects, |e| matches!(e, Effect::ListRepositories { .. }));
    app.update(Msg::Page {
        job: listing.clone(),
        names: repositories.iter().map(|s| (*s).to_owned()).collect(),
    });
    app.update(Msg::Loaded {
        job: listing,
        result: Ok(Loaded::ListingDone),
    });
    key(&mut app, KeyCode::Down);
    let effects = key(&mut app, KeyCode::Enter);
    let tag_listing = job_of(&effects, |e| matches!(e, Effect::ListTags { .. }));
    app.update(Msg::Page {
        job: tag_listing.clone(),
        names: tags.iter().map(|s| (*s).to_owned()).collect(),
    });
    app.update(Msg::Loaded {
        job: tag_listing,
        result: Ok(Loaded::ListingDone),
    });
    app
}

fn tag_rows(app: &App) -> Vec<String> {
    app.graph()
        .rows()
        .iter()
        .filter_map(|r| match r.path.last() {
            Some(NodeId::Tag(tag)) => Some(tag.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn tags_show_in_version_order() {
    let app = listed(
        &["app"],
        &["v1.10", "tag-135", "v1.9", "tag-005", "latest", "v1.2"],
    );
    assert_eq!(
        tag_rows(&app),
        ["latest", "tag-005", "tag-135", "v1.2", "v1.9", "v1.10"]
    );
    // `o` shows them as the registry listed them, and back.
    let mut app = app;
    key(&mut app, KeyCode::Char('o'));
    assert_eq!(
        tag_rows(&app),
        ["v1.10", "tag-135", "v1.9", "tag-005", "latest", "v1.2"]
    );
    key(&mut app, KeyCode::Char('o'));
    assert_eq!(tag_rows(&app)[0], "latest");
}

#[test]
fn a_filter_counts_what_it_lets_through_and_stays_in_sight() {
    let mut app = listed(&["app", "other", "web"], &["v1", "v2"]);
    // Back on the registry, filter its repositories.
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Char('/'));
    for c in "web".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    let screen = draw(&app, 120, 30).join("\n");
    assert!(screen.contains("1 of 3 repositories"), "{screen}");
    assert!(
        screen.contains("/web"),
        "the filter shows on its list:\n{screen}"
    );

    // Going down into the filtered list keeps it…
    key(&mut app, KeyCode::Down);
    assert_eq!(app.graph().tree.filter(&[NodeId::Registry]), Some("web"));
}

#[test]
fn a_filter_goes_when_the_selection_leaves_its_list() {
    let mut app = listed(&["app", "web"], &["v1", "v2", "v10"]);
    let app_repo = [NodeId::Registry, NodeId::repository("app")];
    // Filter app's tags, then move up out of them, to `web`.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char('/'));
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.graph().tree.filter(&app_repo), Some("2"));
    assert_eq!(tag_rows(&app), ["v2"]);
    let screen = draw(&app, 120, 30).join("\n");
    assert!(screen.contains("1 of 3 tags"), "{screen}");
    key(&mut app, KeyCode::Up);
    assert_eq!(
        app.graph().tree.filter(&app_repo),
        Some("2"),
        "the list itself keeps it"
    );
    key(&mut app, KeyCode::Up);
    assert_eq!(
        app.graph().tree.filter(&app_repo),
        None,
        "left behind: it goes"
    );
    assert_eq!(tag_rows(&app), ["v1", "v2", "v10"]);
}
