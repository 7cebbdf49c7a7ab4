//! Following a redirect by hand: at most ten in a row, to an http or https
//! URL, and never from https down to plain http.

use reqwest::header::LOCATION;
use url::Url;

use super::Transport;
use crate::store::StoreError;
use crate::store::remote::response::redact;

const MAX_REDIRECTS: usize = 10;

impl Transport {
    /// Where the redirect `response` sends a request made to `from`, once
    /// it is checked; `redirects` counts this one.
    pub(super) fn redirect_target(
        &self,
        from: &Url,
        response: &reqwest::Response,
        redirects: usize,
        operation: &str,
    ) -> Result<Url, StoreError> {
        if redirects > MAX_REDIRECTS {
            return Err(StoreError::Protocol(format!(
                "{operation}: more than {MAX_REDIRECTS} redirects (last at {})",
                redact(from)
            )));
        }
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|l| l.to_str().ok())
            .ok_or_else(|| {
                StoreError::Protocol(format!("{operation}: a redirect without a Location"))
            })?;
        let target = from.join(location).map_err(|_| {
            StoreError::Protocol(format!("{operation}: a redirect to an invalid URL"))
        })?;
        let downgrade = from.scheme() == "https" && target.scheme() != "https";
        if downgrade || !matches!(target.scheme(), "http" | "https") {
            return Err(StoreError::Protocol(format!(
                "{operation}: refused a redirect from {} to {}",
                redact(from),
                redact(&target)
            )));
        }
        tracing::debug!(from = %redact(from), to = %redact(&target), "following redirect");
        Ok(target)
    }
}
