//! Feature hashing and the word-level properties features are made of.
//!
//! A feature is a `(template, value)` pair hashed to a non-zero `u32` key. Values are
//! hashed with FNV-1a over bytes and a final avalanche, streaming, so lowercasing, prefixes,
//! suffixes and shapes are hashed without building strings.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Murmur3's 64-bit finalizer: spreads FNV's weak high bits over the whole word.
#[inline]
pub(crate) const fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// Streaming FNV-1a.
#[derive(Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Fnv {
    #[inline]
    pub(crate) const fn new() -> Fnv {
        Fnv(FNV_OFFSET)
    }
    #[inline]
    pub(crate) fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ b as u64).wrapping_mul(FNV_PRIME);
    }
    #[inline]
    pub(crate) fn bytes(&mut self, bs: &[u8]) {
        for &b in bs {
            self.byte(b);
        }
    }
    #[inline]
    pub(crate) fn char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.bytes(c.encode_utf8(&mut buf).as_bytes());
    }
    #[inline]
    pub(crate) const fn finish(self) -> u64 {
        fmix64(self.0)
    }
}

#[inline]
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h = Fnv::new();
    h.bytes(s.as_bytes());
    h.finish()
}

/// The key of feature `template` with value hash `value`. Never 0 (the empty slot marker).
#[inline]
pub(crate) const fn key(template: u32, value: u64) -> u32 {
    let h = fmix64(value ^ (template as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let k = (h >> 32) as u32;
    if k == 0 {
        1
    } else {
        k
    }
}

/// Lowercase character by character into a sink, without allocating.
#[inline]
fn for_each_lower(s: &str, mut f: impl FnMut(char)) {
    for c in s.chars() {
        if c.is_ascii() {
            f(c.to_ascii_lowercase());
        } else {
            for l in c.to_lowercase() {
                f(l);
            }
        }
    }
}

/// Hash of the lowercased word.
#[inline]
pub(crate) fn hash_lower(s: &str) -> u64 {
    if !s.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
        return hash_str(s);
    }
    let mut h = Fnv::new();
    for_each_lower(s, |c| h.char(c));
    h.finish()
}

/// Hashes of the lowercased prefixes of 1..=N characters (a shorter word repeats its last).
#[inline]
pub(crate) fn prefix_hashes<const N: usize>(s: &str) -> [u64; N] {
    let mut out = [0u64; N];
    let mut h = Fnv::new();
    let mut n = 0;
    for_each_lower(s, |c| {
        if n < N {
            h.char(c);
            out[n] = h.finish();
            n += 1;
        }
    });
    let last = if n == 0 { h.finish() } else { out[n - 1] };
    for o in out.iter_mut().skip(n) {
        *o = last;
    }
    out
}

/// Hashes of the lowercased suffixes of 1..=N characters (a shorter word repeats itself).
#[inline]
pub(crate) fn suffix_hashes<const N: usize>(s: &str) -> [u64; N] {
    let mut out = [0u64; N];
    let mut starts = [s.len(); N];
    for (k, (i, _)) in s.char_indices().rev().take(N).enumerate() {
        starts[k] = i;
    }
    let mut last = s.len();
    for k in 0..N {
        if starts[k] < last {
            last = starts[k];
        }
        let mut h = Fnv::new();
        for_each_lower(&s[last..], |c| h.char(c));
        out[k] = h.finish();
    }
    out
}

/// Character class used in word shapes.
#[inline]
fn shape_class(c: char) -> u8 {
    if c.is_ascii_lowercase() {
        b'x'
    } else if c.is_ascii_uppercase() {
        b'X'
    } else if c.is_ascii_digit() {
        b'd'
    } else if c.is_ascii() {
        c as u8
    } else if c.is_lowercase() {
        b'x'
    } else if c.is_uppercase() {
        b'X'
    } else if c.is_numeric() {
        b'd'
    } else if c.is_alphabetic() {
        b'a'
    } else {
        // curly quotes, dashes, currency signs and the rest keep their own identity
        match c {
            '\u{2018}' | '\u{2019}' => b'\'',
            '\u{201c}' | '\u{201d}' => b'"',
            '\u{2013}' | '\u{2014}' => b'-',
            _ => b'o',
        }
    }
}

/// Word shape with runs collapsed ("McCain" -> "XxXx", "2016" -> "d", "U.S." -> "X.X.").
#[inline]
pub(crate) fn shape_hash(s: &str) -> u64 {
    let mut h = Fnv::new();
    let mut last = 0u8;
    let mut n = 0;
    for c in s.chars() {
        let k = shape_class(c);
        if k != last {
            h.byte(k);
            last = k;
            n += 1;
            if n >= 12 {
                break;
            }
        }
    }
    h.finish()
}

/// Orthographic flags of a word, as a small integer.
#[inline]
pub(crate) fn flags(s: &str) -> u64 {
    let mut first_upper = false;
    let mut any_upper = false;
    let mut any_lower = false;
    let mut digit = false;
    let mut hyphen = false;
    let mut period = false;
    let mut letters = 0usize;
    for (i, c) in s.chars().enumerate() {
        if c.is_uppercase() {
            any_upper = true;
            letters += 1;
            if i == 0 {
                first_upper = true;
            }
        } else if c.is_lowercase() {
            any_lower = true;
            letters += 1;
        } else if c.is_numeric() {
            digit = true;
        } else if c == '-' {
            hyphen = true;
        } else if c == '.' {
            period = true;
        }
    }
    let all_caps = any_upper && !any_lower;
    let len = s.chars().count().min(12) as u64;
    (first_upper as u64)
        | (all_caps as u64) << 1
        | (digit as u64) << 2
        | (hyphen as u64) << 3
        | (period as u64) << 4
        | ((letters == 0) as u64) << 5
        | len << 6
}

/// Hasher for maps keyed by feature keys, which are already uniformly distributed.
#[derive(Default, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = fmix64(n);
    }
}

pub(crate) type KeyMap<K, V> = HashMap<K, V, BuildHasherDefault<KeyHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_hash_matches_lowercased_string() {
        for w in ["The", "the", "ÉCOLE", "école", "McCain", "U.S.", ""] {
            assert_eq!(hash_lower(w), hash_str(&w.to_lowercase()), "{w}");
        }
    }

    #[test]
    fn prefixes_and_suffixes_are_char_aware() {
        let p = prefix_hashes::<3>("Éte");
        assert_eq!(p[0], hash_str("é"));
        assert_eq!(p[2], hash_str("éte"));
        let s = suffix_hashes::<4>("Naïve");
        assert_eq!(s[0], hash_str("e"));
        assert_eq!(s[2], hash_str("ïve"));
        assert_eq!(s[3], hash_str("aïve"));
        let short = suffix_hashes::<4>("is");
        assert_eq!(short[1], hash_str("is"));
        assert_eq!(short[3], hash_str("is"));
        let empty = prefix_hashes::<3>("");
        assert_eq!(empty[2], hash_str(""));
    }

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shape_hash("Clinton"), shape_hash("Xx"));
        assert_eq!(shape_hash("2016"), shape_hash("9"));
        assert_ne!(shape_hash("U.S."), shape_hash("US"));
    }

    #[test]
    fn keys_are_never_zero() {
        for t in 0..100 {
            for v in 0..1000u64 {
                assert_ne!(key(t, v), 0);
            }
        }
    }
}
