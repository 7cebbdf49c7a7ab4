//! The findings table's keys → state, through the app's router and the
//! default key map: which findings a scan's table lists, sorting, the
//! filter, VEX-suppressed findings hidden and shown (and not suppressed
//! when the VEX names another image), the advisory following the
//! selection, and a frame that neither sorts nor filters.

use std::sync::Arc;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

use crate::oci::Digest;
use crate::store::ReferrersSupport;
use crate::tui::app::{App, Session};
use crate::tui::config::Config;
use crate::tui::message::Msg;
use crate::tui::screens::vulns::{FindingsSort, FindingsView};
use crate::vuln::apply::{Origin, ScanInput, VexInput, apply};
use crate::vuln::{
    Finding, Product, Report, Scan, ScanInfo, Severity, VexDocument, VexStatement, VexStatus,
};

const IMAGE: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const OTHER: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

fn origin(name: &str) -> Origin {
    Origin {
        manifest: Digest::sha256_of(name.as_bytes()),
        layer: Digest::sha256_of(name.as_bytes()),
        attached_to: IMAGE.parse().expect("digest"),
        platform: None,
        envelope: None,
        created: None,
    }
}

pub(super) fn finding(id: &str, package: &str, severity: Severity) -> Finding {
    Finding {
        id: id.to_owned(),
        severity,
        severity_basis: "scanner".to_owned(),
        package: package.to_owned(),
        purl: Some(format!("pkg:apk/alpine/{package}@1.0")),
        installed: Some("1.0".to_owned()),
        fixed: Some("1.1".to_owned()),
        description: Some(format!("{id} lets an attacker into {package}")),
        url: Some(format!("https://avd.example/{id}")),
        ..Finding::default()
    }
}

pub(super) fn scan(name: &str, scanner: &str, findings: Vec<Finding>) -> ScanInput {
    ScanInput {
        origin: origin(name),
        scan: Scan {
            info: ScanInfo {
                format: "Trivy JSON".to_owned(),
                scanner: Some(scanner.to_owned()),
                ..ScanInfo::default()
            },
            findings,
        },
        image: vec![IMAGE.to_owned()],
    }
}

/// `not_affected` for CVE-3 in zlib, about the image with digest `image`.
fn vex(image: &str) -> VexInput {
    VexInput {
        origin: origin("vex"),
        document: VexDocument {
            format: "OpenVEX 0.2.0".to_owned(),
            author: Some("tests".to_owned()),
            timestamp: None,
            statements: vec![VexStatement {
                vulnerability: "CVE-3".to_owned(),
                aliases: Vec::new(),
                products: vec![Product {
                    digests: vec![image.to_owned()],
                    ..Product::default()
                }],
                status: VexStatus::NotAffected,
                justification: Some("vulnerable_code_not_in_execute_path".to_owned()),
                note: None,
                timestamp: None,
            }],
        },
    }
}

/// Four findings of trivy's scan (one also in grype's), one of grype's
/// alone, and the VEX about `vex_image`.
fn report(vex_image: &str) -> Arc<Report> {
    let trivy = scan(
        "trivy",
        "trivy",
        vec![
            finding("CVE-1", "openssl", Severity::Medium),
            finding("CVE-2", "busybox", Severity::Critical),
            finding("CVE-3", "zlib", Severity::High),
            finding("CVE-4", "apk-tools", Severity::Low),
        ],
    );
    let grype = scan(
        "grype",
        "grype",
        vec![
            finding("CVE-2", "busybox", Severity::Critical),
            finding("CVE-9", "musl", Severity::High),
        ],
    );
    Arc::new(apply(vec![trivy, grype], vec![vex(vex_image)]))
}

pub(super) fn app_with(view: FindingsView) -> App {
    let session = Session {
        store_name: "test".to_owned(),
        registry: "localhost:5000".to_owned(),
        referrers_support: ReferrersSupport::NotYetKnown,
        scratch_note: None,
        log_path: None,
    };
    let mut app = App::new(session, Config::defaults());
    app.resize(Rect::new(0, 0, 100, 30));
    app.push(Box::new(view));
    app
}

pub(super) fn press(app: &mut App, code: KeyCode) {
    app.update(Msg::Input(Event::Key(KeyEvent::new(
        code,
        KeyModifiers::NONE,
    ))));
}

fn ids(app: &App) -> Vec<String> {
    let view = app.screen::<FindingsView>().expect("the findings table");
    view.visible().iter().map(|r| r.cells[1].clone()).collect()
}

pub(super) fn trivy() -> Digest {
    Digest::sha256_of(b"trivy")
}

#[test]
fn a_scan_lists_its_own_findings_most_severe_first_and_vex_hides_the_suppressed() {
    let mut app = app_with(FindingsView::new(report(IMAGE), &trivy(), 10));
    // CVE-9 is grype's alone; CVE-3 is suppressed by VEX on this image.
    assert_eq!(ids(&app), ["CVE-2", "CVE-1", "CVE-4"]);
    let view = app.screen::<FindingsView>().expect("open");
    assert_eq!(
        view.summary.label(),
        "1 critical · 1 medium · 1 low (1 suppressed)"
    );
    assert!(view.title.contains("trivy"), "{}", view.title);

    press(&mut app, KeyCode::Char('v'));
    assert_eq!(ids(&app), ["CVE-2", "CVE-3", "CVE-1", "CVE-4"]);
    let view = app.screen::<FindingsView>().expect("open");
    let suppressed = view.visible()[1];
    assert!(suppressed.suppressed);
    assert_eq!(
        suppressed.cells[5],
        "not_affected: vulnerable_code_not_in_execute_path"
    );
    assert_eq!(view.visible()[0].cells[5], "-", "no VEX for CVE-2");

    press(&mut app, KeyCode::Char('s'));
    let view = app.screen::<FindingsView>().expect("open");
    assert_eq!(view.sort, FindingsSort::Package);
    assert_eq!(ids(&app), ["CVE-4", "CVE-2", "CVE-1", "CVE-3"]);
    press(&mut app, KeyCode::Char('s'));
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(
        ids(&app),
        ["CVE-2", "CVE-1", "CVE-4", "CVE-3"],
        "VEX state: open first"
    );

    press(&mut app, KeyCode::Char('v'));
    assert_eq!(ids(&app), ["CVE-2", "CVE-1", "CVE-4"]);
}

#[test]
fn vex_about_another_image_suppresses_nothing() {
    let app = app_with(FindingsView::new(report(OTHER), &trivy(), 10));
    assert_eq!(ids(&app), ["CVE-2", "CVE-3", "CVE-1", "CVE-4"]);
    let view = app.screen::<FindingsView>().expect("open");
    assert!(view.rows.iter().all(|r| !r.suppressed));
    assert_eq!(view.summary.suppressed, 0);
}

#[test]
fn the_filter_narrows_and_the_advisory_follows_the_selection() {
    let mut app = app_with(FindingsView::new(report(IMAGE), &trivy(), 10));
    press(&mut app, KeyCode::Char('/'));
    for c in "SSL".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(ids(&app), ["CVE-1"], "a package matches");
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Esc);
    assert_eq!(
        ids(&app),
        ["CVE-2", "CVE-1", "CVE-4"],
        "Esc clears the filter"
    );

    press(&mut app, KeyCode::Enter);
    let view = app.screen::<FindingsView>().expect("open");
    let advisory = view.advisory.as_ref().expect("Enter shows the advisory");
    assert_eq!(advisory.title, "CVE-2");
    let text = |label: &str| {
        advisory
            .lines
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, t)| t.clone())
    };
    assert_eq!(
        text("description").as_deref(),
        Some("CVE-2 lets an attacker into busybox")
    );
    assert_eq!(text("link").as_deref(), Some("https://avd.example/CVE-2"));
    let scans: Vec<_> = advisory
        .lines
        .iter()
        .filter(|(l, _)| *l == "scan")
        .collect();
    assert_eq!(
        scans.len(),
        2,
        "trivy and grype both reported it: {scans:?}"
    );

    press(&mut app, KeyCode::Down);
    let view = app.screen::<FindingsView>().expect("open");
    assert_eq!(
        view.advisory.as_ref().map(|a| a.title.as_str()),
        Some("CVE-1")
    );
    press(&mut app, KeyCode::Esc);
    let view = app
        .screen::<FindingsView>()
        .expect("Esc closes the advisory first");
    assert!(view.advisory.is_none());
    press(&mut app, KeyCode::Esc);
    assert!(app.screen::<FindingsView>().is_none(), "then the table");
}

#[test]
fn a_frame_neither_sorts_nor_filters() {
    let app = app_with(FindingsView::new(report(IMAGE), &trivy(), 10));
    let work = app.screen::<FindingsView>().expect("open").list.work_done();
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    for _ in 0..3 {
        terminal
            .draw(|frame| crate::tui::view::draw(frame, &app))
            .expect("draw");
    }
    let screen = format!("{}", terminal.backend());
    assert!(screen.contains("CVE-2"), "{screen}");
    assert!(screen.contains("sorted by severity"), "{screen}");
    assert_eq!(
        app.screen::<FindingsView>().expect("open").list.work_done(),
        work
    );
}

#[test]
fn the_help_lists_the_tables_keys() {
    let mut app = app_with(FindingsView::new(report(IMAGE), &trivy(), 10));
    press(&mut app, KeyCode::Char('?'));
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    terminal
        .draw(|frame| crate::tui::view::draw(frame, &app))
        .expect("draw");
    let screen = format!("{}", terminal.backend());
    assert!(screen.contains("in the findings table"), "{screen}");
    assert!(screen.contains("advisory"), "{screen}");
}
