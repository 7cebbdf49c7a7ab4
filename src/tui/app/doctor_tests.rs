//! The doctor's screen without a terminal or a registry: keys in, state
//! and effects out; and what it draws at 80x24 and 160x45, with a report
//! made here (the integration tests run it on real registries).

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

use crate::doctor::{Check, CheckId, Evidence, ReferrersModeName, Report, Status};
use crate::store::ReferrersSupport;
use crate::tui::app::{App, Session};
use crate::tui::config::Config;
use crate::tui::message::{Effect, Msg};
use crate::tui::screens::doctor::{DoctorMsg, DoctorRun, DoctorScreen};

fn app(support: ReferrersSupport) -> App {
    let session = Session {
        store_name: "localhost:5000".to_owned(),
        registry: "localhost:5000".to_owned(),
        referrers_support: support,
        scratch_note: None,
        log_path: None,
    };
    let mut app = App::new(session, Config::defaults());
    app.resize(Rect::new(0, 0, 100, 30));
    app
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    let modifiers = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    app.update(Msg::Input(Event::Key(KeyEvent::new(code, modifiers))))
}

fn screen(app: &App) -> &DoctorScreen {
    app.screen::<DoctorScreen>()
        .expect("the doctor's screen is open")
}

/// The one run asked for.
fn run_of(effects: Vec<Effect>) -> DoctorRun {
    match effects.as_slice() {
        [Effect::Doctor(run)] => run.clone(),
        other => panic!("expected one doctor run, got {other:?}"),
    }
}

fn evidence(request: &str, status: u16, size: u64) -> Evidence {
    Evidence {
        request: request.to_owned(),
        status: Some(status),
        headers: std::collections::BTreeMap::new(),
        body_size: Some(size),
        note: None,
    }
}

/// What the TUI asks the engine to say of the checks that write: the key
/// that runs them, never the CLI's `--write`.
const WRITES_NOT_ASKED: &str = "not tried: press W to try writes";

/// A report as olareg's read-only run gives, with a warn, a fail and
/// text a hostile registry could send.
fn report() -> Report {
    let mut filter = evidence(
        "GET /v2/app/referrers/sha256:0000000000000000000000000000000000000000000000000000000000000000?artifactType=application%2Fvnd.regscope.doctor.probe",
        200,
        96,
    );
    filter
        .headers
        .insert("oci-filters-applied".to_owned(), "artifactType".to_owned());
    let checks = vec![
        Check::new(CheckId::Ping, Status::Pass, "GET /v2/ answered 200")
            .evidence(vec![evidence("GET /v2/", 200, 2)]),
        Check::new(CheckId::Auth, Status::Pass, "no challenge: anonymous pull works")
            .evidence(vec![evidence("GET /v2/", 200, 2)]),
        Check::new(CheckId::Catalog, Status::Fail, "GET /v2/_catalog answered 404 \u{1b}[2J: regscope lists repositories only when they are named")
            .evidence(vec![evidence("GET /v2/_catalog", 404, 19)]),
        Check::new(CheckId::TagsList, Status::Pass, "3 tags in app"),
        Check::new(CheckId::BlobRange, Status::Warn, "206 with a right Content-Range, but a bad range answered 200 with the whole blob: regscope checks every range it reads against the blob's size")
            .evidence(vec![evidence("GET /v2/app/blobs/sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", 200, 2)]),
        Check::new(CheckId::ReferrersApi, Status::Pass, "the referrers API answers with an index: regscope lists referrers there and never writes fallback tags")
            .evidence(vec![filter]),
        Check::new(CheckId::ManifestDelete, Status::Skip, WRITES_NOT_ASKED),
    ];
    Report {
        registry: "localhost:5000".to_owned(),
        repository: Some("app".to_owned()),
        write: false,
        referrers_mode: ReferrersModeName::Api,
        checks,
        left_behind: None,
    }
}

fn answer(app: &mut App, run: &DoctorRun, support: ReferrersSupport) -> Vec<Effect> {
    app.update(Msg::Doctor(DoctorMsg {
        id: run.id,
        run: run.run,
        support,
        result: Ok(Box::new(report())),
    }))
}

#[test]
fn the_key_on_the_registry_row_runs_read_only_and_the_report_fills_the_rows() {
    let mut app = app(ReferrersSupport::NotYetKnown);
    let run = run_of(key(&mut app, KeyCode::Char('D')));
    assert_eq!(
        (run.run, run.repository.as_deref(), run.write),
        (1, None, false)
    );
    assert_eq!(run.writes_not_asked, WRITES_NOT_ASKED);
    assert!(
        screen(&app).running && app.is_animating(),
        "a spinner turns"
    );
    // An answer of another run (or screen) changes nothing.
    let stale = DoctorRun {
        run: 7,
        ..run.clone()
    };
    answer(&mut app, &stale, ReferrersSupport::Api);
    assert!(screen(&app).rows.is_empty() && screen(&app).running);
    assert_eq!(
        app.session.referrers_support,
        ReferrersSupport::Api,
        "what the registry showed stays learned"
    );

    answer(&mut app, &run, ReferrersSupport::FallbackTag);
    let shown = screen(&app);
    assert!(!shown.running);
    assert_eq!(shown.rows.len(), 7);
    assert_eq!(shown.rows[2].id, CheckId::Catalog);
    assert!(
        !shown.rows[2].summary.contains('\u{1b}'),
        "escaped on arrival"
    );
    assert_eq!(app.session.referrers_support, ReferrersSupport::FallbackTag);
}

#[test]
fn inside_a_repository_it_reads_that_repository_and_a_layout_is_refused() {
    let mut app = app(ReferrersSupport::Api);
    let _ = app.start_repository("app");
    let run = run_of(key(&mut app, KeyCode::Char('D')));
    assert_eq!(run.repository.as_deref(), Some("app"));

    let mut layout = self::app(ReferrersSupport::SubjectScan);
    assert!(key(&mut layout, KeyCode::Char('D')).is_empty());
    assert!(layout.screen::<DoctorScreen>().is_none());
    let said = layout.status.as_ref().expect("said why");
    assert!(
        said.is_error && said.text.contains("an OCI layout"),
        "{said:?}"
    );
}

#[test]
fn enter_unfolds_r_runs_again_and_writes_need_a_yes() {
    let mut app = app(ReferrersSupport::NotYetKnown);
    let run = run_of(key(&mut app, KeyCode::Char('D')));
    // While it runs, running again waits.
    assert!(key(&mut app, KeyCode::Char('r')).is_empty());
    assert!(screen(&app).note.is_some());
    answer(&mut app, &run, ReferrersSupport::Api);

    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        screen(&app).unfolded.iter().copied().collect::<Vec<_>>(),
        [1]
    );
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app).unfolded.is_empty(), "Enter again folds");
    key(&mut app, KeyCode::Enter);

    let again = run_of(key(&mut app, KeyCode::Char('r')));
    assert_eq!((again.run, again.write), (2, false));
    answer(&mut app, &again, ReferrersSupport::Api);
    assert_eq!(
        screen(&app).selected_row().map(|r| r.id),
        Some(CheckId::Auth),
        "the selection stays on its check"
    );
    assert_eq!(
        screen(&app).unfolded.iter().copied().collect::<Vec<_>>(),
        [1]
    );

    // `W` asks; no runs nothing, and neither does any other key.
    assert!(key(&mut app, KeyCode::Char('W')).is_empty());
    assert!(screen(&app).asking_write);
    assert!(key(&mut app, KeyCode::Char('r')).is_empty());
    assert!(key(&mut app, KeyCode::Char('n')).is_empty());
    assert!(!screen(&app).asking_write && !screen(&app).running);
    key(&mut app, KeyCode::Char('W'));
    let writing = run_of(key(&mut app, KeyCode::Char('y')));
    assert_eq!(
        (writing.run, writing.write, writing.repository),
        (3, true, None)
    );

    // A run that writes is never stopped halfway: Esc closes the screen
    // and it cleans up in the background.
    let effects = key(&mut app, KeyCode::Esc);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.screen::<DoctorScreen>().is_none());
}

#[test]
fn esc_stops_a_read_only_run_then_closes() {
    let mut app = app(ReferrersSupport::NotYetKnown);
    let _ = run_of(key(&mut app, KeyCode::Char('D')));
    let effects = key(&mut app, KeyCode::Esc);
    assert!(
        matches!(effects.as_slice(), [Effect::CancelDoctor]),
        "{effects:?}"
    );
    assert!(!screen(&app).running, "stopped, still open");
    assert!(key(&mut app, KeyCode::Esc).is_empty());
    assert!(app.screen::<DoctorScreen>().is_none());
}

#[test]
fn the_filter_narrows_the_checks() {
    let mut app = app(ReferrersSupport::NotYetKnown);
    let run = run_of(key(&mut app, KeyCode::Char('D')));
    answer(&mut app, &run, ReferrersSupport::Api);
    key(&mut app, KeyCode::Char('/'));
    for c in "referrers".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(screen(&app).list.shown(), [5]);
    assert!(!screen(&app).filtering);
}

/// The whole terminal as text, as the harness of the integration tests
/// reads it.
fn draw(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| crate::tui::view::draw(frame, app))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn the_screen_folded_unfolded_and_its_help() {
    for (width, height) in [(80, 24), (160, 45)] {
        let mut app = app(ReferrersSupport::NotYetKnown);
        app.resize(Rect::new(0, 0, width, height));
        let run = run_of(key(&mut app, KeyCode::Char('D')));
        let waiting = draw(&app, width, height);
        assert!(waiting.contains("asking localhost:5000"), "{waiting}");
        answer(&mut app, &run, ReferrersSupport::Api);
        let name = |what: &str| format!("doctor_{what}_{width}x{height}");
        insta::assert_snapshot!(name("report"), draw(&app, width, height));
        // Unfold the blob range's check, below the catalog's.
        for _ in 0..4 {
            key(&mut app, KeyCode::Down);
        }
        key(&mut app, KeyCode::Enter);
        key(&mut app, KeyCode::Up);
        key(&mut app, KeyCode::Up);
        key(&mut app, KeyCode::Enter);
        let unfolded = draw(&app, width, height);
        assert!(
            unfolded.contains("asks") && unfolded.contains("evidence"),
            "{unfolded}"
        );
        insta::assert_snapshot!(name("unfolded"), unfolded);
        key(&mut app, KeyCode::Char('W'));
        insta::assert_snapshot!(name("asking"), draw(&app, width, height));
        key(&mut app, KeyCode::Char('n'));
        key(&mut app, KeyCode::Char('?'));
        let help = draw(&app, width, height);
        assert!(help.contains("in the doctor's report"), "{help}");
        insta::assert_snapshot!(name("help"), help);
    }
}
