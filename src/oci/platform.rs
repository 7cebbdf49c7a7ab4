//! A platform a person asks for (`--platform linux/arm64/v8`), and which
//! entry of an image index it picks: os and architecture must be equal, a
//! variant given must be equal too, and `arm64` without a variant matches
//! `arm64/v8` (the only arm64 variant in use), as containerd matches them.

use std::fmt;
use std::str::FromStr;

use super::Platform;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlatformSpec {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a platform: write os/arch[/variant], e.g. linux/amd64 or linux/arm/v7")]
pub struct PlatformParseError(pub String);

impl FromStr for PlatformSpec {
    type Err = PlatformParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = text.split('/').collect();
        let valid = |s: &str| {
            !s.is_empty()
                && !s.bytes().all(|b| b == b'.')
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
        };
        match parts.as_slice() {
            [os, arch] if valid(os) && valid(arch) => Ok(PlatformSpec {
                os: os.to_ascii_lowercase(),
                architecture: arch.to_ascii_lowercase(),
                variant: None,
            }),
            [os, arch, variant] if valid(os) && valid(arch) && valid(variant) => Ok(PlatformSpec {
                os: os.to_ascii_lowercase(),
                architecture: arch.to_ascii_lowercase(),
                variant: Some(variant.to_ascii_lowercase()),
            }),
            _ => Err(PlatformParseError(text.to_owned())),
        }
    }
}

impl fmt::Display for PlatformSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(variant) = &self.variant {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}

impl PlatformSpec {
    /// The platform this program runs on, in OCI's (Go's) words.
    pub fn host() -> PlatformSpec {
        let architecture = match std::env::consts::ARCH {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            "x86" => "386",
            "powerpc64" => "ppc64le",
            "loongarch64" => "loong64",
            other => other,
        };
        let variant = match architecture {
            "arm" => Some("v7".to_owned()),
            _ => None,
        };
        PlatformSpec {
            os: std::env::consts::OS.to_owned(),
            architecture: architecture.to_owned(),
            variant,
        }
    }

    /// Whether an index entry's platform is this one.
    pub fn matches(&self, platform: &Platform) -> bool {
        if !platform.os.eq_ignore_ascii_case(&self.os)
            || !platform
                .architecture
                .eq_ignore_ascii_case(&self.architecture)
        {
            return false;
        }
        let theirs = platform.variant.as_deref().map(str::to_ascii_lowercase);
        match (&self.variant, theirs.as_deref()) {
            (None, None) => true,
            (None, Some("v8")) if self.architecture == "arm64" => true,
            (None, Some(_)) => false,
            (Some(mine), theirs) => Some(mine.as_str()) == theirs,
        }
    }

    /// A directory name for this platform's files: `linux-arm64-v8`.
    pub fn dir_name(&self) -> String {
        self.to_string().replace('/', "-")
    }

    /// The spec that names an index entry's platform exactly.
    pub fn of(platform: &Platform) -> PlatformSpec {
        PlatformSpec {
            os: platform.os.clone(),
            architecture: platform.architecture.clone(),
            variant: platform.variant.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn platform(os: &str, arch: &str, variant: Option<&str>) -> Platform {
        Platform {
            os: os.into(),
            architecture: arch.into(),
            os_version: None,
            os_features: Vec::new(),
            variant: variant.map(Into::into),
            features: Vec::new(),
        }
    }

    #[test]
    fn parses_and_matches_like_containerd() {
        let arm64: PlatformSpec = "linux/arm64".parse().expect("spec");
        assert!(arm64.matches(&platform("linux", "arm64", None)));
        assert!(arm64.matches(&platform("linux", "arm64", Some("v8"))));
        assert!(!arm64.matches(&platform("linux", "amd64", None)));
        let armv7: PlatformSpec = "linux/arm/v7".parse().expect("spec");
        assert!(armv7.matches(&platform("linux", "arm", Some("v7"))));
        assert!(!armv7.matches(&platform("linux", "arm", Some("v6"))));
        assert_eq!(armv7.dir_name(), "linux-arm-v7");
        for bad in ["linux", "linux/", "/amd64", "a/b/c/d", "linux/../x", "all"] {
            assert!(bad.parse::<PlatformSpec>().is_err(), "{bad}");
        }
        assert!(!PlatformSpec::host().os.is_empty());
    }
}
