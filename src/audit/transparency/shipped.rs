//! The Sigstore public-good trusted root out of the box: the copy embedded
//! in the binary, or a newer one a Sigstore client on this machine fetched
//! through Sigstore's TUF repository (cosign's and sigstore-go's cache,
//! `$TUF_ROOT` or `~/.sigstore/root`; sigstore-python's under the user's
//! cache directory).
//!
//! The embedded copy is `trusted_root.json` as Sigstore's TUF repository
//! (`tuf-repo-cdn.sigstore.dev`) distributes it, taken from the sigstore
//! 4.5.1 wheel on PyPI (`sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.
//! sigstore.dev/trusted_root.json`, SHA-256 6494e21e…b0b66); its newest
//! window starts 2025-09-23 (the Rekor v2 log `log2025-1`).
//!
//! "Newer" is decided by what the roots list, not by file times: the root
//! whose latest `validFor.start` (of any log or authority) is later wins,
//! since Sigstore adds a key or an authority with a new window; on a tie
//! the embedded copy is used. A cached copy is trusted as the TUF client
//! that wrote it verified it; one that does not parse is passed over, with
//! a note.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::root::TrustedRoot;

/// The embedded `trusted_root.json`.
pub const PUBLIC_GOOD_JSON: &[u8] = include_bytes!("public_good_trusted_root.json");
const REPOSITORY_GO: &str = "tuf-repo-cdn.sigstore.dev";
const REPOSITORY_PYTHON: &str = "https%3A%2F%2Ftuf-repo-cdn.sigstore.dev";

/// The root chosen, and what was passed over on the way.
#[derive(Debug, Clone)]
pub struct RootChoice {
    pub root: TrustedRoot,
    pub notes: Vec<String>,
}

/// How verdicts name a public-good root: where it came from and its
/// newest window's start, `public-good (embedded, 2025-09-23)`.
fn public_good_name(origin: &str, root: &TrustedRoot) -> String {
    let newest = root.newest_start().map_or_else(
        || "no windows".to_owned(),
        |start| start.strftime("%Y-%m-%d").to_string(),
    );
    format!("public-good ({origin}, {newest})")
}

/// The embedded public-good root.
pub fn embedded() -> Result<TrustedRoot, String> {
    let mut root = TrustedRoot::from_json("the embedded public-good root", PUBLIC_GOOD_JSON)?;
    root.source = public_good_name("embedded", &root);
    Ok(root)
}

/// Where Sigstore clients cache the public-good `trusted_root.json`, given
/// the environment (`TUF_ROOT`, `HOME`, `XDG_CACHE_HOME`).
pub fn cache_paths(env: &dyn Fn(&str) -> Option<OsString>) -> Vec<(PathBuf, &'static str)> {
    let home = env("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    let mut paths = Vec::new();
    let go_cache = env("TUF_ROOT")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".sigstore/root")));
    if let Some(dir) = go_cache {
        let targets = dir.join(REPOSITORY_GO).join("targets/trusted_root.json");
        paths.push((targets, "cosign's TUF cache"));
        // cosign before 2.4 (sigstore/sigstore's TUF client) kept one
        // repository directly under the cache directory.
        paths.push((dir.join("targets/trusted_root.json"), "cosign's TUF cache"));
    }
    let cache = env("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".cache")));
    if let Some(dir) = cache {
        let path = dir
            .join("sigstore-python/tuf")
            .join(REPOSITORY_PYTHON)
            .join("trusted_root.json");
        paths.push((path, "sigstore-python's TUF cache"));
    }
    paths
}

/// The public-good root to verify with: the newest of the embedded copy
/// and the cached ones at `paths`.
pub fn choose(paths: &[(PathBuf, &str)]) -> Result<RootChoice, String> {
    let mut best = embedded()?;
    let mut notes = Vec::new();
    for (path, client) in paths {
        let Some(cached) = read_cached(path, client, &mut notes) else {
            continue;
        };
        if cached.newest_start() > best.newest_start() {
            notes.push(format!(
                "{} ({}) is newer than the embedded copy",
                cached.source,
                path.display()
            ));
            best = cached;
        }
    }
    Ok(RootChoice { root: best, notes })
}

/// `choose` over this process's environment.
pub fn public_good() -> Result<RootChoice, String> {
    choose(&cache_paths(&|name| std::env::var_os(name)))
}

/// The root chosen and the notes on why.
type SharedChoice = (Arc<TrustedRoot>, Vec<String>);

/// `public_good`, read once per process: every audit and verify of a
/// session shares it.
pub fn shared() -> Result<(Arc<TrustedRoot>, &'static [String]), String> {
    static CHOICE: OnceLock<Result<SharedChoice, String>> = OnceLock::new();
    match CHOICE.get_or_init(|| public_good().map(|c| (Arc::new(c.root), c.notes))) {
        Ok((root, notes)) => Ok((Arc::clone(root), notes.as_slice())),
        Err(e) => Err(e.clone()),
    }
}

fn read_cached(path: &Path, client: &str, notes: &mut Vec<String>) -> Option<TrustedRoot> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            notes.push(format!("cannot read {} ({client}): {e}", path.display()));
            return None;
        }
    };
    match TrustedRoot::from_json(&path.display().to_string(), &bytes) {
        Ok(mut root) => {
            root.source = public_good_name(client, &root);
            Some(root)
        }
        Err(e) => {
            notes.push(format!("passed over {} ({client}): {e}", path.display()));
            None
        }
    }
}
