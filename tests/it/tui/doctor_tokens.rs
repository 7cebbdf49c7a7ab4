//! The doctor's screen checks with the session's store: on olareg with
//! token auth, behind a proxy that names its own `/token` so token
//! requests can be counted, the doctor asks for no new token for the
//! repository the session already reads with the user's credentials.

use std::sync::Arc;

use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::tui::Start;
use regscope::tui::screens::doctor::DoctorScreen;
use regscope::tui::tree::NodeId;

use super::harness::Harness;
use crate::auth::{PASSWORD, USER, olareg_with_tokens};
use crate::support::{FaultProxy, RecordedRequest, Rule};

/// Token requests sent with the user's credentials for exactly `scope`
/// (written as it is in the query).
fn user_tokens_for(proxy: &FaultProxy, scope: &str) -> Vec<RecordedRequest> {
    let wanted = format!("scope={scope}");
    let mut requests = proxy.requests();
    requests.retain(|r| {
        let basic = r
            .header("authorization")
            .is_some_and(|h| h.starts_with("Basic "));
        r.path.starts_with("/token") && r.path.split(['?', '&']).any(|p| p == wanted) && basic
    });
    requests
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_doctor_asks_for_no_token_the_session_holds() {
    let registry = olareg_with_tokens();
    let proxy = FaultProxy::start(registry.host());
    let challenge = format!(
        r#"Bearer realm="{}/token",service="olareg registry""#,
        proxy.base_url()
    );
    proxy.add_rule(
        Rule::any()
            .path("/v2/")
            .header("WWW-Authenticate", &challenge),
    );
    let connect = ConnectOptions {
        username: Some(USER.to_owned()),
        password: Some(PASSWORD.to_owned()),
        ..ConnectOptions::default()
    };
    let store = RemoteStore::new(&proxy.host(), connect.clone()).unwrap();
    let start = Start::reference("private/app", "v1");
    let mut ui = Harness::with_connect(Arc::new(store), connect, None, start, (160, 45));
    ui.wait_for("the artifact", |s| {
        s.contains("private/app") && s.contains("v1")
    })
    .await;
    ui.settle().await;
    let pull = "repository%3Aprivate%2Fapp%3Apull";
    let browsing = user_tokens_for(&proxy, pull).len();
    assert!(browsing >= 1, "the session read private/app with a token");

    ui.move_to(&NodeId::repository("private/app"));
    ui.key(crossterm::event::KeyCode::Char('D'));
    assert!(ui.driver.app.screen::<DoctorScreen>().is_some());
    let report = ui
        .wait_for("the report", |s| {
            s.contains("Doctor of") && s.contains("pass ·")
        })
        .await;
    assert!(report.contains("private/app"), "{report}");
    assert_eq!(
        user_tokens_for(&proxy, pull).len(),
        browsing,
        "the doctor fetched a token the session holds: {:#?}\n{report}",
        proxy.requests()
    );
}
