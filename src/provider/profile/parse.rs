//! The credentials file format: a small INI dialect, parsed in place.
//!
//! ```text
//! # a comment line; `;` starts one too
//! [default]
//! secret_id = AKIDexample
//! secret_key: "example key"   ; a comment after whitespace
//! token =
//! ```
//!
//! Rules, in the order they apply to each line:
//!
//! - A UTF-8 byte order mark at the very start is skipped. Lines end at LF,
//!   CRLF or a lone CR. Spaces and tabs around a line are ignored.
//! - A blank line, or one starting with `#` or `;`, is skipped.
//! - `[ name ]` starts a section; the name is trimmed and compared exactly
//!   (`Default` is not `default`). Text after `]` may only be a comment.
//!   A name given twice continues the same section (the blocks merge).
//! - Anything else is `key = value` or `key: value`: the first `=` or `:` on
//!   the line splits it, so later ones belong to the value. Key names are
//!   compared ignoring ASCII case; unknown keys are skipped; when a key is
//!   given again, the last value wins. Keys before the first section belong
//!   to no profile and are skipped.
//! - A value wrapped in one pair of matching quotes (`"..."` or `'...'`)
//!   loses them and keeps everything inside, spaces included. Otherwise a
//!   `#` or `;` that follows a space or tab starts a comment (`ab#cd` stays
//!   whole). A quoted value may be followed by such a comment.
//! - A line that fits none of these, or is not UTF-8, is an error naming
//!   its line, wherever it is in the file. Indented continuation lines, which
//!   some INI readers join to the value above, are such lines: a credential
//!   never spans lines.

use core::fmt;

use crate::error::{Error, ErrorKind};
use crate::limits;

/// The UTF-8 byte order mark some editors put at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A value found in the file, and the 1-based line it came from.
///
/// `Debug` shows only the line: the value may be a secret.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The value, without quotes or comment, borrowed from the file.
    pub value: &'a str,
    /// The 1-based line of the file.
    pub line: u32,
}

impl fmt::Debug for Entry<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("value", &format_args!("<redacted>"))
            .field("line", &self.line)
            .finish()
    }
}

/// What a credentials file holds for one profile.
///
/// Each entry is the last one given for its key across every block of the
/// profile; `None` when the key never appears in it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Profile<'a> {
    /// Whether a `[profile]` header appears in the file at all.
    pub found: bool,
    /// The last `secret_id`.
    pub secret_id: Option<Entry<'a>>,
    /// The last `secret_key`.
    pub secret_key: Option<Entry<'a>>,
    /// The last `token`.
    pub token: Option<Entry<'a>>,
}

/// Parses a whole credentials file and picks out `profile`.
///
/// Pure and allocation-free: the entries borrow from `text`. The whole file
/// is checked, so a malformed line in another profile is an error too. An
/// error names the line (and, for size, the limit) but never the line's
/// content; the caller adds the file.
pub fn parse<'a>(text: &'a [u8], profile: &str) -> Result<Profile<'a>, Error> {
    if text.len() > limits::PROFILE_FILE {
        return Err(Error::capacity(
            "credentials file is too large",
            limits::PROFILE_FILE,
        ));
    }
    let text = text.strip_prefix(BOM).unwrap_or(text);

    let mut found = Profile::default();
    let mut inside = false;
    for (number, bytes) in Lines::new(text) {
        let at = |message| Error::new(ErrorKind::Parse, message).with_line(number);
        let line = core::str::from_utf8(bytes).map_err(|_| at("line is not valid utf-8"))?;
        match Line::read(line).map_err(at)? {
            Line::Skip => {}
            Line::Section(name) => {
                inside = name == profile;
                found.found |= inside;
            }
            Line::Pair(key, value) if inside => {
                let entry = Some(Entry {
                    value,
                    line: number,
                });
                if key.eq_ignore_ascii_case("secret_id") {
                    found.secret_id = entry;
                } else if key.eq_ignore_ascii_case("secret_key") {
                    found.secret_key = entry;
                } else if key.eq_ignore_ascii_case("token") {
                    found.token = entry;
                }
            }
            Line::Pair(..) => {}
        }
    }
    Ok(found)
}

/// The lines of a file with their 1-based numbers, split at LF, CRLF or CR.
struct Lines<'a> {
    rest: Option<&'a [u8]>,
    number: u32,
}

impl<'a> Lines<'a> {
    fn new(text: &'a [u8]) -> Self {
        Self {
            rest: Some(text),
            number: 0,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (u32, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest?;
        self.number = self.number.saturating_add(1);
        let Some(end) = rest.iter().position(|b| matches!(b, b'\n' | b'\r')) else {
            self.rest = None;
            return Some((self.number, rest));
        };
        let (line, tail) = rest.split_at_checked(end).unwrap_or((rest, &[]));
        let tail = tail
            .strip_prefix(b"\r\n")
            .or_else(|| tail.get(1..))
            .unwrap_or(&[]);
        self.rest = Some(tail);
        Some((self.number, line))
    }
}

/// One line, understood.
enum Line<'a> {
    /// Blank or a comment.
    Skip,
    /// `[name]`, the name trimmed.
    Section(&'a str),
    /// `key = value`, both trimmed, the value unquoted and without comment.
    Pair(&'a str, &'a str),
}

impl<'a> Line<'a> {
    fn read(line: &'a str) -> Result<Self, &'static str> {
        let line = trim(line);
        if line.is_empty() || line.starts_with(['#', ';']) {
            return Ok(Self::Skip);
        }
        if let Some(header) = line.strip_prefix('[') {
            let (name, after) = header
                .split_once(']')
                .ok_or("section header has no closing ']'")?;
            let name = trim(name);
            if name.is_empty() {
                return Err("section name is empty");
            }
            if !trim(after).is_empty() && !is_comment(after) {
                return Err("text after section header");
            }
            return Ok(Self::Section(name));
        }
        let (key, value) = line
            .split_once(['=', ':'])
            .ok_or("line has no '=' or ':'")?;
        let key = trim(key);
        if key.is_empty() {
            return Err("key name is empty");
        }
        Ok(Self::Pair(key, value_of(value)))
    }
}

/// The value after the delimiter: unquoted, or cut at its comment, and trimmed.
fn value_of(raw: &str) -> &str {
    let start = raw.trim_start_matches([' ', '\t']);
    for quote in ['"', '\''] {
        let quoted = start
            .strip_prefix(quote)
            .and_then(|inner| inner.split_once(quote));
        if let Some((inner, after)) = quoted {
            if trim(after).is_empty() || is_comment(after) {
                return inner;
            }
        }
    }
    trim(before_comment(raw))
}

/// `text` up to the first `#` or `;` that follows a space or tab.
fn before_comment(text: &str) -> &str {
    let mut after_space = false;
    for (at, c) in text.char_indices() {
        if after_space && matches!(c, '#' | ';') {
            return text.split_at_checked(at).map_or(text, |(head, _)| head);
        }
        after_space = matches!(c, ' ' | '\t');
    }
    text
}

/// Whether `text` is whitespace and then a comment (`  # ...`).
fn is_comment(text: &str) -> bool {
    let rest = text.trim_start_matches([' ', '\t']);
    rest.len() < text.len() && rest.starts_with(['#', ';'])
}

fn trim(text: &str) -> &str {
    text.trim_matches([' ', '\t'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_at_every_kind_of_end() {
        let lines: heapless::Vec<(u32, &[u8]), 8> = Lines::new(b"a\r\nb\rc\n\nd").collect();
        let expected: [(u32, &[u8]); 5] = [(1, b"a"), (2, b"b"), (3, b"c"), (4, b""), (5, b"d")];
        assert_eq!(lines.as_slice(), expected.as_slice());
    }

    #[test]
    fn values_lose_quotes_and_comments() {
        for (raw, value) in [
            (" AKID1 ; old", "AKID1"),
            (" ab#cd", "ab#cd"),
            (" \"a #b\" # c", "a #b"),
            (" 'x' ", "x"),
            (" \"x\"y", "\"x\"y"),
            (" \"x'", "\"x'"),
            (" ; all comment", ""),
            ("", ""),
        ] {
            assert_eq!(value_of(raw), value, "{raw:?}");
        }
    }
}
