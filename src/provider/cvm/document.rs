//! The metadata credentials document:
//! `{TmpSecretId, TmpSecretKey, Token, ExpiredTime, Expiration, Code}`.
//!
//! Strings are decoded with `from_slice_escaped`, so `\u0041` and `\"` arrive
//! as the characters they stand for. A string field holding a number, an
//! array or an object is read as "not a string" rather than failing the
//! whole parse, so the error can name the field. `ExpiredTime` cannot be
//! read that leniently (the parser cannot keep a number it skips), so when
//! the first parse fails a second one skips `ExpiredTime`: if that one
//! succeeds, `ExpiredTime` was the culprit.

use core::fmt;

use heapless::String;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json_core::de::Error as JsonError;
use zeroize::Zeroize;

use super::super::json_syntax::{self, Problem};
use crate::credential::Credential;
use crate::error::{ApiError, Error, ErrorKind};
use crate::limits;

/// Longest `Code` kept, in bytes (what an [`ApiError`] holds).
const CODE: usize = 64;

/// The latest `ExpiredTime` accepted: 9999-12-31T23:59:59Z. Anything later
/// is not a plausible time and would trouble code that formats it as a date.
const MAX_EXPIRED_TIME: u64 = 253_402_300_799;

const MALFORMED: &str = "metadata credentials document is malformed";
const MISSING: &str = "metadata credentials field is missing";
const NOT_STRING: &str = "metadata credentials field is not a string";
const TOO_LONG: &str = "metadata credentials field is too long";
const NOT_TIME: &str = "metadata credentials field is not a unix time";
const TOO_DEEP: &str = "metadata credentials document is nested more than 16 levels deep";

/// The fields read; unknown ones (`Expiration`, ...) are skipped.
#[derive(Deserialize)]
struct Document<T> {
    #[serde(rename = "TmpSecretId")]
    id: Option<Text<{ limits::SECRET_ID }>>,
    #[serde(rename = "TmpSecretKey")]
    key: Option<Text<{ limits::SECRET_KEY }>>,
    #[serde(rename = "Token")]
    token: Option<Text<{ limits::TOKEN }>>,
    #[serde(rename = "ExpiredTime")]
    expired_time: Option<T>,
    #[serde(rename = "Code")]
    code: Option<Text<CODE>>,
}

/// A string field as found: the value, too long for its limit, or not a string.
enum Text<const N: usize> {
    Value(String<N>),
    TooLong,
    NotString,
}

impl<const N: usize> Drop for Text<N> {
    fn drop(&mut self) {
        if let Self::Value(s) = self {
            s.zeroize();
        }
    }
}

impl<'de, const N: usize> Deserialize<'de> for Text<N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `ignored_any` hands strings to `visit_str` (decoded) and consumes
        // any other value, so a wrong type does not stop the parse.
        deserializer.deserialize_ignored_any(TextVisitor::<N>)
    }
}

struct TextVisitor<const N: usize>;

impl<'de, const N: usize> Visitor<'de> for TextVisitor<N> {
    type Value = Text<N>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<N>, E> {
        Ok(String::try_from(v).map_or(Text::TooLong, Text::Value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Text<N>, E> {
        Ok(Text::NotString)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text<N>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Text::NotString)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text<N>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Text::NotString)
    }
}

/// The value of a required string field, or the error naming it.
fn required<'a, const N: usize>(
    field: &'a Option<Text<N>>,
    name: &'static str,
) -> Result<&'a str, Error> {
    match field {
        None => Err(Error::new(ErrorKind::Parse, MISSING).with_key(name)),
        Some(Text::NotString) => Err(Error::new(ErrorKind::Parse, NOT_STRING).with_key(name)),
        Some(Text::TooLong) => Err(Error::capacity(TOO_LONG, N).with_key(name)),
        Some(Text::Value(s)) => Ok(s),
    }
}

impl<T> Document<T> {
    /// Checks the fields in order (`Code` first: a failure document may
    /// hold nothing else) and builds the credential.
    fn credential(
        &self,
        expired_time: Result<Option<u64>, ()>,
        now: u64,
    ) -> Result<Credential, Error> {
        let code = required(&self.code, "Code")?;
        if code != "Success" {
            let mut api = ApiError::default();
            // Fits: `code` is bounded by the same limit.
            let _ = api.code.push_str(code);
            return Err(
                Error::new(ErrorKind::Api, "metadata credentials code is not Success")
                    .with_api(api),
            );
        }

        let id = required(&self.id, "TmpSecretId")?;
        let key = required(&self.key, "TmpSecretKey")?;
        let token = required(&self.token, "Token")?;
        let not_time = || Error::new(ErrorKind::Parse, NOT_TIME).with_key("ExpiredTime");
        let expired_time = match expired_time {
            Err(()) => return Err(not_time()),
            Ok(None) => return Err(Error::new(ErrorKind::Parse, MISSING).with_key("ExpiredTime")),
            Ok(Some(t)) if t > MAX_EXPIRED_TIME => return Err(not_time()),
            Ok(Some(t)) => t,
        };

        // Validate each part alone so that the error names its field.
        Credential::new(id, "k", None).map_err(|e| e.with_key("TmpSecretId"))?;
        Credential::new("i", key, None).map_err(|e| e.with_key("TmpSecretKey"))?;
        if token.is_empty() {
            // `Credential::new` reads an empty token as none; a role
            // credential without one cannot work.
            return Err(
                Error::new(ErrorKind::InvalidInput, "token should not be empty").with_key("Token"),
            );
        }
        let credential = Credential::new(id, key, Some(token)).map_err(|e| e.with_key("Token"))?;

        if expired_time <= now {
            return Err(Error::new(
                ErrorKind::Expired,
                "credentials expired on arrival",
            ));
        }
        Ok(credential.with_expiry(expired_time))
    }
}

/// Reads the credential from a metadata credentials document; `now` is unix
/// seconds, against which `ExpiredTime` is checked.
pub(super) fn credential(body: &[u8], now: u64) -> Result<Credential, Error> {
    // The reader below recurses without limit and skips unknown values
    // without checking them: only strict, shallow JSON reaches it.
    match json_syntax::check(body) {
        Ok(()) => {}
        Err(Problem::Malformed) => return Err(Error::new(ErrorKind::Parse, MALFORMED)),
        Err(Problem::TooDeep) => return Err(Error::new(ErrorKind::Parse, TOO_DEEP)),
    }
    let mut scratch = [0u8; limits::TOKEN];
    let outcome = match serde_json_core::from_slice_escaped::<Document<u64>>(body, &mut scratch) {
        Ok((document, _)) => document.credential(Ok(document.expired_time), now),
        Err(first) => Err(diagnose(body, &mut scratch, first)),
    };
    scratch.zeroize();
    outcome
}

/// Why a document that did not parse is wrong: a bad `ExpiredTime`, a
/// string too long to decode, or malformed JSON.
fn diagnose(body: &[u8], scratch: &mut [u8], first: JsonError) -> Error {
    let too_long = || {
        // The scratch buffer holds the longest field, so a decoded string
        // longer than it is too long for any field.
        Error::capacity(
            "metadata credentials document has a string that is too long",
            limits::TOKEN,
        )
    };
    if first == JsonError::EscapedStringIsTooLong {
        return too_long();
    }
    match serde_json_core::from_slice_escaped::<Document<IgnoredAny>>(body, scratch) {
        Ok((document, _)) => match document.credential(Err(()), 0) {
            Err(e) => e,
            // Unreachable: `Err(())` for `ExpiredTime` always gives an error.
            Ok(_) => Error::new(ErrorKind::Parse, NOT_TIME).with_key("ExpiredTime"),
        },
        Err(JsonError::EscapedStringIsTooLong) => too_long(),
        Err(_) => Error::new(ErrorKind::Parse, MALFORMED),
    }
}
