//! Checkpoints: a log's signed tree head as a signed note (C2SP
//! `signed-note` and `tlog-checkpoint`): origin, tree size and root hash,
//! then `— name base64(key hash ‖ signature)` lines. Rekor v1 signs with
//! ECDSA, its key hash the start of SHA-256 of its key; Rekor v2 (and
//! any log speaking plain signed notes) with Ed25519 or ECDSA under the
//! note key hash; witnesses add cosignatures (C2SP `tlog-cosignature`).

use jiff::Timestamp;

use super::keys::{PublicKey, sha256};
use crate::document::statement::decode_base64;

/// A checkpoint larger than this is not one (Go's note package caps notes
/// far below it).
const MAX_NOTE: usize = 1 << 20;
/// Go's note package refuses more signature lines than this.
const MAX_SIGNATURES: usize = 100;
/// Signature type bytes of the note key hash.
const ALG_ED25519: u8 = 0x01;
const ALG_COSIGNATURE_V1: u8 = 0x04;
const ALG_UNDEFINED: u8 = 0xff;

/// One signature line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    pub name: String,
    pub key_hash: [u8; 4],
    pub signature: Vec<u8>,
}

/// A parsed, not yet verified, checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root_hash: Vec<u8>,
    /// The signed text: every line up to the blank line, newline included.
    pub text: String,
    pub signatures: Vec<NoteSignature>,
}

impl Checkpoint {
    pub fn parse(note: &str) -> Result<Checkpoint, String> {
        if note.len() > MAX_NOTE {
            return Err("the checkpoint is larger than 1 MiB".to_owned());
        }
        let split = note
            .rfind("\n\n")
            .ok_or("the checkpoint has no blank line before its signatures")?;
        let (text, signature_lines) = (&note[..=split], &note[split + 2..]);
        if !signature_lines.ends_with('\n') {
            return Err("the checkpoint's signatures do not end with a newline".to_owned());
        }
        let signatures = signature_lines
            .lines()
            .map(parse_signature_line)
            .collect::<Result<Vec<_>, _>>()?;
        if signatures.is_empty() || signatures.len() > MAX_SIGNATURES {
            return Err(format!(
                "the checkpoint has {} signatures",
                signatures.len()
            ));
        }
        let mut lines = text.lines();
        let origin = lines
            .next()
            .filter(|o| !o.is_empty())
            .ok_or("no origin line")?;
        let size = lines
            .next()
            .and_then(|s| {
                s.parse::<u64>()
                    .ok()
                    .filter(|_| s.bytes().all(|b| b.is_ascii_digit()))
            })
            .ok_or("the checkpoint's second line is not a tree size")?;
        let root_hash = lines
            .next()
            .and_then(decode_base64)
            .filter(|h| h.len() == 32)
            .ok_or("the checkpoint's third line is not a 32-byte base64 root hash")?;
        Ok(Checkpoint {
            origin: origin.to_owned(),
            size,
            root_hash,
            text: text.to_owned(),
            signatures,
        })
    }

    /// Rekor v1: every signature line carrying the log key's hash must be
    /// the key's signature over the text, and there must be one.
    pub fn verify_rekor_v1(&self, key: &PublicKey) -> Result<(), String> {
        let hint = first4(&sha256(key.der()));
        self.verify_lines(|s| s.key_hash == hint, key)
    }

    /// A signed note by the log named `origin` (Rekor v2): the first line
    /// must be the origin, and a signature by `origin` with the note key
    /// hash of `key` must verify. Lines of other signers (witnesses) are
    /// left to `cosigned_by`.
    pub fn verify_note(&self, origin: &str, key: &PublicKey) -> Result<(), String> {
        if self.origin != origin {
            return Err(format!(
                "the checkpoint is from {:?}, not the log {origin:?}",
                self.origin
            ));
        }
        let hash = note_key_hash(origin, key);
        self.verify_lines(|s| s.name == origin && s.key_hash == hash, key)
    }

    fn verify_lines(
        &self,
        ours: impl Fn(&NoteSignature) -> bool,
        key: &PublicKey,
    ) -> Result<(), String> {
        let mut verified = false;
        for line in self.signatures.iter().filter(|s| ours(s)) {
            if !key.verify(self.text.as_bytes(), &line.signature) {
                return Err(format!(
                    "the checkpoint's signature by {} does not verify with the log's key",
                    line.name
                ));
            }
            verified = true;
        }
        if verified {
            Ok(())
        } else {
            Err("the checkpoint carries no signature by the log's key".to_owned())
        }
    }

    /// The time a witness named `name` with Ed25519 key `key` cosigned
    /// this checkpoint (C2SP `tlog-cosignature/v1`).
    pub fn cosigned_by(&self, name: &str, key: &[u8; 32]) -> Result<Timestamp, String> {
        let verifying = ed25519_dalek::VerifyingKey::from_bytes(key)
            .map_err(|e| format!("witness {name}: not an Ed25519 key: {e}"))?;
        let hash = key_hash(name, ALG_COSIGNATURE_V1, key);
        let line = self
            .signatures
            .iter()
            .find(|s| s.name == name && s.key_hash == hash)
            .ok_or_else(|| format!("no cosignature by {name}"))?;
        let (time, signature) = line
            .signature
            .split_at_checked(8)
            .filter(|(_, sig)| sig.len() == 64)
            .ok_or_else(|| format!("the cosignature by {name} is not 72 bytes"))?;
        let seconds = u64::from_be_bytes(time.try_into().map_err(|_| "time")?);
        let message = format!("cosignature/v1\ntime {seconds}\n{}", self.text);
        let signature = ed25519_dalek::Signature::from_slice(signature)
            .map_err(|e| format!("the cosignature by {name}: {e}"))?;
        verifying
            .verify_strict(message.as_bytes(), &signature)
            .map_err(|_| format!("the cosignature by {name} does not verify"))?;
        i64::try_from(seconds)
            .ok()
            .and_then(|s| Timestamp::from_second(s).ok())
            .ok_or_else(|| format!("the cosignature by {name} has an impossible time"))
    }
}

fn parse_signature_line(line: &str) -> Result<NoteSignature, String> {
    let rest = line
        .strip_prefix("\u{2014} ")
        .ok_or("a checkpoint signature line does not start with \"— \"")?;
    let (name, encoded) = rest
        .rsplit_once(' ')
        .filter(|(name, _)| !name.is_empty() && !name.contains(char::is_whitespace))
        .ok_or("a checkpoint signature line without a name")?;
    let bytes = decode_base64(encoded).ok_or("a checkpoint signature that is not base64")?;
    let (hash, signature) = bytes
        .split_at_checked(4)
        .filter(|(_, sig)| !sig.is_empty())
        .ok_or("a checkpoint signature shorter than its key hash")?;
    Ok(NoteSignature {
        name: name.to_owned(),
        key_hash: first4(hash),
        signature: signature.to_vec(),
    })
}

/// The note key hash of `key` as log `name` signs with it (what
/// rekor-tiles' `note.KeyHash` computes): Ed25519 hashes the name, the
/// type byte and the key; ECDSA its SubjectPublicKeyInfo alone; RSA the
/// name, 0xff, an algorithm label and its SubjectPublicKeyInfo.
pub fn note_key_hash(name: &str, key: &PublicKey) -> [u8; 4] {
    if let Some(raw) = key.ed25519_bytes() {
        key_hash(name, ALG_ED25519, &raw)
    } else if key.is_rsa() {
        let mut material = b"PKIX-RSA-PKCS#1v1.5".to_vec();
        material.extend_from_slice(key.der());
        key_hash(name, ALG_UNDEFINED, &material)
    } else {
        first4(&sha256(key.der()))
    }
}

fn key_hash(name: &str, alg: u8, key: &[u8]) -> [u8; 4] {
    let mut material = Vec::with_capacity(name.len() + 2 + key.len());
    material.extend_from_slice(name.as_bytes());
    material.push(b'\n');
    material.push(alg);
    material.extend_from_slice(key);
    first4(&sha256(&material))
}

fn first4(bytes: &[u8]) -> [u8; 4] {
    let mut out = [0; 4];
    out.copy_from_slice(&bytes[..4]);
    out
}
