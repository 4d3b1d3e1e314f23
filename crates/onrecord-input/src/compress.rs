//! Compressed streams: takes a reader, gives the decompressed bytes as a reader.
//!
//! gzip through flate2 (pure Rust miniz_oxide backend), every member in turn, so WARC.gz
//! files with one member per record read as one stream; zstd through ruzstd, a pure-Rust
//! decoder (no C build: the `zstd` crate compiles libzstd, about 20 s more of build on
//! 2 cores, for a decoder that is never the bottleneck here), every frame in turn.

use crate::Reason;
use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};
use std::io::{self, BufRead, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Compression {
    Gzip,
    Zstd,
    /// Recognised, not decoded.
    Other(&'static str),
}

/// The compression of a stream, from its first bytes.
pub(crate) fn sniff(head: &[u8]) -> Option<Compression> {
    match head {
        [0x1f, 0x8b, ..] => Some(Compression::Gzip),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Some(Compression::Zstd),
        [0xfd, b'7', b'z', b'X', b'Z', 0x00, ..] => Some(Compression::Other("xz")),
        [b'B', b'Z', b'h', ..] => Some(Compression::Other("bzip2")),
        [b'P', b'K', 3, 4, ..] => Some(Compression::Other("zip")),
        [0x04, 0x22, 0x4d, 0x18, ..] => Some(Compression::Other("lz4")),
        _ => None,
    }
}

/// A read error as a reason and a short text.
pub(crate) fn classify(e: &io::Error) -> (Reason, String) {
    let msg = crate::source::io_reason(e);
    match e.kind() {
        io::ErrorKind::UnexpectedEof => (Reason::Truncated, format!("truncated ({msg})")),
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput | io::ErrorKind::Other => {
            (Reason::Corrupt, format!("corrupt data ({msg})"))
        }
        _ => (Reason::Unreadable, msg),
    }
}

pub(crate) fn gzip<R: BufRead>(r: R) -> flate2::bufread::MultiGzDecoder<R> {
    flate2::bufread::MultiGzDecoder::new(r)
}

/// Every zstd frame of a stream in turn; skippable frames are skipped.
pub(crate) struct Zstd<R> {
    source: R,
    decoder: FrameDecoder,
    /// A frame is being decoded.
    in_frame: bool,
}

impl<R: BufRead> Zstd<R> {
    pub(crate) fn new(source: R) -> Self {
        Zstd {
            source,
            decoder: FrameDecoder::new(),
            in_frame: false,
        }
    }

    /// Start the next frame; false at the end of the stream.
    fn next_frame(&mut self) -> io::Result<bool> {
        loop {
            if self.source.fill_buf()?.is_empty() {
                return Ok(false);
            }
            match self.decoder.reset(&mut self.source) {
                Ok(()) => return Ok(true),
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame {
                    length,
                    ..
                })) => {
                    let n = io::copy(&mut (&mut self.source).take(length as u64), &mut io::sink())?;
                    if n < length as u64 {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "zstd skippable frame cut short",
                        ));
                    }
                }
                Err(e) => return Err(zstd_error(e)),
            }
        }
    }
}

fn zstd_error(e: FrameDecoderError) -> io::Error {
    let msg = format!("zstd: {e}");
    // The decoder reports a stream that ends early as a failed read.
    let kind = if msg.contains("failed to fill whole buffer") || msg.to_lowercase().contains("eof")
    {
        io::ErrorKind::UnexpectedEof
    } else {
        io::ErrorKind::InvalidData
    };
    io::Error::new(kind, msg)
}

impl<R: BufRead> Read for Zstd<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if !self.in_frame {
                if !self.next_frame()? {
                    return Ok(0);
                }
                self.in_frame = true;
            }
            if self.decoder.can_collect() > 0 {
                return self.decoder.read(buf);
            }
            if self.decoder.is_finished() {
                self.in_frame = false;
                continue;
            }
            let want = BlockDecodingStrategy::UptoBytes(buf.len().max(1 << 16));
            // A decoder bug on hostile data must fail this input, not the process.
            let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.decoder.decode_blocks(&mut self.source, want)
            }));
            match decoded {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => return Err(zstd_error(e)),
                Err(_) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "zstd: the decoder failed on this data",
                    ))
                }
            }
        }
    }
}

/// A reader that adds the bytes it reads to a shared counter.
pub(crate) struct Counting<R> {
    pub(crate) inner: R,
    pub(crate) counter: Option<Arc<AtomicU64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(c) = &self.counter {
            c.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn read_all(r: impl Read) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut r = r;
        r.read_to_end(&mut out).map(|_| out)
    }

    #[test]
    fn gzip_members_in_turn_and_truncation() {
        let mut b = gz(b"first ");
        b.extend(gz(b"second"));
        assert_eq!(read_all(gzip(&b[..])).unwrap(), b"first second");
        let err = read_all(gzip(&b[..b.len() - 5])).unwrap_err();
        assert_eq!(classify(&err).0, Reason::Truncated, "{err}");
        let mut bad = b.clone();
        for x in &mut bad[12..20] {
            *x ^= 0x55;
        }
        assert!(read_all(gzip(&bad[..])).is_err());
    }

    #[test]
    fn compression_magic() {
        assert_eq!(sniff(&gz(b"x")), Some(Compression::Gzip));
        assert_eq!(sniff(b"\x28\xb5\x2f\xfd\x00"), Some(Compression::Zstd));
        assert_eq!(sniff(b"BZh91AY"), Some(Compression::Other("bzip2")));
        assert_eq!(sniff(b"WARC/1.0"), None);
    }

    #[test]
    fn zstd_garbage_is_an_error_not_a_panic() {
        for b in [
            &b"\x28\xb5\x2f\xfd"[..],
            b"\x28\xb5\x2f\xfd\xff\xff\xff\xff\xff\xff",
            b"\x28\xb5\x2f\xfd\x00\x00\x00",
        ] {
            assert!(read_all(Zstd::new(b)).is_err(), "{b:?}");
        }
        assert_eq!(read_all(Zstd::new(&b""[..])).unwrap(), b"");
    }
}
