//! Whether a layer's (decompressed) first block is a tar header, and what
//! to say when it is not: in words, never the bytes (the tar reader's own
//! errors quote header fields, which is how raw bytes reached the screen).

use super::walk::Compression;

/// The size of a tar header block.
pub(super) const TAR_BLOCK: usize = 512;

/// Whether the first block is a tar header (its checksum adds up), the
/// zero block that ends an empty archive, or nothing at all.
pub(super) fn looks_like_tar(head: &[u8]) -> bool {
    if head.iter().all(|b| *b == 0) {
        return true;
    }
    if head.len() < TAR_BLOCK {
        return false;
    }
    let field = &head[148..156];
    let text: String = field
        .iter()
        .map(|b| char::from(*b))
        .filter(|c| c.is_ascii_digit())
        .collect();
    let Ok(stored) = u32::from_str_radix(&text, 8) else {
        return false;
    };
    let sum = |signed: bool| -> i64 {
        head[..TAR_BLOCK]
            .iter()
            .enumerate()
            .map(|(i, b)| {
                if (148..156).contains(&i) {
                    i64::from(b' ')
                } else if signed {
                    i64::from(i8::from_ne_bytes([*b]))
                } else {
                    i64::from(*b)
                }
            })
            .sum()
    };
    i64::from(stored) == sum(false) || i64::from(stored) == sum(true)
}

/// What a layer that is not a tar holds, in words.
pub(super) fn not_a_tar(head: &[u8], compression: Compression) -> String {
    let content = match compression {
        Compression::Gzip => "its gzip content",
        Compression::Zstd => "its zstd content",
        Compression::None => "it",
    };
    let text = std::str::from_utf8(head)
        .ok()
        .or_else(|| std::str::from_utf8(&head[..head.len().saturating_sub(3)]).ok());
    let looks = match text.map(str::trim_start) {
        Some(t) if t.starts_with('{') || t.starts_with('[') => "JSON",
        Some(t) if t.chars().all(|c| !c.is_control() || c.is_whitespace()) => "text",
        _ => "binary data",
    };
    format!("the layer is not a tar archive: {content} starts with {looks}, not a tar header")
}

#[cfg(test)]
mod tests {
    use crate::layer::walk::walk_layer;
    use crate::ops::OpError;
    use crate::ops::untar::UnpackLimits;

    fn walk(bytes: &[u8]) -> Result<u64, OpError> {
        walk_layer(
            bytes,
            bytes.len() as u64,
            UnpackLimits::default(),
            |_, _| Ok(()),
        )
    }

    #[test]
    fn a_layer_that_is_no_tar_says_so_in_words() {
        let json = walk(br#"{"bomFormat": "CycloneDX", "components": []}"#);
        let said = json.expect_err("not a tar").to_string();
        assert!(
            said.contains("not a tar archive: it starts with JSON"),
            "{said}"
        );
        let binary: Vec<u8> = (0..600u32).map(|i| (i * 7 % 251) as u8 | 0x80).collect();
        let said = walk(&binary).expect_err("not a tar").to_string();
        assert!(said.contains("starts with binary data"), "{said}");
        assert!(!said.chars().any(|c| c.is_control()), "{said:?}");
        // An empty archive and a real one are tars.
        assert_eq!(walk(&[0u8; 1024]).ok(), Some(0));
        let mut tar = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_ustar();
        header.set_size(2);
        header.set_cksum();
        tar.append_data(&mut header, "a.txt", &b"hi"[..])
            .expect("append");
        assert_eq!(walk(&tar.into_inner().expect("tar")).ok(), Some(1));
    }
}
