//! A strict JSON syntax check with a nesting limit, run on every response
//! body before `serde-json-core` reads it.
//!
//! `serde-json-core` recurses once per nesting level with no limit, so a
//! 16 KiB body of `[` overflows a small stack; and it skips the scalars of
//! fields it ignores without checking them, so `"Note": garbage` passes.
//! This check refuses both: it walks the body once, without recursion
//! deeper than [`MAX_DEPTH`], and accepts only RFC 8259 JSON (but for the
//! escapes inside strings, which the readers check, naming the field).

/// Deepest nesting of objects and arrays accepted; the replies read here
/// are three levels deep.
pub(crate) const MAX_DEPTH: usize = 16;

/// Why a body is not acceptable JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Problem {
    /// Not JSON (syntax, invalid UTF-8, trailing text).
    Malformed,
    /// Objects and arrays nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// Checks that `text` is one JSON value, nested at most [`MAX_DEPTH`] deep.
pub(crate) fn check(text: &[u8]) -> Result<(), Problem> {
    if core::str::from_utf8(text).is_err() {
        return Err(Problem::Malformed);
    }
    let mut cursor = Cursor { text, at: 0 };
    cursor.value(0)?;
    cursor.space();
    match cursor.peek() {
        None => Ok(()),
        Some(_) => Err(Problem::Malformed),
    }
}

struct Cursor<'a> {
    text: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek();
        self.at += 1;
        b
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), Problem> {
        match self.next() {
            Some(got) if got == b => Ok(()),
            _ => Err(Problem::Malformed),
        }
    }

    fn value(&mut self, depth: usize) -> Result<(), Problem> {
        self.space();
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string(),
            Some(b't') => self.word(b"true"),
            Some(b'f') => self.word(b"false"),
            Some(b'n') => self.word(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(Problem::Malformed),
        }
    }

    fn object(&mut self, depth: usize) -> Result<(), Problem> {
        if depth > MAX_DEPTH {
            return Err(Problem::TooDeep);
        }
        self.expect(b'{')?;
        self.space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(());
        }
        loop {
            self.space();
            self.string()?;
            self.space();
            self.expect(b':')?;
            self.value(depth)?;
            self.space();
            match self.next() {
                Some(b',') => {}
                Some(b'}') => return Ok(()),
                _ => return Err(Problem::Malformed),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), Problem> {
        if depth > MAX_DEPTH {
            return Err(Problem::TooDeep);
        }
        self.expect(b'[')?;
        self.space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(());
        }
        loop {
            self.value(depth)?;
            self.space();
            match self.next() {
                Some(b',') => {}
                Some(b']') => return Ok(()),
                _ => return Err(Problem::Malformed),
            }
        }
    }

    fn string(&mut self) -> Result<(), Problem> {
        self.expect(b'"')?;
        loop {
            match self.next().ok_or(Problem::Malformed)? {
                b'"' => return Ok(()),
                // What an escape stands for is checked by the reader, which
                // names the field; here it only must not end the string.
                b'\\' => {
                    self.next().ok_or(Problem::Malformed)?;
                }
                // Control characters must be escaped inside strings.
                0..=0x1f => return Err(Problem::Malformed),
                _ => {}
            }
        }
    }

    fn word(&mut self, word: &[u8]) -> Result<(), Problem> {
        for &b in word {
            self.expect(b)?;
        }
        Ok(())
    }

    fn number(&mut self) -> Result<(), Problem> {
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.next() {
            Some(b'0') => {}
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(Problem::Malformed),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.some_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.some_digits()?;
        }
        Ok(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }

    fn some_digits(&mut self) -> Result<(), Problem> {
        if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
            return Err(Problem::Malformed);
        }
        self.digits();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    extern crate std;
    use std::format;
    use std::string::String;

    #[test]
    fn accepts_json_and_only_json() {
        let good = [
            r#"{"Response":{"Credentials":{"Token":"t\u00e9\n"},"ExpiredTime":1.7e9}}"#,
            " [1, -0.5, 2E+3, true, false, null, \"\", {}, []] \r\n",
            "0",
            "\"é\"",
            // Escapes are left to the readers.
            r#""\x\u12g4""#,
        ];
        for text in good {
            assert_eq!(check(text.as_bytes()), Ok(()), "{text}");
        }
        let bad: [&[u8]; 14] = [
            b"",
            b"{",
            br#"{"a":1"#,
            br#"{"a":tru}"#,
            br#"{"a":2100-01-01T00:00:00Z"}"#,
            br#"{"a":1,}"#,
            br#"[1 2]"#,
            br#"{"a" 1}"#,
            br#"{1:1}"#,
            b"\"a\nb\"",
            b"01",
            b"1.",
            b"{} {}",
            b"\"\xff\"",
        ];
        for text in bad {
            assert_eq!(check(text), Err(Problem::Malformed), "{text:?}");
        }
    }

    #[test]
    fn nesting_is_limited() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(check(nested(MAX_DEPTH).as_bytes()), Ok(()));
        assert_eq!(
            check(nested(MAX_DEPTH + 1).as_bytes()),
            Err(Problem::TooDeep)
        );
        let objects: String = "{\"a\":".repeat(MAX_DEPTH + 1);
        assert_eq!(check(objects.as_bytes()), Err(Problem::TooDeep));
        // Past the limit nothing recurses, whatever the size.
        assert_eq!(check("[".repeat(1 << 20).as_bytes()), Err(Problem::TooDeep));
    }
}
