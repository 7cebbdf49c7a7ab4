//! The memory bound of `files`: a layer of 100 000 files and more than a
//! GiB uncompressed is listed by streaming, with the whole process's peak
//! RSS under 100 MiB (measured by the kernel, through Python's
//! `getrusage(RUSAGE_CHILDREN)`).

use std::io::Write;
use std::process::Command;

use crate::support::Oras;

const FILES: usize = 100_000;
/// Each file: 1 KiB of noise, then zeros: gzip shrinks the layer about
/// tenfold, well inside pull's ratio cap, so the blob stays near 100 MiB.
const FILE_SIZE: usize = 10_752;

fn large_layer(path: &std::path::Path) {
    let file = std::fs::File::create(path).unwrap();
    let gz =
        flate2::write::GzEncoder::new(std::io::BufWriter::new(file), flate2::Compression::fast());
    let mut builder = tar::Builder::new(gz);
    let mut body = vec![0u8; FILE_SIZE];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for i in 0..FILES {
        for byte in body.iter_mut().take(1024) {
            // xorshift: cheap noise that gzip cannot squeeze.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *byte = state as u8;
        }
        let mut header = tar::Header::new_gnu();
        header.set_size(FILE_SIZE as u64);
        header.set_mode(0o644);
        header.set_mtime(1_700_000_000);
        header.set_cksum();
        builder
            .append_data(
                &mut header,
                format!("d{:03}/file-{i:06}", i % 1000),
                body.as_slice(),
            )
            .unwrap();
    }
    let gz = builder.into_inner().unwrap();
    gz.finish().unwrap().flush().unwrap();
}

#[test]
fn listing_a_gib_layer_of_100000_files_stays_under_100_mib() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    large_layer(&dir.join("big.tgz"));
    let oras = Oras::new();
    let out = oras
        .command(&[
            "push",
            "--oci-layout",
            "layout:v1",
            "big.tgz:application/vnd.oci.image.layer.v1.tar+gzip",
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_file(dir.join("big.tgz")).unwrap();

    let measure = r#"
import resource, subprocess, sys
with open("listing.txt", "wb") as out:
    done = subprocess.run(sys.argv[1:], stdout=out, stderr=subprocess.PIPE)
sys.stderr.write(done.stderr.decode(errors="replace"))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(done.returncode)
"#;
    let out = Command::new("python3")
        .args(["-c", measure, env!("CARGO_BIN_EXE_regscope")])
        .args(["files", "oci:layout:v1", "--layer", "0"])
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CACHE_HOME", dir.join(".cache"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let peak_kib: u64 = String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let listing = std::fs::read_to_string(dir.join("listing.txt")).unwrap();
    let files = listing.lines().filter(|l| l.starts_with('-')).count();
    assert_eq!(files, FILES);
    assert!(
        peak_kib < 100 * 1024,
        "listing took {} MiB at its peak",
        peak_kib / 1024
    );
}
