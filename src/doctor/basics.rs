//! The checks that need no repository: `ping`, `auth`, `catalog`, and
//! `rate-limit` (read from every answer the other checks got).

use reqwest::Method;
use serde::Deserialize;

use super::prober::{Prober, evidence, pull};
use super::report::{Check, CheckId, Evidence, Status};
use crate::store::remote::auth::Scope;
use crate::store::remote::auth::challenge::{AuthScheme, parse_challenges};
use crate::store::remote::probe::{Exchange, Probe};

pub async fn ping(prober: &Prober<'_>) -> Check {
    let answer = prober
        .send(Probe::new(Method::GET, "/v2/", Vec::new()))
        .await;
    let shown = vec![evidence(
        &answer,
        &["docker-distribution-api-version", "www-authenticate"],
    )];
    let (status, summary) = match &answer {
        Ok(x) if (200..300).contains(&x.status) => (
            Status::Pass,
            format!("GET /v2/ answered {}: a registry API is here", x.status),
        ),
        Ok(x) if x.status == 401 => (
            Status::Fail,
            "GET /v2/ still answered 401 after the challenge was answered: the credentials were refused (or none were found); every command will fail the same way".to_owned(),
        ),
        Ok(x) => (
            Status::Fail,
            format!("GET /v2/ answered {}: no registry API here", x.status),
        ),
        Err(_) => (Status::Fail, "GET /v2/ got no answer".to_owned()),
    };
    Check::new(CheckId::Ping, status, summary).evidence(shown)
}

/// The registry's challenge to a request without credentials, and, with
/// a repository, whether someone who never logged in may pull from it.
pub async fn auth(prober: &Prober<'_>, repository: Option<&str>) -> Check {
    let first = prober
        .send(Probe::new(Method::GET, "/v2/", Vec::new()).anonymous())
        .await;
    let mut shown = vec![evidence(&first, &["www-authenticate"])];
    let (mut status, mut summary) = match &first {
        Err(_) => (Status::Fail, "GET /v2/ got no answer".to_owned()),
        Ok(x) if (200..300).contains(&x.status) => (
            Status::Pass,
            "no authentication asked for GET /v2/".to_owned(),
        ),
        Ok(x) if x.status == 401 => describe_challenge(x),
        Ok(x) => (
            Status::Warn,
            format!(
                "GET /v2/ without credentials answered {}, neither 200 nor a 401 challenge",
                x.status
            ),
        ),
    };
    if let Some(repository) = repository {
        let probe = Probe::new(
            Method::GET,
            format!("/v2/{repository}/tags/list?n=1"),
            pull(repository),
        );
        let (anonymous, refused) = prober.send_without_credentials(probe).await;
        let verdict = match &anonymous {
            Ok(x) if (200..300).contains(&x.status) => "anonymous pull allowed",
            Ok(x) if matches!(x.status, 401 | 403) => {
                "anonymous pull refused: credentials are needed"
            }
            Err(_) if refused => "anonymous pull refused: credentials are needed",
            Ok(_) => "anonymous pull: an unexpected answer",
            Err(_) => "anonymous pull: no answer",
        };
        summary = format!("{summary}; {verdict} from {repository}");
        let anonymous_evidence = evidence(&anonymous, &["www-authenticate"]);
        let note = match &anonymous_evidence.note {
            Some(why) => format!("as a user with no credentials: {why}"),
            None => {
                "as a user with no credentials (an anonymous token where one is offered)".to_owned()
            }
        };
        shown.push(anonymous_evidence.with_note(note));
        if anonymous.is_err() && !refused && status == Status::Pass {
            status = Status::Warn;
        }
    }
    Check::new(CheckId::Auth, status, summary).evidence(shown)
}

fn describe_challenge(answer: &Exchange) -> (Status, String) {
    let challenges: Vec<_> = answer
        .headers_named("www-authenticate")
        .flat_map(parse_challenges)
        .collect();
    let Some(challenge) = challenges.first() else {
        return (
            Status::Fail,
            "GET /v2/ answered 401 without a WWW-Authenticate challenge: no client can tell how to log in".to_owned(),
        );
    };
    match &challenge.scheme {
        AuthScheme::Bearer => match challenge.param("realm") {
            Some(realm) => (
                Status::Pass,
                format!(
                    "Bearer tokens from {realm}{}; regscope fetches one per set of scopes and renews it",
                    challenge
                        .param("service")
                        .map(|s| format!(" (service {s})"))
                        .unwrap_or_default()
                ),
            ),
            None => (
                Status::Fail,
                "a Bearer challenge without a realm: no token can be fetched".to_owned(),
            ),
        },
        AuthScheme::Basic => (
            Status::Pass,
            format!(
                "Basic authentication (realm {}); regscope sends the credentials only to this origin",
                challenge.param("realm").unwrap_or("not named")
            ),
        ),
        AuthScheme::Other(scheme) => (
            Status::Fail,
            format!("a {scheme} challenge: regscope answers Basic and Bearer only"),
        ),
    }
}

#[derive(Deserialize)]
struct CatalogPage {
    #[serde(default)]
    repositories: Vec<String>,
}

/// The catalog's first page (one name), and its next page when it names
/// one; returns the check and the first repository found.
pub async fn catalog(prober: &Prober<'_>) -> (Check, Option<String>) {
    let first = prober.send(catalog_probe("/v2/_catalog?n=1")).await;
    let mut shown = vec![evidence(&first, &["link", "content-type"])];
    let page = match &first {
        Ok(x) if (200..300).contains(&x.status) => {
            serde_json::from_slice::<CatalogPage>(&x.body).ok()
        }
        _ => None,
    };
    let Some(page) = page else {
        let summary = match &first {
            Ok(x) if (200..300).contains(&x.status) => {
                "GET /v2/_catalog answered without a list of repositories".to_owned()
            }
            Ok(x) => format!(
                "no catalog (GET /v2/_catalog answered {}): `regscope ls` and `audit` cannot list this registry's repositories; name one",
                x.status
            ),
            Err(_) => "GET /v2/_catalog got no answer".to_owned(),
        };
        // The catalog is optional (GHCR and Docker Hub refuse it), so its
        // refusal warns; an error or a broken answer fails.
        let status = match &first {
            Ok(x) if matches!(x.status, 401 | 403 | 404 | 405) => Status::Warn,
            _ => Status::Fail,
        };
        return (
            Check::new(CheckId::Catalog, status, summary).evidence(shown),
            None,
        );
    };
    let first_repository = page.repositories.first().cloned();
    if page.repositories.len() > 1 {
        let summary = format!(
            "the catalog ignores n=1 ({} names in one answer); regscope lets the registry choose the page size, so nothing is missed",
            page.repositories.len()
        );
        return (
            Check::new(CheckId::Catalog, Status::Warn, summary).evidence(shown),
            first_repository,
        );
    }
    let next = match &first {
        Ok(x) => prober.store.next_page(x),
        Err(_) => Ok(None),
    };
    let (status, summary) = match next {
        Ok(Some(target)) => {
            let second = prober.send(catalog_probe(&target)).await;
            let works = second
                .as_ref()
                .is_ok_and(|x| (200..300).contains(&x.status));
            shown.push(evidence(&second, &["link"]));
            if works {
                (Status::Pass, "the catalog pages with n and Link".to_owned())
            } else {
                (
                    Status::Warn,
                    "the catalog's Link leads to a page that does not answer 200".to_owned(),
                )
            }
        }
        Ok(None) => (
            Status::Pass,
            format!(
                "the catalog lists {} (one page, no Link: nothing more to list)",
                first_repository.as_deref().unwrap_or("no repositories")
            ),
        ),
        Err(error) => (Status::Fail, format!("the catalog's Link: {error}")),
    };
    (
        Check::new(CheckId::Catalog, status, summary).evidence(shown),
        first_repository,
    )
}

fn catalog_probe(target: &str) -> Probe {
    Probe::new(Method::GET, target, vec![Scope::Catalog])
}

/// Headers in which registries report request budgets.
const RATE_LIMIT_HEADERS: &[&str] = &[
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "ratelimit-policy",
    "ratelimit",
    "docker-ratelimit-source",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "retry-after",
];

/// What the answers so far said about the request budget.
pub fn rate_limit(seen: &[Exchange]) -> Check {
    let reporting: Vec<&Exchange> = seen
        .iter()
        .filter(|x| RATE_LIMIT_HEADERS.iter().any(|h| x.header(h).is_some()) || x.status == 429)
        .collect();
    let Some(last) = reporting.last() else {
        return Check::new(
            CheckId::RateLimit,
            Status::Pass,
            format!(
                "none of {} answers reported a rate limit (no RateLimit or ratelimit-* headers, no 429)",
                seen.len()
            ),
        );
    };
    let limit = last
        .header("ratelimit-limit")
        .or_else(|| last.header("x-ratelimit-limit"));
    let remaining = last
        .header("ratelimit-remaining")
        .or_else(|| last.header("x-ratelimit-remaining"));
    let exhausted = last.status == 429 || remaining.is_some_and(|r| r.trim().starts_with('0'));
    let summary = format!(
        "the registry reports a budget: limit {}, remaining {}{}; regscope waits as Retry-After says, up to 15 s, and stops with the registry's word past that",
        limit.unwrap_or("not given"),
        remaining.unwrap_or("not given"),
        if exhausted { " (exhausted now)" } else { "" }
    );
    let shown: Vec<Evidence> = reporting
        .iter()
        .take(3)
        .map(|x| Evidence::of(x, RATE_LIMIT_HEADERS))
        .collect();
    let status = if exhausted {
        Status::Warn
    } else {
        Status::Pass
    };
    Check::new(CheckId::RateLimit, status, summary).evidence(shown)
}
