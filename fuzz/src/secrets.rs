//! "Nothing secret is shown": which bytes fed in are secret, which are not,
//! and the check that an error's or a value's text shows none of the former.
//!
//! A leak is an 8-byte run of a secret, holding the marker `¤` (U+00A4, bytes
//! C2 A4), that appears in the text shown but in no public input. The marker
//! keeps the check free of false alarms: no fixed text of the crate holds
//! `¤`, so such a run can only have come from an input. Seeds put the marker
//! in every secret value, and the fuzzer carries it wherever it mutates.

use std::collections::HashSet;
use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use tencentcloud_credential::Error;

/// The marker, as UTF-8 bytes.
pub const MARK: &[u8] = "¤".as_bytes();

/// Runs of a secret this long, holding the marker, must not be shown.
pub const WINDOW: usize = 8;

/// The inputs of one run, sorted into secret and public.
#[derive(Default)]
pub struct Secrets {
    windows: HashSet<Vec<u8>>,
    /// Public inputs holding the marker, as fed and in each escaped form.
    public: Vec<String>,
}

/// `text` and the forms errors (`\u{..}`) and `Debug` show it in.
fn forms(text: &str) -> [String; 3] {
    // `Debug` of a `str` escapes more than `str::escape_debug` (combining
    // marks anywhere, not only first): take its own output, without quotes.
    let debug = format!("{text:?}");
    let debug = debug
        .strip_prefix('"')
        .and_then(|d| d.strip_suffix('"'))
        .unwrap_or(&debug)
        .to_string();
    [text.to_string(), escape(text), debug]
}

impl Secrets {
    /// Nothing known yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// `bytes` are secret (a key, a token, a file's contents).
    pub fn secret(&mut self, bytes: &[u8]) {
        self.add_windows(bytes);
        let text = String::from_utf8_lossy(bytes);
        for form in forms(&text) {
            self.add_windows(form.as_bytes());
        }
    }

    /// `bytes` are not secret and may be shown (a path, a profile name, an API message).
    pub fn public(&mut self, bytes: &[u8]) {
        if marks(bytes).next().is_some() {
            let text = String::from_utf8_lossy(bytes);
            for form in forms(&text) {
                if !self.public.contains(&form) {
                    self.public.push(form);
                }
            }
            // Longest first, so that redacting one never splits a longer one.
            self.public.sort_by_key(|p| core::cmp::Reverse(p.len()));
        }
    }

    /// A JSON response body: the values of credential fields are secret, the
    /// values of `Code`, `Message` and `RequestId` public (errors show them).
    ///
    /// Only strict JSON is sorted: in anything else no reader can tell keys
    /// from values for sure, so such a body adds nothing.
    pub fn json_body(&mut self, body: &[u8]) {
        let Ok(Pairs(pairs)) = serde_json::from_slice::<Pairs>(body) else {
            return;
        };
        for (key, value) in pairs {
            match key.as_str() {
                // The secret id is shown masked by design: it is not a secret here.
                "TmpSecretKey" | "Token" | "WebIdentityToken" => self.secret(value.as_bytes()),
                "Code" | "Message" | "RequestId" => self.public(value.as_bytes()),
                _ => {}
            }
        }
    }

    fn add_windows(&mut self, bytes: &[u8]) {
        if bytes.len() < WINDOW {
            return;
        }
        for at in marks(bytes) {
            let first = (at + MARK.len()).saturating_sub(WINDOW);
            let last = at.min(bytes.len() - WINDOW);
            for start in first..=last {
                if let Some(w) = bytes.get(start..start + WINDOW) {
                    self.windows.insert(w.to_vec());
                }
            }
        }
    }

    /// Panics when `shown` holds a secret run, once every public input in
    /// it is blanked out (so that a run made of public text and the text
    /// around it is not taken for a secret).
    pub fn check(&self, what: &str, shown: &str) {
        if self.windows.is_empty() || marks(shown.as_bytes()).next().is_none() {
            return;
        }
        // Every whole public text first: a cut-short match is looser (a
        // short head such as `0...` can match elsewhere) and must not eat
        // into a public text that is shown whole.
        let mut blanked = blank_masked_ids(shown);
        for public in &self.public {
            blanked = blanked.replace(public.as_str(), BLANK);
        }
        for public in &self.public {
            blanked = blank_cut(&blanked, public);
        }
        for w in &self.windows {
            let public = self.public.iter().any(|p| contains(p.as_bytes(), w));
            if contains(blanked.as_bytes(), w) && !public {
                panic!(
                    "{what} shows secret bytes {:?}: {:?}",
                    String::from_utf8_lossy(w),
                    shown
                );
            }
        }
    }

    /// Checks an error's `Display` and `Debug`.
    pub fn check_error(&self, what: &str, e: &Error) {
        self.check(&format!("{what} error (Display)"), &format!("{e}"));
        self.check(&format!("{what} error (Debug)"), &format!("{e:?}"));
    }
}

/// Every string value of a JSON text with the key it is the value of, at
/// any depth, duplicates included (a map would keep only the last).
struct Pairs(Vec<(String, String)>);

impl<'de> serde::Deserialize<'de> for Pairs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut pairs = Vec::new();
        d.deserialize_any(Collect {
            key: None,
            out: &mut pairs,
        })?;
        Ok(Pairs(pairs))
    }
}

/// Walks one JSON value, noting each string with the key above it.
struct Collect<'o> {
    key: Option<String>,
    out: &'o mut Vec<(String, String)>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Collect<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Collect<'_> {
    type Value = ();

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        if let Some(key) = self.key {
            self.out.push((key, v.to_string()));
        }
        Ok(())
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let item = Collect {
                key: self.key.clone(),
                out: &mut *self.out,
            };
            if seq.next_element_seed(item)?.is_none() {
                return Ok(());
            }
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            map.next_value_seed(Collect {
                key: Some(key),
                out: &mut *self.out,
            })?;
        }
        Ok(())
    }
}

/// What a public text is replaced with before the check.
const BLANK: &str = "\u{1}";

/// `shown` with every masked secret id of a credential's `Debug`
/// (`secret_id: ` up to four characters, `****`, up to four characters,
/// `, secret_key: `) blanked out: those characters are shown by design,
/// and a secret id read from a file (all of it secret here) is no leak.
fn blank_masked_ids(shown: &str) -> String {
    const BEFORE: &str = "secret_id: ";
    const AFTER: &str = ", secret_key: ";
    let mut out = String::new();
    let mut rest = shown;
    while let Some(at) = rest.find(BEFORE) {
        let (head, tail) = rest.split_at(at + BEFORE.len());
        out.push_str(head);
        rest = tail;
        if let Some(masked) = masked_len(rest, AFTER) {
            out.push_str(BLANK);
            rest = &rest[masked..];
        }
    }
    out.push_str(rest);
    out
}

/// The length of a masked id at the start of `text` (at most four
/// characters, `****`, at most four characters) when `after` follows it.
fn masked_len(text: &str, after: &str) -> Option<usize> {
    let bounds = |t: &str| -> Vec<usize> {
        let mut b: Vec<usize> = t.char_indices().map(|(at, _)| at).take(5).collect();
        if b.len() < 5 {
            b.push(t.len());
        }
        b
    };
    for head in bounds(text) {
        let Some(stars) = text[head..].strip_prefix("****") else {
            continue;
        };
        let tail_at = text.len() - stars.len();
        for tail in bounds(stars) {
            if stars[tail..].starts_with(after) {
                return Some(tail_at + tail);
            }
        }
    }
    None
}

/// `shown` with `public` blanked out where it is cut short as errors cut
/// long texts: its start then `...`, or `...` then its end.
fn blank_cut(shown: &str, public: &str) -> String {
    let mut out = shown.to_string();
    let bounds: Vec<usize> = public.char_indices().map(|(at, _)| at).skip(1).collect();
    for &at in bounds.iter().rev() {
        let head = format!("{}...", public.get(..at).unwrap_or_default());
        if out.contains(&head) {
            out = out.replace(&head, BLANK);
            break;
        }
    }
    for &at in &bounds {
        let tail = format!("...{}", public.get(at..).unwrap_or_default());
        if out.contains(&tail) {
            out = out.replace(&tail, BLANK);
            break;
        }
    }
    out
}

/// Where the marker starts in `bytes`.
fn marks(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .windows(MARK.len())
        .enumerate()
        .filter(|(_, w)| *w == MARK)
        .map(|(at, _)| at)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// `text` with control characters written as `\u{..}`, as errors show them.
pub fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}
