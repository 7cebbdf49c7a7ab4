//! The trust material of `regscope audit`: what the flags give, and, for
//! each kind the flags leave out (keys, keyless, Notation), what the config
//! file's `[trust]` gives for the target (the TUI reads the same table).

use std::sync::Arc;

use color_eyre::eyre::{Result, WrapErr, eyre};

use super::audit::AuditArgs;
use crate::audit::trust_config::{self, TrustMaterial};
use crate::audit::{Keyless, Matcher, NotationTrust, TrustKey};
use crate::target::Spec;
use crate::text::escape_control;

pub(super) fn trust(args: &AuditArgs, spec: &Spec) -> Result<TrustMaterial> {
    let keys = args
        .keys
        .iter()
        .map(|path| TrustKey::from_file(path))
        .collect::<Result<Vec<_>, _>>()?;
    let keyless = keyless(args)?.map(Arc::new);
    let notation = args
        .notation_trust_store
        .as_deref()
        .map(NotationTrust::from_dir)
        .transpose()
        .map_err(|e| eyre!(e))?
        .map(Arc::new);
    let mut trust = TrustMaterial {
        keys,
        keyless,
        notation,
    };
    if args.no_config_trust {
        return Ok(trust);
    }
    let Some(path) = trust_config::config_path() else {
        return Ok(trust);
    };
    let entries = trust_config::load(&path).map_err(|e| eyre!(e))?;
    let (registry, repository) = match spec {
        Spec::Registry(reference) => (
            reference.registry.as_str(),
            Some(reference.repository.as_str()),
        ),
        Spec::RegistryOnly(registry) => (registry.as_str(), None),
        // A layout has no registry: only the "*" scope applies.
        Spec::Layout { .. } => ("", None),
    };
    let configured = trust_config::for_target(&entries, registry, repository);
    let mut used = Vec::new();
    if trust.keys.is_empty() && !configured.keys.is_empty() {
        trust.keys = configured.keys;
        used.push("keys");
    }
    if trust.keyless.is_none() && configured.keyless.is_some() {
        trust.keyless = configured.keyless;
        used.push("trusted root");
    }
    if trust.notation.is_none() && configured.notation.is_some() {
        trust.notation = configured.notation;
        used.push("Notation trust store");
    }
    if !used.is_empty() {
        eprintln!(
            "note: {} from [trust] of {} (--no-config-trust ignores it)",
            used.join(", "),
            escape_control(&path.display().to_string())
        );
    }
    if trust.keyless.is_some() {
        eprintln!(
            "note: keyless signatures are checked without a transparency log, signed timestamps or SCTs \\
             (like cosign --insecure-ignore-tlog --insecure-ignore-sct): certificates must be valid now"
        );
    }
    Ok(trust)
}

/// The keyless trust of `--trusted-root` and the identity flags: both an
/// identity and an issuer are needed, as cosign asks.
fn keyless(args: &AuditArgs) -> Result<Option<Keyless>> {
    let Some(path) = &args.trusted_root else {
        return Ok(None);
    };
    let matcher = |exact: &Option<String>, regexp: &Option<String>, what: &str| match (
        exact, regexp,
    ) {
        (Some(exact), _) => Ok(Matcher::Exact(exact.clone())),
        (None, Some(regexp)) => Matcher::regex(regexp).map_err(|e| eyre!("--{what}-regexp: {e}")),
        (None, None) => Err(eyre!(
            "--trusted-root needs --{what} or --{what}-regexp (what the signing certificate must name)"
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
    let json = std::fs::read(path).wrap_err_with(|| format!("cannot read {}", path.display()))?;
    let keyless = Keyless::from_json(&path.display().to_string(), &json, identity, issuer)
        .map_err(|e| eyre!(e))?;
    Ok(Some(keyless))
}
