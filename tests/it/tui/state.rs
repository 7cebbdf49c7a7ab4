//! State-level tests: messages in, state and effects out. No terminal, no
//! runtime, no store: results are handed to `update` as the runner would.

use regscope::tui::tree::NodeId;
use std::sync::Arc;

use crossterm::event::KeyCode;
use regscope::graph::Attachments;
use regscope::store::ReferrersSupport;
use regscope::tui::keymap::Mode;
use regscope::tui::message::{Effect, Loaded, Msg, OperationRequest};
use regscope::tui::screens::dialogs::DeleteDialog;
use regscope::tui::screens::help::Help;
use regscope::tui::tree::Status;

use regscope::store::StoreError;
use regscope::tui::failure::Failure;

use super::app_support::{
    app, app_at_loaded_tag, draw, image, job_of, key, popup_open, sbom_of, top,
};

mod tag_lists;

#[test]
fn opening_a_reference_loads_it_and_expands_its_graph() {
    let mut app = app();
    let effects = app.start_reference("net-monitor", "v1");
    assert_eq!(
        *app.graph().tree.selected(),
        [
            NodeId::Registry,
            NodeId::repository("net-monitor"),
            NodeId::tag("v1")
        ]
    );
    assert!(
        effects.iter().any(
            |e| matches!(e, Effect::ListTags { repository, .. } if repository == "net-monitor")
        )
    );
    let manifest_job = job_of(
        &effects,
        |e| matches!(e, Effect::FetchManifest { reference, .. } if reference == "v1"),
    );
    assert!(app.is_animating());

    let image = image();
    let digest = image.digest().clone();
    let effects = app.update(Msg::Loaded {
        job: manifest_job.clone(),
        result: Ok(Loaded::Manifest(Arc::clone(&image))),
    });
    // The tag's digest is known now, so its referrers are asked for.
    let referrers_job = job_of(
        &effects,
        |e| matches!(e, Effect::FetchReferrers { subject, .. } if *subject == digest),
    );
    let tag = app.graph().node(&manifest_job.node).unwrap();
    assert_eq!(
        *tag.children(),
        [
            NodeId::Config(
                "sha256:1111111111111111111111111111111111111111111111111111111111111111"
                    .parse()
                    .unwrap()
            ),
            NodeId::Layer {
                index: 0,
                digest: "sha256:2222222222222222222222222222222222222222222222222222222222222222"
                    .parse()
                    .unwrap()
            },
        ]
    );

    let sbom = sbom_of(&digest);
    let sbom_digest = sbom.digest().clone();
    let attachments = Attachments {
        nodes: vec![sbom],
        warnings: Vec::new(),
    };
    let effects = app.update(Msg::Loaded {
        job: referrers_job,
        result: Ok(Loaded::Referrers {
            attachments,
            support: ReferrersSupport::Api,
        }),
    });
    assert_eq!(app.session.referrers_support, ReferrersSupport::Api);
    let tag = app.graph().node(&manifest_job.node).unwrap();
    assert_eq!(
        tag.children()[0],
        NodeId::group("application/vnd.cyclonedx+json")
    );
    assert_eq!(tag.referrer_count(), Some(1));
    // Expanded as deep as the graph goes: the SBOM is open and its own
    // referrers are being asked for; its manifest came with the graph.
    let mut sbom_path = manifest_job.node.clone();
    sbom_path.push(NodeId::group("application/vnd.cyclonedx+json"));
    assert!(app.graph().tree.is_open(&sbom_path));
    sbom_path.push(NodeId::referrer(sbom_digest.clone()));
    assert!(app.graph().tree.is_open(&sbom_path));
    let sbom_node = app.graph().node(&sbom_path).unwrap();
    assert_eq!(sbom_node.manifest_slot.status, Status::Done);
    assert_eq!(sbom_node.verified, Some(true));
    assert!(
        effects.iter().any(
            |e| matches!(e, Effect::FetchReferrers { subject, .. } if *subject == sbom_digest)
        )
    );
    let rows: Vec<_> = app
        .graph()
        .rows()
        .into_iter()
        .map(|r| r.path.last().unwrap().clone())
        .collect();
    assert!(rows.contains(&NodeId::referrer(sbom_digest)), "{rows:?}");
}

#[test]
fn a_superseded_result_is_dropped_and_an_error_shows_until_retried() {
    let mut app = app();
    let effects = app.start_reference("net-monitor", "v1");
    let first = job_of(&effects, |e| matches!(e, Effect::FetchManifest { .. }));
    let effects = key(&mut app, KeyCode::Char('r'));
    let second = job_of(&effects, |e| matches!(e, Effect::FetchManifest { .. }));
    assert!(second.generation > first.generation);

    // The old answer arrives late: ignored.
    app.update(Msg::Loaded {
        job: first,
        result: Ok(Loaded::Manifest(image())),
    });
    assert!(app.graph().node(&second.node).unwrap().manifest.is_none());

    app.update(Msg::Loaded {
        job: second.clone(),
        result: Err(reset()),
    });
    let node = app.graph().node(&second.node).unwrap();
    assert_eq!(node.error(), Some(&reset()));
    assert!(node.error().unwrap().retry_may_help());
    assert!(
        !app.is_animating() || app.running_jobs() == 1,
        "only the tag listing may still run"
    );

    let effects = key(&mut app, KeyCode::Char('r'));
    let retry = job_of(&effects, |e| matches!(e, Effect::FetchManifest { .. }));
    assert_eq!(
        app.graph().node(&retry.node).unwrap().manifest_slot.status,
        Status::Loading
    );
    assert_eq!(app.graph().node(&retry.node).unwrap().error(), None);
}

fn reset() -> Failure {
    Failure::from(StoreError::Transport {
        operation: "GET manifest v1".to_owned(),
        message: "connection reset".to_owned(),
    })
}

#[test]
fn a_refused_login_says_how_to_log_in_and_a_missing_tag_leaves() {
    let mut app = app();
    let effects = app.start_reference("net-monitor", "v1");
    let manifest_job = job_of(&effects, |e| matches!(e, Effect::FetchManifest { .. }));
    let refused = Failure::from(StoreError::Unauthorized {
        what: "localhost:5000".to_owned(),
        detail: "the registry asks for a username and password and none were given \
                 (use --username with --password-stdin, or docker login)"
            .to_owned(),
    });
    app.update(Msg::Loaded {
        job: manifest_job.clone(),
        result: Err(refused),
    });
    // 401: the row stays, shows the failure, and the status line says how
    // to log in from the TUI (no retry hint: the same login fails again).
    let node = app.graph().node(&manifest_job.node).unwrap();
    assert!(node.error().is_some_and(Failure::is_refused_login));
    let status = app.status.as_ref().unwrap();
    assert!(status.is_error && status.text.contains("Quit (q) and start regscope again"));
    let screen = draw(&app, 160, 30).join("\n");
    assert!(!screen.contains("r retries"), "{screen}");

    // 404 on the same tag: the row goes.
    let effects = key(&mut app, KeyCode::Char('r'));
    let retry = job_of(&effects, |e| matches!(e, Effect::FetchManifest { .. }));
    app.update(Msg::Loaded {
        job: retry.clone(),
        result: Err(Failure::from(StoreError::not_found("tag v1"))),
    });
    assert!(app.graph().node(&retry.node).is_none());
    assert_eq!(app.status.as_ref().unwrap().text, "tag v1 not found");
}

#[test]
fn copy_help_delete_and_quit() {
    let mut app = app_at_loaded_tag();
    let digest = image().digest().to_string();

    let effects = key(&mut app, KeyCode::Char('y'));
    assert!(matches!(&effects[..], [Effect::CopyToClipboard { text, .. }] if *text == digest));
    let effects = key(&mut app, KeyCode::Char('Y'));
    let full = format!("demo/net-monitor@{digest}");
    assert!(matches!(&effects[..], [Effect::CopyToClipboard { text, .. }] if *text == full));
    app.update(Msg::Clipboard {
        what: full.clone(),
        result: Ok("OSC 52"),
    });
    assert_eq!(
        app.status.as_ref().unwrap().text,
        format!("copied {full} (OSC 52)")
    );

    key(&mut app, KeyCode::Char('?'));
    assert_eq!(
        top::<Help>(&app).map(|h| h.content.screen),
        Some(Mode::Browse)
    );
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(
        top::<Help>(&app).map(|h| h.content.screen),
        Some(Mode::Browse),
        "help stays until closed"
    );
    key(&mut app, KeyCode::Esc);
    assert!(!popup_open(&app));

    // On a tag row the tag alone goes (as `regscope rm REPO:TAG`); the
    // manifest's delete is asked for with `w`, and the engine then works
    // out what goes, shown before anything happens.
    let effects = key(&mut app, KeyCode::Char('d'));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(top::<DeleteDialog>(&app).is_some_and(|d| d.tag() == Some("v1") && !d.whole));
    let effects = key(&mut app, KeyCode::Char('w'));
    assert!(matches!(
        &effects[..],
        [Effect::Operation { request: OperationRequest::PlanDelete { reference, .. }, .. }] if *reference == digest
    ));
    assert!(top::<DeleteDialog>(&app).is_some_and(|d| d.plan.is_none()));
    let effects = key(&mut app, KeyCode::Char('y'));
    assert!(
        effects.is_empty(),
        "nothing is deleted before the plan is shown"
    );
    key(&mut app, KeyCode::Char('n'));
    assert!(!popup_open(&app));
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "kept everything: nothing was deleted"
    );

    key(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit);
}
