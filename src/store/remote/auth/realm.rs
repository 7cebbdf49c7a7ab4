//! Checking the token realm a registry names before anything is sent to it.
//!
//! A registry picks the realm, so a hostile one could point the client at
//! a plaintext URL, a `file:` URL, or a service on the user's own network
//! (cloud metadata at 169.254.169.254, a router). The rules follow
//! oras-go's fixes for GHSA-28r5-37g7-p6mp and GHSA-xf85-363p-868w: http(s)
//! only, no https→http downgrade, and no loopback, private or link-local IP
//! literal unless it is the registry's own host. A public token server on
//! another host stays allowed, since that is how Docker Hub works
//! (`auth.docker.io` for `registry-1.docker.io`).

use std::net::IpAddr;

use url::{Host, Url};

use crate::store::StoreError;

/// Parses and checks `realm` for a registry at `registry` (`host[:port]`)
/// spoken to over plain HTTP when `registry_is_http`.
pub(crate) fn validate_realm(
    realm: &str,
    registry: &str,
    registry_is_http: bool,
) -> Result<Url, StoreError> {
    let refuse = |why: &str| StoreError::Unauthorized {
        what: registry.to_owned(),
        detail: format!("refusing the registry's token realm: {why}"),
    };
    let url = Url::parse(realm).map_err(|_| refuse("it is not a URL"))?;
    match url.scheme() {
        "https" => {}
        "http" if registry_is_http => {}
        "http" => {
            return Err(refuse(
                "it is plain http while the registry is https (a downgrade)",
            ));
        }
        other => return Err(refuse(&format!("scheme {other:?} is not http(s)"))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse("it carries credentials of its own"));
    }
    let host = url.host().ok_or_else(|| refuse("it has no host"))?;
    let same_host = canonical_host(host_of(registry)) == canonical_host(&host_text(&host));
    if !same_host && is_local_address(&host) {
        return Err(refuse(&format!(
            "{} is a local or private address other than the registry's own host",
            host_text(&host)
        )));
    }
    Ok(url)
}

/// A realm as it may appear in messages and logs: no query, no user info.
pub(crate) fn redacted(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!("{}://{host}{port}{}", url.scheme(), url.path())
}

/// The host part of `host[:port]`, without brackets for IPv6.
fn host_of(registry: &str) -> &str {
    if let Some(rest) = registry.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    registry.split(':').next().unwrap_or(registry)
}

/// A host name for comparison: case and a trailing dot do not matter, and
/// `localhost`, `127.0.0.1` and `::1` name the same machine (a registry on
/// `localhost:5000` with its token server on `127.0.0.1:5001` is common).
fn canonical_host(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    match host.as_str() {
        "127.0.0.1" | "::1" | "[::1]" => "localhost".to_owned(),
        _ => host,
    }
}

fn host_text(host: &Host<&str>) -> String {
    match host {
        Host::Domain(name) => (*name).to_owned(),
        Host::Ipv4(ip) => ip.to_string(),
        Host::Ipv6(ip) => ip.to_string(),
    }
}

fn is_local_address(host: &Host<&str>) -> bool {
    let ip = match host {
        Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            return name == "localhost" || name.ends_with(".localhost");
        }
        Host::Ipv4(ip) => IpAddr::V4(*ip),
        Host::Ipv6(ip) => match ip.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(*ip),
        },
    };
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                // 100.64.0.0/10, carrier-grade NAT: still not the internet.
                || (v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link local
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(realm: &str, registry: &str, http: bool) -> bool {
        validate_realm(realm, registry, http).is_ok()
    }

    #[test]
    fn public_realms_on_other_hosts_are_normal() {
        assert!(ok(
            "https://auth.docker.io/token",
            "registry-1.docker.io",
            false
        ));
        assert!(ok("https://ghcr.io/token?x=1", "ghcr.io", false));
    }

    #[test]
    fn only_http_and_https_realms() {
        assert!(!ok("file:///etc/passwd", "ghcr.io", false));
        assert!(!ok("ftp://auth.example.io/token", "ghcr.io", false));
        assert!(!ok("not a url", "ghcr.io", false));
        assert!(!ok("https://user:pw@auth.example.io/t", "ghcr.io", false));
    }

    #[test]
    fn an_https_registry_is_never_downgraded() {
        assert!(!ok(
            "http://auth.example.io/token",
            "registry.example.io",
            false
        ));
        assert!(ok(
            "http://auth.example.io/token",
            "registry.example.io",
            true
        ));
        assert!(!ok("http://127.0.0.1:5000/token", "127.0.0.1:5000", false));
    }

    #[test]
    fn local_addresses_only_when_they_are_the_registry_itself() {
        assert!(ok("http://127.0.0.1:9999/token", "127.0.0.1:5000", true));
        assert!(ok("http://localhost:9/token", "localhost:5000", true));
        assert!(!ok("http://127.0.0.2:9999/token", "127.0.0.1:5000", true));
        assert!(!ok("https://169.254.169.254/latest", "ghcr.io", false));
        assert!(!ok("https://10.0.0.1/token", "ghcr.io", false));
        assert!(!ok("https://192.168.1.1/token", "ghcr.io", false));
        assert!(!ok("https://localhost/token", "ghcr.io", false));
        assert!(!ok("https://[::1]/token", "ghcr.io", false));
        assert!(!ok("https://[::ffff:127.0.0.1]/token", "ghcr.io", false));
        assert!(!ok("https://[fe80::1]/token", "ghcr.io", false));
        assert!(!ok("https://0.0.0.0/token", "ghcr.io", false));
        assert!(ok("https://[::1]:8443/token", "[::1]:5000", false));
        assert!(ok("https://10.1.2.3/token", "10.1.2.3:443", false));
        assert!(ok("http://127.0.0.1:5001/auth", "localhost:5000", true));
        assert!(ok("http://localhost:5001/auth", "127.0.0.1:5000", true));
        assert!(ok("http://LOCALHOST.:5001/auth", "[::1]:5000", true));
        assert!(!ok("http://127.0.0.2:5001/auth", "localhost:5000", true));
    }

    #[test]
    fn redaction_drops_query_and_user_info() {
        let url = Url::parse("https://u:p@auth.example.io:8443/token?sig=SECRET").expect("url");
        assert_eq!(redacted(&url), "https://auth.example.io:8443/token");
    }
}
