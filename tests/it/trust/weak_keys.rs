//! Weak RSA keys (issue 18's third forgery): a 512-bit and a 1024-bit key
//! sign `cosign generate`'s payload with openssl, `cosign attach
//! signature` attaches it (cosign refuses to import such keys), and
//! `audit --key` refuses the key file with a clear error, so nothing
//! verifies and the gate fails; a 2048-bit key made the same way verifies.

use std::ffi::OsStr;

use super::{Differential, openssl, sign_by_hand};
use crate::cli::regscope_output;
use crate::support::fixture::push_image;
use crate::support::{Cosign, Oras, Registry};

#[test]
fn weak_rsa_keys_are_refused() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let cosign = Cosign::v3();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut differential = Differential::default();
    for bits in [512, 1024, 2048] {
        let tag = format!("rsa{bits}");
        let reference = registry.reference(&format!("weak:{tag}"));
        let digest = push_image(&oras, d, &reference, &tag, "linux", &tag).0;
        let key = d.join(format!("{tag}.pem"));
        let public = d.join(format!("{tag}.pub"));
        let keygen = format!("rsa_keygen_bits:{bits}");
        let genpkey = ["genpkey", "-algorithm", "RSA", "-pkeyopt", &keygen, "-out"];
        let mut args: Vec<&OsStr> = genpkey.iter().map(OsStr::new).collect();
        args.push(key.as_os_str());
        openssl(&args);
        let pubout = ["pkey", "-pubout", "-in"].map(OsStr::new);
        openssl(
            &[
                &pubout[..],
                &[key.as_os_str(), "-out".as_ref(), public.as_os_str()],
            ]
            .concat(),
        );
        let image = registry.reference(&format!("weak@{digest}"));
        sign_by_hand(&cosign, d, &key, None, &image);

        let trusted_root = cosign.trusted_root();
        let cosign_says = cosign
            .output(&[
                "verify",
                "--key",
                public.to_str().unwrap(),
                "--insecure-ignore-tlog",
                "--allow-http-registry",
                "--new-bundle-format=false",
                "--trusted-root",
                trusted_root.to_str().unwrap(),
                &image,
            ])
            .status
            .success();
        let args = [
            "audit",
            &reference,
            "--format",
            "json",
            "--require",
            "verified",
            "--key",
        ];
        let out = regscope_output(d, &[&args[..], &[public.to_str().unwrap()]].concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        if bits < 2048 {
            assert!(!out.status.success());
            let said = format!("is a {bits}-bit RSA key: too weak (at least 2048 bits)");
            assert!(stderr.contains(&said), "{stderr}");
            assert!(out.stdout.is_empty(), "nothing audited with a weak key");
        } else {
            assert!(out.status.success(), "{stderr}");
        }
        differential.record(&tag, out.status.success(), cosign_says);
    }
    // cosign v3 accepts the 1024-bit key's signature; regscope refuses
    // keys under 2048 bits, as cosign refuses to import or generate them.
    differential.check(&["rsa1024"]);
}
