//! A test certificate authority made with the real `openssl`, shaped like
//! Sigstore's: a root, an intermediate that issues, and leaf certificates
//! carrying what Fulcio writes (a SAN identity, code signing, the OIDC
//! issuer in extensions 1.3.6.1.4.1.57264.1.1 and .1.8). Its
//! `trusted_root.json` names the intermediate and the root, as Sigstore's
//! trusted roots do. No Fulcio: the leaf's key is ours, imported into cosign.
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

fn openssl(dir: &Path, args: &[&str]) {
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

const EXTENSIONS: &str = "[v3_root]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[v3_inter]
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
extendedKeyUsage=codeSigning
";

impl TestCa {
    /// A root and an intermediate named `name`, in `dir/name`.
    pub fn new(dir: &Path, name: &str) -> TestCa {
        let dir = dir.join(name);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("ext.cnf"), EXTENSIONS).unwrap();
        let ca = TestCa {
            dir,
            name: name.to_owned(),
        };
        let d = &ca.dir;
        openssl(
            d,
            &[
                "ecparam",
                "-name",
                "prime256v1",
                "-genkey",
                "-noout",
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
        ca.issue(
            "inter",
            &format!("/O=regscope-test/CN={name} intermediate"),
            "root",
            "v3_inter",
        );
        ca
    }

    /// Makes `name.key` and `name.pem` signed by `by` with `extensions`.
    fn issue(&self, name: &str, subject: &str, by: &str, extensions: &str) {
        let d = &self.dir;
        let (key, csr, pem) = (
            format!("{name}.key"),
            format!("{name}.csr"),
            format!("{name}.pem"),
        );
        openssl(
            d,
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                &key,
            ],
        );
        openssl(
            d,
            &["req", "-new", "-key", &key, "-subj", subject, "-out", &csr],
        );
        openssl(
            d,
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                &format!("{by}.pem"),
                "-CAkey",
                &format!("{by}.key"),
                "-CAcreateserial",
                "-days",
                "1",
                "-extfile",
                "ext.cnf",
                "-extensions",
                extensions,
                "-out",
                &pem,
            ],
        );
    }

    /// A leaf for `email`, from OIDC issuer `issuer`, as Fulcio shapes it.
    pub fn leaf(&self, name: &str, email: &str, issuer: &str) -> Leaf {
        let hex: String = issuer.bytes().map(|b| format!("{b:02x}")).collect();
        let section = format!(
            "[v3_{name}]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=codeSigning
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
subjectAltName=critical,email:{email}
1.3.6.1.4.1.57264.1.1=DER:{hex}
1.3.6.1.4.1.57264.1.8=ASN1:UTF8String:{issuer}
"
        );
        let mut cnf = fs::read_to_string(self.dir.join("ext.cnf")).unwrap();
        cnf.push_str(&section);
        fs::write(self.dir.join("ext.cnf"), cnf).unwrap();
        self.issue(name, "/O=regscope-test", "inter", &format!("v3_{name}"));
        Leaf {
            key: self.dir.join(format!("{name}.key")),
            cert: self.dir.join(format!("{name}.pem")),
        }
    }

    /// The intermediate and the root, PEM (cosign's `--certificate-chain`).
    pub fn chain(&self) -> PathBuf {
        let path = self.dir.join("chain.pem");
        let mut pem = fs::read_to_string(self.dir.join("inter.pem")).unwrap();
        pem.push_str(&fs::read_to_string(self.dir.join("root.pem")).unwrap());
        fs::write(&path, pem).unwrap();
        path
    }

    fn der_base64(&self, name: &str) -> String {
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
                "validFor": {"start": "2020-01-01T00:00:00Z"},
            }],
        });
        let path = self.dir.join("trusted_root.json");
        fs::write(&path, serde_json::to_vec_pretty(&root).unwrap()).unwrap();
        path
    }
}
