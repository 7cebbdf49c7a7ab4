//! What a new user hit in the TUI (issue 24), as state: counts count what
//! is shown, `g` refuses what is not a reference and keeps the prompt,
//! Enter on an audit row goes to the tag row the tree has, the attach
//! dialog comes back as typed when the attach fails, `f` on an index
//! takes the engine's platform, a filtered files view shows whole paths,
//! an opaque marker is a note on its directory, and `s` hands the engine
//! the graph the tree holds.

use std::sync::Arc;

use bytes::Bytes;
use crossterm::event::KeyCode;
use regscope::audit::{AuditEvent, ImageAudit, SbomInfo, Verification};
use regscope::graph::Attachments;
use regscope::layer::{EntryKind, LayerListing, ListingSource};
use regscope::oci::Manifest;
use regscope::store::ReferrersSupport;
use regscope::tui::app::files::Listed;
use regscope::tui::app::{AuditMsg, FilesMsg};
use regscope::tui::failure::Failure;
use regscope::tui::message::{Effect, Loaded, Msg, OperationRequest};
use regscope::tui::screens::dialogs::AttachDialog;
use regscope::tui::screens::prompt::Prompt;
use regscope::tui::tree::NodeId;

use super::app_support::{
    app, app_at_loaded_tag, draw, image, job_of, key, popup_open, sbom_of, top,
};

const FALLBACK: &str = "sha256-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

#[test]
fn counts_count_the_tags_shown() {
    let mut app = app();
    let effects = app.start_repository("app");
    let job = job_of(&effects, |e| matches!(e, Effect::ListTags { .. }));
    let names = ["v1", "v2", &format!("{FALLBACK}.sig"), FALLBACK]
        .map(str::to_owned)
        .to_vec();
    app.update(Msg::Page {
        job: job.clone(),
        names,
    });
    app.update(Msg::Loaded {
        job,
        result: Ok(Loaded::ListingDone),
    });
    // A digest gone to is a row, not a tag.
    let digest = image().digest().to_string();
    app.go_to("app", &digest);
    let screen = draw(&app, 100, 30).join("\n");
    assert!(screen.contains("app  2 tags"), "{screen}");
    // The registry was never listed: it says so instead of "1 repository".
    assert!(screen.contains("not listed (r lists)"), "{screen}");
    // Shown, the fallback tags count.
    key(&mut app, KeyCode::Char('t'));
    let screen = draw(&app, 100, 30).join("\n");
    assert!(screen.contains("app  4 tags"), "{screen}");
}

#[test]
fn go_to_refuses_what_is_not_a_reference_and_keeps_the_prompt() {
    let mut app = app();
    app.start_registry();
    key(&mut app, KeyCode::Char('g'));
    for c in "Bad Ref!!".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    let effects = key(&mut app, KeyCode::Enter);
    assert!(effects.is_empty(), "{effects:?}");
    let input = top::<Prompt>(&app).expect("the prompt stays");
    assert_eq!(input.text, "Bad Ref!!");
    let status = app.status.as_ref().unwrap();
    assert!(
        status.is_error && status.text.contains("Bad Ref!!"),
        "{status:?}"
    );
    assert!(app.messages.contains(status), "m keeps it");
    assert!(
        !app.graph()
            .tree
            .nodes()
            .any(|(path, _)| path.contains(&NodeId::repository("Bad Ref!!")))
    );
    // Fixed, it goes.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('g'));
    for c in "app:v1".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    let effects = key(&mut app, KeyCode::Enter);
    assert!(top::<Prompt>(&app).is_none());
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FetchManifest { reference, .. } if reference == "v1"))
    );
}

fn audit_row(tags: &[&str]) -> ImageAudit {
    ImageAudit {
        repository: "net-monitor".to_owned(),
        digest: image().digest().clone(),
        media_type: "application/vnd.oci.image.manifest.v1+json".to_owned(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        signatures: Vec::new(),
        sbom: SbomInfo {
            digests: vec![image().digest().clone()],
            formats: vec!["CycloneDX JSON".to_owned(), "SPDX JSON".to_owned()],
            coverage: Some((2, 2)),
            ..SbomInfo::default()
        },
        provenance: false,
        scan: false,
        other_attestations: 0,
        newest: None,
        verification: Verification::Unverified,
        vulnerabilities: None,
        unfetched_platforms: Vec::new(),
        warnings: Vec::new(),
        error: None,
    }
}

#[test]
fn the_audit_table_says_what_the_cli_says_and_enter_goes_to_the_tag_row() {
    let mut app = app_at_loaded_tag();
    let effects = key(&mut app, KeyCode::Char('A'));
    let id = match effects.as_slice() {
        [Effect::Audit { id, .. }] => *id,
        other => panic!("no audit: {other:?}"),
    };
    let row = audit_row(&["v1", "v1.2.0", "latest"]);
    app.update(Msg::Audit(AuditMsg::Event(
        id,
        AuditEvent::Row(Box::new(row)),
    )));
    app.update(Msg::Audit(AuditMsg::Done(id, Ok(()))));
    let wide = draw(&app, 160, 24).join("\n");
    assert!(wide.contains("v1, v1.2.0, latest"), "{wide}");
    assert!(wide.contains("2/2 CycloneDX JSON+SPDX JSON"), "{wide}");
    // At 80 columns cells are cut with an ellipsis, and the selected row
    // is there whole below the table.
    let narrow = draw(&app, 80, 24);
    assert!(narrow.iter().any(|l| l.contains('…')), "{narrow:#?}");
    // The cut cells of the selected row, whole, on the rows below it.
    let below: Vec<&str> = narrow[20..22].iter().map(|l| l.trim()).collect();
    assert!(
        below
            .join(" ")
            .contains("sbom ✓ 2/2 CycloneDX JSON+SPDX JSON"),
        "{narrow:#?}"
    );
    let before = app.graph().tree.nodes().count();
    key(&mut app, KeyCode::Enter);
    assert!(app.audit().is_none());
    assert_eq!(app.graph().tree.selected().last(), Some(&NodeId::tag("v1")));
    assert_eq!(app.graph().tree.nodes().count(), before, "no new row");
}

/// The attach dialog filled in: `nope.json`, `sbom/example`, then Enter.
fn attach_typed(app: &mut regscope::tui::app::App) -> Vec<Effect> {
    key(app, KeyCode::Char('a'));
    for c in "nope.json".chars() {
        key(app, KeyCode::Char(c));
    }
    key(app, KeyCode::Down);
    for c in "sbom/example".chars() {
        key(app, KeyCode::Char(c));
    }
    key(app, KeyCode::Enter)
}

fn typed_fields(app: &regscope::tui::app::App) -> [String; 3] {
    top::<AttachDialog>(app)
        .expect("the attach dialog is open")
        .fields
        .clone()
}

#[test]
fn the_attach_dialog_stays_as_typed_when_its_file_is_not_there() {
    let mut app = app_at_loaded_tag();
    let effects = attach_typed(&mut app);
    let path = std::path::PathBuf::from("nope.json");
    assert!(
        matches!(&effects[..], [Effect::CheckFile { path: p }] if *p == path),
        "the file is checked before anything is sent: {effects:?}"
    );
    assert!(app.operations.is_empty());
    let effects = app.update(Msg::FileChecked {
        path,
        result: Err("no such file or directory".to_owned()),
    });
    assert!(effects.is_empty(), "nothing is sent: {effects:?}");
    assert!(app.operations.is_empty());
    assert_eq!(typed_fields(&app)[..2], ["nope.json", "sbom/example"]);
    assert_eq!(top::<AttachDialog>(&app).map(|d| d.field), Some(0));
    let screen = draw(&app, 100, 30).join("\n");
    assert!(
        screen.contains("✗ attach: nope.json: no such file or directory"),
        "{screen}"
    );
    // An answer about a file no longer typed is not taken for the new one.
    key(&mut app, KeyCode::Char('x'));
    let effects = app.update(Msg::FileChecked {
        path: std::path::PathBuf::from("nope.json"),
        result: Ok(()),
    });
    assert!(effects.is_empty() && app.operations.is_empty());
    assert_eq!(typed_fields(&app)[0], "nope.jsonx");
}

#[test]
fn the_attach_dialog_comes_back_as_typed_when_the_attach_fails() {
    let mut app = app_at_loaded_tag();
    attach_typed(&mut app);
    let effects = app.update(Msg::FileChecked {
        path: std::path::PathBuf::from("nope.json"),
        result: Ok(()),
    });
    let id = super::app_support::operation_id(&effects);
    assert!(!popup_open(&app));
    app.update(Msg::OperationDone {
        id,
        result: Err(Failure::Other("the registry refused the push".to_owned())),
    });
    assert_eq!(typed_fields(&app)[..2], ["nope.json", "sbom/example"]);
    let screen = draw(&app, 100, 30).join("\n");
    assert!(screen.contains("refused the push"), "{screen}");
    // An image's config type is not an artifact type to offer.
    assert!(
        !regscope::tui::screens::dialogs::ARTIFACT_TYPE_SUGGESTIONS
            .contains(&"application/vnd.oci.image.config.v1+json")
    );
}

fn index() -> Arc<Manifest> {
    let raw = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
        {{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{}","size":400,"platform":{{"os":"linux","architecture":"amd64"}}}}]}}"#,
        image().digest()
    );
    Arc::new(Manifest::parse(Bytes::from(raw), None).unwrap())
}

#[test]
fn f_on_an_index_asks_the_engine_for_its_platform() {
    let mut app = app();
    let effects = app.start_reference("app", "v1");
    let job = job_of(&effects, |e| matches!(e, Effect::FetchManifest { .. }));
    app.update(Msg::Loaded {
        job,
        result: Ok(Loaded::Manifest(index())),
    });
    let effects = key(&mut app, KeyCode::Char('f'));
    let id = match effects.as_slice() {
        [
            Effect::ListFiles {
                id,
                layers,
                index: Some(index),
                ..
            },
        ] => {
            assert!(layers.is_empty());
            assert_eq!(*index, self::index().digest().to_string());
            *id
        }
        other => panic!("no listing of a platform: {other:?}"),
    };
    app.update(Msg::Files(FilesMsg::Resolved {
        id,
        platform: "linux/amd64 (this machine's platform)".to_owned(),
        layers: image().layers.clone(),
    }));
    let view = app.files().unwrap();
    assert_eq!(view.layers.len(), 1);
    assert!(
        view.title
            .ends_with("for linux/amd64 (this machine's platform)")
    );
}

fn entry(path: &str, kind: EntryKind) -> regscope::layer::FileEntry {
    regscope::layer::FileEntry {
        path: path.to_owned(),
        kind,
        size: 5,
        mode: 0o644,
        uid: 0,
        gid: 0,
        user: "root".to_owned(),
        group: "root".to_owned(),
        mtime: 0,
        link: None,
    }
}

#[test]
fn filtered_files_show_whole_paths_and_an_opaque_marker_is_a_note() {
    let mut app = app_at_loaded_tag();
    let effects = key(&mut app, KeyCode::Char('f'));
    let id = match effects.as_slice() {
        [Effect::ListFiles { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    let listing = LayerListing {
        descriptor: image().layers[0].clone(),
        source: ListingSource::WholeLayer,
        entries: vec![
            entry("log", EntryKind::Dir),
            entry("log", EntryKind::Opaque),
            entry("usr", EntryKind::Dir),
            entry("usr/bin", EntryKind::Dir),
            entry("usr/bin/tool", EntryKind::File),
        ],
    };
    app.update(Msg::Files(FilesMsg::Listed {
        id,
        result: Ok(Listed {
            listings: vec![listing],
            merged: None,
        }),
    }));
    let screen = draw(&app, 120, 30).join("\n");
    assert!(screen.contains("log/  [opaque"), "{screen}");
    assert_eq!(
        screen.matches("log").count(),
        1,
        "one row for log: {screen}"
    );
    key(&mut app, KeyCode::Char('/'));
    for c in "tool".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    let screen = draw(&app, 120, 30).join("\n");
    assert!(screen.contains(" usr/bin/tool"), "{screen}");
    assert!(screen.contains("1 of 4 shown"), "{screen}");
    // The filter prompt looks like every other prompt.
    assert!(screen.contains("filter: tool█"), "{screen}");
}

#[test]
fn s_hands_the_engine_the_graph_the_tree_holds() {
    let mut app = app();
    let effects = app.start_reference("net-monitor", "v1");
    let job = job_of(&effects, |e| matches!(e, Effect::FetchManifest { .. }));
    let effects = app.update(Msg::Loaded {
        job,
        result: Ok(Loaded::Manifest(image())),
    });
    // Before the referrers are read, the engine discovers them.
    let pull = key(&mut app, KeyCode::Char('s'));
    assert!(matches!(
        pull.as_slice(),
        [Effect::Operation {
            request: OperationRequest::Pull {
                known_graph: None,
                ..
            },
            ..
        }]
    ));
    let referrers = job_of(&effects, |e| matches!(e, Effect::FetchReferrers { .. }));
    app.update(Msg::Loaded {
        job: referrers,
        result: Ok(Loaded::Referrers {
            attachments: Attachments {
                nodes: vec![sbom_of(image().digest())],
                warnings: Vec::new(),
            },
            support: ReferrersSupport::Api,
        }),
    });
    let tag = app.graph().tree.selected()[..3].to_vec();
    app.graph_mut().select(tag);
    let pull = key(&mut app, KeyCode::Char('s'));
    match pull.as_slice() {
        [
            Effect::Operation {
                request:
                    OperationRequest::Pull {
                        known_graph: Some(graph),
                        reference,
                        ..
                    },
                ..
            },
        ] => {
            assert_eq!(graph.subject.digest.to_string(), *reference);
            assert_eq!(graph.referrers.len(), 1);
        }
        other => panic!("the tree's graph is not handed on: {other:?}"),
    }
}
