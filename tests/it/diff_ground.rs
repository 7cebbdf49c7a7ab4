//! The ground for the diff tests: two images built from real trees on a
//! shared base layer, their configs, pushing them with oras, and the trees
//! unpacked with `tar`, whiteouts applied, and diffed on disk: what the
//! files diff must equal.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::files::sh;
use crate::support::{Oras, Registry, sha256_digest};

pub(crate) const LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
const CONFIG: &str = "application/vnd.oci.image.config.v1+json";

/// The layers: a shared base, the left's own layer, and the right's two.
pub(crate) struct Trees {
    pub base: PathBuf,
    pub left: PathBuf,
    pub right: Vec<PathBuf>,
}

pub(crate) fn make_trees(work: &Path) -> Trees {
    sh(
        work,
        r#"set -e
        mkdir -p base/etc base/usr/bin base/tmp base/var/cache
        printf 'hello\n' > base/etc/motd
        printf 'NAME=test\n' > base/etc/os-release
        head -c 70000 /dev/urandom > base/usr/bin/tool
        chmod 755 base/usr/bin/tool
        echo junk > base/tmp/junk
        echo old > base/var/cache/old
        ln -s motd base/etc/greeting
        mkdir -p left/app
        printf 'server v1\n' > left/app/server
        chmod 755 left/app/server
        echo 'mode: prod' > left/app/config.yml
        mkdir -p right/app right/etc right/tmp right/usr/bin
        printf 'server v2\n' > right/app/server
        chmod 755 right/app/server
        echo 'brand new' > right/app/new.txt
        touch right/etc/.wh.motd right/tmp/.wh..wh..opq
        echo fresh > right/tmp/fresh
        cp base/usr/bin/tool right/usr/bin/tool
        chmod 4755 right/usr/bin/tool
        ln -s os-release right/etc/greeting
        mkdir -p owner/etc
        cp base/etc/os-release owner/etc/os-release
        find base left right owner -exec touch -h -d '2024-02-29 12:34:56 UTC' {} +
        tar -C base -czf base.tgz .
        tar -C left -czf left.tgz .
        tar -C right -czf right.tgz .
        tar -C owner --owner=1000 --group=1000 --numeric-owner -czf owner.tgz .
        "#,
    );
    Trees {
        base: work.join("base.tgz"),
        left: work.join("left.tgz"),
        right: vec![work.join("right.tgz"), work.join("owner.tgz")],
    }
}

pub(crate) fn write_configs(work: &Path) {
    let left = json!({
        "architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
        "config": {"Env": ["PATH=/usr/bin", "MODE=prod"], "Cmd": ["/app/server"],
                   "Labels": {"version": "1"}, "User": "app"}
    });
    let right = json!({
        "architecture": "amd64", "os": "linux", "created": "2024-02-01T00:00:00Z",
        "config": {"Env": ["PATH=/usr/local/bin:/usr/bin", "DEBUG=1"], "Cmd": ["/app/server"],
                   "Labels": {"version": "2"}, "User": "app", "ExposedPorts": {"8080/tcp": {}}}
    });
    std::fs::write(work.join("left-config.json"), left.to_string()).unwrap();
    std::fs::write(work.join("right-config.json"), right.to_string()).unwrap();
}

/// Pushes an image with oras: its config, layers and a fixed `created`.
pub(crate) fn push(
    oras: &Oras,
    work: &Path,
    reference: &str,
    config: &str,
    created: &str,
    layers: &[&Path],
) {
    let mut args = vec![
        "push".to_owned(),
        reference.to_owned(),
        "--config".to_owned(),
        format!("{config}:{CONFIG}"),
        "--annotation".to_owned(),
        format!("org.opencontainers.image.created={created}"),
    ];
    for layer in layers {
        let name = layer.file_name().unwrap().to_str().unwrap();
        args.push(format!("{name}:{LAYER_GZIP}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    oras.run_in(work, &args);
}

/// Pushes the left (`diff:v1`) and right (`diff:v2`) images.
pub(crate) fn push_pair(
    oras: &Oras,
    work: &Path,
    registry: &Registry,
    trees: &Trees,
) -> (String, String) {
    let (left, right) = (registry.reference("diff:v1"), registry.reference("diff:v2"));
    push(
        oras,
        work,
        &left,
        "left-config.json",
        "2024-01-01T00:00:00Z",
        &[&trees.base, &trees.left],
    );
    let mut right_layers: Vec<&Path> = vec![&trees.base];
    right_layers.extend(trees.right.iter().map(PathBuf::as_path));
    push(
        oras,
        work,
        &right,
        "right-config.json",
        "2024-02-01T00:00:00Z",
        &right_layers,
    );
    (left, right)
}

/// A tree's paths as a container sees them: (type, size, mode, owner,
/// content digest or link target).
pub(crate) type Tree = BTreeMap<String, (char, u64, u32, (u32, u32), String)>;

/// The layers unpacked by `tar` in order, whiteouts applied to what the
/// layers below left, read back from disk.
pub(crate) fn unpack(work: &Path, name: &str, layers: &[&Path]) -> Tree {
    let root = work.join(format!("rootfs-{name}"));
    std::fs::create_dir_all(&root).unwrap();
    for (i, layer) in layers.iter().enumerate() {
        let stage = work.join(format!("stage-{name}-{i}"));
        std::fs::create_dir_all(&stage).unwrap();
        sh(
            work,
            &format!(
                "tar --same-owner -xpzf {} -C {}",
                layer.display(),
                stage.display()
            ),
        );
        sh(
            work,
            &format!(
                r#"set -e
                cd {stage}
                find . -name '.wh..wh..opq' | while read -r m; do d=$(dirname "$m"); rm -rf "{root}/$d"/* "{root}/$d"/.[!.]* 2>/dev/null || true; rm -f "$m"; done
                find . -name '.wh.*' | while read -r w; do d=$(dirname "$w"); b=$(basename "$w"); rm -rf "{root}/$d/${{b#.wh.}}"; rm -f "$w"; done
                cp -a . {root}/
                "#,
                stage = stage.display(),
                root = root.display()
            ),
        );
    }
    let mut tree = Tree::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let rel = path.strip_prefix(&root).unwrap().display().to_string();
            let (kind, size, content) = if meta.is_dir() {
                stack.push(path.clone());
                ('d', 0, String::new())
            } else if meta.file_type().is_symlink() {
                (
                    'l',
                    0,
                    std::fs::read_link(&path).unwrap().display().to_string(),
                )
            } else {
                (
                    '-',
                    meta.size(),
                    sha256_digest(&std::fs::read(&path).unwrap()),
                )
            };
            let mode = if kind == 'l' {
                0o777
            } else {
                meta.mode() & 0o7777
            };
            tree.insert(rel, (kind, size, mode, (meta.uid(), meta.gid()), content));
        }
    }
    tree
}

/// `(added, removed, modified)` paths between two unpacked trees.
pub(crate) fn tree_diff(
    left: &Tree,
    right: &Tree,
) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let added = right
        .keys()
        .filter(|k| !left.contains_key(*k))
        .cloned()
        .collect();
    let removed = left
        .keys()
        .filter(|k| !right.contains_key(*k))
        .cloned()
        .collect();
    let modified = left
        .iter()
        .filter(|(k, v)| right.get(*k).is_some_and(|r| r != *v))
        .map(|(k, _)| k.clone())
        .collect();
    (added, removed, modified)
}
