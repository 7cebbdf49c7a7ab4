//! A zstd stream as a reader over every frame in it: the zstd CLI writes
//! one frame, zstd:chunked writes many with skippable frames between them
//! (its table of contents), and ruzstd's own streaming decoder stops after
//! the first. The window is capped so a hostile frame cannot ask for more
//! memory than a listing may use.

use std::io::{self, BufRead, Read};

use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};

/// The largest window a frame may ask for (zstd's own default limit for
/// decompression without `--long` is 128 MiB; real layers use a few MiB).
const MAX_WINDOW: u64 = 32 * 1024 * 1024;

pub struct ZstdFrames<R> {
    source: R,
    decoder: FrameDecoder,
    in_frame: bool,
}

impl<R: BufRead> ZstdFrames<R> {
    pub fn new(source: R) -> ZstdFrames<R> {
        let mut decoder = FrameDecoder::new();
        decoder.set_max_window_size(MAX_WINDOW);
        ZstdFrames {
            source,
            decoder,
            in_frame: false,
        }
    }
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if self.in_frame {
                while self.decoder.can_collect() == 0 && !self.decoder.is_finished() {
                    self.decoder
                        .decode_blocks(&mut self.source, BlockDecodingStrategy::UptoBlocks(1))
                        .map_err(io::Error::other)?;
                }
                let n = self.decoder.read(buf)?;
                if n > 0 {
                    return Ok(n);
                }
                // This frame is done; another may follow.
                self.in_frame = false;
                continue;
            }
            if self.source.fill_buf()?.is_empty() {
                return Ok(0);
            }
            match self.decoder.init(&mut self.source) {
                Ok(()) => self.in_frame = true,
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame {
                    length,
                    ..
                })) => {
                    let skipped = io::copy(
                        &mut (&mut self.source).take(u64::from(length)),
                        &mut io::sink(),
                    )?;
                    if skipped != u64::from(length) {
                        return Err(io::Error::other("a skippable zstd frame is cut short"));
                    }
                }
                Err(error) => return Err(io::Error::other(error)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruzstd::encoding::{CompressionLevel, compress_to_vec};

    #[test]
    fn reads_every_frame_and_skips_skippable_ones() {
        let text: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let (first, second) = text.split_at(333_333);
        let mut stream = compress_to_vec(first, CompressionLevel::Fastest);
        // A skippable frame, as zstd:chunked puts its manifest.
        stream.extend_from_slice(&0x184D_2A50u32.to_le_bytes());
        stream.extend_from_slice(&5u32.to_le_bytes());
        stream.extend_from_slice(b"skip!");
        stream.extend_from_slice(&compress_to_vec(second, CompressionLevel::Fastest));
        let mut out = Vec::new();
        ZstdFrames::new(io::BufReader::new(stream.as_slice()))
            .read_to_end(&mut out)
            .expect("decodes");
        assert_eq!(out, text);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let mut out = Vec::new();
        let result = ZstdFrames::new(io::BufReader::new(
            &[0x28, 0xb5, 0x2f, 0xfd, 0xff, 1, 2][..],
        ))
        .read_to_end(&mut out);
        assert!(result.is_err());
    }
}
