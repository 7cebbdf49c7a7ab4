//! Before `g` leaves the store being browsed for another one, the other
//! one is asked for what the view would show first: a reference is
//! resolved, a repository's or registry's listing gives its first page.
//! Only an answer switches the view; nothing listening, a refused login or
//! a reference that is not there leaves it where it was.

use tokio::sync::oneshot;

use crate::store::{Store, StoreError};
use crate::target::Target;

/// Whether `target` answers.
pub async fn probe(target: &Target) -> Result<(), StoreError> {
    let store = target.store.as_ref();
    if target.repository.is_empty() {
        // A registry that does not list its repositories still answered.
        return match first_page(store, None).await {
            Err(
                StoreError::NotFound { .. }
                | StoreError::CatalogUnavailable { .. }
                | StoreError::Unsupported { .. },
            ) => Ok(()),
            other => other,
        };
    }
    match &target.reference {
        Some(reference) => store
            .resolve(&target.repository, reference)
            .await
            .map(|_| ()),
        None => first_page(store, Some(&target.repository)).await,
    }
}

/// Lists until the first page arrives (the rest is not waited for: the
/// view lists again once it switched).
async fn first_page(store: &dyn Store, repository: Option<&str>) -> Result<(), StoreError> {
    let (page, arrived) = oneshot::channel::<()>();
    let mut page = Some(page);
    let mut on_page = move |_: Vec<String>| {
        if let Some(page) = page.take() {
            let _ = page.send(());
        }
    };
    let listing = async {
        match repository {
            Some(repository) => store.tags(repository, &mut on_page).await,
            None => store.catalog(&mut on_page).await,
        }
    };
    tokio::select! {
        result = listing => result,
        Ok(()) = arrived => Ok(()),
    }
}
