//! A registry client over reqwest, speaking the distribution spec.

use std::path::PathBuf;

/// How to connect to a registry; the same flags as `oras` and `regctl`.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// Speak plain HTTP (also the default for loopback hosts).
    pub plain_http: bool,
    /// A PEM file of extra CA certificates.
    pub ca_file: Option<PathBuf>,
    /// Skip TLS verification (loudly).
    pub insecure: bool,
    pub username: Option<String>,
    pub password: Option<String>,
}
