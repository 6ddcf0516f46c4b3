//! An HMAC-SHA256 key with its two pad blocks hashed once.
//!
//! HMAC hashes `key ^ ipad` and `key ^ opad` (one 64-byte block each) before
//! any message. A key that signs many messages can keep those two SHA-256
//! mid-states instead of the key: each MAC then costs only the message's
//! blocks and one outer block. The key's bytes in the pad blocks and every
//! keyed mid-state are zeroized, which `hmac`'s own types do not offer.

use core::fmt;

use sha2::compress256;
use sha2::digest::generic_array::GenericArray;
use sha2::digest::typenum::U64;
use zeroize::Zeroize;

/// SHA-256's block size, in bytes.
const BLOCK: u64 = 64;

/// Where the length field of the last block starts.
const LENGTH_AT: usize = 56;

/// SHA-256's initial hash value (FIPS 180-4, section 5.3.3).
const INITIAL: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// A 32-byte HMAC-SHA256 key, kept as the hash states after its pad blocks.
pub(crate) struct MacKey {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl MacKey {
    /// Hashes the two pad blocks of a 32-byte key (two SHA-256 compressions).
    pub(crate) fn new(key: &[u8; 32]) -> Self {
        Self::padded(key)
    }

    /// The same for a key of up to one block, given zero-padded to 64 bytes
    /// (HMAC pads a short key with zeros).
    pub(crate) fn from_block(key: &[u8; 64]) -> Self {
        Self::padded(key)
    }

    /// Hashes `key` (zero-padded to a block) XOR ipad and XOR opad.
    fn padded<const N: usize>(key: &[u8; N]) -> Self {
        let mut blocks = [
            GenericArray::<u8, U64>::from([0x36; 64]),
            GenericArray::<u8, U64>::from([0x5c; 64]),
        ];
        for block in &mut blocks {
            for (slot, byte) in block.iter_mut().zip(key) {
                *slot ^= byte;
            }
        }
        let [inner_block, outer_block] = &blocks;
        let (mut inner, mut outer) = (INITIAL, INITIAL);
        compress256(&mut inner, core::slice::from_ref(inner_block));
        compress256(&mut outer, core::slice::from_ref(outer_block));
        // Only the first N bytes came from the key; the rest is the pad alone.
        for block in &mut blocks {
            block.get_mut(..N).unwrap_or_default().zeroize();
        }
        Self { inner, outer }
    }

    /// The MAC of `message` under this key.
    pub(crate) fn mac(&self, message: &[u8]) -> [u8; 32] {
        let mut stream = self.start();
        stream.update(message);
        stream.finish()
    }

    /// A MAC of a new message under this key.
    pub(crate) fn start(&self) -> MacStream {
        MacStream {
            inner: Stream::resume(self.inner),
            outer: self.outer,
        }
    }
}

impl Drop for MacKey {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

impl fmt::Debug for MacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MacKey(<redacted>)")
    }
}

/// An HMAC-SHA256 of a message fed in pieces; text can be written with
/// `core::fmt`.
pub(crate) struct MacStream {
    inner: Stream,
    outer: [u32; 8],
}

impl MacStream {
    /// Feeds the next piece of the message.
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.inner.update(bytes);
    }

    /// The MAC of everything fed.
    pub(crate) fn finish(mut self) -> [u8; 32] {
        // The inner digest is a hash of the keyed pad and the message, not
        // key material: without the outer state it gives nothing away, so
        // it is not cleared. The states are.
        let inner = self.inner.finish();
        let mut outer = Stream::resume(self.outer);
        outer.update(&inner);
        outer.finish()
    }
}

impl Drop for MacStream {
    fn drop(&mut self) {
        self.outer.zeroize();
    }
}

impl fmt::Write for MacStream {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.update(s.as_bytes());
        Ok(())
    }
}

/// SHA-256 of bytes fed in pieces, e.g. written with `core::fmt`.
///
/// Cheaper than `sha2::Sha256` for many small pieces, which is how the
/// canonical request is written.
pub(crate) struct Sha256Stream(Stream);

impl Sha256Stream {
    /// A hash of nothing yet.
    pub(crate) fn new() -> Self {
        Self(Stream {
            state: INITIAL,
            block: GenericArray::default(),
            filled: 0,
            length: 0,
        })
    }

    /// The SHA-256 of everything written.
    pub(crate) fn finish(mut self) -> [u8; 32] {
        self.0.finish()
    }
}

impl fmt::Write for Sha256Stream {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

/// SHA-256 from a given state, fed in pieces.
struct Stream {
    state: [u32; 8],
    block: GenericArray<u8, U64>,
    filled: usize,
    /// Bytes hashed so far, the pad block included.
    length: u64,
}

impl Stream {
    /// Continues from `state`, reached after hashing exactly one block.
    fn resume(state: [u32; 8]) -> Self {
        Self {
            state,
            block: GenericArray::default(),
            filled: 0,
            length: BLOCK,
        }
    }

    #[inline(always)]
    fn update(&mut self, bytes: &[u8]) {
        // The usual case, inlined: a short piece that fits the block.
        let end = self.filled + bytes.len();
        if end < self.block.len() {
            if let Some(slots) = self.block.get_mut(self.filled..end) {
                copy_short(slots, bytes);
                self.filled = end;
                self.length = self.length.wrapping_add(bytes.len() as u64);
                return;
            }
        }
        self.update_across(bytes);
    }

    /// Feeds a piece that fills the block, hashing every block it completes.
    #[inline(never)]
    fn update_across(&mut self, mut bytes: &[u8]) {
        self.length = self.length.wrapping_add(bytes.len() as u64);
        while !bytes.is_empty() {
            let room = self.block.len() - self.filled;
            let (now, rest) = bytes.split_at(room.min(bytes.len()));
            let end = self.filled + now.len();
            if let Some(slots) = self.block.get_mut(self.filled..end) {
                slots.copy_from_slice(now);
            }
            bytes = rest;
            self.filled = end;
            if self.filled == self.block.len() {
                compress256(&mut self.state, core::slice::from_ref(&self.block));
                // Bytes past `filled` stay zero, so `finish` need not clear them.
                self.block = GenericArray::default();
                self.filled = 0;
            }
        }
    }

    /// Pads, hashes the last block(s) and returns the digest.
    fn finish(&mut self) -> [u8; 32] {
        let bits = self.length.wrapping_mul(8).to_be_bytes();
        // `filled` is always below 64 between updates, and the bytes after
        // it are zero: the padding is a 0x80 byte and the length.
        if let Some(first) = self.block.get_mut(self.filled) {
            *first = 0x80;
        }
        if self.filled >= LENGTH_AT {
            compress256(&mut self.state, core::slice::from_ref(&self.block));
            self.block = GenericArray::default();
        }
        if let Some(length) = self.block.get_mut(LENGTH_AT..) {
            length.copy_from_slice(&bits);
        }
        compress256(&mut self.state, core::slice::from_ref(&self.block));

        let mut digest = [0u8; 32];
        for (out, word) in digest.chunks_exact_mut(4).zip(self.state) {
            out.copy_from_slice(&word.to_be_bytes());
        }
        digest
    }
}

/// Copies `from` into `to` (of the same length) with a few fixed-size moves
/// when short, rather than a call to `memcpy` for a handful of bytes.
#[inline(always)]
fn copy_short(to: &mut [u8], from: &[u8]) {
    fn ends<const N: usize>(to: &mut [u8], from: &[u8]) {
        // Two copies of N bytes, from the start and to the end, that
        // overlap for lengths between N and 2N.
        let tail = from.len().saturating_sub(N);
        if let (Some(t), Some(f)) = (to.get_mut(..N), from.get(..N)) {
            t.copy_from_slice(f);
        }
        if let (Some(t), Some(f)) = (to.get_mut(tail..), from.get(tail..)) {
            if t.len() == N && f.len() == N {
                t.copy_from_slice(f);
            }
        }
    }
    match from.len() {
        0 => {}
        1..=3 => {
            let last = from.len() - 1;
            for i in [0, last / 2, last] {
                if let (Some(t), Some(f)) = (to.get_mut(i), from.get(i)) {
                    *t = *f;
                }
            }
        }
        4..=7 => ends::<4>(to, from),
        8..=15 => ends::<8>(to, from),
        16..=32 => ends::<16>(to, from),
        _ => to.copy_from_slice(from),
    }
}

impl Drop for Stream {
    // The state follows a keyed pad block, so it is secret. The block holds
    // only the message (a date, a service, the string to sign, a canonical
    // request), which is not; a caller that hashes a secret clears it.
    fn drop(&mut self) {
        self.state.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    extern crate std;
    use std::vec::Vec;

    use hmac::{Hmac, Mac};
    use sha2::Sha256;

    fn reference(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    #[test]
    fn matches_hmac_at_every_length_and_cut() {
        // Lengths around each padding edge (55, 56, 63, 64, 119, 120, ...).
        let key: [u8; 32] = core::array::from_fn(|i| (i * 7 + 1) as u8);
        let message: Vec<u8> = (0..300u32).map(|i| (i * 31 % 251) as u8).collect();
        let prepared = MacKey::new(&key);
        for len in 0..message.len() {
            let message = &message[..len];
            let expected = reference(&key, message);
            let mut whole = prepared.start();
            whole.update(message);
            assert_eq!(whole.finish(), expected, "whole, length {len}");
            let mut cut = prepared.start();
            for piece in message.chunks(7) {
                cut.update(piece);
            }
            assert_eq!(cut.finish(), expected, "in pieces, length {len}");
        }
    }

    #[test]
    fn debug_hides_the_key() {
        let key = MacKey::new(&[9; 32]);
        assert_eq!(std::format!("{key:?}"), "MacKey(<redacted>)");
    }
}
