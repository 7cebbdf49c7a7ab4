//! Sigstore's `trusted_root.json` (the `TrustedRoot` message of
//! protobuf-specs, in its JSON form): transparency logs, certificate
//! authorities, CT logs and timestamp authorities, each with the window it
//! may be trusted in (`validFor`, start and end both inclusive).

use jiff::Timestamp;
use serde::Deserialize;

use super::keys::PublicKey;
use crate::document::statement::decode_base64;

/// When a key or an authority may be trusted: both ends inclusive; no end
/// means still trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidFor {
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
}

impl ValidFor {
    pub fn contains(&self, at: Timestamp) -> bool {
        self.start.is_none_or(|start| start <= at) && self.end.is_none_or(|end| at <= end)
    }

    /// "from 2021-01-12T11:53:27Z" or "from … to …".
    pub fn describe(&self) -> String {
        let start = self
            .start
            .map_or_else(|| "the beginning".to_owned(), |t| t.to_string());
        match self.end {
            Some(end) => format!("from {start} to {end}"),
            None => format!("from {start}"),
        }
    }
}

/// A transparency log (Rekor) or a certificate transparency log.
#[derive(Debug, Clone)]
pub struct Log {
    pub base_url: String,
    /// The log's id: SHA-256 of its key for Rekor v1 and CT, the signed
    /// note key hash for Rekor v2 (as the trusted root says).
    pub id: Vec<u8>,
    pub key: PublicKey,
    pub key_details: String,
    pub valid_for: ValidFor,
}

impl Log {
    /// The host of its base URL: a Rekor v2 checkpoint's origin.
    pub fn origin(&self) -> &str {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        rest.split(['/', ':']).next().unwrap_or(rest)
    }
}

/// A certificate authority or a timestamp authority: its chain as DER,
/// issuing (or signing) certificate first, root last.
#[derive(Debug, Clone)]
pub struct Authority {
    pub uri: String,
    pub chain: Vec<Vec<u8>>,
    pub valid_for: ValidFor,
}

/// A parsed trusted root and where it came from.
#[derive(Debug, Clone)]
pub struct TrustedRoot {
    /// Where it came from, for verdicts ("the public-good root shipped
    /// with regscope", a file name, a TUF cache path).
    pub source: String,
    pub tlogs: Vec<Log>,
    pub certificate_authorities: Vec<Authority>,
    pub ctlogs: Vec<Log>,
    pub timestamp_authorities: Vec<Authority>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRoot {
    media_type: Option<String>,
    #[serde(default)]
    tlogs: Vec<RawLog>,
    #[serde(default)]
    certificate_authorities: Vec<RawAuthority>,
    #[serde(default)]
    ctlogs: Vec<RawLog>,
    #[serde(default)]
    timestamp_authorities: Vec<RawAuthority>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLog {
    #[serde(default)]
    base_url: String,
    public_key: RawKey,
    log_id: RawLogId,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawKey {
    raw_bytes: String,
    #[serde(default)]
    key_details: String,
    valid_for: Option<RawValidFor>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLogId {
    key_id: String,
}

#[derive(Deserialize)]
struct RawValidFor {
    start: Option<String>,
    end: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAuthority {
    #[serde(default)]
    uri: String,
    cert_chain: RawChain,
    valid_for: Option<RawValidFor>,
}

#[derive(Deserialize)]
struct RawChain {
    certificates: Vec<RawCert>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCert {
    raw_bytes: String,
}

impl TrustedRoot {
    /// Reads a `trusted_root.json`; `source` names it in messages.
    pub fn from_json(source: &str, json: &[u8]) -> Result<TrustedRoot, String> {
        let raw: RawRoot = serde_json::from_slice(json)
            .map_err(|e| format!("{source} is not a trusted root: {e}"))?;
        if let Some(media_type) = &raw.media_type
            && !media_type.starts_with("application/vnd.dev.sigstore.trustedroot")
        {
            return Err(format!(
                "{source} is not a trusted root (media type {media_type})"
            ));
        }
        let logs = |list: Vec<RawLog>, what: &str| -> Result<Vec<Log>, String> {
            list.into_iter()
                .enumerate()
                .map(|(i, log)| read_log(log).map_err(|e| format!("{source}: {what} {i}: {e}")))
                .collect()
        };
        let authorities = |list: Vec<RawAuthority>, what: &str| -> Result<Vec<Authority>, String> {
            list.into_iter()
                .enumerate()
                .map(|(i, ca)| read_authority(ca).map_err(|e| format!("{source}: {what} {i}: {e}")))
                .collect()
        };
        Ok(TrustedRoot {
            source: source.to_owned(),
            tlogs: logs(raw.tlogs, "transparency log")?,
            certificate_authorities: authorities(
                raw.certificate_authorities,
                "certificate authority",
            )?,
            ctlogs: logs(raw.ctlogs, "CT log")?,
            timestamp_authorities: authorities(raw.timestamp_authorities, "timestamp authority")?,
        })
    }

    /// The transparency log with this id.
    pub fn tlog(&self, id: &[u8]) -> Option<&Log> {
        self.tlogs.iter().find(|log| log.id == id)
    }

    /// The CT log with this id.
    pub fn ctlog(&self, id: &[u8]) -> Option<&Log> {
        self.ctlogs.iter().find(|log| log.id == id)
    }

    /// The latest start of any window it lists: a root that adds a key or
    /// an authority starts a newer window, so the root with the later one
    /// is the newer copy of the same TUF target.
    pub fn newest_start(&self) -> Option<Timestamp> {
        let logs = self.tlogs.iter().chain(&self.ctlogs).map(|l| l.valid_for);
        let authorities = self
            .certificate_authorities
            .iter()
            .chain(&self.timestamp_authorities)
            .map(|a| a.valid_for);
        logs.chain(authorities).filter_map(|v| v.start).max()
    }
}

fn read_log(log: RawLog) -> Result<Log, String> {
    let der = decode_base64(&log.public_key.raw_bytes).ok_or("its key is not base64")?;
    let id = decode_base64(&log.log_id.key_id).ok_or("its log id is not base64")?;
    let key = PublicKey::from_spki_der(&der)?;
    // A v1 log's id is the hash of its key, a v2 log's its signed note
    // key hash: 32 bytes either way (the checkpoint key hint is its start).
    if id.len() != 32 {
        return Err(format!("its log id has {} bytes, not 32", id.len()));
    }
    Ok(Log {
        base_url: log.base_url,
        id,
        key,
        key_details: log.public_key.key_details,
        valid_for: read_valid_for(log.public_key.valid_for.as_ref())?,
    })
}

fn read_authority(ca: RawAuthority) -> Result<Authority, String> {
    let chain = ca
        .cert_chain
        .certificates
        .iter()
        .map(|c| decode_base64(&c.raw_bytes).ok_or("a certificate that is not base64"))
        .collect::<Result<Vec<_>, _>>()?;
    if chain.is_empty() {
        return Err("no certificates".to_owned());
    }
    Ok(Authority {
        uri: ca.uri,
        chain,
        valid_for: read_valid_for(ca.valid_for.as_ref())?,
    })
}

fn read_valid_for(raw: Option<&RawValidFor>) -> Result<ValidFor, String> {
    let time = |text: Option<&String>| -> Result<Option<Timestamp>, String> {
        text.map(|t| {
            t.parse::<Timestamp>()
                .map_err(|e| format!("validFor time {t:?}: {e}"))
        })
        .transpose()
    };
    Ok(ValidFor {
        start: time(raw.and_then(|r| r.start.as_ref()))?,
        end: time(raw.and_then(|r| r.end.as_ref()))?,
    })
}
