//! olareg's users and ACLs for the auth tests, written as its auth file,
//! and the bcrypt hashes both olareg and distribution's htpasswd read.

use std::process::Command;

use crate::support::tool;

/// One olareg ACL entry (see olareg `config/auth.go`). `repo` matches
/// exactly or, ending in `*`, by prefix (`"*"` matches everything, including
/// the `""` of `/v2/` pings); the longest matching entry wins. `access`:
/// `read`, `write`, `delete`, `*`. `members` are user or group names.
#[derive(Debug, Clone)]
pub struct OlaregAcl {
    pub repo: String,
    pub access: Vec<String>,
    pub members: Vec<String>,
    pub anonymous: bool,
}

impl OlaregAcl {
    pub fn new(repo: &str, access: &[&str], members: &[&str]) -> Self {
        OlaregAcl {
            repo: repo.to_string(),
            access: access.iter().map(|s| s.to_string()).collect(),
            members: members.iter().map(|s| s.to_string()).collect(),
            anonymous: false,
        }
    }
    /// Anonymous access to `repo`.
    pub fn anonymous(repo: &str, access: &[&str]) -> Self {
        OlaregAcl {
            repo: repo.to_string(),
            access: access.iter().map(|s| s.to_string()).collect(),
            members: Vec::new(),
            anonymous: true,
        }
    }
}

/// Users and per-repository access for olareg's `--auth-basic` and
/// `--auth-token-opaque` (one YAML file; passwords are bcrypt-hashed with
/// `olareg hash`).
#[derive(Debug, Clone, Default)]
pub struct OlaregAuth {
    pub users: Vec<(String, String)>,
    pub acls: Vec<OlaregAcl>,
}

impl OlaregAuth {
    /// One user with full access to every repository (and the `/v2/` ping).
    pub fn single_user(user: &str, pass: &str) -> Self {
        OlaregAuth {
            users: vec![(user.to_string(), pass.to_string())],
            acls: vec![OlaregAcl::new("*", &["*"], &[user])],
        }
    }
    pub fn user(mut self, user: &str, pass: &str) -> Self {
        self.users.push((user.to_string(), pass.to_string()));
        self
    }
    pub fn acl(mut self, acl: OlaregAcl) -> Self {
        self.acls.push(acl);
        self
    }

    pub(super) fn to_yaml(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap();
        let list = |v: &[String]| {
            let items: Vec<String> = v.iter().map(|s| q(s)).collect();
            format!("[{}]", items.join(", "))
        };
        let mut y = String::from("users:\n");
        for (user, pass) in &self.users {
            y.push_str(&format!("  {}:\n    cred: {}\n", q(user), q(&bcrypt(pass))));
        }
        y.push_str("acls:\n");
        for a in &self.acls {
            y.push_str(&format!(
                "  - repo: {}\n    access: {}\n    members: {}\n    anonymous: {}\n",
                q(&a.repo),
                list(&a.access),
                list(&a.members),
                a.anonymous
            ));
        }
        y
    }
}

/// A bcrypt hash of `pass` (made by `olareg hash`), good for olareg's auth
/// file and for distribution's htpasswd file alike.
pub fn bcrypt(pass: &str) -> String {
    let out = Command::new(tool("olareg"))
        .args(["hash", "--pass", pass])
        .output()
        .expect("run olareg hash");
    assert!(
        out.status.success(),
        "olareg hash failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}
