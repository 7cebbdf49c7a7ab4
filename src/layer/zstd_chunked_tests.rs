//! The zstd:chunked TOC parser on a TOC shaped like containers/storage's
//! (a file of three chunks, one of one chunk, a symlink) and on lies.

use ruzstd::encoding::{CompressionLevel, compress_to_vec};

use super::*;
use crate::layer::entry::EntryKind;

const TOC: &str = r#"{"version":1,"entries":[
 {"type":"dir","name":"./","mode":493,"modtime":"2024-02-29T12:34:56Z"},
 {"type":"reg","name":"./etc/config","mode":420,"size":10,"uid":7,"gid":8,
  "modtime":"2024-02-29T13:34:56+01:00","digest":"sha256:ba4c4ae5a6ce7770d3335baf79e4f8e44bc646f10de43cef2d3d2ab80528e4f5",
  "offset":110,"endOffset":133},
 {"type":"reg","name":"./big","mode":420,"size":300,"digest":"sha256:b82f78ba5cb90cbed7120eb7502288d4424c9f19c4eb0c43982a9612c126c8d5",
  "offset":245,"endOffset":600,"chunkSize":100,"chunkDigest":"sha256:e0f451ea135955cdbe894722db0f94124ec3c2f1b156dcb8809ae74afe5ffec0"},
 {"type":"chunk","name":"./big","offset":300,"chunkSize":150,"chunkOffset":100,"chunkDigest":"sha256:9803880c9b30d86efef749a7dc514f956d25d78f591eb13428b38803af8de9dd"},
 {"type":"chunk","name":"./big","offset":420,"chunkSize":50,"chunkOffset":250,"chunkType":"zeros","chunkDigest":"sha256:27d691b4295a5b79dfbc4ac9cf62845537e544167bd1a4a53697e94a4219f87d"},
 {"type":"symlink","name":"./bin/link","linkName":"../etc/config","mode":511},
 {"type":"reg","name":"./.wh.gone"}
],"tarSplitDigest":"sha256:bab94528eb0e3d371662958e50220b612d02a01421a23ac4eaed41cc01ed13ec"}"#;

fn descriptor(position: &str, checksum: &Digest, size: u64) -> Descriptor {
    let mut descriptor = Descriptor::new(
        "application/vnd.oci.image.layer.v1.tar+zstd",
        Digest::sha256_of(b"layer"),
        size,
    );
    descriptor
        .annotations
        .insert(MANIFEST_POSITION_ANNOTATION.to_owned(), position.to_owned());
    descriptor.annotations.insert(
        MANIFEST_CHECKSUM_ANNOTATION.to_owned(),
        checksum.to_string(),
    );
    descriptor
}

fn toc() -> Toc {
    let compressed = compress_to_vec(TOC.as_bytes(), CompressionLevel::Fastest);
    let checksum = Digest::sha256_of(&compressed);
    let text = format!("1008:{}:{}:1", compressed.len(), TOC.len());
    let position = position(&descriptor(&text, &checksum, 1_000_000)).expect("a position");
    parse_toc(&compressed, &position).expect("a TOC")
}

#[test]
fn lists_what_the_toc_says() {
    let entries = listing(&toc());
    let paths: Vec<_> = entries.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["etc/config", "big", "bin/link", "gone"]);
    assert_eq!(entries[0].size, 10);
    assert_eq!(
        (entries[0].uid, entries[0].gid, entries[0].mode),
        (7, 8, 0o644)
    );
    assert_eq!(entries[0].mtime, 1_709_210_096);
    assert_eq!(entries[2].link.as_deref(), Some("../etc/config"));
    assert_eq!(entries[3].kind, EntryKind::Whiteout);
}

#[test]
fn places_chunks_between_offsets() {
    let toc = toc();
    let big = chunks_of(&toc, "big").expect("valid").expect("found");
    let spans: Vec<_> = big
        .chunks
        .iter()
        .map(|c| (c.start, c.end, c.size))
        .collect();
    assert_eq!(spans, [(245, 300, 100), (300, 420, 150), (420, 600, 50)]);
    assert!(big.chunks.iter().all(|c| c.digest.is_some()));
    let config = chunks_of(&toc, "etc/config")
        .expect("valid")
        .expect("found");
    assert_eq!(config.chunks.len(), 1);
    assert_eq!((config.chunks[0].start, config.chunks[0].end), (110, 133));
    assert!(config.chunks[0].digest.is_none() && config.digest.is_some());
    assert!(chunks_of(&toc, "nope").expect("valid").is_none());
}

#[test]
fn refuses_lies() {
    let compressed = compress_to_vec(TOC.as_bytes(), CompressionLevel::Fastest);
    let checksum = Digest::sha256_of(&compressed);
    let n = compressed.len();
    let len = TOC.len();
    for bad in [
        format!("1008:{n}:{len}:2"),
        format!("1008:{n}:{len}"),
        format!("999999:{n}:{len}:1"),
        format!("1008:{n}:99999999999:1"),
        "a:b:c:d".to_owned(),
    ] {
        assert!(
            position(&descriptor(&bad, &checksum, 1_000_000)).is_err(),
            "{bad}"
        );
    }
    let wrong = Digest::sha256_of(b"other");
    let text = format!("1008:{n}:{len}:1");
    let p = position(&descriptor(&text, &wrong, 1_000_000)).expect("a position");
    assert!(matches!(
        parse_toc(&compressed, &p),
        Err(OpError::ContentDigest { .. })
    ));
    // The uncompressed length announced must be the real one.
    let text = format!("1008:{n}:{}:1", len - 1);
    let p = position(&descriptor(&text, &checksum, 1_000_000)).expect("a position");
    assert!(parse_toc(&compressed, &p).is_err());
    // Chunks past the TOC's own frame are refused.
    let mut toc = toc();
    toc.offset = 500;
    assert!(chunks_of(&toc, "big").is_err());
}

#[test]
fn refuses_endless_entries_while_parsing() {
    let mut json = String::from(r#"{"version":1,"entries":["#);
    json.push_str(&vec![r#"{"type":"dir"}"#; MAX_TOC_ENTRIES + 1].join(","));
    json.push_str("]}");
    let compressed = compress_to_vec(json.as_bytes(), CompressionLevel::Fastest);
    let checksum = Digest::sha256_of(&compressed);
    let text = format!("8:{}:{}:1", compressed.len(), json.len());
    let position = position(&descriptor(&text, &checksum, 1 << 30)).expect("a position");
    let error = parse_toc(&compressed, &position).expect_err("too many entries");
    assert!(error.to_string().contains("entries"), "{error}");
}
