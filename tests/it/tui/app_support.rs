//! What the state-level tests share: an app on a fake session, key
//! events, a small image and SBOM, and reading effects and screens.

use std::sync::Arc;

use bytes::Bytes;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use regscope::graph::{FoundBy, GraphNode};
use regscope::oci::{Digest, Manifest};
use regscope::store::{ReferrersSource, ReferrersSupport};
use regscope::tui::app::{App, Session};
use regscope::tui::config::Config;
use regscope::tui::message::{Effect, JobKey, Loaded, Msg};

pub(super) fn app() -> App {
    let session = Session {
        store_name: "demo".to_owned(),
        registry: "demo".to_owned(),
        referrers_support: ReferrersSupport::NotYetKnown,
        scratch_note: None,
        log_path: None,
    };
    let mut app = App::new(session, Config::defaults());
    app.resize(ratatui::layout::Rect::new(0, 0, 100, 30));
    app
}

/// A key press as the terminal reports it (capitals with Shift).
pub(super) fn key_msg(code: KeyCode) -> Msg {
    let modifiers = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    Msg::Input(Event::Key(KeyEvent::new(code, modifiers)))
}

pub(super) fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(key_msg(code))
}

pub(super) fn image() -> Arc<Manifest> {
    let raw = r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
      "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","size":2},
      "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","size":3}]}"#;
    Arc::new(Manifest::parse(Bytes::from(raw), None).unwrap())
}

pub(super) fn sbom_of(subject: &Digest) -> GraphNode {
    let raw = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.cyclonedx+json",
      "config":{{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2}},
      "layers":[{{"mediaType":"application/vnd.cyclonedx+json","digest":"sha256:3333333333333333333333333333333333333333333333333333333333333333","size":9}}],
      "subject":{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{subject}","size":1}}}}"#
    );
    let manifest = Manifest::parse(Bytes::from(raw), None).unwrap();
    GraphNode {
        descriptor: manifest.descriptor(),
        artifact_type: Some("application/vnd.cyclonedx+json".to_owned()),
        subject: subject.clone(),
        found_by: vec![FoundBy::Referrers(ReferrersSource::Api)],
        predicate_type: None,
        verified: true,
        unfetched: None,
        manifest: Some(manifest),
        children: Vec::new(),
        depth_limited: false,
        warnings: Vec::new(),
    }
}

/// An app at `net-monitor:v1` with the tag's manifest (`image()`) loaded.
pub(super) fn app_at_loaded_tag() -> App {
    let mut app = app();
    let effects = app.start_reference("net-monitor", "v1");
    let manifest_job = job_of(&effects, |e| matches!(e, Effect::FetchManifest { .. }));
    app.update(Msg::Loaded {
        job: manifest_job,
        result: Ok(Loaded::Manifest(image())),
    });
    app
}

/// The id of the one operation `effects` start.
pub(super) fn operation_id(effects: &[Effect]) -> u64 {
    match effects {
        [Effect::Operation { id, .. }] => *id,
        other => panic!("not one operation: {other:?}"),
    }
}

/// The screen `app` draws in a `width`×`height` terminal, row by row.
pub(super) fn draw(app: &App, width: u16, height: u16) -> Vec<String> {
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    terminal
        .draw(|frame| regscope::tui::view::draw(frame, app))
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect())
        .collect()
}

pub(super) fn job_of(effects: &[Effect], pick: impl Fn(&Effect) -> bool) -> JobKey {
    effects
        .iter()
        .find(|e| pick(e))
        .and_then(Effect::job)
        .cloned()
        .unwrap_or_else(|| panic!("no such effect in {effects:?}"))
}

/// The id of a referrer row, from its digest as text.
pub(super) fn referrer(digest: &str) -> regscope::tui::tree::NodeId {
    regscope::tui::tree::NodeId::referrer(digest.parse().expect("a digest"))
}

/// Whether a popup (help, messages, a dialog) is the top screen.
pub(super) fn popup_open(app: &App) -> bool {
    app.top_screen()
        .is_some_and(|s| s.layer() == regscope::tui::screen::Layer::Popup)
}

/// The top screen, when it is a `T`.
pub(super) fn top<T: 'static>(app: &App) -> Option<&T> {
    app.top_screen()
        .and_then(|s| s.as_any().downcast_ref::<T>())
}
