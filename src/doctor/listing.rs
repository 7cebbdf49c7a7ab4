//! `tags-list` and `tags-pagination`: the whole list as the registry sends
//! it, then one name per page (`n=1`), the page its `Link` names, and the
//! page after the first name (`last`).

use futures_util::future::join;
use reqwest::Method;
use serde::Deserialize;

use super::prober::{Answer, Prober, evidence, pull};
use super::report::{Check, CheckId, Status};
use crate::store::remote::probe::Probe;

#[derive(Deserialize)]
struct TagsPage {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

fn tags_in(answer: &Answer) -> Option<Vec<String>> {
    match answer {
        Ok(x) if (200..300).contains(&x.status) => serde_json::from_slice::<TagsPage>(&x.body)
            .ok()
            .map(|page| page.tags.unwrap_or_default()),
        _ => None,
    }
}

fn tags_probe(repository: &str, query: &str) -> Probe {
    Probe::new(
        Method::GET,
        format!("/v2/{repository}/tags/list{query}"),
        pull(repository),
    )
}

/// Both checks, and the tags of the first answer (for the checks that
/// need a manifest).
pub async fn tags(prober: &Prober<'_>, repository: &str) -> (Check, Check, Vec<String>) {
    let (whole, first) = join(
        prober.send(tags_probe(repository, "")),
        prober.send(tags_probe(repository, "?n=1")),
    )
    .await;
    let listed = tags_in(&whole);
    let list_check = match (&listed, &whole) {
        (Some(tags), Ok(x)) => {
            let paged = x.header("link").is_some();
            Check::new(
                CheckId::TagsList,
                Status::Pass,
                format!(
                    "{repository} has {} tag{}{}",
                    tags.len(),
                    if tags.len() == 1 { "" } else { "s" },
                    if paged {
                        " on the first page (the registry pages by itself)"
                    } else {
                        ""
                    }
                ),
            )
        }
        (None, Ok(x)) => Check::new(
            CheckId::TagsList,
            Status::Fail,
            format!(
                "GET /v2/{repository}/tags/list answered {} without a tag list",
                x.status
            ),
        ),
        (_, Err(_)) => Check::new(CheckId::TagsList, Status::Fail, "no answer"),
    }
    .evidence(vec![evidence(&whole, &["link", "content-type"])]);
    let tags = listed.unwrap_or_default();
    let paging = pagination(prober, repository, &tags, &first).await;
    (list_check, paging, tags)
}

async fn pagination(
    prober: &Prober<'_>,
    repository: &str,
    all: &[String],
    first: &Answer,
) -> Check {
    let mut shown = vec![evidence(first, &["link"])];
    let Some(page) = tags_in(first) else {
        return Check::new(
            CheckId::TagsPagination,
            Status::Fail,
            "tags/list?n=1 did not answer with a tag list",
        )
        .evidence(shown);
    };
    if all.len() < 2 {
        return Check::new(
            CheckId::TagsPagination,
            Status::Skip,
            format!(
                "needs two tags to page through; {repository} has {} (with --write the scratch repository has three)",
                all.len()
            ),
        )
        .evidence(shown);
    }
    let Some(first_tag) = page.first().cloned() else {
        return Check::new(
            CheckId::TagsPagination,
            Status::Fail,
            "tags/list?n=1 listed no tag although the repository has some",
        )
        .evidence(shown);
    };
    let link = match first {
        Ok(x) => prober.store.next_page(x),
        Err(_) => Ok(None),
    };
    let after = format!("?n=1&last={}", super::prober::encode(&first_tag));
    let (linked, after_first) = join(
        async {
            match &link {
                Ok(Some(target)) => Some(
                    prober
                        .send(Probe::new(Method::GET, target.clone(), pull(repository)))
                        .await,
                ),
                _ => None,
            }
        },
        prober.send(tags_probe(repository, &after)),
    )
    .await;
    let mut deviations = Vec::new();
    if page.len() > 1 {
        deviations.push(format!(
            "n is ignored ({} tags in the n=1 answer)",
            page.len()
        ));
    }
    match (&link, &linked) {
        (Err(error), _) => deviations.push(format!("its Link is refused: {error}")),
        (Ok(None), _) if page.len() < all.len() => {
            deviations.push("no Link names the next page (a client must page with last)".to_owned())
        }
        (_, Some(answer)) => {
            shown.push(evidence(answer, &["link"]));
            if tags_in(answer).is_none_or(|tags| tags.contains(&first_tag)) {
                deviations.push("the page its Link names does not continue the list".to_owned());
            }
        }
        _ => {}
    }
    shown.push(evidence(&after_first, &["link"]));
    match tags_in(&after_first) {
        Some(tags) if tags.contains(&first_tag) => {
            deviations.push(format!(
                "last={first_tag} lists {first_tag} again (last is ignored or inclusive)"
            ));
        }
        Some(_) => {}
        None => deviations.push("a page asked for with last did not answer".to_owned()),
    }
    let (status, summary) = if deviations.is_empty() {
        (
            Status::Pass,
            "n, last and Link work; regscope lets the registry choose the page size and follows Link".to_owned(),
        )
    } else {
        (
            Status::Warn,
            format!(
                "{}; regscope lets the registry choose the page size and follows Link, so it still lists every tag",
                deviations.join("; ")
            ),
        )
    };
    Check::new(CheckId::TagsPagination, status, summary).evidence(shown)
}
