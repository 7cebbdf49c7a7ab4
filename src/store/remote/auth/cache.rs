//! Bearer tokens kept per set of scopes, and the locks that make
//! concurrent requests for one set of scopes share a single token fetch.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;

use super::scope::ScopeSet;

/// A token is renewed this long before it expires, so a request does not
/// leave with a token that dies on the way.
const RENEW_MARGIN: Duration = Duration::from_secs(10);
/// Tokens kept per registry; a session browsing many repositories would
/// otherwise collect one per repository forever.
const MAX_TOKENS: usize = 256;

#[derive(Default)]
pub(super) struct TokenCache {
    tokens: Mutex<HashMap<ScopeSet, CachedToken>>,
    fetch_locks: Mutex<HashMap<ScopeSet, Arc<tokio::sync::Mutex<()>>>>,
}

struct CachedToken {
    header: HeaderValue,
    fetched_at: Instant,
    expires_at: Instant,
}

impl TokenCache {
    /// The longest-lived token covering `wanted` that is not about to
    /// expire and, when `fetched_after` is given, was fetched after it (an
    /// older one may be the token the registry just rejected).
    pub(super) fn find(
        &self,
        wanted: &ScopeSet,
        fetched_after: Option<Instant>,
    ) -> Option<HeaderValue> {
        let renew_after = Instant::now() + RENEW_MARGIN;
        self.tokens()
            .iter()
            .filter(|(granted, t)| {
                t.expires_at > renew_after
                    && fetched_after.is_none_or(|after| t.fetched_at >= after)
                    && granted.covers(wanted)
            })
            .max_by_key(|(_, t)| t.expires_at)
            .map(|(_, t)| t.header.clone())
    }

    pub(super) fn insert(&self, granted: ScopeSet, header: HeaderValue, lifetime: Duration) {
        let now = Instant::now();
        let mut tokens = self.tokens();
        tokens.retain(|_, t| t.expires_at > now);
        if tokens.len() >= MAX_TOKENS
            && let Some(soonest) = tokens
                .iter()
                .min_by_key(|(_, t)| t.expires_at)
                .map(|(k, _)| k.clone())
        {
            tokens.remove(&soonest);
        }
        tokens.insert(
            granted,
            CachedToken {
                header,
                fetched_at: now,
                // A lifetime too large for the clock means "long": the
                // registry's next 401 renews it anyway.
                expires_at: now.checked_add(lifetime).unwrap_or(now + RENEW_MARGIN * 2),
            },
        );
        drop(tokens);
        let mut locks = self.locks();
        if locks.len() > MAX_TOKENS {
            locks.retain(|_, lock| Arc::strong_count(lock) > 1);
        }
    }

    /// The lock to hold while fetching a token for `wanted`.
    pub(super) fn fetch_lock(&self, wanted: &ScopeSet) -> Arc<tokio::sync::Mutex<()>> {
        self.locks().entry(wanted.clone()).or_default().clone()
    }

    // Every change to these maps is a single insert or remove, so a panic
    // elsewhere while one was held leaves nothing half-done.
    fn tokens(&self) -> MutexGuard<'_, HashMap<ScopeSet, CachedToken>> {
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn locks(&self) -> MutexGuard<'_, HashMap<ScopeSet, Arc<tokio::sync::Mutex<()>>>> {
        self.fetch_locks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::remote::auth::Scope;

    fn scopes(list: &[Scope]) -> ScopeSet {
        ScopeSet::from_scopes(list)
    }

    fn header(text: &'static str) -> HeaderValue {
        HeaderValue::from_static(text)
    }

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn a_token_answers_for_any_scope_set_it_covers() {
        let cache = TokenCache::default();
        let push = scopes(&[Scope::Push("a".into()), Scope::Pull("b".into())]);
        cache.insert(push, header("Bearer wide"), MINUTE);
        let found = cache.find(&scopes(&[Scope::Pull("a".into())]), None);
        assert_eq!(found, Some(header("Bearer wide")));
        assert!(
            cache
                .find(&scopes(&[Scope::Delete("a".into())]), None)
                .is_none()
        );
        assert!(
            cache
                .find(&scopes(&[Scope::Push("b".into())]), None)
                .is_none()
        );
    }

    #[test]
    fn tokens_about_to_expire_are_renewed_not_reused() {
        let cache = TokenCache::default();
        let pull = scopes(&[Scope::Pull("a".into())]);
        cache.insert(pull.clone(), header("Bearer short"), Duration::from_secs(5));
        assert!(cache.find(&pull, None).is_none());
        cache.insert(pull.clone(), header("Bearer long"), MINUTE);
        assert_eq!(cache.find(&pull, None), Some(header("Bearer long")));
    }

    #[test]
    fn after_a_rejection_only_a_newer_token_answers() {
        let cache = TokenCache::default();
        let pull = scopes(&[Scope::Pull("a".into())]);
        cache.insert(pull.clone(), header("Bearer old"), MINUTE);
        let rejected_at = Instant::now();
        assert!(cache.find(&pull, Some(rejected_at)).is_none());
        cache.insert(pull.clone(), header("Bearer new"), MINUTE);
        assert_eq!(
            cache.find(&pull, Some(rejected_at)),
            Some(header("Bearer new"))
        );
    }

    #[test]
    fn the_cache_is_bounded_and_survives_absurd_lifetimes() {
        let cache = TokenCache::default();
        for i in 0..MAX_TOKENS + 10 {
            let set = scopes(&[Scope::Pull(format!("repo{i}"))]);
            cache.insert(set, header("Bearer t"), Duration::MAX);
        }
        assert_eq!(cache.tokens().len(), MAX_TOKENS);
        let last = scopes(&[Scope::Pull(format!("repo{}", MAX_TOKENS + 9))]);
        assert!(cache.find(&last, None).is_some());
    }

    #[test]
    fn one_lock_per_scope_set() {
        let cache = TokenCache::default();
        let a = cache.fetch_lock(&scopes(&[Scope::Pull("a".into())]));
        let again = cache.fetch_lock(&scopes(&[Scope::Pull("a".into())]));
        let b = cache.fetch_lock(&scopes(&[Scope::Pull("b".into())]));
        assert!(Arc::ptr_eq(&a, &again));
        assert!(!Arc::ptr_eq(&a, &b));
    }
}
