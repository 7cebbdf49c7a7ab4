//! A test certificate authority made with the real `openssl`, shaped like
//! Sigstore's: a root, an intermediate that issues, and leaf certificates
//! carrying what Fulcio writes (a SAN identity, code signing, the OIDC
//! issuer in extensions 1.3.6.1.4.1.57264.1.1 and .1.8). Its
//! `trusted_root.json` names the intermediate and the root, as Sigstore's
//! trusted roots do. No Fulcio: the leaf's key is ours, imported into cosign.
//!
//! `issue` makes any certificate the attack fixtures need: issued by any
//! certificate of the CA (a leaf too), with any extensions, an RSA or P-256
//! key, and validity dates in the past (`openssl ca -startdate -enddate`).
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;

pub struct TestCa {
    dir: PathBuf,
    name: String,
}

/// A leaf certificate and its key.
pub struct Leaf {
    /// PKCS#8 PEM private key.
    pub key: PathBuf,
    /// The certificate (PEM).
    pub cert: PathBuf,
}

/// A certificate to issue.
pub struct Issue<'a> {
    pub name: &'a str,
    /// `/O=…/CN=…`.
    pub subject: &'a str,
    /// The issuing certificate's name in the CA (`root`, `inter`, a leaf).
    pub by: &'a str,
    /// Extension lines (`openssl x509v3_config`).
    pub extensions: String,
    /// `openssl genpkey` arguments for the key...
    pub key: &'a [&'a str],
    /// ...or an existing key (PEM) to certify again.
    pub reuse_key: Option<&'a Path>,
    /// `YYYYMMDDHHMMSSZ` not before and not after; `None`: today, one day.
    pub dates: Option<(&'a str, &'a str)>,
}

pub const P256: &[&str] = &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"];

pub fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

const ROOT: &str = "basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash";

const INTERMEDIATE: &str = "basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
extendedKeyUsage=codeSigning";

/// What `openssl ca` needs to sign with chosen dates.
const CA_CONFIG: &str = "[ca]
default_ca = ca_default
[ca_default]
database = index.txt
new_certs_dir = issued
serial = serial
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
[policy_any]
organizationName = optional
commonName = optional
";

/// The extensions Fulcio gives a leaf for `email` from `issuer`.
pub fn fulcio_extensions(email: &str, issuer: &str) -> String {
    let hex: String = issuer.bytes().map(|b| format!("{b:02x}")).collect();
    format!(
        "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=codeSigning
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
subjectAltName=critical,email:{email}
1.3.6.1.4.1.57264.1.1=DER:{hex}
1.3.6.1.4.1.57264.1.8=ASN1:UTF8String:{issuer}"
    )
}

impl TestCa {
    /// A root and an intermediate named `name`, in `dir/name`.
    pub fn new(dir: &Path, name: &str) -> TestCa {
        let dir = dir.join(name);
        fs::create_dir_all(dir.join("issued")).unwrap();
        fs::write(dir.join("ca.cnf"), CA_CONFIG).unwrap();
        fs::write(dir.join("index.txt"), "").unwrap();
        fs::write(dir.join("serial"), "1000\n").unwrap();
        fs::write(dir.join("ext.cnf"), format!("[v3_root]\n{ROOT}\n")).unwrap();
        let ca = TestCa {
            dir,
            name: name.to_owned(),
        };
        let d = &ca.dir;
        openssl(
            d,
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                "root.key",
            ],
        );
        let subject = format!("/O=regscope-test/CN={name} root");
        openssl(
            d,
            &[
                "req",
                "-x509",
                "-new",
                "-key",
                "root.key",
                "-subj",
                &subject,
                "-days",
                "30",
                "-out",
                "root.pem",
                "-extensions",
                "v3_root",
                "-config",
                "ext.cnf",
            ],
        );
        ca.issue(&Issue {
            name: "inter",
            subject: &format!("/O=regscope-test/CN={name} intermediate"),
            by: "root",
            extensions: INTERMEDIATE.to_owned(),
            key: P256,
            reuse_key: None,
            dates: None,
        });
        ca
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Makes `name.key` and `name.pem` as `issue` says.
    pub fn issue(&self, issue: &Issue<'_>) -> Leaf {
        let d = &self.dir;
        let name = issue.name;
        let section = format!("v3_{name}");
        let mut cnf = fs::read_to_string(d.join("ext.cnf")).unwrap();
        cnf.push_str(&format!("[{section}]\n{}\n", issue.extensions));
        fs::write(d.join("ext.cnf"), cnf).unwrap();
        let (key, csr, pem) = (
            format!("{name}.key"),
            format!("{name}.csr"),
            format!("{name}.pem"),
        );
        match issue.reuse_key {
            Some(existing) => {
                fs::copy(existing, d.join(&key)).unwrap();
            }
            None => {
                let mut genpkey = vec!["genpkey"];
                genpkey.extend(issue.key);
                genpkey.extend(["-out", &key]);
                openssl(d, &genpkey);
            }
        }
        openssl(
            d,
            &[
                "req",
                "-new",
                "-key",
                &key,
                "-subj",
                issue.subject,
                "-out",
                &csr,
            ],
        );
        let (by_pem, by_key) = (format!("{}.pem", issue.by), format!("{}.key", issue.by));
        match issue.dates {
            None => openssl(
                d,
                &[
                    "x509",
                    "-req",
                    "-in",
                    &csr,
                    "-CA",
                    &by_pem,
                    "-CAkey",
                    &by_key,
                    "-CAcreateserial",
                    "-days",
                    "1",
                    "-extfile",
                    "ext.cnf",
                    "-extensions",
                    &section,
                    "-out",
                    &pem,
                ],
            ),
            Some((start, end)) => openssl(
                d,
                &[
                    "ca",
                    "-batch",
                    "-config",
                    "ca.cnf",
                    "-in",
                    &csr,
                    "-cert",
                    &by_pem,
                    "-keyfile",
                    &by_key,
                    "-startdate",
                    start,
                    "-enddate",
                    end,
                    "-extfile",
                    "ext.cnf",
                    "-extensions",
                    &section,
                    "-notext",
                    "-out",
                    &pem,
                ],
            ),
        }
        Leaf {
            key: d.join(key),
            cert: d.join(pem),
        }
    }

    /// A leaf for `email`, from OIDC issuer `issuer`, as Fulcio shapes it.
    pub fn leaf(&self, name: &str, email: &str, issuer: &str) -> Leaf {
        self.issue(&Issue {
            name,
            subject: "/O=regscope-test",
            by: "inter",
            extensions: fulcio_extensions(email, issuer),
            key: P256,
            reuse_key: None,
            dates: None,
        })
    }

    /// The intermediate and the root, PEM (cosign's `--certificate-chain`).
    pub fn chain(&self) -> PathBuf {
        self.chain_of(&["inter", "root"])
    }

    /// The named certificates, PEM, in order.
    pub fn chain_of(&self, names: &[&str]) -> PathBuf {
        let path = self.dir.join(format!("chain-{}.pem", names.join("-")));
        let pem: String = names
            .iter()
            .map(|n| fs::read_to_string(self.dir.join(format!("{n}.pem"))).unwrap())
            .collect();
        fs::write(&path, pem).unwrap();
        path
    }

    pub fn der_base64(&self, name: &str) -> String {
        let pem = fs::read_to_string(self.dir.join(format!("{name}.pem"))).unwrap();
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        // Re-encode through the decoder: proves it is base64 DER.
        let der = base64::engine::general_purpose::STANDARD
            .decode(body)
            .expect("PEM body");
        base64::engine::general_purpose::STANDARD.encode(der)
    }

    /// A trusted root whose one certificate authority is this CA, and no
    /// transparency logs (what `--insecure-ignore-tlog` verification needs).
    pub fn trusted_root(&self) -> PathBuf {
        self.trusted_root_valid_for("trusted_root.json", "2020-01-01T00:00:00Z", None)
    }

    /// The same, the CA valid from `start` to `end` (RFC 3339).
    pub fn trusted_root_valid_for(&self, file: &str, start: &str, end: Option<&str>) -> PathBuf {
        let mut valid_for = serde_json::json!({ "start": start });
        if let Some(end) = end {
            valid_for["end"] = end.into();
        }
        let root = serde_json::json!({
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [], "ctlogs": [], "timestampAuthorities": [],
            "certificateAuthorities": [{
                "subject": {"organization": "regscope-test", "commonName": self.name},
                "uri": format!("https://{}.example", self.name),
                "certChain": {"certificates": [
                    {"rawBytes": self.der_base64("inter")},
                    {"rawBytes": self.der_base64("root")},
                ]},
                "validFor": valid_for,
            }],
        });
        let path = self.dir.join(file);
        fs::write(&path, serde_json::to_vec_pretty(&root).unwrap()).unwrap();
        path
    }
}
