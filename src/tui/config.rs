//! The user's configuration: `regscope/config.toml` in the platform's config
//! dir, all optional. `[keys]` rebinds actions, `[colours]` recolours
//! artifact kinds, `download_dir` says where pulls go, `registries` lists
//! registries offered as copy destinations (`assets/config.sample.toml`
//! documents every key). A bad file is an
//! error naming its line, so a typo is never silently ignored.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ratatui::style::Color;

use super::keymap::KeyMap;
use crate::oci::media_type::ArtifactKind;
use crate::oci::reference::is_registry_name;
use crate::text::expand_home;

#[derive(Debug, Clone)]
pub struct Config {
    pub keymap: KeyMap,
    pub theme: Theme,
    pub download_dir: PathBuf,
    /// Registries the user works with (`registries = ["localhost:5000"]`),
    /// offered as copy destinations.
    pub registries: Vec<String>,
    /// Trust material the audit checks signatures with (`[trust]`, read
    /// by `audit::trust_config`, which `regscope audit` shares).
    pub trust: Vec<TrustEntry>,
    /// Where the file was looked for (shown in help).
    pub path: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub kinds: HashMap<ArtifactKind, Color>,
    pub accent: Color,
    pub error: Color,
}

impl Default for Theme {
    fn default() -> Theme {
        let kinds = [
            (ArtifactKind::Image, Color::Blue),
            (ArtifactKind::Index, Color::LightBlue),
            (ArtifactKind::Signature, Color::Green),
            (ArtifactKind::Sbom, Color::Yellow),
            (ArtifactKind::Attestation, Color::Magenta),
            (ArtifactKind::Provenance, Color::LightGreen),
            (ArtifactKind::Scan, Color::LightRed),
            (ArtifactKind::Document, Color::Cyan),
            (ArtifactKind::Chart, Color::LightMagenta),
            (ArtifactKind::Wasm, Color::LightYellow),
            (ArtifactKind::Other, Color::Gray),
        ]
        .into_iter()
        .collect();
        Theme {
            kinds,
            accent: Color::Cyan,
            error: Color::Red,
        }
    }
}

impl Theme {
    pub fn kind(&self, kind: ArtifactKind) -> Color {
        self.kinds.get(&kind).copied().unwrap_or(Color::Gray)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: line {line}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

pub use crate::audit::trust_config::TrustEntry;

impl Config {
    /// What `[trust]` gives for `repository` of `registry` (or for the
    /// registry as a whole).
    pub fn trust(
        &self,
        registry: &str,
        repository: Option<&str>,
    ) -> crate::audit::trust_config::TrustMaterial {
        crate::audit::trust_config::for_target(&self.trust, registry, repository)
    }

    /// The defaults, with downloads going to the current directory.
    pub fn defaults() -> Config {
        Config {
            keymap: KeyMap::defaults(),
            theme: Theme::default(),
            download_dir: PathBuf::from("."),
            registries: Vec::new(),
            trust: Vec::new(),
            path: None,
        }
    }

    /// `<config dir>/regscope/config.toml`, if the platform has a config dir.
    pub fn default_path() -> Option<PathBuf> {
        crate::audit::trust_config::config_path()
    }

    /// Loads the user's file when it exists; defaults otherwise.
    pub fn load() -> Result<Config, ConfigError> {
        let Some(path) = Config::default_path() else {
            return Ok(Config::defaults());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::from_text(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config {
                path: Some(path),
                ..Config::defaults()
            }),
            Err(e) => Err(ConfigError {
                path: path.display().to_string(),
                line: 0,
                message: e.to_string(),
            }),
        }
    }

    pub fn from_text(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let fail = |line: usize, message: String| ConfigError {
            path: path.display().to_string(),
            line,
            message,
        };
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(0, |span| line_of(text, span.start));
            fail(line, e.message().to_owned())
        })?;
        let mut config = Config {
            path: Some(path.to_owned()),
            ..Config::defaults()
        };
        for (key, value) in &table {
            let line = line_of_key(text, key);
            match (key.as_str(), value) {
                ("keys", toml::Value::Table(keys)) => {
                    config.keymap.merge(keys).map_err(|(name, message)| {
                        fail(line_of_key(text, &name).max(line), message)
                    })?;
                }
                ("colours" | "colors", toml::Value::Table(colours)) => {
                    for (name, colour) in colours {
                        let at = line_of_key(text, name);
                        let colour = colour
                            .as_str()
                            .and_then(|c| c.parse::<Color>().ok())
                            .ok_or_else(|| fail(at, format!("{name}: not a colour")))?;
                        config.set_colour(name, colour).map_err(|m| fail(at, m))?;
                    }
                }
                ("download_dir", toml::Value::String(dir)) => {
                    config.download_dir = expand_home(dir);
                }
                ("registries", toml::Value::Array(items)) => {
                    config.registries = items
                        .iter()
                        .map(|item| match item.as_str() {
                            Some(name) if is_registry_name(name) => Ok(name.to_owned()),
                            _ => Err(fail(
                                line,
                                format!("registries: {item} is not a registry name like \"localhost:5000\""),
                            )),
                        })
                        .collect::<Result<_, _>>()?;
                }
                ("trust", toml::Value::Table(entries)) => {
                    for (scope, value) in entries {
                        let at = line_of_key(text, scope).max(line);
                        config.trust.push(
                            crate::audit::trust_config::entry(scope, value)
                                .map_err(|m| fail(at, m))?,
                        );
                    }
                }
                _ => return Err(fail(line, format!("unknown or mistyped setting {key:?}"))),
            }
        }
        Ok(config)
    }

    fn set_colour(&mut self, name: &str, colour: Color) -> Result<(), String> {
        let kind = match name {
            "accent" => {
                self.theme.accent = colour;
                return Ok(());
            }
            "error" => {
                self.theme.error = colour;
                return Ok(());
            }
            "image" => ArtifactKind::Image,
            "index" => ArtifactKind::Index,
            "signature" => ArtifactKind::Signature,
            "sbom" => ArtifactKind::Sbom,
            "attestation" => ArtifactKind::Attestation,
            "provenance" => ArtifactKind::Provenance,
            "scan" => ArtifactKind::Scan,
            "doc" => ArtifactKind::Document,
            "chart" => ArtifactKind::Chart,
            "wasm" => ArtifactKind::Wasm,
            "artifact" => ArtifactKind::Other,
            _ => return Err(format!("unknown colour {name:?}")),
        };
        self.theme.kinds.insert(kind, colour);
        Ok(())
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(0, |before| before.matches('\n').count())
        + 1
}

/// The first line that sets `key` (good enough to point a person at it).
fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            let line = line.trim_start().trim_start_matches('[');
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(['=', ']']))
        })
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_line() {
        let path = Path::new("config.toml");
        let bad_syntax = "download_dir = \"/tmp\"\n[keys]\nquit = [\"q\"\n";
        let e = Config::from_text(bad_syntax, path).expect_err("bad toml");
        assert!(e.line >= 3, "{e}");
        let bad_action = "[keys]\nquit = \"x\"\nfly = \"f\"\n";
        let e = Config::from_text(bad_action, path).expect_err("bad action");
        assert_eq!(e.line, 3, "{e}");
        let bad_colour = "[colours]\nsbom = \"green\"\nsignature = \"sparkly\"\n";
        let e = Config::from_text(bad_colour, path).expect_err("bad colour");
        assert_eq!(e.line, 3, "{e}");
        assert!(e.to_string().starts_with("config.toml: line 3:"));
        let bad_registry = "download_dir = \".\"\nregistries = [\"ghcr.io/app\"]\n";
        let e = Config::from_text(bad_registry, path).expect_err("bad registry");
        assert_eq!(e.line, 2, "{e}");
    }

    #[test]
    fn the_sample_file_loads() {
        let text = include_str!("../../assets/config.sample.toml");
        let config = Config::from_text(text, Path::new("sample.toml")).expect("sample loads");
        assert_eq!(config.registries, ["localhost:5000", "ghcr.io"]);
        assert!(config.download_dir.ends_with("Downloads/regscope"));
    }

    #[test]
    fn a_good_file_applies() {
        let text = "download_dir = \"/tmp/x\"\nregistries = [\"localhost:5000\", \"ghcr.io\"]\n[colours]\nsbom = \"#ff0000\"\n[keys]\nquit = \"x\"\n";
        let config = Config::from_text(text, Path::new("c.toml")).expect("loads");
        assert_eq!(config.download_dir, PathBuf::from("/tmp/x"));
        assert_eq!(config.registries, ["localhost:5000", "ghcr.io"]);
        assert_eq!(config.theme.kind(ArtifactKind::Sbom), Color::Rgb(255, 0, 0));
        assert_eq!(config.keymap.hint(super::super::keymap::Action::Quit), "x");
    }
}
