//! State-level tests of the action keys, the mouse, help and dialogs:
//! messages in, state and effects out.

use crossterm::event::{Event, KeyCode, KeyModifiers};
use regscope::graph::Attachments;
use regscope::store::ReferrersSupport;
use regscope::tui::config::Config;
use regscope::tui::message::{Effect, Loaded, Msg, OperationRequest};
use regscope::tui::screens::dialogs::AttachDialog;
use regscope::tui::tree::NodeId;

use super::app_support::{
    app, app_at_loaded_tag, draw, image, job_of, key, operation_id, popup_open, top,
};

#[test]
fn mouse_clicks_select_and_open_rows() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = app();
    let effects = app.start_repository("net-monitor");
    let listing = job_of(&effects, |e| matches!(e, Effect::ListTags { .. }));
    app.update(Msg::Page {
        job: listing,
        names: vec!["v1".to_owned(), "v2".to_owned()],
    });
    let click = |row: u16| {
        Msg::Input(Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 5,
            row,
            modifiers: KeyModifiers::NONE,
        }))
    };
    // Row 0 is the border; rows 1.. are registry, repository, v1, v2.
    app.update(click(4));
    assert_eq!(
        *app.graph().tree.selected(),
        [
            NodeId::Registry,
            NodeId::repository("net-monitor"),
            NodeId::tag("v2")
        ]
    );
    let effects = app.update(click(4));
    assert!(
        matches!(&effects[..], [Effect::FetchManifest { reference, .. }] if reference == "v2"),
        "a second click opens: {effects:?}"
    );
}

#[test]
fn help_is_generated_from_the_users_key_map() {
    let text = "[keys]\nquit = \"x\"\ncopy_digest = [\"ctrl-y\", \"y\"]\n";
    let config = Config::from_text(text, std::path::Path::new("config.toml")).unwrap();
    let mut app = app();
    app.config = config;
    key(&mut app, KeyCode::Char('?'));
    let screen = draw(&app, 100, 40).concat();
    let copy_keys = format!(" {:<16}copy the digest", "ctrl-y y");
    assert!(screen.contains(&copy_keys), "{screen}");
    // The keys that work everywhere come last.
    key(&mut app, KeyCode::End);
    let screen = draw(&app, 100, 40).concat();
    assert!(screen.contains(&format!(" {:<16}quit", "x")), "{screen}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('q'));
    assert!(!app.should_quit, "q is no longer quit");
    key(&mut app, KeyCode::Char('x'));
    assert!(app.should_quit);
}

#[test]
fn the_attach_dialog_completes_paths_and_checks_its_fields() {
    let mut app = app_at_loaded_tag();

    key(&mut app, KeyCode::Char('a'));
    for c in "/tmp/sb".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    let effects = key(&mut app, KeyCode::Tab);
    assert!(matches!(&effects[..], [Effect::CompletePath { typed }] if typed == "/tmp/sb"));
    app.update(Msg::PathCompleted {
        typed: "/tmp/sb".to_owned(),
        completions: vec!["/tmp/sbom-a.json".to_owned(), "/tmp/sbom-b.json".to_owned()],
    });
    let dialog = top::<AttachDialog>(&app).expect("the attach dialog");
    assert_eq!(
        dialog.fields[0], "/tmp/sbom-",
        "completed to the common prefix"
    );
    assert_eq!(dialog.completions.len(), 2);
    // Without an artifact type, Enter says so, keeps the dialog and goes
    // to the field to fill in.
    let effects = key(&mut app, KeyCode::Enter);
    assert!(effects.is_empty());
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("artifact type is required")
    );
    assert_eq!(top::<AttachDialog>(&app).map(|d| d.field), Some(1));
    for c in "application/vnd.cyc".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Down);
    for c in "a=1,b=2".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    // Enter has the file checked first; the dialog waits for the answer.
    let effects = key(&mut app, KeyCode::Enter);
    let path = std::path::PathBuf::from("/tmp/sbom-");
    assert!(matches!(&effects[..], [Effect::CheckFile { path: p }] if *p == path));
    assert!(top::<AttachDialog>(&app).is_some());
    let effects = app.update(Msg::FileChecked {
        path,
        result: Ok(()),
    });
    match &effects[..] {
        [
            Effect::Operation {
                request: OperationRequest::Attach { options, .. },
                ..
            },
        ] => {
            assert_eq!(options.artifact_type, "application/vnd.cyclonedx+json");
            assert_eq!(options.annotations.len(), 2);
            assert_eq!(
                options.files[0].path,
                std::path::PathBuf::from("/tmp/sbom-")
            );
        }
        other => panic!("no attach: {other:?}"),
    }
    assert!(!popup_open(&app));
    assert_eq!(app.operations.len(), 1);
}

#[test]
fn escape_cancels_running_operations_and_their_outcome_is_reported() {
    let mut app = app_at_loaded_tag();
    let effects = key(&mut app, KeyCode::Char('p'));
    assert!(matches!(
        &effects[..],
        [Effect::Operation {
            request: OperationRequest::Pull { .. },
            ..
        }]
    ));
    let id = operation_id(&effects);
    app.update(Msg::OperationProgress {
        id,
        text: "fetching layer.tar.gz".to_owned(),
    });
    assert_eq!(app.operations[&id].progress, "fetching layer.tar.gz");
    let effects = key(&mut app, KeyCode::Esc);
    assert!(matches!(&effects[..], [Effect::CancelOperations]));
    app.update(Msg::OperationDone {
        id,
        result: Err(regscope::tui::failure::Failure::Cancelled),
    });
    assert!(app.operations.is_empty());
    let status = app.status.clone().unwrap();
    assert!(
        status.is_error && status.text == "pull failed: cancelled",
        "{status:?}"
    );
}

#[test]
fn cosign_tags_arriving_late_make_attachments_be_read_again() {
    let mut app = app();
    let effects = app.start_reference("net-monitor", "v1");
    let listing = job_of(&effects, |e| matches!(e, Effect::ListTags { .. }));
    let manifest_job = job_of(&effects, |e| matches!(e, Effect::FetchManifest { .. }));
    let image = image();
    let digest = image.digest().clone();
    let effects = app.update(Msg::Loaded {
        job: manifest_job,
        result: Ok(Loaded::Manifest(image)),
    });
    let referrers = job_of(&effects, |e| matches!(e, Effect::FetchReferrers { .. }));
    let attachments = Attachments {
        nodes: Vec::new(),
        warnings: Vec::new(),
    };
    app.update(Msg::Loaded {
        job: referrers,
        result: Ok(Loaded::Referrers {
            attachments,
            support: ReferrersSupport::FallbackTag,
        }),
    });
    let cosign = format!("{}.sig", digest.fallback_tag());
    app.update(Msg::Page {
        job: listing.clone(),
        names: vec!["v1".to_owned(), cosign.clone()],
    });
    let effects = app.update(Msg::Loaded {
        job: listing,
        result: Ok(Loaded::ListingDone),
    });
    assert!(
        effects.iter().any(
            |e| matches!(e, Effect::FetchReferrers { subject, digest_tags, .. }
            if *subject == digest && digest_tags.contains(&cosign))
        ),
        "{effects:?}"
    );
}

#[test]
fn byte_progress_shows_in_the_status_bar() {
    let mut app = app_at_loaded_tag();
    let id = operation_id(&key(&mut app, KeyCode::Char('p')));
    app.update(Msg::OperationProgress {
        id,
        text: "fetching layer.tar.gz".to_owned(),
    });
    app.update(Msg::OperationBytes {
        id,
        done: 3 * 1024 * 1024,
        total: 12 * 1024 * 1024,
    });
    let status = &draw(&app, 140, 30)[28];
    assert!(
        status.contains("pull: fetching layer.tar.gz 3.0 MiB / 12.0 MiB (25%)"),
        "{status}"
    );
}

#[test]
fn go_to_another_registry_or_a_layout_browses_it() {
    let text = "registries = [\"localhost:5000\", \"ghcr.io\"]\n";
    let go_to = |typed: &str| {
        let mut app = app();
        app.config = Config::from_text(text, std::path::Path::new("config.toml")).unwrap();
        key(&mut app, KeyCode::Char('g'));
        for c in typed.chars() {
            key(&mut app, KeyCode::Char(c));
        }
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Enter)
    };
    let browses = |effects: Vec<Effect>| match &effects[..] {
        [Effect::Browse { target }] => Some(target.clone()),
        _ => None,
    };
    // Tab completes a saved registry on the go-to line.
    assert_eq!(browses(go_to("gh")), Some("ghcr.io/".to_owned()));
    assert_eq!(browses(go_to("")), Some("localhost:5000/".to_owned()));
    assert_eq!(
        browses(go_to("oci:/tmp/layout")),
        Some("oci:/tmp/layout".to_owned())
    );
    // This store's own references stay here.
    assert_eq!(browses(go_to("net-monitor:v1")), None);
    assert_eq!(browses(go_to("demo/net-monitor:v1")), None);
}
