//! One frame of the TUI, drawn into a `TestBackend`: with a 16 MiB SBOM
//! selected (its table laid out when the bytes arrived, so a frame only
//! lays out what shows), with 100 000 tags listed and filtered, and the
//! findings table of a 5,000-finding report (rows laid out and sorted
//! when it opens, so a frame neither re-reads nor re-sorts).
//!
//! `cargo bench --bench draw` measures; under `cargo test` each runs once
//! on a smaller SBOM, as a smoke test. Nothing asserts a time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use regscope::oci::Manifest;
use regscope::store::ReferrersSupport;
use regscope::tui::app::{App, Focus, Session};
use regscope::tui::config::Config;
use regscope::tui::message::Msg;
use regscope::tui::preview::{Preview, PreviewKind};
use regscope::tui::screens::vulns::FindingsView;
use regscope::tui::tree::NodeId;
use regscope::tui::tree::{ManifestRole, Node, NodeKind, Status};
use regscope::tui::view;

const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;
const TAGS: usize = 100_000;

#[path = "vulns/report.rs"]
mod vulns_report;

fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// A CycloneDX document of about `size` bytes.
fn cyclonedx(size: usize) -> Vec<u8> {
    let mut doc = String::from(r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":["#);
    let mut i = 0;
    while doc.len() < size {
        if i > 0 {
            doc.push(',');
        }
        doc.push_str(&format!(
            r#"{{"type":"library","name":"package-number-{i}","version":"{}.{}.{}","licenses":[{{"license":{{"id":"Apache-2.0"}}}}],"purl":"pkg:generic/package-number-{i}@{}.{}.{}","description":"a component of the bench SBOM, padded to look like a real one"}}"#,
            i % 7,
            i % 13,
            i % 101,
            i % 7,
            i % 13,
            i % 101
        ));
        i += 1;
    }
    doc.push_str("]}");
    doc.into_bytes()
}

fn sbom_manifest(size: usize) -> Manifest {
    let raw = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.cyclonedx+json",
      "config":{{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2}},
      "layers":[{{"mediaType":"application/vnd.cyclonedx+json","digest":"sha256:3333333333333333333333333333333333333333333333333333333333333333","size":{size}}}],
      "annotations":{{"org.opencontainers.image.created":"2025-01-01T00:00:00Z"}}}}"#
    );
    Manifest::parse(Bytes::from(raw), None).unwrap()
}

fn app() -> App {
    let session = Session {
        store_name: "bench".to_owned(),
        registry: "localhost:5000".to_owned(),
        referrers_support: ReferrersSupport::NotYetKnown,
        scratch_note: None,
        log_path: None,
    };
    let mut app = App::new(session, Config::defaults());
    app.resize(Rect::new(0, 0, WIDTH, HEIGHT));
    app
}

/// The repository `app`, listed, with `tags` tags and an SBOM tagged
/// `sbom` among them, selected with its preview loaded.
fn app_with_sbom(tags: usize, sbom: Bytes) -> App {
    let mut app = app();
    let root = vec![NodeId::Registry];
    let repo = vec![NodeId::Registry, NodeId::repository("app")];
    let tag = vec![
        NodeId::Registry,
        NodeId::repository("app"),
        NodeId::tag("sbom"),
    ];
    let graph = app.graph_mut();
    graph
        .tree
        .set_children(&root, vec![NodeId::repository("app")]);
    graph.tree.node_mut(&root).unwrap().listing.status = Status::Done;
    let mut repo_node = Node::new(NodeKind::Repository {
        name: "app".to_owned(),
    });
    repo_node.listing.status = Status::Done;
    graph.tree.insert_missing(repo.clone(), repo_node);
    let tag_ids = std::iter::once(NodeId::tag("sbom"))
        .chain((0..tags).map(|i| NodeId::tag(format!("v{i}"))))
        .collect();
    graph.tree.set_children(&repo, tag_ids);
    let mut node = Node::new(NodeKind::Manifest {
        repository: "app".to_owned(),
        reference: "sbom".to_owned(),
        role: ManifestRole::Tag("sbom".to_owned()),
    });
    let manifest = sbom_manifest(sbom.len());
    node.descriptor = Some(manifest.descriptor());
    node.set_manifest(Arc::new(manifest));
    node.manifest_slot.status = Status::Done;
    node.referrers_slot.status = Status::Done;
    node.preview_slot.status = Status::Done;
    let started = Instant::now();
    node.preview = Some(Preview::compute(PreviewKind::Sbom, "", sbom));
    println!(
        "laying out the SBOM when it arrives (once): {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    graph.tree.insert_missing(tag.clone(), node);
    graph.tree.open(&root);
    graph.tree.open(&repo);
    graph.tree.select(tag);
    graph.keep_selection_visible();
    app
}

fn key(c: char) -> Msg {
    Msg::Input(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

fn frames(c: &mut Criterion) {
    let size = if benchmarking() { 16 << 20 } else { 1 << 20 };
    let sbom = Bytes::from(cyclonedx(size));
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();

    let mut app = app_with_sbom(0, sbom.clone());
    c.bench_function("frame, 16 MiB SBOM selected", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| view::draw(frame, black_box(&app)))
                .unwrap();
        });
    });

    app.graph_mut().focus = Focus::Detail;
    app.graph_mut().detail_scroll = 10_000;
    c.bench_function("frame, 16 MiB SBOM scrolled 10 000 lines", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| view::draw(frame, black_box(&app)))
                .unwrap();
        });
    });
    app.graph_mut().detail_scroll = 0;
    app.graph_mut().detail_search = "number-7".to_owned();
    c.bench_function("frame, 16 MiB SBOM searched", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| view::draw(frame, black_box(&app)))
                .unwrap();
        });
    });

    let mut app = app_with_sbom(TAGS, sbom);
    c.bench_function("frame, 100 000 tags listed", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| view::draw(frame, black_box(&app)))
                .unwrap();
        });
    });
    app.graph_mut()
        .tree
        .select(vec![NodeId::Registry, NodeId::repository("app")]);
    app.update(key('/'));
    let mut typed = 0u32;
    c.bench_function("keystroke and frame, filter over 100 000 tags", |b| {
        b.iter(|| {
            // Alternately narrow and widen the filter: `9`, then backspace.
            typed += 1;
            let msg = if typed % 2 == 1 {
                key('9')
            } else {
                Msg::Input(Event::Key(KeyEvent::new(
                    KeyCode::Backspace,
                    KeyModifiers::NONE,
                )))
            };
            app.update(msg);
            terminal
                .draw(|frame| view::draw(frame, black_box(&app)))
                .unwrap();
        });
    });
}

/// The findings table of a report of 5,000 findings over 10,000
/// components, 1,000 of them suppressed by VEX, as Enter opens it.
fn findings_frames(c: &mut Criterion) {
    let scale = if benchmarking() { 1 } else { 10 };
    let scan = vulns_report::report(10_000 / scale, 5_000 / scale);
    let vex = vulns_report::openvex(1_000 / scale);
    let report = Arc::new(vulns_report::read_and_apply(&scan, &vex));
    let mut app = app();
    let started = Instant::now();
    let table = FindingsView::new(report, &vulns_report::scan_manifest(), 40);
    println!(
        "laying out and sorting {} findings when the table opens (once): {:.1} ms",
        table.rows.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    assert_eq!(table.rows.len(), 5_000 / scale);
    app.push(Box::new(table));
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    c.bench_function("frame, findings table of 5,000 findings", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| view::draw(frame, black_box(&app)))
                .unwrap();
        });
    });
    app.update(key('v'));
    app.update(Msg::Input(Event::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    ))));
    c.bench_function(
        "frame, findings table of 5,000 findings, suppressed shown, advisory open",
        |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| view::draw(frame, black_box(&app)))
                    .unwrap();
            });
        },
    );
}

criterion_group!(benches, frames, findings_frames);
criterion_main!(benches);
