//! The legacy (v1) signature: HmacSHA1 or HmacSHA256 over the sorted
//! parameter string, Base64-encoded.
//!
//! The sign string is `METHOD` + host + path + `?` + `k=v&k=v...`, with the
//! parameters sorted by key, raw values (no URL encoding), and every `_` in a
//! key written as `.`, as the official SDKs sign it. It is streamed straight
//! into the HMAC; nothing is allocated. The HMAC is this crate's own (see
//! `mac_key`): the key-derived states are zeroized once the MAC is done.

use core::cmp::Ordering;
use core::fmt;

use base64ct::{Base64, Encoding};
use heapless::String;

use super::mac_key::{Compress, MacKey, Sha1Compress, Sha256Compress};

/// Length of the longest Base64 signature (HMAC-SHA256: 32 bytes).
const BASE64_LEN: usize = 44;

/// The HMAC behind a v1 signature, named by the `SignatureMethod` parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// `HmacSHA1`, the default when `SignatureMethod` is absent.
    HmacSha1,
    /// `HmacSHA256`.
    HmacSha256,
}

impl Algorithm {
    /// The `SignatureMethod` value: `HmacSHA1` or `HmacSHA256`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::HmacSha1 => "HmacSHA1",
            Self::HmacSha256 => "HmacSHA256",
        }
    }

    /// The algorithm a `SignatureMethod` value names; `None` for any other text.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "HmacSHA1" => Some(Self::HmacSha1),
            "HmacSHA256" => Some(Self::HmacSha256),
            _ => None,
        }
    }
}

/// One request parameter, key and raw (not URL-encoded) value.
pub type Param<'a> = (&'a str, &'a str);

/// Writes the v1 sign string of a request into `out`.
///
/// Sorts `params` in place by key with every `_` read as `.` (the order the
/// sign string needs), then writes `METHOD` + host + path + `?` + `k=v&k=v`
/// with keys written with `.` for `_` and values raw. Include every parameter
/// but `Signature` (`Action`, `Nonce`, `SecretId`, `SignatureMethod`, ...).
/// Keys that are equal once `_` is read as `.` are kept in a fixed order
/// (by original key, then value).
pub fn write_sign_string(
    method: &str,
    host: &str,
    path: &str,
    params: &mut [Param<'_>],
    out: &mut impl fmt::Write,
) -> fmt::Result {
    params.sort_unstable_by(|a, b| cmp_keys(a.0, b.0).then(a.0.cmp(b.0)).then(a.1.cmp(b.1)));
    out.write_str(method)?;
    out.write_str(host)?;
    out.write_str(path)?;
    out.write_char('?')?;
    for (i, (key, value)) in params.iter().enumerate() {
        if i > 0 {
            out.write_char('&')?;
        }
        for (j, part) in key.split('_').enumerate() {
            if j > 0 {
                out.write_char('.')?;
            }
            out.write_str(part)?;
        }
        out.write_char('=')?;
        out.write_str(value)?;
    }
    Ok(())
}

/// Signs a request with the v1 signature: the Base64 HMAC of its sign string.
///
/// Sorts `params` as [`write_sign_string`] does and streams the sign string
/// into the HMAC keyed with `secret_key`. Never fails.
pub fn sign(
    algorithm: Algorithm,
    secret_key: &str,
    method: &str,
    host: &str,
    path: &str,
    params: &mut [Param<'_>],
) -> Signature {
    let key = secret_key.as_bytes();
    match algorithm {
        Algorithm::HmacSha1 => {
            Signature::encode(mac::<Sha1Compress>(key, method, host, path, params).as_ref())
        }
        Algorithm::HmacSha256 => {
            Signature::encode(mac::<Sha256Compress>(key, method, host, path, params).as_ref())
        }
    }
}

/// The HMAC of the sign string under `key`, with the hash `H`.
fn mac<H: Compress>(
    key: &[u8],
    method: &str,
    host: &str,
    path: &str,
    params: &mut [Param<'_>],
) -> H::Digest {
    let mut mac = MacKey::<H>::from_key(key).start();
    // Writing into a MAC never fails.
    let _ = write_sign_string(method, host, path, params, &mut mac);
    mac.finish()
}

/// A v1 signature: standard Base64 with padding.
///
/// URL-encode it before it goes into a query string or form body. `Debug`
/// does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature(String<BASE64_LEN>);

impl Signature {
    fn encode(mac: &[u8]) -> Self {
        let mut buf = [0u8; BASE64_LEN];
        // 44 bytes hold the Base64 of 32 bytes or fewer, so neither step can fail.
        let text = Base64::encode(mac, &mut buf).unwrap_or_default();
        Self(String::try_from(text).unwrap_or_default())
    }

    /// The Base64 text, e.g. `EliP9YW3pW28FpsEdkXt/+WcGeI=`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signature(<redacted>)")
    }
}

/// Compares keys as if every `_` were `.`.
fn cmp_keys(a: &str, b: &str) -> Ordering {
    let dotted = |b: u8| if b == b'_' { b'.' } else { b };
    a.bytes().map(dotted).cmp(b.bytes().map(dotted))
}

#[cfg(test)]
mod tests {
    use super::*;

    extern crate std;
    use std::string::String;

    #[test]
    fn keys_sort_with_underscore_as_dot() {
        let mut params = [
            ("b", "2"),
            ("A_b", "x"),
            ("A.a", "y"),
            ("Ab", "z"),
            ("A", "w"),
        ];
        let mut out = String::new();
        write_sign_string("GET", "h", "/", &mut params, &mut out).unwrap();
        assert_eq!(out, "GETh/?A=w&A.a=y&A.b=x&Ab=z&b=2");
    }

    #[test]
    fn signatures_are_the_hmac_of_the_sign_string_for_any_key_length() {
        use hmac::{Hmac, Mac};
        fn reference<M: Mac + hmac::digest::KeyInit>(key: &str, text: &str) -> Signature {
            let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(key.as_bytes()).unwrap();
            mac.update(text.as_bytes());
            Signature::encode(&mac.finalize().into_bytes())
        }
        // Each length around one block (64 bytes), and a non-ASCII key.
        let mut keys: std::vec::Vec<String> = (0..=130).map(|len| "k".repeat(len)).collect();
        keys.push("é".repeat(40));
        let params = [("Action", "DescribeInstances"), ("Nonce", "11886")];
        for key in &keys {
            let mut sorted = params;
            let mut text = String::new();
            write_sign_string("GET", "cvm.api", "/", &mut sorted, &mut text).unwrap();
            for algorithm in [Algorithm::HmacSha1, Algorithm::HmacSha256] {
                let mut given = params;
                let signed = sign(algorithm, key, "GET", "cvm.api", "/", &mut given);
                let expected = match algorithm {
                    Algorithm::HmacSha1 => reference::<Hmac<sha1::Sha1>>(key, &text),
                    Algorithm::HmacSha256 => reference::<Hmac<sha2::Sha256>>(key, &text),
                };
                assert_eq!(signed.as_str(), expected.as_str(), "{algorithm:?}, {key}");
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for algorithm in [Algorithm::HmacSha1, Algorithm::HmacSha256] {
            assert_eq!(Algorithm::from_name(algorithm.name()), Some(algorithm));
        }
        assert_eq!(Algorithm::from_name("hmacsha1"), None);
    }
}
