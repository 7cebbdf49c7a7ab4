//! `regscope audit` takes its trust material from the config file's
//! `[trust]` (the table the TUI reads) when no flag gives it: keys and a
//! keyless trusted root for one repository's scope verify what cosign v3
//! signed there; any trust flag means none of the file's material is used
//! (a key on the command line cannot let the file's trusted root verify);
//! `--no-config-trust` ignores the file; other repositories are untouched;
//! stderr says which material was used.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::support::fixture::push_image;
use crate::support::pki::{Leaf, TestCa};
use crate::support::{Cosign, CosignMode, Oras, Registry};

/// Runs regscope with `config` as `$XDG_CONFIG_HOME`.
fn regscope(dir: &Path, config: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regscope"))
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", config)
        .env("DOCKER_CONFIG", dir.join(".docker"))
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .output()
        .expect("run regscope")
}

/// tag → verification of an audit's JSON, and its stderr.
fn verdicts(out: &Output) -> (Vec<(String, String)>, String) {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let rows = json["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let tag = i["tags"][0].as_str().unwrap().to_owned();
            (tag, i["verification"].as_str().unwrap().to_owned())
        })
        .collect();
    (rows, stderr)
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[test]
fn the_cli_reads_trust_from_the_config_file_and_flags_replace_it() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let cosign = Cosign::v3();
    let stranger = Cosign::v2();
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(dir.path(), "ca");
    let root = ca.trusted_root();
    let leaf = ca.leaf("dev", "dev@example.com", "https://issuer.example");

    push_and_sign(&oras, &cosign, &registry, dir.path(), &leaf, &root);
    let scope = registry.reference("app");
    let config = write_config(dir.path(), &scope, &cosign, &root);

    let audit = |extra: &[&str]| {
        let mut args = vec!["audit", scope.as_str(), "--format", "json"];
        args.extend(extra);
        verdicts(&regscope(dir.path(), &config, &args))
    };
    let (rows, stderr) = audit(&[]);
    assert_eq!(
        rows,
        pairs(&[("keyed", "verified"), ("keyless", "verified")]),
        "{stderr}"
    );
    assert!(
        stderr.contains("trust material: keys ")
            && stderr.contains("(trusted root ")
            && stderr.contains("from [trust] "),
        "{stderr}"
    );

    // --key: the file's trusted root no longer counts either.
    let other = stranger.public_key();
    let (rows, stderr) = audit(&["--key", other.to_str().unwrap()]);
    assert_eq!(
        rows,
        pairs(&[("keyed", "failed"), ("keyless", "failed")]),
        "{stderr}"
    );
    assert!(
        stderr.contains("from the command line; the config file's [trust] is not used")
            && !stderr.contains("trusted root"),
        "{stderr}"
    );

    let (rows, _) = audit(&["--no-config-trust"]);
    assert_eq!(
        rows,
        pairs(&[("keyed", "unverified"), ("keyless", "unverified")])
    );

    // Another repository is outside the scope: no trust material, so its
    // unsigned image is unverified rather than failed.
    let other_repo = registry.reference("other");
    let out = regscope(
        dir.path(),
        &config,
        &["audit", &other_repo, "--format", "json"],
    );
    let (rows, stderr) = verdicts(&out);
    assert_eq!(rows, pairs(&[("v1", "unverified")]), "{stderr}");
}

/// `app:keyed` signed by cosign's key in a bundle, `app:keyless` by the
/// test CA's leaf; `other:v1` unsigned.
fn push_and_sign(
    oras: &Oras,
    cosign: &Cosign,
    registry: &Registry,
    dir: &Path,
    leaf: &Leaf,
    root: &Path,
) {
    let mut digests = std::collections::BTreeMap::new();
    for (tag, arch) in [("keyed", "amd64"), ("keyless", "arm64")] {
        let (digest, ..) = push_image(
            oras,
            dir,
            &registry.reference(&format!("app:{tag}")),
            tag,
            "linux",
            arch,
        );
        digests.insert(tag, digest);
    }
    push_image(
        oras,
        dir,
        &registry.reference("other:v1"),
        "other",
        "linux",
        "386",
    );
    let image = |tag: &str| registry.reference(&format!("app@{}", digests[tag]));
    cosign.sign(&image("keyed"), CosignMode::Bundle);
    let prefix = dir.join("leaf");
    cosign.run(&[
        "import-key-pair",
        "--key",
        leaf.key.to_str().unwrap(),
        "--output-key-prefix",
        prefix.to_str().unwrap(),
    ]);
    let signing_config = cosign.signing_config();
    cosign.run(&[
        "sign",
        "--key",
        &format!("{}.key", prefix.display()),
        "--certificate",
        leaf.cert.to_str().unwrap(),
        "--trusted-root",
        root.to_str().unwrap(),
        "--signing-config",
        signing_config.to_str().unwrap(),
        "--allow-http-registry",
        "--yes",
        &image("keyless"),
    ]);
}

/// A config file whose `[trust]` for `scope` names cosign's key and the
/// test CA's root and identity; its directory (`XDG_CONFIG_HOME`).
fn write_config(dir: &Path, scope: &str, cosign: &Cosign, root: &Path) -> PathBuf {
    let config = dir.join("config");
    fs::create_dir_all(config.join("regscope")).unwrap();
    fs::write(
        config.join("regscope").join("config.toml"),
        format!(
            "[trust.{scope:?}]\nkeys = [{key:?}]\ntrusted-root = {root:?}\n\
             certificate-identity = \"dev@example.com\"\n\
             certificate-oidc-issuer = \"https://issuer.example\"\n\
             insecure-ignore-tlog = true\ninsecure-ignore-sct = true\n",
            key = cosign.public_key().to_str().unwrap(),
            root = root.to_str().unwrap(),
        ),
    )
    .unwrap();
    config
}
