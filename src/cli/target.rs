//! Turning a command-line REF into a store, a repository and what to
//! resolve in it: `[REGISTRY/]REPO[:TAG][@DIGEST]` for a registry, or
//! `oci:DIR[:TAG][@DIGEST]` for an OCI image layout on disk.

use std::path::PathBuf;
use std::sync::Arc;

use color_eyre::eyre::{Result, WrapErr, eyre};

use super::ConnectionArgs;
use crate::oci::Reference;
use crate::oci::reference::is_registry_name;
use crate::store::SharedStore;
use crate::store::layout::LayoutStore;
use crate::store::remote::{ConnectOptions, RemoteStore};

const LAYOUT_PREFIX: &str = "oci:";

/// A parsed REF before any store is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    Registry(Reference),
    /// A registry alone (`localhost:5000`): for `ls` and the TUI.
    RegistryOnly(String),
    Layout {
        dir: PathBuf,
        tag: Option<String>,
        digest: Option<String>,
    },
}

impl Spec {
    pub fn parse(input: &str) -> Result<Spec> {
        if let Some(rest) = input.strip_prefix(LAYOUT_PREFIX) {
            return Ok(parse_layout(rest));
        }
        if is_registry_name(input) {
            return Ok(Spec::RegistryOnly(input.to_owned()));
        }
        let reference =
            Reference::parse(input).wrap_err_with(|| format!("invalid reference {input:?}"))?;
        Ok(Spec::Registry(reference))
    }

    /// `DIR[:TAG][@DIGEST]` as `--oci-layout` takes it.
    pub fn layout(input: &str) -> Spec {
        parse_layout(input)
    }

    /// The tag or digest asked for, if any (the digest wins).
    pub fn target(&self) -> Option<String> {
        match self {
            Spec::Registry(reference) => reference.has_target().then(|| reference.target()),
            Spec::RegistryOnly(_) => None,
            Spec::Layout { tag, digest, .. } => digest.clone().or_else(|| tag.clone()),
        }
    }

    pub fn tag(&self) -> Option<&str> {
        match self {
            Spec::Registry(reference) if reference.digest.is_none() => reference.tag.as_deref(),
            Spec::Layout {
                tag, digest: None, ..
            } => tag.as_deref(),
            _ => None,
        }
    }
}

fn parse_layout(rest: &str) -> Spec {
    let (path, digest) = match rest.rsplit_once('@') {
        Some((path, digest)) if digest.contains(':') => (path, Some(digest.to_owned())),
        _ => (rest, None),
    };
    // A colon after the last slash starts the tag.
    let last_slash = path.rfind('/').map_or(0, |i| i + 1);
    let (dir, tag) = match path[last_slash..].rfind(':') {
        Some(i) => (
            &path[..last_slash + i],
            Some(path[last_slash + i + 1..].to_owned()),
        ),
        None => (path, None),
    };
    Spec::Layout {
        dir: PathBuf::from(dir),
        tag: tag.filter(|t| !t.is_empty()),
        digest,
    }
}

/// An opened store and where in it the REF points.
#[derive(Debug, Clone)]
pub struct Target {
    pub store: SharedStore,
    /// Empty for a registry alone.
    pub repository: String,
    pub reference: Option<String>,
    /// How oras names the repository in output: `registry/repo`, or the
    /// layout directory.
    pub display_name: String,
}

impl Target {
    /// The tag or digest, or an error naming what is missing.
    pub fn require_reference(&self) -> Result<&str> {
        self.reference
            .as_deref()
            .ok_or_else(|| eyre!("{} needs a tag or digest", self.display_name))
    }
}

/// Opens the store a spec names. `create` makes a missing layout (a copy's
/// destination).
pub fn open(spec: &Spec, connection: &ConnectOptions, create: bool) -> Result<Target> {
    match spec {
        Spec::Registry(reference) => {
            let store = RemoteStore::new(&reference.registry, connection.clone())
                .wrap_err_with(|| format!("cannot connect to {}", reference.registry))?;
            Ok(Target {
                store: Arc::new(store),
                repository: reference.repository.clone(),
                reference: spec.target(),
                display_name: reference.name(),
            })
        }
        Spec::RegistryOnly(registry) => {
            let store = RemoteStore::new(registry, connection.clone())
                .wrap_err_with(|| format!("cannot connect to {registry}"))?;
            Ok(Target {
                store: Arc::new(store),
                repository: String::new(),
                reference: None,
                display_name: registry.clone(),
            })
        }
        Spec::Layout { dir, .. } => {
            let store = if create {
                LayoutStore::create(dir)
            } else {
                LayoutStore::open(dir)
            }
            .wrap_err_with(|| format!("cannot open the OCI layout {}", dir.display()))?;
            let repository = store.single_repository().unwrap_or_default().to_owned();
            Ok(Target {
                store: Arc::new(store),
                repository,
                reference: spec.target(),
                display_name: dir.display().to_string(),
            })
        }
    }
}

/// The password of `--password-stdin`: the first line of a pipe, or typed
/// at a terminal with echo off (nothing of it reaches the scrollback).
fn read_password() -> Result<String> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .wrap_err("cannot read the password from standard input")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    eprint!("Password: ");
    crossterm::terminal::enable_raw_mode().wrap_err("cannot turn terminal echo off")?;
    let typed = read_hidden_line();
    let _ = crossterm::terminal::disable_raw_mode();
    eprintln!();
    typed
}

/// Characters typed until Enter, in raw mode (no echo); Ctrl-C or Esc
/// gives up.
fn read_hidden_line() -> Result<String> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    let mut typed = String::new();
    loop {
        let Event::Key(key) = read().wrap_err("cannot read the password")? else {
            continue;
        };
        if key.kind == KeyEventKind::Release {
            continue;
        }
        match key.code {
            KeyCode::Enter => return Ok(typed),
            KeyCode::Esc => return Err(eyre!("no password given")),
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                return Err(eyre!("no password given"));
            }
            KeyCode::Backspace => {
                typed.pop();
            }
            KeyCode::Char(c) => typed.push(c),
            _ => {}
        }
    }
}

/// The connection flags as the store wants them; the password is read
/// once, here.
pub fn connect_options(args: &ConnectionArgs) -> Result<ConnectOptions> {
    let password = if args.password_stdin {
        Some(read_password()?)
    } else {
        None
    };
    if password.is_some() && args.username.is_none() {
        return Err(eyre!("--password-stdin needs --username"));
    }
    Ok(ConnectOptions {
        plain_http: args.plain_http,
        ca_file: args.ca_file.clone(),
        insecure: args.insecure,
        username: args.username.clone(),
        password,
        ..ConnectOptions::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_layouts_and_registries() {
        assert_eq!(
            Spec::parse("oci:./out:v1").expect("layout"),
            Spec::Layout {
                dir: PathBuf::from("./out"),
                tag: Some("v1".into()),
                digest: None
            }
        );
        let digest = format!("sha256:{}", "a".repeat(64));
        assert_eq!(
            Spec::parse(&format!("oci:/tmp/x@{digest}")).expect("layout"),
            Spec::Layout {
                dir: PathBuf::from("/tmp/x"),
                tag: None,
                digest: Some(digest)
            }
        );
        assert_eq!(
            Spec::parse("localhost:5000").expect("registry"),
            Spec::RegistryOnly("localhost:5000".into())
        );
        let spec = Spec::parse("localhost:5000/net-monitor:v1").expect("ref");
        assert_eq!(spec.target().as_deref(), Some("v1"));
        assert_eq!(spec.tag(), Some("v1"));
        assert!(Spec::parse("localhost:5000/UPPER").is_err());
    }
}
