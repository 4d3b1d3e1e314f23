//! The sliding window of word features both taggers score with.

use super::hash::{hash_str, key};
use super::model::{add_i16, add_i32, Blocks, Table};

/// Template of the key under which a frequent word's block is stored.
pub(crate) const T_VOCAB: u32 = 99;

#[inline]
pub(crate) fn vocab_key(word_hash: u64) -> u32 {
    key(T_VOCAB, word_hash)
}

#[derive(Clone, Copy)]
enum Src {
    Block(u32),
    Scratch(usize),
}

/// Word features of the tokens i-2..=i+2 around the current token i: a known word's come
/// from its block, an unknown word's are computed once into a scratch block when it enters
/// the window.
pub(crate) struct Window<'a, const W: usize> {
    words: &'a [&'a str],
    blocks: &'a Blocks<W>,
    table: &'a Table,
    features: fn(usize, &str, &mut dyn FnMut(u32)),
    src: [Src; 5],
    /// Hashes of the words in the window (0 past the ends).
    pub(crate) hashes: [u64; 5],
    scratch: [[[i32; W]; 5]; 5],
}

impl<'a, const W: usize> Window<'a, W> {
    pub(crate) fn new(
        words: &'a [&'a str],
        blocks: &'a Blocks<W>,
        table: &'a Table,
        features: fn(usize, &str, &mut dyn FnMut(u32)),
    ) -> Self {
        let pad = Src::Block(blocks.pad());
        let mut w = Window {
            words,
            blocks,
            table,
            features,
            src: [pad; 5],
            hashes: [0; 5],
            scratch: [[[0; W]; 5]; 5],
        };
        for j in 0..3 {
            w.enter(2 + j, j);
        }
        w
    }

    /// Put word `j` (if any) at window position `s`.
    #[inline]
    fn enter(&mut self, s: usize, j: usize) {
        let Some(word) = self.words.get(j) else {
            self.src[s] = Src::Block(self.blocks.pad());
            self.hashes[s] = 0;
            return;
        };
        let h = hash_str(word);
        self.hashes[s] = h;
        self.src[s] = match self.blocks.find(vocab_key(h)) {
            Some(b) => Src::Block(b),
            None => {
                let r = j % 5;
                let (table, scratch) = (self.table, &mut self.scratch[r]);
                for (slot, row) in scratch.iter_mut().enumerate() {
                    *row = [0; W];
                    (self.features)(slot, word, &mut |k| {
                        table.add(k, row);
                    });
                }
                Src::Scratch(r)
            }
        };
    }

    /// Add the window's word features for the current token.
    #[inline]
    pub(crate) fn add_to(&self, acc: &mut [i32; W]) {
        for (slot, src) in self.src.iter().enumerate() {
            match *src {
                Src::Block(b) => add_i16(acc, self.blocks.row(b, slot)),
                Src::Scratch(r) => add_i32(acc, &self.scratch[r][slot]),
            }
        }
    }

    /// Move on from token `i` to token `i + 1`.
    #[inline]
    pub(crate) fn advance(&mut self, i: usize) {
        self.src.copy_within(1..5, 0);
        self.hashes.copy_within(1..5, 0);
        self.enter(4, i + 3);
    }
}
