//! The catalog and tag lists, page by page: the registry picks the page
//! size unless one was asked for (`n`), the `Link` header names the next
//! page. Each page is handed on as it arrives.
//! A `Link` must stay on the registry's origin, a URL seen twice ends the
//! walk with an error, and the number of pages is bounded.

use std::collections::HashSet;

use reqwest::Method;
use reqwest::header::LINK;
use serde::Deserialize;

use super::response::{MAX_LISTING_PAGE, error_from};
use super::transport::Call;
use super::{RemoteStore, Scope};
use crate::store::{PageSink, StoreError};

/// Enough for 10 million names at the usual page sizes.
pub const MAX_PAGES: usize = 10_000;

#[derive(Deserialize)]
struct TagsPage {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct CatalogPage {
    #[serde(default)]
    repositories: Option<Vec<String>>,
}

impl RemoteStore {
    pub(super) async fn list_catalog(&self, on_page: PageSink<'_>) -> Result<(), StoreError> {
        let result = self
            .walk_pages(
                "/v2/_catalog",
                "list repositories",
                "the catalog",
                || vec![Scope::Catalog],
                |body| {
                    serde_json::from_slice::<CatalogPage>(body)
                        .map(|p| p.repositories.unwrap_or_default())
                },
                on_page,
            )
            .await;
        match result {
            Err(
                StoreError::Unauthorized { detail, .. }
                | StoreError::Forbidden { detail, .. }
                | StoreError::Unsupported { detail, .. },
            ) => Err(StoreError::CatalogUnavailable {
                registry: self.registry.clone(),
                detail,
            }),
            Err(StoreError::NotFound { .. }) => Err(StoreError::CatalogUnavailable {
                registry: self.registry.clone(),
                detail: "it has no catalog endpoint".to_owned(),
            }),
            other => other,
        }
    }

    pub(super) async fn list_tags(
        &self,
        repository: &str,
        on_page: PageSink<'_>,
    ) -> Result<(), StoreError> {
        let path = format!("/v2/{repository}/tags/list");
        self.walk_pages(
            &path,
            "list tags",
            &format!("repository {repository}"),
            || vec![Scope::Pull(repository.to_owned())],
            |body| serde_json::from_slice::<TagsPage>(body).map(|p| p.tags.unwrap_or_default()),
            on_page,
        )
        .await
    }

    async fn walk_pages(
        &self,
        path: &str,
        operation: &str,
        what: &str,
        scopes: impl Fn() -> Vec<Scope>,
        parse: impl Fn(&[u8]) -> Result<Vec<String>, serde_json::Error>,
        on_page: PageSink<'_>,
    ) -> Result<(), StoreError> {
        let mut url = self.page_url(path, None, self.page_size.is_some());
        let mut visited = HashSet::new();
        let mut delivered: HashSet<String> = HashSet::new();
        // Set once the registry turned out to ignore `last`.
        let mut unpaged = false;
        let mut continued_by_last = false;
        for page in 0..MAX_PAGES {
            if !visited.insert(url.to_string()) {
                return Err(StoreError::Protocol(format!(
                    "{operation}: the registry sent the same page link twice"
                )));
            }
            let call = Call::new(Method::GET, url.clone(), operation, scopes());
            let reply = self.transport.send(&call).await?;
            if !reply.response.status().is_success() {
                return Err(error_from(reply.response, &self.registry, operation, what).await);
            }
            let next = next_link(reply.response.headers());
            let page_url = reply.url.clone();
            let body = self
                .transport
                .read_metadata(reply, MAX_LISTING_PAGE, &format!("a page of {what}"))
                .await?;
            let names = parse(&body).map_err(|e| {
                StoreError::Protocol(format!(
                    "{operation}: the page is not the expected JSON: {e}"
                ))
            })?;
            // Only a page of the size asked for may be followed by `last`:
            // without `n` the registry's own page size is unknown, and
            // `Link` alone leads on (as oras and regctl do).
            let full_page = !unpaged && self.page_size.is_some_and(|n| names.len() == n as usize);
            let last = names.last().cloned();
            let repeated = names.first().is_some_and(|name| delivered.contains(name));
            let fresh: Vec<String> = names
                .into_iter()
                .filter(|name| delivered.insert(name.clone()))
                .collect();
            if !fresh.is_empty() || page == 0 {
                on_page(fresh);
            }
            if repeated && continued_by_last && !unpaged {
                // The registry honours `n` but not `last` (go-containerregistry's
                // catalog): the rest only comes by asking for everything.
                unpaged = true;
                continued_by_last = false;
                url = self.page_url(path, None, false);
                continue;
            }
            continued_by_last = false;
            match (next, last) {
                (Some(link), _) => {
                    url = self.transport.same_origin_target(
                        &page_url,
                        &link,
                        "the next-page Link",
                    )?;
                }
                // Some registries page by `n` and `last` but send no `Link`:
                // a full page may not be the end.
                (None, Some(last)) if full_page => {
                    url = self.page_url(path, Some(&last), true);
                    continued_by_last = true;
                }
                _ => return Ok(()),
            }
        }
        Err(StoreError::Protocol(format!(
            "{operation}: more than {MAX_PAGES} pages; stopped"
        )))
    }

    /// `path?n=<page size>[&last=<name>]` when a page size was asked for,
    /// else `path[?last=<name>]`.
    fn page_url(&self, path: &str, last: Option<&str>, paged: bool) -> url::Url {
        let mut url = self.transport.url(path);
        if paged && let Some(n) = self.page_size {
            url.query_pairs_mut().append_pair("n", &n.to_string());
        }
        if let Some(last) = last {
            url.query_pairs_mut().append_pair("last", last);
        }
        url
    }
}

/// The target of `Link: <url>; rel="next"`, if any.
pub fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .find_map(|link| {
            let (target, params) = link.split_once(';')?;
            let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
            let is_next = params.split(';').any(|param| {
                param.trim().strip_prefix("rel=").is_some_and(|rel| {
                    rel.trim_matches('"')
                        .split_whitespace()
                        .any(|r| r == "next")
                })
            });
            is_next.then(|| target.to_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn link(value: &str) -> Option<String> {
        let mut headers = HeaderMap::new();
        headers.insert(LINK, HeaderValue::from_str(value).expect("header"));
        next_link(&headers)
    }

    #[test]
    fn finds_the_next_page_link() {
        assert_eq!(
            link(r#"</v2/r/tags/list?n=2&last=b>; rel="next""#).as_deref(),
            Some("/v2/r/tags/list?n=2&last=b")
        );
        assert_eq!(
            link(r#"<https://a.example/v1>; rel="prev", <https://a.example/v2>; rel=next"#)
                .as_deref(),
            Some("https://a.example/v2")
        );
        assert_eq!(link(r#"</v2/x>; rel="prev""#), None);
        assert_eq!(link("garbage"), None);
        let base = url::Url::parse("http://r.example/v2/r/tags/list?n=2").expect("url");
        assert_eq!(
            base.join("/v2/r/tags/list?n=2&last=b")
                .expect("join")
                .as_str(),
            "http://r.example/v2/r/tags/list?n=2&last=b"
        );
    }
}
