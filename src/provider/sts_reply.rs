//! Reading STS replies: temporary credentials, or the error Tencent Cloud reported.
//!
//! `AssumeRole` and `AssumeRoleWithWebIdentity` answer with the same shape:
//! `Response.Credentials.{TmpSecretId, TmpSecretKey, Token}` and
//! `Response.ExpiredTime` (unix seconds) on success, `Response.Error.{Code,
//! Message}` on failure, and `Response.RequestId` in both. Other fields
//! (`Expiration`, anything added later) are skipped.
//!
//! Errors name the field they are about by its full path, e.g.
//! `Response.Credentials.Token`, and never show a credential value.

use core::cell::Cell;
use core::fmt;

use heapless::String;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json_core::str::EscapedStr;
use zeroize::Zeroize;

use super::json_syntax::{self, Problem};
use crate::credential::Credential;
use crate::error::{ApiError, Error, ErrorKind};
use crate::limits;

/// Scratch space for unescaping the strings of fields that are skipped, in bytes.
///
/// The fields read here are decoded straight into their own buffers; only an
/// unknown field holding a long string with escapes can need more than this.
pub const SCRATCH: usize = 2048;

const RESPONSE: &str = "Response";
const CREDENTIALS: &str = "Response.Credentials";
const SECRET_ID: &str = "Response.Credentials.TmpSecretId";
const SECRET_KEY: &str = "Response.Credentials.TmpSecretKey";
const TOKEN: &str = "Response.Credentials.Token";
const EXPIRED_TIME: &str = "Response.ExpiredTime";
const ERROR: &str = "Response.Error";
const CODE: &str = "Response.Error.Code";
const MESSAGE: &str = "Response.Error.Message";
const REQUEST_ID: &str = "Response.RequestId";

/// Reads the reply to an STS call answered with HTTP `status`.
///
/// `now` (unix seconds) is when the request was made: credentials whose
/// `ExpiredTime` is not after it are refused as expired. A reply carrying
/// `Response.Error` is an [`ErrorKind::Api`] error with code, message and
/// request id, whatever the status. Any other status than 200 is an
/// [`ErrorKind::HttpStatus`] error. A body over
/// [`limits::RESPONSE_BODY`] bytes is a capacity error.
pub fn parse(status: u16, body: &[u8], now: u64) -> Result<Credential, Error> {
    if body.len() > limits::RESPONSE_BODY {
        let e = Error::capacity("sts reply is too long", limits::RESPONSE_BODY);
        return Err(with_odd_status(e, status));
    }

    let mut reply = Reply::default();
    let read = read(body, &mut reply);
    if let Some(mut api) = reply.error.take().filter(|_| read.is_ok()) {
        api.request_id = core::mem::take(&mut reply.request_id);
        let e = Error::new(ErrorKind::Api, "sts returned an error").with_api(api);
        return Err(with_odd_status(e, status));
    }
    if status != 200 {
        return Err(
            Error::new(ErrorKind::HttpStatus, "unexpected http status from sts")
                .with_status(status),
        );
    }
    read?;

    let missing = |key| Error::new(ErrorKind::Parse, "sts reply lacks a field").with_key(key);
    if !reply.response {
        return Err(missing(RESPONSE));
    }
    if !reply.credentials {
        return Err(missing(CREDENTIALS));
    }
    let id = reply.id.as_ref().ok_or_else(|| missing(SECRET_ID))?;
    let key = reply.key.as_ref().ok_or_else(|| missing(SECRET_KEY))?;
    let token = reply.token.as_ref().ok_or_else(|| missing(TOKEN))?;
    let expires_at = reply.expired_time.ok_or_else(|| missing(EXPIRED_TIME))?;

    for (value, field) in [
        (&id.0[..], SECRET_ID),
        (&key.0[..], SECRET_KEY),
        (&token.0[..], TOKEN),
    ] {
        if value.is_empty() {
            return Err(Error::new(ErrorKind::Parse, "sts reply field is empty").with_key(field));
        }
    }
    let named = |field| move |e: Error| e.with_key(field);
    Credential::new(&id.0, "k", None).map_err(named(SECRET_ID))?;
    Credential::new("i", &key.0, None).map_err(named(SECRET_KEY))?;
    let credential = Credential::new(&id.0, &key.0, Some(&token.0)).map_err(named(TOKEN))?;

    if expires_at <= now {
        return Err(Error::new(
            ErrorKind::Expired,
            "credentials expired on arrival",
        ));
    }
    Ok(credential.with_expiry(expires_at))
}

/// `e`, naming `status` unless it is the expected 200.
fn with_odd_status(e: Error, status: u16) -> Error {
    if status == 200 {
        e
    } else {
        e.with_status(status)
    }
}

/// What was read from a reply, before it is judged.
#[derive(Default)]
struct Reply {
    response: bool,
    credentials: bool,
    id: Option<Secret<{ limits::SECRET_ID }>>,
    key: Option<Secret<{ limits::SECRET_KEY }>>,
    token: Option<Secret<{ limits::TOKEN }>>,
    expired_time: Option<u64>,
    error: Option<ApiError>,
    request_id: String<64>,
}

/// A credential part as read; zeroized on drop.
#[derive(Default)]
struct Secret<const N: usize>(String<N>);

impl<const N: usize> Drop for Secret<N> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Where the reader is, and why it stopped, for errors that name a field.
#[derive(Default)]
struct Trail {
    field: Cell<Option<&'static str>>,
    failure: Cell<Option<Failure>>,
}

#[derive(Clone, Copy)]
enum Failure {
    TooLong(usize),
    BadEscape,
    WrongType,
}

impl Trail {
    /// Marks `field` as being read; returns the field to restore afterwards.
    fn enter(&self, field: &'static str) -> Option<&'static str> {
        self.field.replace(Some(field))
    }

    fn leave(&self, outer: Option<&'static str>) {
        self.field.set(outer);
    }

    fn fail<E: de::Error>(&self, failure: Failure) -> E {
        self.failure.set(Some(failure));
        E::custom("sts reply field")
    }

    /// The crate error for a failed read.
    fn error(&self, e: serde_json_core::de::Error) -> Error {
        use serde_json_core::de::Error as Json;
        let field = self.field.get();
        let named = |e: Error| match field {
            Some(field) => e.with_key(field),
            None => e,
        };
        match (self.failure.get(), e) {
            (Some(Failure::TooLong(limit)), _) => {
                named(Error::capacity("sts reply field is too long", limit))
            }
            (Some(Failure::WrongType), _) | (None, Json::InvalidType | Json::InvalidNumber)
                if field.is_some() =>
            {
                named(Error::new(
                    ErrorKind::Parse,
                    "sts reply field has the wrong type",
                ))
            }
            (None, Json::EscapedStringIsTooLong) => {
                named(Error::capacity("sts reply string is too long", SCRATCH))
            }
            (Some(Failure::BadEscape), _) => named(malformed()),
            _ => malformed(),
        }
    }
}

fn malformed() -> Error {
    Error::new(ErrorKind::Parse, "sts reply is malformed")
}

/// Reads `body` into `reply`.
fn read(body: &[u8], reply: &mut Reply) -> Result<(), Error> {
    // The reader below recurses without limit and skips unknown values
    // without checking them: only strict, shallow JSON reaches it.
    match json_syntax::check(body) {
        Ok(()) => {}
        Err(Problem::Malformed) => return Err(malformed()),
        Err(Problem::TooDeep) => {
            return Err(Error::new(
                ErrorKind::Parse,
                "sts reply is nested more than 16 levels deep",
            ))
        }
    }
    let trail = Trail::default();
    let mut scratch = [0u8; SCRATCH];
    let mut json = serde_json_core::de::Deserializer::new(body, Some(&mut scratch));
    let seed = Object {
        trail: &trail,
        reply,
        level: Level::Top,
    };
    let result = seed
        .deserialize(&mut json)
        .and_then(|()| json.end().map(|_| ()));
    // Skipped strings were unescaped in the scratch space; they may be anything.
    scratch.zeroize();
    result.map_err(|e| trail.error(e))
}

/// The objects of a reply that hold fields we read.
#[derive(Clone, Copy)]
enum Level {
    Top,
    Response,
    Credentials,
    Error,
}

impl Level {
    /// The keys read at this level, with the path each names in errors.
    fn fields(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Top => &[("Response", RESPONSE)],
            Self::Response => &[
                ("Credentials", CREDENTIALS),
                ("ExpiredTime", EXPIRED_TIME),
                ("Error", ERROR),
                ("RequestId", REQUEST_ID),
            ],
            Self::Credentials => &[
                ("TmpSecretId", SECRET_ID),
                ("TmpSecretKey", SECRET_KEY),
                ("Token", TOKEN),
            ],
            Self::Error => &[("Code", CODE), ("Message", MESSAGE)],
        }
    }
}

/// Reads one object of the reply (or `null`, taken as absent).
struct Object<'t, 'r> {
    trail: &'t Trail,
    reply: &'r mut Reply,
    level: Level,
}

impl<'de> DeserializeSeed<'de> for Object<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Object<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Self {
            trail,
            reply,
            level,
        } = self;
        match level {
            Level::Top => {}
            Level::Response => reply.response = true,
            Level::Credentials => reply.credentials = true,
            Level::Error => reply.error = Some(ApiError::default()),
        }
        while let Some(known) = map.next_key_seed(Key(level.fields()))? {
            let Some((_, field)) = known else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let outer = trail.enter(field);
            match field {
                RESPONSE | CREDENTIALS | ERROR => {
                    let level = match field {
                        RESPONSE => Level::Response,
                        CREDENTIALS => Level::Credentials,
                        _ => Level::Error,
                    };
                    map.next_value_seed(Object {
                        trail,
                        reply: &mut *reply,
                        level,
                    })?;
                }
                EXPIRED_TIME => {
                    reply.expired_time = match map.next_value::<Option<f64>>()? {
                        None => None,
                        Some(seconds) => Some(
                            whole_seconds(seconds)
                                .ok_or_else(|| trail.fail::<A::Error>(Failure::WrongType))?,
                        ),
                    };
                }
                SECRET_ID => reply.id = map.next_value_seed(Exact(trail))?,
                SECRET_KEY => reply.key = map.next_value_seed(Exact(trail))?,
                TOKEN => reply.token = map.next_value_seed(Exact(trail))?,
                REQUEST_ID => {
                    let text = map.next_value_seed(Shortened(trail))?;
                    reply.request_id = text.unwrap_or_default();
                }
                CODE => {
                    let text = map.next_value_seed(Shortened(trail))?;
                    if let (Some(api), Some(text)) = (reply.error.as_mut(), text) {
                        api.code = text;
                    }
                }
                MESSAGE => {
                    let text = map.next_value_seed(Shortened(trail))?;
                    if let (Some(api), Some(text)) = (reply.error.as_mut(), text) {
                        api.message = text;
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            trail.leave(outer);
        }
        Ok(())
    }
}

/// `ExpiredTime` as unix seconds, when it is a whole number of them.
///
/// The number is read as a float, so `1.7e9` and `1700000000.0` are accepted
/// as the whole seconds they denote; fractions, negatives and numbers past
/// 2^53 (where floats stop counting in ones) are not.
fn whole_seconds(seconds: f64) -> Option<u64> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if !(0.0..=EXACT).contains(&seconds) {
        return None;
    }
    // In range, so the cast is exact when `seconds` has no fraction.
    let whole = seconds as u64;
    (whole as f64 == seconds).then_some(whole)
}

/// Matches an object key against the fields of a level.
struct Key(&'static [(&'static str, &'static str)]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<(&'static str, &'static str)>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Key {
    type Value = Option<(&'static str, &'static str)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().find(|(name, _)| *name == key).copied())
    }
}

/// Reads a credential part: it must fit its buffer whole.
struct Exact<'t, const N: usize>(&'t Trail);

impl<'de, const N: usize> DeserializeSeed<'de> for Exact<'_, N> {
    type Value = Option<Secret<N>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        let Some(raw) = Option::<EscapedStr<'de>>::deserialize(deserializer)? else {
            return Ok(None);
        };
        let mut out = Secret(String::new());
        let fits = unescape(raw.0, |c| out.0.push(c).is_ok())
            .map_err(|_| self.0.fail::<D::Error>(Failure::BadEscape))?;
        if !fits {
            return Err(self.0.fail(Failure::TooLong(N)));
        }
        Ok(Some(out))
    }
}

/// Reads a text shown in errors (code, message, request id): one too long
/// for its buffer is cut, ending in `...`, so that the rest is still reported.
struct Shortened<'t, const N: usize>(&'t Trail);

impl<'de, const N: usize> DeserializeSeed<'de> for Shortened<'_, N> {
    type Value = Option<String<N>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        let Some(raw) = Option::<EscapedStr<'de>>::deserialize(deserializer)? else {
            return Ok(None);
        };
        let mut out = String::<N>::new();
        let fits = unescape(raw.0, |c| out.push(c).is_ok())
            .map_err(|_| self.0.fail::<D::Error>(Failure::BadEscape))?;
        if !fits {
            while out.len() + 3 > N {
                if out.pop().is_none() {
                    break;
                }
            }
            let _ = out.push_str("...");
        }
        Ok(Some(out))
    }
}

/// The escape sequence at hand is not valid JSON (or a lone surrogate).
struct BadEscape;

/// Decodes the JSON string body `raw`, handing each character to `push`.
///
/// Stops early, returning `Ok(false)`, when `push` says there is no room.
/// Surrogate pairs (`\ud83d\ude00`) decode to one character.
fn unescape(raw: &str, mut push: impl FnMut(char) -> bool) -> Result<bool, BadEscape> {
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        let c = match c {
            '\\' => match chars.next().ok_or(BadEscape)? {
                '"' => '"',
                '\\' => '\\',
                '/' => '/',
                'b' => '\u{8}',
                'f' => '\u{c}',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'u' => {
                    let unit = hex4(&mut chars)?;
                    match unit {
                        0xd800..=0xdbff => {
                            let (Some('\\'), Some('u')) = (chars.next(), chars.next()) else {
                                return Err(BadEscape);
                            };
                            let low = hex4(&mut chars)?;
                            if !(0xdc00..=0xdfff).contains(&low) {
                                return Err(BadEscape);
                            }
                            let code = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                            char::from_u32(code).ok_or(BadEscape)?
                        }
                        _ => char::from_u32(unit).ok_or(BadEscape)?,
                    }
                }
                _ => return Err(BadEscape),
            },
            c => c,
        };
        if !push(c) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Reads the four hex digits of a `\u` escape.
fn hex4(chars: &mut core::str::Chars<'_>) -> Result<u32, BadEscape> {
    let mut unit = 0;
    for _ in 0..4 {
        let digit = chars.next().and_then(|c| c.to_digit(16)).ok_or(BadEscape)?;
        unit = unit * 16 + digit;
    }
    Ok(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    extern crate std;
    use std::string::{String as Text, ToString};

    fn decoded(raw: &str) -> Result<Text, ()> {
        let mut out = Text::new();
        let whole = unescape(raw, |c| {
            out.push(c);
            true
        })
        .map_err(|_| ())?;
        assert!(whole);
        Ok(out)
    }

    #[test]
    fn unescape_decodes_every_json_escape() {
        let cases = [
            (r#"plain"#, "plain"),
            (r#"\"\\\/\b\f\n\r\t"#, "\"\\/\u{8}\u{c}\n\r\t"),
            (r"\u00e9\u4E2D", "é中"),
            (r"\ud83d\ude00!", "😀!"),
            ("raw é", "raw é"),
        ];
        for (raw, text) in cases {
            assert_eq!(decoded(raw), Ok(text.to_string()), "{raw}");
        }
    }

    #[test]
    fn unescape_refuses_broken_escapes() {
        for raw in [
            r"\",
            r"\x",
            r"\u12",
            r"\u12g4",
            r"\ud83d",
            r"\ud83dx",
            r"\ud83d\u0041",
            r"\ude00",
        ] {
            assert_eq!(decoded(raw), Err(()), "{raw}");
        }
    }

    #[test]
    fn unescape_stops_when_out_of_room() {
        let mut out = String::<3>::new();
        assert_eq!(unescape("abcd", |c| out.push(c).is_ok()).ok(), Some(false));
        assert_eq!(out.as_str(), "abc");
    }

    #[test]
    fn whole_seconds_only() {
        let cases = [
            (0.0, Some(0)),
            (1_700_007_200.0, Some(1_700_007_200)),
            (9_007_199_254_740_992.0, Some(9_007_199_254_740_992)),
            (9_007_199_254_740_994.0, None),
            (1.5, None),
            (-1.0, None),
            (f64::NAN, None),
            (f64::INFINITY, None),
        ];
        for (seconds, whole) in cases {
            assert_eq!(whole_seconds(seconds), whole, "{seconds}");
        }
    }

    #[test]
    fn parse_names_the_status_with_api_errors_only() {
        let api = br#"{"Response":{"Error":{"Code":"C"},"RequestId":"R"}}"#;
        let e = parse(429, api, 0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "sts returned an error (http status 429, code C, request id R)"
        );
        let e = parse(429, b"slow down", 0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unexpected http status from sts (http status 429)"
        );
    }

    #[test]
    fn a_long_escaped_unknown_string_is_a_capacity_error() {
        let long = "\\n".repeat(SCRATCH + 1);
        let body = std::format!(r#"{{"Response":{{"Note":"{long}"}}}}"#);
        let e = parse(200, body.as_bytes(), 0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "sts reply string is too long (key Response, limit 2048 bytes)"
        );
    }
}
