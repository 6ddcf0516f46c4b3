//! JSON request bodies, written byte for byte as Python's `json.dumps` writes them.
//!
//! The official Python SDK sends `json.dumps(params)`: `", "` between members,
//! `": "` after each key, and every character outside printable ASCII escaped
//! as `\uXXXX` (UTF-16 code units, lower-case hex, surrogate pairs above
//! U+FFFF). Writing the same bytes lets our requests be compared with its own.

use core::fmt::Write;

use heapless::{String, Vec};

use crate::error::Error;

/// A JSON object being written into a bounded buffer.
///
/// Members appear in the order they are added. Running out of room is a
/// capacity error naming the buffer's size; the buffer is then unusable.
pub(crate) struct JsonObject<'a, const N: usize> {
    out: &'a mut Vec<u8, N>,
    empty: bool,
}

impl<'a, const N: usize> JsonObject<'a, N> {
    /// Clears `out` and opens an object in it.
    pub(crate) fn begin(out: &'a mut Vec<u8, N>) -> Result<Self, Error> {
        out.clear();
        let mut object = Self { out, empty: true };
        object.raw(b"{")?;
        Ok(object)
    }

    /// Adds a string member.
    pub(crate) fn string(&mut self, key: &str, value: &str) -> Result<(), Error> {
        self.key(key)?;
        self.quoted(value)
    }

    /// Adds an integer member.
    pub(crate) fn integer(&mut self, key: &str, value: u64) -> Result<(), Error> {
        self.key(key)?;
        let mut digits = String::<20>::new();
        // `u64::MAX` has 20 digits, so the write always fits.
        let _ = write!(digits, "{value}");
        self.raw(digits.as_bytes())
    }

    /// Closes the object.
    pub(crate) fn end(mut self) -> Result<(), Error> {
        self.raw(b"}")
    }

    fn key(&mut self, key: &str) -> Result<(), Error> {
        if !self.empty {
            self.raw(b", ")?;
        }
        self.empty = false;
        self.quoted(key)?;
        self.raw(b": ")
    }

    fn quoted(&mut self, s: &str) -> Result<(), Error> {
        self.raw(b"\"")?;
        for c in s.chars() {
            match c {
                '"' => self.raw(b"\\\"")?,
                '\\' => self.raw(b"\\\\")?,
                '\n' => self.raw(b"\\n")?,
                '\r' => self.raw(b"\\r")?,
                '\t' => self.raw(b"\\t")?,
                '\u{8}' => self.raw(b"\\b")?,
                '\u{c}' => self.raw(b"\\f")?,
                ' '..='~' => self.raw(&[c as u8])?,
                _ => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        self.unicode_escape(*unit)?;
                    }
                }
            }
        }
        self.raw(b"\"")
    }

    fn unicode_escape(&mut self, unit: u16) -> Result<(), Error> {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut escape = *b"\\u0000";
        for (i, slot) in escape.iter_mut().skip(2).enumerate() {
            let nibble = (unit >> (12 - 4 * i)) & 0xf;
            *slot = HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
        }
        self.raw(&escape)
    }

    fn raw(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.out
            .extend_from_slice(bytes)
            .map_err(|_| Error::capacity("request body is too long", N))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    extern crate std;
    use std::string::ToString;

    fn written<const N: usize>(members: &[(&str, Result<&str, u64>)]) -> Result<Vec<u8, N>, Error> {
        let mut out = Vec::new();
        let mut object = JsonObject::begin(&mut out)?;
        for (key, value) in members {
            match value {
                Ok(s) => object.string(key, s)?,
                Err(n) => object.integer(key, *n)?,
            }
        }
        object.end()?;
        Ok(out)
    }

    fn text(members: &[(&str, Result<&str, u64>)]) -> std::string::String {
        let out = written::<256>(members).unwrap();
        std::string::String::from_utf8(out.to_vec()).unwrap()
    }

    #[test]
    fn separators_and_order_match_json_dumps() {
        assert_eq!(text(&[]), "{}");
        assert_eq!(
            text(&[
                ("RoleArn", Ok("a")),
                ("RoleSessionName", Ok("s")),
                ("N", Err(7200))
            ]),
            r#"{"RoleArn": "a", "RoleSessionName": "s", "N": 7200}"#
        );
    }

    #[test]
    fn integers_are_plain_digits() {
        for (n, shown) in [(0, "0"), (9, "9"), (10, "10"), (43200, "43200")] {
            assert_eq!(text(&[("n", Err(n))]), std::format!(r#"{{"n": {shown}}}"#));
        }
        assert_eq!(
            text(&[("n", Err(u64::MAX))]),
            r#"{"n": 18446744073709551615}"#
        );
    }

    #[test]
    fn escapes_like_json_dumps() {
        // Each expectation is what Python 3's json.dumps prints for the value.
        let cases = [
            ("plain /+=,.@-_", r#""plain /+=,.@-_""#),
            ("q\"b\\", r#""q\"b\\""#),
            ("\n\r\t\u{8}\u{c}", r#""\n\r\t\b\f""#),
            ("\u{0}\u{1f}\u{7f}", r#""\u0000\u001f\u007f""#),
            ("é中", r#""\u00e9\u4e2d""#),
            ("😀", r#""\ud83d\ude00""#),
        ];
        for (value, json) in cases {
            assert_eq!(text(&[("k", Ok(value))]), std::format!("{{\"k\": {json}}}"));
        }
    }

    #[test]
    fn keys_are_escaped_too() {
        assert_eq!(text(&[("k\"é", Ok("v"))]), r#"{"k\"\u00e9": "v"}"#);
    }

    #[test]
    fn a_full_buffer_is_a_capacity_error() {
        let e = written::<8>(&[("key", Ok("value"))]).unwrap_err();
        assert_eq!(e.to_string(), "request body is too long (limit 8 bytes)");
        // Exactly full is fine: `{"k": 1}` is 8 bytes.
        assert_eq!(
            written::<8>(&[("k", Err(1))]).unwrap().as_slice(),
            br#"{"k": 1}"#
        );
        assert!(written::<7>(&[("k", Err(1))]).is_err());
    }
}
