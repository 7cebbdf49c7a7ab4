//! `regscope verify`: a verdict per signature, and an exit status a script
//! can gate on: 0 when at least one signature verifies, 1 when none does,
//! 2 on a usage or input error.
//!
//! - `verify IMAGE`: every signature attached to one image, in every form
//!   the audit knows (cosign's tags and referrers, Sigstore bundles,
//!   Notation), against the trust flags or the config file's `[trust]`.
//! - `verify --bundle FILE FILE_OR_DIGEST`: one Sigstore bundle, offline,
//!   against a file or a `sha256:<hex>` digest (`cosign verify-blob
//!   --bundle`): a message signature, or DSSE with an in-toto subject.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use color_eyre::eyre::{Result, WrapErr, eyre};

use super::audit_trust::{TrustArgs, trust};
use super::commands::print_stdout;
use super::verify_output::{bundle_json, bundle_text, image_json, image_text};
use crate::audit::run::{ImageRef, audit_image};
use crate::audit::verify::{Trust, verify_document};
use crate::graph::DiscoverOptions;
use crate::oci::Digest;
use crate::store::remote::ConnectOptions;
use crate::target::{Spec, open};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerifyFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The image (`REF`); with --bundle, the file the bundle signs, or its
    /// digest `sha256:<hex>` (`sha512:<hex>` for an in-toto subject).
    #[arg(value_name = "IMAGE|FILE|DIGEST")]
    pub target: String,
    /// A Sigstore bundle (JSON) to check offline against FILE or DIGEST,
    /// as `cosign verify-blob --bundle` does.
    #[arg(long, value_name = "BUNDLE")]
    pub bundle: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    pub format: VerifyFormat,
    #[command(flatten)]
    pub trust: TrustArgs,
}

/// How `verify` ended, when not with a verified signature: the exit status
/// `main` returns.
#[derive(Debug, thiserror::Error)]
pub enum Exit {
    /// Nothing verified (exit status 1).
    #[error("no signature verified")]
    NoneVerified,
    /// The arguments or the input could not be used (exit status 2).
    #[error("cannot verify {0}")]
    Input(String),
}

impl Exit {
    pub fn code(&self) -> u8 {
        match self {
            Exit::NoneVerified => 1,
            Exit::Input(_) => 2,
        }
    }
}

/// The largest bundle read.
const MAX_BUNDLE: u64 = 64 * 1024 * 1024;

pub(super) async fn run(args: VerifyArgs, connection: &ConnectOptions) -> Result<()> {
    let what = args.target.clone();
    let verified = match &args.bundle {
        Some(bundle) => verify_bundle(&args, bundle),
        None => verify_image(&args, connection).await,
    }
    .map_err(|report| report.wrap_err(Exit::Input(what)))?;
    if verified {
        Ok(())
    } else {
        Err(eyre!(Exit::NoneVerified))
    }
}

async fn verify_image(args: &VerifyArgs, connection: &ConnectOptions) -> Result<bool> {
    let spec = Spec::parse(&args.target)?;
    let material = trust(&args.trust, Some(&spec))?;
    if material.is_empty() {
        return Err(no_material());
    }
    let target = open(&spec, connection, false)?;
    let reference = target.require_reference()?.to_owned();
    let store = target.store.as_ref();
    let resolved = store
        .resolve(&target.repository, &reference)
        .await
        .wrap_err_with(|| format!("cannot resolve {}", args.target))?;
    let root = material.proof_root();
    let trust = Trust {
        keys: &material.keys,
        keyless: material.keyless.as_deref(),
        root: root.as_deref(),
        notation: material.notation.as_deref(),
        policy: material.policy,
        now: jiff::Timestamp::now(),
    };
    let tags = spec.tag().map(str::to_owned).into_iter().collect();
    let image = ImageRef {
        repository: &target.repository,
        digest: &resolved.digest,
        vulnerabilities: false,
    };
    let row = audit_image(store, image, tags, &DiscoverOptions::default(), trust).await;
    if let Some(error) = &row.error {
        return Err(eyre!("{error}"));
    }
    let text = match args.format {
        VerifyFormat::Text => image_text(&target.display_name, &row, &material.describe()),
        VerifyFormat::Json => image_json(&target.display_name, &row, &material.describe())?,
    };
    print_stdout(&text)?;
    Ok(row.verification.is_verified())
}

fn verify_bundle(args: &VerifyArgs, bundle: &std::path::Path) -> Result<bool> {
    let material = trust(&args.trust, None)?;
    if material.keys.is_empty() && material.keyless.is_none() {
        return Err(eyre!(
            "--bundle needs --key PUB, or --certificate-identity and --certificate-oidc-issuer (against the public-good root, or --trusted-root FILE)"
        ));
    }
    let bytes = read_limited(bundle, MAX_BUNDLE)?;
    let (digest, raw) = artifact(&args.target)?;
    let root = material.proof_root();
    let trust = Trust {
        keys: &material.keys,
        keyless: material.keyless.as_deref(),
        root: root.as_deref(),
        notation: None,
        policy: material.policy,
        now: jiff::Timestamp::now(),
    };
    let outcome = verify_document(&digest, raw.as_deref(), None, &bytes, trust);
    let name = bundle.display().to_string();
    let text = match args.format {
        VerifyFormat::Text => bundle_text(&name, &digest, &outcome),
        VerifyFormat::Json => bundle_json(&name, &digest, &outcome, &material.describe())?,
    };
    print_stdout(&text)?;
    Ok(outcome.is_ok())
}

/// The artifact a bundle signs: a `sha256:` or `sha512:` digest as given
/// (npm's provenance names its packages by SHA-512), or a file's SHA-256
/// (and its bytes, which Ed25519 signs whole, when small enough to keep).
fn artifact(target: &str) -> Result<(Digest, Option<Vec<u8>>)> {
    for (prefix, digits) in [("sha256:", 64), ("sha512:", 128)] {
        if let Some(hex) = target.strip_prefix(prefix) {
            if hex.len() == digits && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                let digest = target.to_ascii_lowercase().parse::<Digest>()?;
                return Ok((digest, None));
            }
            return Err(eyre!(
                "{target:?} is not a {} digest ({digits} hex digits)",
                prefix.trim_end_matches(':')
            ));
        }
    }
    let bytes = read_limited(std::path::Path::new(target), MAX_ARTIFACT)?;
    Ok((Digest::sha256_of(&bytes), Some(bytes)))
}

/// The largest file read as an artifact (it is read whole).
const MAX_ARTIFACT: u64 = 1024 * 1024 * 1024;

fn read_limited(path: &std::path::Path, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let file =
        std::fs::File::open(path).wrap_err_with(|| format!("cannot read {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .wrap_err_with(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > limit {
        return Err(eyre!("{} is larger than {limit} bytes", path.display()));
    }
    Ok(bytes)
}

fn no_material() -> color_eyre::Report {
    eyre!(
        "no trust material: give --key PUB, --certificate-identity and --certificate-oidc-issuer (keyless, against the public-good root or --trusted-root FILE), or --notation-trust-store DIR (or set [trust] in the config file)"
    )
}
