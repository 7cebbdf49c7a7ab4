//! Listing repositories and tags, page by page, with the attachment
//! schemes' bookkeeping tags told apart from the names people gave.

use crate::graph::sources::is_attachment_tag;
use crate::store::{Store, StoreError};

/// Every repository of the store (registries that refuse the catalog answer
/// `StoreError::CatalogUnavailable`).
pub async fn list_repositories(store: &dyn Store) -> Result<Vec<String>, StoreError> {
    let mut names = Vec::new();
    store.catalog(&mut |page| names.extend(page)).await?;
    Ok(names)
}

/// A repository's tags, split into the ones people gave and the fallback
/// and cosign tags (`sha256-<hex>[.sig|.att|.sbom]`) that belong under their
/// subject.
pub async fn list_tags(store: &dyn Store, repository: &str) -> Result<Tags, StoreError> {
    let mut tags = Tags::default();
    store
        .tags(repository, &mut |page| {
            for tag in page {
                if is_attachment_tag(&tag) {
                    tags.attachment.push(tag);
                } else {
                    tags.named.push(tag);
                }
            }
        })
        .await?;
    Ok(tags)
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    pub named: Vec<String>,
    pub attachment: Vec<String>,
}
