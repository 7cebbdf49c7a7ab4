//! The work a keystroke in a filter over 100 000 tags does, counted (never
//! timed): names are lowercased once, when they arrive, and each keystroke
//! is one pass over them however often the rows are read and drawn.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

use crate::store::ReferrersSupport;
use crate::tui::app::{App, Session};
use crate::tui::config::Config;
use crate::tui::message::{Effect, Loaded, Msg};
use crate::tui::tree::NodeId;

const TAGS: usize = 100_000;
const PAGE: usize = 1000;

fn key(code: KeyCode) -> Msg {
    Msg::Input(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

#[test]
fn a_filter_over_100_000_tags_is_one_pass_per_keystroke() {
    let session = Session {
        store_name: "test".to_owned(),
        registry: "localhost:5000".to_owned(),
        referrers_support: ReferrersSupport::NotYetKnown,
        scratch_note: None,
        log_path: None,
    };
    let mut app = App::new(session, Config::defaults());
    app.resize(Rect::new(0, 0, 100, 30));
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let effects = app.start_repository("app");
    let Some(Effect::ListTags { job, .. }) = effects.into_iter().next() else {
        panic!("the repository's tags are listed first");
    };
    let repo = vec![NodeId::Registry, NodeId::repository("app")];
    // Pages arrive one by one; the first screen shows from the first.
    for page in 0..TAGS / PAGE {
        let names = (page * PAGE..(page + 1) * PAGE)
            .map(|i| format!("Release-{i:05}"))
            .collect();
        app.update(Msg::Page {
            job: job.clone(),
            names,
        });
        if page == 0 {
            terminal
                .draw(|frame| crate::tui::view::draw(frame, &app))
                .expect("draw");
            let screen = format!("{:?}", terminal.backend().buffer());
            assert!(screen.contains("Release-00000"), "{screen}");
        }
    }
    app.update(Msg::Loaded {
        job,
        result: Ok(Loaded::ListingDone),
    });
    let children = app.graph().tree.node(&repo).unwrap().children();
    assert_eq!(children.len(), TAGS);
    let (_, lowercased) = children.work_done();
    assert_eq!(lowercased, TAGS as u64, "each name lowercased once");

    app.update(key(KeyCode::Char('/')));
    let (scanned_before, _) = app.graph().tree.node(&repo).unwrap().children().work_done();
    let typed = "RELEASE-0999";
    for c in typed.chars() {
        app.update(key(KeyCode::Char(c)));
        terminal
            .draw(|frame| crate::tui::view::draw(frame, &app))
            .expect("draw");
    }
    let (scanned, lowercased) = app.graph().tree.node(&repo).unwrap().children().work_done();
    assert_eq!(lowercased, TAGS as u64, "typing lowercases no name");
    assert_eq!(
        scanned - scanned_before,
        (typed.len() * TAGS) as u64,
        "one pass over the names per keystroke"
    );
    let (shown, hidden) = app.graph().tree.visible_children(&repo);
    assert_eq!((shown.len(), hidden), (10, 0));
    assert_eq!(*shown[0], NodeId::tag("Release-09990"));
    let screen = format!("{:?}", terminal.backend().buffer());
    assert!(screen.contains("Release-09990"), "{screen}");
}
