//! Hostile layers for `files` and `cat`: names that climb out of the root,
//! a GNU long name of absurd size, and a decompression bomb are refused
//! with a clear error, under pull's caps; a path with `..` given to `cat`
//! stays inside the image.

use std::io::Write;
use std::path::Path;

use crate::files::regscope_files;
use crate::support::{Oras, Registry};

const LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// A gzip tar of one raw header (name written byte for byte) and `body`.
fn raw_layer(name: &str, kind: tar::EntryType, declared: u64, body: &[u8]) -> Vec<u8> {
    let mut header = tar::Header::new_old();
    header.set_entry_type(kind);
    header.set_size(declared);
    header.set_mode(0o644);
    let old = header.as_old_mut();
    old.name[..name.len()].copy_from_slice(name.as_bytes());
    header.set_cksum();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(header.as_bytes()).unwrap();
    gz.write_all(body).unwrap();
    gz.write_all(&[0; 1024]).unwrap();
    gz.finish().unwrap()
}

/// One file of `size` zero bytes: a few hundred KiB compressed.
fn zero_bomb(size: u64) -> Vec<u8> {
    let mut header = tar::Header::new_gnu();
    header.set_path("zeros").unwrap();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_cksum();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(header.as_bytes()).unwrap();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..size / chunk.len() as u64 {
        gz.write_all(&chunk).unwrap();
    }
    gz.write_all(&[0; 1024]).unwrap();
    gz.finish().unwrap()
}

fn push(oras: &Oras, registry: &Registry, dir: &Path, tag: &str, layer: &[u8]) -> String {
    let name = format!("{tag}.tgz");
    std::fs::write(dir.join(&name), layer).unwrap();
    let reference = registry.reference(&format!("hostile-files:{tag}"));
    oras.run_in(dir, &["push", &reference, &format!("{name}:{LAYER_GZIP}")]);
    reference
}

fn refused(dir: &Path, args: &[&str], expected: &str) {
    let out = regscope_files(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(
        stderr.contains(expected),
        "{args:?}: expected {expected:?} in:\n{stderr}"
    );
}

#[test]
fn hostile_layers_are_refused_with_a_clear_error() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);

    let climbing = raw_layer("../../etc/evil", tar::EntryType::Regular, 4, b"evil");
    let reference = push(&oras, &registry, dir, "climb", &climbing);
    refused(
        dir,
        &["files", &reference, "--layer", "0"],
        "would leave the image's root",
    );
    refused(dir, &["files", &reference], "would leave the image's root");

    // A long name declared at 1 GiB: refused before anything is read.
    let long_name = raw_layer("././@LongLink", tar::EntryType::GNULongName, 1 << 30, b"");
    let reference = push(&oras, &registry, dir, "longname", &long_name);
    refused(dir, &["files", &reference, "--layer", "0"], "GNU long name");

    // 256 MiB of zeros in a small gzip: past pull's ratio cap.
    let bomb = zero_bomb(256 << 20);
    let reference = push(&oras, &registry, dir, "bomb", &bomb);
    refused(
        dir,
        &["files", &reference, "--layer", "0"],
        "bytes uncompressed",
    );

    // Nothing of a refused layer is cached.
    let cache = dir.join(".cache/regscope/layer-listings-v1");
    let cached = std::fs::read_dir(&cache).map(Iterator::count).unwrap_or(0);
    assert_eq!(cached, 0);
}

#[test]
fn cat_never_leaves_the_images_root() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let layers = crate::files::make_layers(dir);
    let reference = crate::files::push_image(&oras, dir, &registry.reference("files:v1"), &layers);
    // `..` above the root stays at the root, as in a container.
    let out = regscope_files(dir, &["cat", &reference, "../../../etc/motd"]);
    assert!(out.status.success());
    assert_eq!(out.stdout, b"changed\n");
    refused(
        dir,
        &["cat", &reference, "../../../etc/passwd"],
        "no such file",
    );
    refused(dir, &["cat", &reference, "usr"], "is a directory");
}
