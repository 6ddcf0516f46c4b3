//! Reads a fuzz input as a few simple fields, over `arbitrary::Unstructured`.
//!
//! The layout is fixed so that seeds can be written by hand or by
//! `make_corpus.py`: a byte is one byte, a `u16`/`u64` is little-endian, a
//! blob is a `u16` length and that many bytes (fewer when the input ends).
//! Past the end every read gives zeros or empty blobs, never an error.

use std::string::String;

use arbitrary::Unstructured;

/// A cursor over one fuzz input.
pub struct Reader<'a> {
    u: Unstructured<'a>,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Self {
            u: Unstructured::new(data),
        }
    }

    /// True when every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.u.is_empty()
    }

    /// The next byte, or 0.
    pub fn u8(&mut self) -> u8 {
        self.bytes(1).first().copied().unwrap_or(0)
    }

    /// The next two bytes, little-endian.
    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    /// The next eight bytes, little-endian.
    pub fn u64(&mut self) -> u64 {
        let mut bytes = [0u8; 8];
        for b in &mut bytes {
            *b = self.u8();
        }
        u64::from_le_bytes(bytes)
    }

    /// Up to `n` bytes: fewer when the input ends first.
    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.u.len());
        self.u.bytes(n).unwrap_or_default()
    }

    /// A length-prefixed blob.
    pub fn blob(&mut self) -> &'a [u8] {
        let n = usize::from(self.u16());
        self.bytes(n)
    }

    /// A length-prefixed blob as text (invalid UTF-8 replaced by U+FFFD).
    pub fn text(&mut self) -> String {
        String::from_utf8_lossy(self.blob()).into_owned()
    }

    /// Everything left.
    pub fn rest(&mut self) -> &'a [u8] {
        let n = self.u.len();
        self.bytes(n)
    }
}
