//! HMAC keys with their two pad blocks hashed once, over SHA-256 or SHA-1.
//!
//! HMAC hashes `key ^ ipad` and `key ^ opad` (one 64-byte block each) before
//! any message. A key that signs many messages can keep those two hash
//! mid-states instead of the key: each MAC then costs only the message's
//! blocks and one outer block. The key's bytes in the pad blocks and every
//! keyed mid-state are zeroized, which `hmac`'s own types do not offer.
//!
//! The code is written once over a hash's compression function
//! ([`Compress`]): SHA-256 for TC3 and the legacy HmacSHA256, SHA-1 for the
//! legacy HmacSHA1. Both hash 64-byte blocks and pad the same way.

use core::fmt;

use sha2::digest::generic_array::GenericArray;
use sha2::digest::typenum::U64;
use zeroize::Zeroize;

/// One 64-byte block, as both compression functions take it.
type Block = GenericArray<u8, U64>;

/// The block size of SHA-256 and SHA-1, in bytes.
const BLOCK: u64 = 64;

/// Where the length field of the last block starts.
const LENGTH_AT: usize = 56;

/// A hash of 64-byte blocks with SHA-256's padding (a 0x80 byte, zeros, and
/// the length in bits as a 64-bit big-endian number), given by its
/// compression function.
pub(crate) trait Compress {
    /// The chaining state: 32-bit words, whose big-endian bytes are the digest.
    type State: Copy + AsRef<[u32]> + AsMut<[u32]>;
    /// The digest: four bytes for each word of the state.
    type Digest: Default + AsRef<[u8]> + AsMut<[u8]>;
    /// The initial hash value.
    const INITIAL: Self::State;
    /// Bytes in a digest.
    const DIGEST_LEN: usize = core::mem::size_of::<Self::Digest>();
    /// Hashes one block into `state`.
    fn compress(state: &mut Self::State, block: &Block);
}

/// SHA-256 (FIPS 180-4), through `sha2::compress256`.
pub(crate) struct Sha256Compress;

impl Compress for Sha256Compress {
    type State = [u32; 8];
    type Digest = [u8; 32];
    // FIPS 180-4, section 5.3.3.
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

    #[inline(always)]
    fn compress(state: &mut [u32; 8], block: &Block) {
        sha2::compress256(state, core::slice::from_ref(block));
    }
}

/// SHA-1 (FIPS 180-4), through `sha1::compress`, for the legacy HmacSHA1.
pub(crate) struct Sha1Compress;

impl Compress for Sha1Compress {
    type State = [u32; 5];
    type Digest = [u8; 20];
    // FIPS 180-4, section 5.3.1.
    const INITIAL: [u32; 5] = [
        0x6745_2301,
        0xefcd_ab89,
        0x98ba_dcfe,
        0x1032_5476,
        0xc3d2_e1f0,
    ];

    #[inline(always)]
    fn compress(state: &mut [u32; 5], block: &Block) {
        sha1::compress(state, core::slice::from_ref(block));
    }
}

/// An HMAC key, kept as the hash states after its two pad blocks.
pub(crate) struct MacKey<H: Compress = Sha256Compress> {
    inner: H::State,
    outer: H::State,
}

impl MacKey {
    /// Hashes the two pad blocks of a 32-byte HMAC-SHA256 key (two
    /// compressions).
    pub(crate) fn new(key: &[u8; 32]) -> Self {
        Self::padded(key)
    }
}

impl<H: Compress> MacKey<H> {
    /// A key of any length, as HMAC takes it: padded with zeros when it
    /// fits a block, hashed first when longer. The padded key lives only in
    /// a block that is zeroized, and a long key is hashed by a stream that
    /// clears what it saw.
    pub(crate) fn from_key(key: &[u8]) -> Self {
        Self::from_key_parts(&[key])
    }

    /// [`from_key`](Self::from_key) of the key that `parts` make joined,
    /// without joining them anywhere but the zeroized block.
    pub(crate) fn from_key_parts(parts: &[&[u8]]) -> Self {
        let mut block = [0u8; 64];
        let len: usize = parts.iter().map(|part| part.len()).sum();
        if len <= block.len() {
            let mut at = 0;
            for part in parts {
                if let Some(slots) = block.get_mut(at..at + part.len()) {
                    slots.copy_from_slice(part);
                }
                at += part.len();
            }
        } else {
            let mut hasher = HashStream::<H>::new();
            for part in parts {
                hasher.update(part);
            }
            let mut digest = hasher.finish();
            for (slot, byte) in block.iter_mut().zip(digest.as_ref()) {
                *slot = *byte;
            }
            digest.as_mut().zeroize();
        }
        let key = Self::padded(&block);
        block.as_mut_slice().zeroize();
        key
    }

    /// Hashes `key` (zero-padded to a block) XOR ipad and XOR opad.
    fn padded<const N: usize>(key: &[u8; N]) -> Self {
        let mut inner_block = Block::from([0x36; 64]);
        let mut outer_block = Block::from([0x5c; 64]);
        let pads = inner_block.iter_mut().zip(outer_block.iter_mut());
        for ((inner, outer), byte) in pads.zip(key) {
            *inner ^= byte;
            *outer ^= byte;
        }
        let (mut inner, mut outer) = (H::INITIAL, H::INITIAL);
        H::compress(&mut inner, &inner_block);
        H::compress(&mut outer, &outer_block);
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
    pub(crate) fn mac(&self, message: &[u8]) -> H::Digest {
        if message.len() >= LENGTH_AT {
            let mut stream = self.start();
            stream.update(message);
            return stream.finish();
        }
        let mut block = Block::default();
        if let Some(slots) = block.get_mut(..message.len()) {
            copy_short(slots, message);
        }
        pad(&mut block, message.len(), BLOCK + message.len() as u64);
        // The inner digest is a hash of the keyed pad and the message, not
        // key material (see `MacStream::finish`), so it is not cleared.
        let mut inner = self.inner;
        H::compress(&mut inner, &block);
        outer_digest::<H>(&self.outer, &inner)
    }

    /// A MAC of a new message under this key.
    pub(crate) fn start(&self) -> MacStream<H> {
        MacStream {
            inner: Stream::resume(self.inner),
            outer: self.outer,
        }
    }
}

impl<H: Compress> Drop for MacKey<H> {
    fn drop(&mut self) {
        self.inner.as_mut().zeroize();
        self.outer.as_mut().zeroize();
    }
}

impl<H: Compress> fmt::Debug for MacKey<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MacKey(<redacted>)")
    }
}

/// Writes the padding of a message whose last block holds `filled` bytes,
/// and `length` bytes in all, into that block: a 0x80 byte, and the length
/// in bits in the last eight bytes. The bytes between are zero already, and
/// `filled` is below [`LENGTH_AT`].
fn pad(block: &mut Block, filled: usize, length: u64) {
    if let Some(first) = block.get_mut(filled) {
        *first = 0x80;
    }
    put_length(block, length);
}

/// Writes a message length of `length` bytes, in bits, at the end of `block`.
fn put_length(block: &mut Block, length: u64) {
    if let Some(slots) = block.get_mut(LENGTH_AT..) {
        slots.copy_from_slice(&length.wrapping_mul(8).to_be_bytes());
    }
}

/// HMAC's outer hash: from the state after the outer pad block, the inner
/// digest (given as its state words) is the one remaining block.
fn outer_digest<H: Compress>(outer: &H::State, inner: &H::State) -> H::Digest {
    let mut block = Block::default();
    for (slot, word) in block.chunks_exact_mut(4).zip(inner.as_ref()) {
        slot.copy_from_slice(&word.to_be_bytes());
    }
    pad(&mut block, H::DIGEST_LEN, BLOCK + H::DIGEST_LEN as u64);
    let mut state = *outer;
    H::compress(&mut state, &block);
    let digest = digest_of::<H>(&state);
    // The MAC may itself be a key (kDate, kService, kSigning): the words
    // left here are cleared; the caller clears what it was given.
    state.as_mut().zeroize();
    digest
}

/// The digest bytes of a final state.
fn digest_of<H: Compress>(state: &H::State) -> H::Digest {
    let mut digest = H::Digest::default();
    for (out, word) in digest.as_mut().chunks_exact_mut(4).zip(state.as_ref()) {
        out.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

/// An HMAC of a message fed in pieces.
pub(crate) struct MacStream<H: Compress = Sha256Compress> {
    inner: Stream<H>,
    outer: H::State,
}

impl<H: Compress> MacStream<H> {
    /// Feeds the next piece of the message.
    #[inline]
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.inner.update(bytes);
    }

    /// The MAC of everything fed.
    pub(crate) fn finish(mut self) -> H::Digest {
        // The inner digest is a hash of the keyed pad and the message, not
        // key material: without the outer state it gives nothing away, so
        // it is not cleared. The states are.
        self.inner.finish();
        outer_digest::<H>(&self.outer, &self.inner.state)
    }
}

impl<H: Compress> fmt::Write for MacStream<H> {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.update(s.as_bytes());
        Ok(())
    }

    // The default goes through `write_str` without inlining; the legacy
    // sign string writes a separator character for every parameter.
    #[inline]
    fn write_char(&mut self, c: char) -> fmt::Result {
        self.update(c.encode_utf8(&mut [0; 4]).as_bytes());
        Ok(())
    }
}

impl<H: Compress> Drop for MacStream<H> {
    fn drop(&mut self) {
        self.outer.as_mut().zeroize();
    }
}

/// SHA-256 of bytes fed in pieces.
///
/// Cheaper than `sha2::Sha256` for many small pieces, which is how the
/// canonical request is written, and to start and finish.
pub(crate) type Sha256Stream = HashStream<Sha256Compress>;

/// A hash of bytes fed in pieces.
pub(crate) struct HashStream<H: Compress>(Stream<H>);

impl<H: Compress> HashStream<H> {
    /// A hash of nothing yet.
    pub(crate) fn new() -> Self {
        Self(Stream {
            state: H::INITIAL,
            block: Block::default(),
            filled: 0,
            length: 0,
        })
    }

    /// Feeds the next piece.
    #[inline]
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The hash of everything written.
    pub(crate) fn finish(mut self) -> H::Digest {
        self.0.finish();
        digest_of::<H>(&self.0.state)
    }
}

/// A hash from a given state, fed in pieces.
struct Stream<H: Compress> {
    state: H::State,
    block: Block,
    filled: usize,
    /// Bytes hashed so far, the pad block included.
    length: u64,
}

impl<H: Compress> Stream<H> {
    /// Continues from `state`, reached after hashing exactly one block.
    fn resume(state: H::State) -> Self {
        Self {
            state,
            block: Block::default(),
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
            H::compress(&mut self.state, &self.block);
            // Bytes past `filled` stay zero, so `finish` need not clear them.
            self.block = Block::default();
            self.filled = 0;
        }
        // `filled` is 0 here, so the block is all zeros.
        let mut blocks = rest.chunks_exact(self.block.len());
        for block in &mut blocks {
            H::compress(&mut self.state, Block::from_slice(block));
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
            H::compress(&mut self.state, &self.block);
            self.block = Block::default();
            put_length(&mut self.block, self.length);
        } else {
            pad(&mut self.block, self.filled, self.length);
        }
        H::compress(&mut self.state, &self.block);
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

impl<H: Compress> Drop for Stream<H> {
    // The state may follow a keyed pad block, and the block may hold the
    // tail of a secret (a long key is hashed to shorten it): both are cleared.
    fn drop(&mut self) {
        self.state.as_mut().zeroize();
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

    /// Checks `MacKey<H>` built from a key of each length against the
    /// `hmac` crate's `M`, at every message length and several cuts.
    fn matches_hmac_for_every_key_length<H: Compress, M: Mac + hmac::digest::KeyInit>() {
        let message: Vec<u8> = (0..300u32).map(|i| (i * 31 % 251) as u8).collect();
        let secret: Vec<u8> = (0..200u32).map(|i| (i * 13 + 5) as u8).collect();
        for key_len in [0, 1, 20, 63, 64, 65, 200] {
            let key = &secret[..key_len];
            let prepared = MacKey::<H>::from_key(key);
            for len in 0..message.len() {
                let message = &message[..len];
                let mut reference = <M as hmac::digest::KeyInit>::new_from_slice(key).unwrap();
                reference.update(message);
                let expected = reference.finalize().into_bytes();
                let expected = expected.as_slice();
                let at = std::format!("key {key_len}, length {len}");
                assert_eq!(prepared.mac(message).as_ref(), expected, "mac, {at}");
                for size in [1, 7, 64, 65, 130] {
                    let mut cut = prepared.start();
                    for piece in message.chunks(size) {
                        cut.update(piece);
                    }
                    assert_eq!(cut.finish().as_ref(), expected, "cut {size}, {at}");
                }
            }
        }
    }

    #[test]
    fn hmac_sha1_matches_hmac_for_every_key_length() {
        matches_hmac_for_every_key_length::<Sha1Compress, Hmac<sha1::Sha1>>();
    }

    #[test]
    fn hmac_sha256_matches_hmac_for_every_key_length() {
        matches_hmac_for_every_key_length::<Sha256Compress, Hmac<Sha256>>();
    }

    #[test]
    fn hashes_as_sha1_at_every_length_and_cut() {
        use sha1::Digest;
        let message: Vec<u8> = (0..400u32).map(|i| (i * 17 % 253) as u8).collect();
        for len in 0..message.len() {
            let message = &message[..len];
            let expected: [u8; 20] = sha1::Sha1::digest(message).into();
            for size in [1, 3, 63, 64, 100, 400] {
                let mut stream = HashStream::<Sha1Compress>::new();
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
    fn digest_lengths_follow_the_state() {
        assert_eq!(Sha1Compress::DIGEST_LEN, 20);
        assert_eq!(Sha256Compress::DIGEST_LEN, 32);
    }

    #[test]
    fn debug_hides_the_key() {
        let key = MacKey::new(&[9; 32]);
        assert_eq!(std::format!("{key:?}"), "MacKey(<redacted>)");
    }
}
