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
        let mut inner_block = GenericArray::<u8, U64>::from([0x36; 64]);
        let mut outer_block = GenericArray::<u8, U64>::from([0x5c; 64]);
        let pads = inner_block.iter_mut().zip(outer_block.iter_mut());
        for ((inner, outer), byte) in pads.zip(key) {
            *inner ^= byte;
            *outer ^= byte;
        }
        let (mut inner, mut outer) = (INITIAL, INITIAL);
        compress256(&mut inner, core::slice::from_ref(&inner_block));
        compress256(&mut outer, core::slice::from_ref(&outer_block));
        // Only the first N bytes came from the key; the rest is the pad alone.
        for block in [&mut inner_block, &mut outer_block] {
            block.get_mut(..N).unwrap_or_default().zeroize();
        }
        Self { inner, outer }
    }

    /// The MAC of `message` under this key.
    ///
    /// A message that fits one block with its padding (a date, a service
    /// name, `tc3_request`) is hashed without a stream: two compressions.
    pub(crate) fn mac(&self, message: &[u8]) -> [u8; 32] {
        if message.len() >= LENGTH_AT {
            let mut stream = self.start();
            stream.update(message);
            return stream.finish();
        }
        let mut block = GenericArray::<u8, U64>::default();
        if let Some(slots) = block.get_mut(..message.len()) {
            copy_short(slots, message);
        }
        pad(&mut block, message.len(), BLOCK + message.len() as u64);
        // The inner digest is a hash of the keyed pad and the message, not
        // key material (see `MacStream::finish`), so it is not cleared.
        let mut inner = self.inner;
        compress256(&mut inner, core::slice::from_ref(&block));
        outer_digest(&self.outer, &inner)
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
        self.inner.as_mut_slice().zeroize();
        self.outer.as_mut_slice().zeroize();
    }
}

impl fmt::Debug for MacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MacKey(<redacted>)")
    }
}

/// Writes the SHA-256 padding of a message whose last block holds `filled`
/// bytes, and `length` bytes in all, into that block: a 0x80 byte, and the
/// length in bits in the last eight bytes. The bytes between are zero already,
/// and `filled` is below [`LENGTH_AT`].
fn pad(block: &mut GenericArray<u8, U64>, filled: usize, length: u64) {
    if let Some(first) = block.get_mut(filled) {
        *first = 0x80;
    }
    put_length(block, length);
}

/// Writes a message length of `length` bytes, in bits, at the end of `block`.
fn put_length(block: &mut GenericArray<u8, U64>, length: u64) {
    if let Some(slots) = block.get_mut(LENGTH_AT..) {
        slots.copy_from_slice(&length.wrapping_mul(8).to_be_bytes());
    }
}

/// HMAC's outer hash: from the state after the outer pad block, the inner
/// digest (given as its state words) is the one remaining block.
fn outer_digest(outer: &[u32; 8], inner: &[u32; 8]) -> [u8; 32] {
    let mut block = GenericArray::<u8, U64>::default();
    for (slot, word) in block.chunks_exact_mut(4).zip(inner) {
        slot.copy_from_slice(&word.to_be_bytes());
    }
    pad(&mut block, 32, BLOCK + 32);
    let mut state = *outer;
    compress256(&mut state, core::slice::from_ref(&block));
    let digest = digest_of(&state);
    // The MAC may itself be a key (kDate, kService, kSigning): the words
    // left here are cleared; the caller clears what it was given.
    state.as_mut_slice().zeroize();
    digest
}

/// The digest bytes of a final SHA-256 state.
fn digest_of(state: &[u32; 8]) -> [u8; 32] {
    let mut digest = [0u8; 32];
    for (out, word) in digest.chunks_exact_mut(4).zip(state) {
        out.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

/// An HMAC-SHA256 of a message fed in pieces.
pub(crate) struct MacStream {
    inner: Stream,
    outer: [u32; 8],
}

impl MacStream {
    /// Feeds the next piece of the message.
    #[inline]
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.inner.update(bytes);
    }

    /// The MAC of everything fed.
    pub(crate) fn finish(mut self) -> [u8; 32] {
        // The inner digest is a hash of the keyed pad and the message, not
        // key material: without the outer state it gives nothing away, so
        // it is not cleared. The states are.
        self.inner.finish();
        outer_digest(&self.outer, &self.inner.state)
    }
}

impl Drop for MacStream {
    fn drop(&mut self) {
        self.outer.as_mut_slice().zeroize();
    }
}

/// SHA-256 of bytes fed in pieces.
///
/// Cheaper than `sha2::Sha256` for many small pieces, which is how the
/// canonical request is written, and to start and finish.
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

    /// Feeds the next piece.
    #[inline]
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The SHA-256 of everything written.
    pub(crate) fn finish(mut self) -> [u8; 32] {
        self.0.finish();
        digest_of(&self.0.state)
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

    /// Feeds a piece that fills the block: completes the block, hashes the
    /// whole blocks that follow straight from `bytes`, and keeps the rest.
    #[inline(never)]
    fn update_across(&mut self, bytes: &[u8]) {
        self.length = self.length.wrapping_add(bytes.len() as u64);
        let mut rest = bytes;
        if self.filled > 0 {
            let room = self.block.len() - self.filled;
            let (now, after) = rest.split_at(room.min(rest.len()));
            let end = self.filled + now.len();
            if let Some(slots) = self.block.get_mut(self.filled..end) {
                slots.copy_from_slice(now);
            }
            self.filled = end;
            rest = after;
            // The caller sends only pieces that fill the block; this guards
            // the invariant rather than relying on it.
            if self.filled < self.block.len() {
                return;
            }
            compress256(&mut self.state, core::slice::from_ref(&self.block));
            // Bytes past `filled` stay zero, so `finish` need not clear them.
            self.block = GenericArray::default();
            self.filled = 0;
        }
        // `filled` is 0 here, so the block is all zeros.
        let mut blocks = rest.chunks_exact(self.block.len());
        for block in &mut blocks {
            compress256(
                &mut self.state,
                core::slice::from_ref(GenericArray::from_slice(block)),
            );
        }
        let tail = blocks.remainder();
        if let Some(slots) = self.block.get_mut(..tail.len()) {
            slots.copy_from_slice(tail);
        }
        self.filled = tail.len();
    }

    /// Pads and hashes the last block(s); the digest is then `state`.
    fn finish(&mut self) {
        // `filled` is always below 64 between updates, and the bytes after
        // it are zero: the padding is a 0x80 byte and the length.
        if self.filled >= LENGTH_AT {
            if let Some(first) = self.block.get_mut(self.filled) {
                *first = 0x80;
            }
            compress256(&mut self.state, core::slice::from_ref(&self.block));
            self.block = GenericArray::default();
            put_length(&mut self.block, self.length);
        } else {
            pad(&mut self.block, self.filled, self.length);
        }
        compress256(&mut self.state, core::slice::from_ref(&self.block));
    }
}

/// Copies `from` into `to` (of the same length) with a few fixed-size moves
/// when short, rather than a call to `memcpy` for a handful of bytes.
#[inline(always)]
pub(crate) fn copy_short(to: &mut [u8], from: &[u8]) {
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
        33..=64 => ends::<32>(to, from),
        _ => to.copy_from_slice(from),
    }
}

impl Drop for Stream {
    // The state may follow a keyed pad block, and the block may hold the
    // tail of a secret (a long key is hashed to shorten it): both are cleared.
    fn drop(&mut self) {
        self.state.as_mut_slice().zeroize();
        self.block.as_mut_slice().zeroize();
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
            assert_eq!(prepared.mac(message), expected, "mac, length {len}");
            // Pieces that fit the block, fill it exactly, and span blocks
            // from a partly filled one.
            for size in [7, 64, 65, 130] {
                let mut cut = prepared.start();
                for piece in message.chunks(size) {
                    cut.update(piece);
                }
                assert_eq!(cut.finish(), expected, "pieces of {size}, length {len}");
            }
        }
    }

    #[test]
    fn hashes_as_sha256_at_every_length_and_cut() {
        use sha2::Digest;
        let message: Vec<u8> = (0..400u32).map(|i| (i * 17 % 253) as u8).collect();
        for len in 0..message.len() {
            let message = &message[..len];
            let expected: [u8; 32] = Sha256::digest(message).into();
            for size in [1, 3, 63, 64, 100, 400] {
                let mut stream = Sha256Stream::new();
                // A first piece that leaves the block part filled.
                let (first, rest) = message.split_at(len.min(5));
                stream.update(first);
                for piece in rest.chunks(size) {
                    stream.update(piece);
                }
                assert_eq!(stream.finish(), expected, "pieces of {size}, length {len}");
            }
        }
    }

    #[test]
    fn debug_hides_the_key() {
        let key = MacKey::new(&[9; 32]);
        assert_eq!(std::format!("{key:?}"), "MacKey(<redacted>)");
    }
}
