//! Severities: the five a summary counts, read from every spelling
//! scanners use, and the choice between a scanner's own severity and the
//! highest of the ratings a format lists.

use std::fmt;

/// Ordered: `Unknown` is below everything, as in `grype --fail-on`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    #[default]
    Unknown,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Unknown,
    ];

    /// Every scanner's word for one: Trivy's `HIGH`, Grype's `Negligible`
    /// (counted as low), CycloneDX's `info` and `none` (low too), GitHub's
    /// `moderate`. `None` for a word that is not a severity.
    pub fn parse(text: &str) -> Option<Severity> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "critical" => Severity::Critical,
            "high" | "important" => Severity::High,
            "medium" | "moderate" => Severity::Medium,
            "low" | "negligible" | "info" | "informational" | "none" | "minimal" => Severity::Low,
            "unknown" | "unspecified" | "" => Severity::Unknown,
            _ => return None,
        })
    }

    /// The CVSS v3 qualitative rating of a score (what GitHub does with
    /// SARIF's `security-severity`). A score outside 0..=10 says nothing.
    pub fn from_score(score: f64) -> Severity {
        if !(0.0..=10.0).contains(&score) {
            Severity::Unknown
        } else if score >= 9.0 {
            Severity::Critical
        } else if score >= 7.0 {
            Severity::High
        } else if score >= 4.0 {
            Severity::Medium
        } else {
            Severity::Low
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match Severity::parse(text) {
            Some(severity) if !text.trim().is_empty() => Ok(severity),
            _ => Err(format!(
                "unknown severity {text:?} (critical, high, medium, low, negligible, unknown)"
            )),
        }
    }
}

/// One rating a format lists for a vulnerability.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rated {
    /// Who rated it (`nvd`, `ghsa`, a distribution).
    pub source: Option<String>,
    /// The severity word, when the rating has one.
    pub severity: Option<String>,
    pub score: Option<f64>,
    /// `CVSSv31`, `CVSSv3`, `CVSSv2`, `other`.
    pub method: Option<String>,
}

impl Rated {
    /// Its severity: the word when there is one, else a CVSS score's
    /// rating. An EPSS probability or any other non-CVSS score is no
    /// severity at all.
    fn severity(&self) -> Option<Severity> {
        if let Some(severity) = self.severity.as_deref().and_then(Severity::parse) {
            return Some(severity);
        }
        let cvss = self
            .method
            .as_deref()
            .is_none_or(|m| m.to_ascii_lowercase().starts_with("cvss"));
        self.score.filter(|_| cvss).map(Severity::from_score)
    }

    fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(source) = &self.source {
            parts.push(source.clone());
        }
        if let Some(method) = &self.method {
            parts.push(method.clone());
        }
        if let Some(score) = self.score {
            parts.push(format!("{score}"));
        } else if let Some(severity) = &self.severity {
            parts.push(severity.clone());
        }
        parts.join(" ")
    }
}

/// The scanner's choice when there is one (`scanner`, with the word it
/// wrote), else the highest of `ratings` ("highest rating (nvd CVSSv31
/// 9.8)"), else unknown ("no rating").
pub fn choose(scanner: Option<&str>, ratings: &[Rated]) -> (Severity, String) {
    if let Some(severity) = scanner.and_then(Severity::parse) {
        return (severity, "scanner".to_owned());
    }
    let best = ratings
        .iter()
        .filter_map(|r| r.severity().map(|s| (s, r)))
        .max_by(|(a, ra), (b, rb)| {
            a.cmp(b).then(
                ra.score
                    .unwrap_or(0.0)
                    .partial_cmp(&rb.score.unwrap_or(0.0))
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
        });
    match best {
        Some((severity, rating)) => (
            severity,
            format!("highest rating ({})", rating.describe())
                .replace(" ()", "")
                .replace("()", ""),
        ),
        None => (Severity::Unknown, "no rating".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_spelling_and_orders_unknown_lowest() {
        assert_eq!(Severity::parse("HIGH"), Some(Severity::High));
        assert_eq!(Severity::parse("Negligible"), Some(Severity::Low));
        assert_eq!(Severity::parse("moderate"), Some(Severity::Medium));
        assert_eq!(Severity::parse("severe"), None);
        assert!(Severity::Unknown < Severity::Low && Severity::High < Severity::Critical);
        assert_eq!(Severity::from_score(9.8), Severity::Critical);
        assert_eq!(Severity::from_score(7.0), Severity::High);
        assert_eq!(Severity::from_score(5.3), Severity::Medium);
        assert_eq!(Severity::from_score(0.1), Severity::Low);
        assert_eq!(Severity::from_score(f64::NAN), Severity::Unknown);
        assert_eq!(Severity::from_score(42.0), Severity::Unknown);
        assert!("".parse::<Severity>().is_err());
        assert!("bad".parse::<Severity>().is_err());
    }

    #[test]
    fn the_scanner_wins_else_the_highest_rating_else_unknown() {
        let ratings = [
            Rated {
                source: Some("ubuntu".into()),
                severity: Some("low".into()),
                ..Rated::default()
            },
            Rated {
                source: Some("nvd".into()),
                score: Some(9.8),
                method: Some("CVSSv31".into()),
                ..Rated::default()
            },
            // EPSS is a probability, not a severity.
            Rated {
                source: Some("FIRST".into()),
                score: Some(0.97),
                method: Some("other".into()),
                ..Rated::default()
            },
        ];
        assert_eq!(
            choose(Some("MEDIUM"), &ratings),
            (Severity::Medium, "scanner".to_owned())
        );
        assert_eq!(
            choose(None, &ratings),
            (
                Severity::Critical,
                "highest rating (nvd CVSSv31 9.8)".to_owned()
            )
        );
        assert_eq!(
            choose(Some("whatever"), &ratings[2..]),
            (Severity::Unknown, "no rating".to_owned())
        );
    }
}
