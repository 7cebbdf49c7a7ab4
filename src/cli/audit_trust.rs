//! The trust material of `regscope audit` and `regscope verify`: the flags,
//! or, when no trust flag is given, what the config file's `[trust]` gives
//! for the target (the TUI reads the same table). Never a mix: a key on the
//! command line must not let a trusted root from the file count towards
//! `--require verified`. stderr says which material was used.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use color_eyre::eyre::{Result, WrapErr, eyre};

use crate::audit::transparency::{TrustedRoot, shipped};
use crate::audit::trust_config::{self, TrustMaterial};
use crate::audit::{Keyless, Matcher, NotationTrust, TimePolicy, TrustKey};
use crate::target::Spec;
use crate::text::escape_control;

/// The trust flags, shared by `audit` and `verify`.
#[derive(Debug, Clone, Default, Args)]
pub struct TrustArgs {
    /// A public key (PEM: ECDSA P-256/P-384, Ed25519, RSA of 2048 bits or
    /// more) to check signatures with, offline; may be repeated.
    #[arg(long = "key", value_name = "PUBKEY")]
    pub keys: Vec<PathBuf>,
    /// A Sigstore trusted root (`trusted_root.json`) instead of the
    /// public-good one: its certificate authorities accept keyless
    /// certificates, its logs and timestamp authorities vouch for the
    /// time. With --key and no identity, it only checks the key-signed
    /// signatures' log entries and timestamps.
    #[arg(long, value_name = "FILE", help_heading = "Keyless signatures")]
    pub trusted_root: Option<PathBuf>,
    /// The identity (SAN e-mail, URI or DNS name) the signing certificate
    /// must name.
    #[arg(
        long,
        value_name = "IDENTITY",
        conflicts_with = "certificate_identity_regexp",
        help_heading = "Keyless signatures"
    )]
    pub certificate_identity: Option<String>,
    /// A regular expression the identity must match (unanchored, as
    /// cosign's: anchor it with ^…$).
    #[arg(long, value_name = "REGEX", help_heading = "Keyless signatures")]
    pub certificate_identity_regexp: Option<String>,
    /// The OIDC issuer the certificate must name (Fulcio's extension).
    #[arg(
        long,
        value_name = "URL",
        conflicts_with = "certificate_oidc_issuer_regexp",
        help_heading = "Keyless signatures"
    )]
    pub certificate_oidc_issuer: Option<String>,
    /// A regular expression the OIDC issuer must match (unanchored).
    #[arg(long, value_name = "REGEX", help_heading = "Keyless signatures")]
    pub certificate_oidc_issuer_regexp: Option<String>,
    /// Check keyless certificates against the current time when no
    /// transparency log entry or timestamp verifies (as cosign's flag):
    /// the verdict says what was skipped.
    #[arg(long, help_heading = "Keyless signatures")]
    pub insecure_ignore_tlog: bool,
    /// Accept keyless certificates without checking their signed
    /// certificate timestamps (as cosign's flag): the verdict says so.
    #[arg(long, help_heading = "Keyless signatures")]
    pub insecure_ignore_sct: bool,
    /// Fail every signature without a verified transparency log entry or
    /// timestamp, key-signed ones too.
    #[arg(long, conflicts_with = "insecure_ignore_tlog")]
    pub require_tlog: bool,
    /// A Notation trust store: a directory of CA certificates (PEM; its
    /// subdirectories too, so notation's `truststore/x509/ca` works).
    #[arg(long, value_name = "DIR")]
    pub notation_trust_store: Option<PathBuf>,
    /// Use only the trust material given as flags, never the config file's
    /// `[trust]` (any trust flag already means that).
    #[arg(long)]
    pub no_config_trust: bool,
}

impl TrustArgs {
    /// Whether any flag gives trust material (the time flags apply to
    /// whichever material is used).
    fn any(&self) -> bool {
        !self.keys.is_empty()
            || self.trusted_root.is_some()
            || self.notation_trust_store.is_some()
            || self.certificate_identity.is_some()
            || self.certificate_identity_regexp.is_some()
            || self.certificate_oidc_issuer.is_some()
            || self.certificate_oidc_issuer_regexp.is_some()
    }

    fn policy(&self) -> TimePolicy {
        TimePolicy {
            insecure_ignore_tlog: self.insecure_ignore_tlog,
            insecure_ignore_sct: self.insecure_ignore_sct,
            require_tlog: self.require_tlog,
        }
    }
}

/// The material for `spec`: the flags', or the config file's when no trust
/// flag is given. Says on stderr which one, and warns of unanchored
/// regular expressions.
pub(super) fn trust(args: &TrustArgs, spec: Option<&Spec>) -> Result<TrustMaterial> {
    if args.any() || args.no_config_trust {
        let material = from_flags(args)?;
        if !material.is_empty() {
            eprintln!(
                "trust material: {} (from the command line; the config file's [trust] is not used)",
                escape_control(&material.describe())
            );
        }
        return Ok(material);
    }
    let Some(path) = trust_config::config_path() else {
        return Ok(TrustMaterial::default());
    };
    let entries = trust_config::load(&path).map_err(|e| eyre!(e))?;
    let (registry, repository) = match spec {
        Some(Spec::Registry(reference)) => (
            reference.registry.as_str(),
            Some(reference.repository.as_str()),
        ),
        Some(Spec::RegistryOnly(registry)) => (registry.as_str(), None),
        // A layout has no registry: only the "*" scope applies.
        Some(Spec::Layout { .. }) | None => ("", None),
    };
    let mut material = trust_config::for_target(&entries, registry, repository);
    material.policy.insecure_ignore_tlog |= args.insecure_ignore_tlog;
    material.policy.insecure_ignore_sct |= args.insecure_ignore_sct;
    material.policy.require_tlog |= args.require_tlog;
    if material.policy.insecure_ignore_tlog && material.policy.require_tlog {
        return Err(eyre!(
            "--require-tlog and insecure-ignore-tlog (from the config file or the flags) contradict each other"
        ));
    }
    for warning in &material.warnings {
        eprintln!("{}", escape_control(warning));
    }
    if !material.is_empty() {
        eprintln!(
            "trust material: {} (from [trust] {} of {}; a trust flag or --no-config-trust ignores it)",
            escape_control(&material.describe()),
            escape_control(&material.scopes.join(", ")),
            escape_control(&path.display().to_string())
        );
    }
    Ok(material)
}

fn from_flags(args: &TrustArgs) -> Result<TrustMaterial> {
    let keys = args
        .keys
        .iter()
        .map(|path| TrustKey::from_file(path))
        .collect::<Result<Vec<_>, _>>()?;
    let root = args.trusted_root.as_deref().map(read_root).transpose()?;
    let keyless = keyless(args, root.clone())?.map(Arc::new);
    if root.is_some() && keyless.is_none() && keys.is_empty() {
        return Err(eyre!(
            "--trusted-root needs --certificate-identity and --certificate-oidc-issuer (keyless signatures), or --key (its logs then check the key-signed signatures' proofs)"
        ));
    }
    let notation = args
        .notation_trust_store
        .as_deref()
        .map(NotationTrust::from_dir)
        .transpose()
        .map_err(|e| eyre!(e))?
        .map(Arc::new);
    Ok(TrustMaterial {
        keys,
        root: root.filter(|_| keyless.is_none()),
        keyless,
        notation,
        policy: args.policy(),
        ..TrustMaterial::default()
    })
}

fn read_root(path: &std::path::Path) -> Result<Arc<TrustedRoot>> {
    let json = std::fs::read(path).wrap_err_with(|| format!("cannot read {}", path.display()))?;
    let root = TrustedRoot::from_json(&path.display().to_string(), &json).map_err(|e| eyre!(e))?;
    Ok(Arc::new(root))
}

/// The keyless trust of the identity flags (both an identity and an
/// issuer, as cosign asks), against `root` or else the public-good root;
/// `None` without identity flags.
fn keyless(args: &TrustArgs, root: Option<Arc<TrustedRoot>>) -> Result<Option<Keyless>> {
    let identity_given = args.certificate_identity.is_some()
        || args.certificate_identity_regexp.is_some()
        || args.certificate_oidc_issuer.is_some()
        || args.certificate_oidc_issuer_regexp.is_some();
    if !identity_given {
        return Ok(None);
    }
    let matcher = |exact: &Option<String>, regexp: &Option<String>, what: &str| match (
        exact, regexp,
    ) {
        (Some(exact), _) => Ok(Matcher::Exact(exact.clone())),
        (None, Some(regexp)) => {
            let matcher = Matcher::regex(regexp).map_err(|e| eyre!("--{what}-regexp: {e}"))?;
            if let Some(warning) = matcher.unanchored_warning(&format!("--{what}-regexp")) {
                eprintln!("{}", escape_control(&warning));
            }
            Ok(matcher)
        }
        (None, None) => Err(eyre!(
            "keyless verification needs --{what} or --{what}-regexp (what the signing certificate must name)"
        )),
    };
    let identity = matcher(
        &args.certificate_identity,
        &args.certificate_identity_regexp,
        "certificate-identity",
    )?;
    let issuer = matcher(
        &args.certificate_oidc_issuer,
        &args.certificate_oidc_issuer_regexp,
        "certificate-oidc-issuer",
    )?;
    let root = match root {
        Some(root) => root,
        None => public_good()?,
    };
    let keyless = Keyless::new(root, identity, issuer).map_err(|e| eyre!(e))?;
    Ok(Some(keyless))
}

/// The public-good root (the TUF cache's copy when newer than the
/// embedded one); stderr says which and why.
fn public_good() -> Result<Arc<TrustedRoot>> {
    let (root, notes) = shipped::shared().map_err(|e| eyre!(e))?;
    for note in notes {
        eprintln!("{}", escape_control(note));
    }
    Ok(root)
}
