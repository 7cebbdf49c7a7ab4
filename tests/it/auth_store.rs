//! Authentication through the whole remote store (transport and
//! authenticator together): what a user sees with good, missing and
//! refused credentials on distribution (Basic) and olareg (Bearer).

use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::store::{Store, StoreError};

use super::{PASSWORD, USER, olareg_with_tokens, push_artifact};
use crate::support::{Oras, Registry};

fn store(reg: &Registry, credential: Option<(&str, &str)>) -> RemoteStore {
    let options = ConnectOptions {
        username: credential.map(|(user, _)| user.to_owned()),
        password: credential.map(|(_, password)| password.to_owned()),
        ..ConnectOptions::default()
    };
    RemoteStore::new(reg.host(), options).unwrap()
}

async fn tags(store: &RemoteStore, repository: &str) -> Result<Vec<String>, StoreError> {
    let mut all = Vec::new();
    store.tags(repository, &mut |page| all.extend(page)).await?;
    Ok(all)
}

fn says_plainly(err: &StoreError, status: &str) -> String {
    let message = err.to_string();
    assert!(message.contains(status), "{message}");
    assert!(
        !message.contains(PASSWORD) && !message.contains("bob-pass"),
        "{message}"
    );
    message
}

/// A 401 or a 403, said plainly.
fn refused(err: &StoreError) {
    assert!(
        matches!(
            err,
            StoreError::Unauthorized { .. } | StoreError::Forbidden { .. }
        ),
        "{err:?}"
    );
    says_plainly(err, "40");
}

#[tokio::test]
async fn distribution_basic_through_the_store() {
    let reg = Registry::distribution_htpasswd(USER, PASSWORD);
    push_artifact(&Oras::for_registry(&reg), reg.host(), "app");

    let user = store(&reg, Some((USER, PASSWORD)));
    assert_eq!(tags(&user, "app").await.unwrap(), ["v1"]);

    let err = tags(&store(&reg, None), "app").await.unwrap_err();
    assert!(matches!(err, StoreError::Unauthorized { .. }), "{err:?}");
    let message = says_plainly(&err, "401");
    assert!(message.contains("username and password"), "{message}");

    let wrong = store(&reg, Some((USER, "wrong-pass")));
    let err = tags(&wrong, "app").await.unwrap_err();
    says_plainly(&err, "401");
}

#[tokio::test]
async fn olareg_bearer_through_the_store() {
    let reg = olareg_with_tokens();

    let user = store(&reg, Some((USER, PASSWORD)));
    assert_eq!(tags(&user, "private/app").await.unwrap(), ["v1"]);
    assert_eq!(tags(&user, "public/hello").await.unwrap(), ["v1"]);

    let anonymous = store(&reg, None);
    assert_eq!(tags(&anonymous, "public/hello").await.unwrap(), ["v1"]);
    let err = tags(&anonymous, "private/app").await.unwrap_err();
    refused(&err);

    // Known to the token server, left out by the access list.
    let bob = store(&reg, Some(("bob", "bob-pass-91c2")));
    let err = tags(&bob, "private/app").await.unwrap_err();
    refused(&err);

    let wrong = store(&reg, Some((USER, "wrong-pass")));
    let err = tags(&wrong, "private/app").await.unwrap_err();
    let message = says_plainly(&err, "403");
    assert!(message.contains("token server"), "{message}");
}
