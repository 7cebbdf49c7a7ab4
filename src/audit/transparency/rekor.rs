//! One transparency log entry checked against the trusted root: the log
//! it names must be in the root; its signed entry timestamp (Rekor v1)
//! must be the log's signature over the canonical JSON Rekor signs, at a
//! time within the log key's `validFor`; its inclusion proof must lead
//! from the entry to the root hash of a checkpoint the log signed; and its
//! body must record the signature being verified.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jiff::Timestamp;

use super::checkpoint::Checkpoint;
use super::evidence::{InclusionProof, TlogEntry};
use super::keys::hex;
use super::merkle::{leaf_hash, root_from_inclusion_proof};
use super::root::{Log, TrustedRoot};
use super::{Part, ProofError, Subject, TimeSource, VerifiedTime, body};

/// What one verified entry proves: always that the signature was logged;
/// a time only when the log signed it (a v1 signed entry timestamp).
#[derive(Debug, Clone)]
pub struct LoggedEntry {
    pub description: String,
    pub time: Option<VerifiedTime>,
}

pub fn verify_entry(
    entry: &TlogEntry,
    subject: &Subject<'_>,
    root: &TrustedRoot,
) -> Result<LoggedEntry, ProofError> {
    let log = root.tlog(&entry.log_id).ok_or_else(|| {
        ProofError::new(
            Part::LogEntry,
            format!(
                "entry {} is from a log the trusted root does not list (root {}, log id {})",
                entry.log_index,
                root.source,
                hex(&entry.log_id)
            ),
        )
    })?;
    let integrated = (entry.integrated_time != 0)
        .then(|| Timestamp::from_second(entry.integrated_time))
        .transpose()
        .map_err(|_| ProofError::new(Part::LogEntry, "an impossible integrated time"))?;
    if entry.signed_entry_timestamp.is_none() && entry.inclusion_proof.is_none() {
        return Err(ProofError::new(
            Part::LogEntry,
            format!(
                "entry {} has neither a signed entry timestamp nor an inclusion proof",
                entry.log_index
            ),
        ));
    }
    if let Some(set) = &entry.signed_entry_timestamp {
        verify_signed_entry_timestamp(entry, log, integrated, set)?;
    }
    match &entry.inclusion_proof {
        Some(proof) if entry.is_rekor_v2() => verify_v2_inclusion(entry, log, proof)?,
        Some(proof) => verify_v1_inclusion(entry, log, proof)?,
        None if entry.is_rekor_v2() => {
            return Err(ProofError::new(
                Part::InclusionProof,
                "a Rekor v2 entry without an inclusion proof",
            ));
        }
        None => {}
    }
    body::check(&entry.kind, &entry.version, &entry.body, subject)?;
    let description = format!("Rekor entry {} in {}", entry.log_index, log.base_url);
    // Only a signed entry timestamp makes the integrated time the log's
    // word; in an inclusion proof alone it is the bundle's.
    let time = match (integrated, &entry.signed_entry_timestamp) {
        (Some(at), Some(_)) => Some(VerifiedTime {
            at,
            source: TimeSource::RekorEntry {
                index: entry.log_index,
                log: log.base_url.clone(),
            },
        }),
        _ => None,
    };
    Ok(LoggedEntry { description, time })
}

/// The canonical JSON (RFC 8785: keys sorted, no spaces) of what Rekor v1
/// signs as the signed entry timestamp.
pub fn signed_entry_timestamp_payload(entry: &TlogEntry) -> String {
    let body = serde_json::Value::String(STANDARD.encode(&entry.body));
    format!(
        r#"{{"body":{body},"integratedTime":{},"logID":"{}","logIndex":{}}}"#,
        entry.integrated_time,
        hex(&entry.log_id),
        entry.log_index
    )
}

fn verify_signed_entry_timestamp(
    entry: &TlogEntry,
    log: &Log,
    integrated: Option<Timestamp>,
    set: &[u8],
) -> Result<(), ProofError> {
    let at = integrated.ok_or_else(|| {
        ProofError::new(
            Part::SignedEntryTimestamp,
            "a signed entry timestamp without an integrated time",
        )
    })?;
    if !log.valid_for.contains(at) {
        return Err(ProofError::new(
            Part::SignedEntryTimestamp,
            format!(
                "integrated time {at} is outside the window of {}'s key ({})",
                log.base_url,
                log.valid_for.describe()
            ),
        ));
    }
    if !log
        .key
        .verify(signed_entry_timestamp_payload(entry).as_bytes(), set)
    {
        return Err(ProofError::new(
            Part::SignedEntryTimestamp,
            format!(
                "the signed entry timestamp of entry {} is not {}'s signature over its body, integrated time, log index and log id",
                entry.log_index, log.base_url
            ),
        ));
    }
    Ok(())
}

/// The proof leads from the entry to `root_hash`, and the checkpoint the
/// log signed names that root hash and tree size.
fn verify_v1_inclusion(
    entry: &TlogEntry,
    log: &Log,
    proof: &InclusionProof,
) -> Result<(), ProofError> {
    let computed = computed_root(entry, proof)?;
    if computed.as_slice() != proof.root_hash {
        return Err(ProofError::new(
            Part::InclusionProof,
            format!(
                "the inclusion proof of entry {} does not lead to its root hash",
                entry.log_index
            ),
        ));
    }
    let checkpoint = signed_checkpoint(proof)?;
    checkpoint
        .verify_rekor_v1(&log.key)
        .map_err(|e| ProofError::new(Part::Checkpoint, e))?;
    if checkpoint.size != proof.tree_size || checkpoint.root_hash != proof.root_hash {
        return Err(ProofError::new(
            Part::Checkpoint,
            "the checkpoint signs another tree than the inclusion proof names",
        ));
    }
    Ok(())
}

/// Rekor v2: the checkpoint is a signed note by the log's origin; the
/// proof must lead to its root hash (the bundle's own `rootHash` is not
/// what is signed).
fn verify_v2_inclusion(
    entry: &TlogEntry,
    log: &Log,
    proof: &InclusionProof,
) -> Result<(), ProofError> {
    let checkpoint = signed_checkpoint(proof)?;
    checkpoint
        .verify_note(log.origin(), &log.key)
        .map_err(|e| ProofError::new(Part::Checkpoint, e))?;
    let signed_proof = InclusionProof {
        tree_size: checkpoint.size,
        ..proof.clone()
    };
    if computed_root(entry, &signed_proof)?.as_slice() != checkpoint.root_hash {
        return Err(ProofError::new(
            Part::InclusionProof,
            format!(
                "the inclusion proof of entry {} does not lead to the checkpoint's root hash",
                entry.log_index
            ),
        ));
    }
    Ok(())
}

fn computed_root(entry: &TlogEntry, proof: &InclusionProof) -> Result<[u8; 32], ProofError> {
    root_from_inclusion_proof(
        proof.log_index,
        proof.tree_size,
        leaf_hash(&entry.body),
        &proof.hashes,
    )
    .map_err(|e| ProofError::new(Part::InclusionProof, e))
}

fn signed_checkpoint(proof: &InclusionProof) -> Result<Checkpoint, ProofError> {
    let text = proof.checkpoint.as_deref().ok_or_else(|| {
        ProofError::new(Part::Checkpoint, "an inclusion proof without a checkpoint")
    })?;
    Checkpoint::parse(text).map_err(|e| ProofError::new(Part::Checkpoint, e))
}
