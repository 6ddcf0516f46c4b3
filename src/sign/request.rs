//! The header set of an API 3.0 request, signed with TC3 or sent unsigned.

use core::fmt;

use heapless::String;

use super::digits::Decimal;
use super::key_cache::KeyCache;
use super::tc3::{self, has_control, Authorization, Payload, Tc3Request, UNSIGNED_PAYLOAD};
use crate::credential::Credential;
use crate::error::{Error, ErrorKind};

/// The `X-TC-RequestClient` value: `SDK_RUST_` and this crate's version.
pub const REQUEST_CLIENT: &str = concat!("SDK_RUST_", env!("CARGO_PKG_VERSION"));

/// Longest action name, in bytes (the header copies it to upper-case its first letter).
pub const MAX_ACTION: usize = 128;

/// Room for the decimal text of any `u64`.
const TIMESTAMP_LEN: usize = 20;

/// One API call, as far as its headers go.
#[derive(Clone, Copy, Debug)]
pub struct ApiRequest<'a> {
    /// The product, e.g. `cvm`; names the credential scope.
    pub service: &'a str,
    /// The endpoint host, e.g. `cvm.tencentcloudapi.com`.
    pub host: &'a str,
    /// The action, e.g. `DescribeInstances`; its first letter is sent upper-cased.
    pub action: &'a str,
    /// The API version, e.g. `2017-03-12`.
    pub version: &'a str,
    /// The region; `""` sends no `X-TC-Region`.
    pub region: &'a str,
    /// `POST` or `GET`.
    pub method: &'a str,
    /// The `Content-Type`: `application/json` for POST,
    /// `application/x-www-form-urlencoded` for GET.
    pub content_type: &'a str,
    /// The encoded query string of a GET; `""` for POST.
    pub query: &'a str,
    /// The body, its hash, or `Payload::Unsigned` (which adds
    /// `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`).
    pub payload: Payload<'a>,
    /// Unix seconds, sent as `X-TC-Timestamp`.
    pub timestamp: u64,
    /// `X-TC-Language` (`zh-CN` or `en-US`), sent when set and not empty.
    pub language: Option<&'a str>,
    /// Also sign `x-tc-action`, as the current TC3 documentation does; the
    /// official SDKs sign only `content-type` and `host`.
    pub sign_action: bool,
}

/// How to authorize a request.
#[derive(Clone, Copy, Debug)]
pub enum Signer<'a> {
    /// Sign with TC3-HMAC-SHA256; a token is sent as `X-TC-Token`.
    Tc3(&'a Credential),
    /// Send `Authorization: SKIP` and no token, as `AssumeRoleWithWebIdentity` needs.
    Skip,
}

/// The headers of one request, in the order they should be sent.
///
/// `Debug` hides the `Authorization` and `X-TC-Token` values.
#[derive(Clone)]
pub struct Headers<'a> {
    authorization: Option<Authorization>,
    content_type: &'a str,
    host: &'a str,
    action: String<MAX_ACTION>,
    timestamp: String<TIMESTAMP_LEN>,
    version: &'a str,
    region: &'a str,
    token: Option<&'a str>,
    language: Option<&'a str>,
    unsigned_payload: bool,
}

/// Names of the headers, in the order [`Headers::iter`] yields them.
const NAMES: [&str; 11] = [
    "Authorization",
    "Content-Type",
    "Host",
    "X-TC-Action",
    "X-TC-Timestamp",
    "X-TC-Version",
    "X-TC-Region",
    "X-TC-Token",
    "X-TC-Language",
    "X-TC-RequestClient",
    "X-TC-Content-SHA256",
];

impl<'a> Headers<'a> {
    /// Each header present as `(name, value)`: `Authorization`, `Content-Type`,
    /// `Host`, `X-TC-Action`, `X-TC-Timestamp`, `X-TC-Version`, then
    /// `X-TC-Region`, `X-TC-Token`, `X-TC-Language` when set,
    /// `X-TC-RequestClient`, and `X-TC-Content-SHA256` for an unsigned payload.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        NAMES
            .into_iter()
            .filter_map(|name| self.value(name).map(|value| (name, value)))
    }

    /// The value of header `name` (any case), if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        let name = NAMES
            .into_iter()
            .find(|known| known.eq_ignore_ascii_case(name))?;
        self.value(name)
    }

    /// The signed `Authorization`; `None` for a skip-sign request.
    pub fn authorization(&self) -> Option<&Authorization> {
        self.authorization.as_ref()
    }

    fn value(&self, name: &'static str) -> Option<&str> {
        let present = |value: &'a str| (!value.is_empty()).then_some(value);
        match name {
            "Authorization" => Some(self.authorization.as_ref().map_or("SKIP", |a| a.as_str())),
            "Content-Type" => Some(self.content_type),
            "Host" => Some(self.host),
            "X-TC-Action" => Some(&self.action),
            "X-TC-Timestamp" => Some(&self.timestamp),
            "X-TC-Version" => Some(self.version),
            "X-TC-Region" => present(self.region),
            "X-TC-Token" => self.token.and_then(present),
            "X-TC-Language" => self.language.and_then(present),
            "X-TC-RequestClient" => Some(REQUEST_CLIENT),
            "X-TC-Content-SHA256" => self.unsigned_payload.then_some(UNSIGNED_PAYLOAD),
            _ => None,
        }
    }
}

impl fmt::Debug for Headers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.iter() {
            match name {
                "X-TC-Token" => map.entry(&name, &format_args!("<redacted>")),
                "Authorization" if self.authorization.is_some() => {
                    map.entry(&name, &format_args!("<redacted>"))
                }
                _ => map.entry(&name, &value),
            };
        }
        map.finish()
    }
}

/// Builds the headers of `request`, signed as `signer` says.
///
/// An empty action, or a control character (CR, LF, ...) in any value that
/// becomes a header, is an [`ErrorKind::InvalidInput`] error naming the
/// header; an action longer than [`MAX_ACTION`] or an `Authorization` past
/// its limit is a capacity error. Signing allocates nothing. Each call
/// derives the day's signing key; [`headers_with_keys`] keeps it.
pub fn headers<'a>(request: &ApiRequest<'a>, signer: Signer<'a>) -> Result<Headers<'a>, Error> {
    let signing = match signer {
        Signer::Tc3(credential) => Signing::Derive(credential),
        Signer::Skip => Signing::Skip,
    };
    build(request, signing)
}

/// Builds the headers of `request` signed with `credential`, as
/// [`headers`] does with [`Signer::Tc3`], reusing the signing key `keys`
/// keeps for the same secret key, UTC day and service.
///
/// Call it for every request a credential signs, with one [`KeyCache`] per
/// thread: only the first request of a day and service derives a key.
/// Errors are those of [`headers`]; the headers are exactly the same.
pub fn headers_with_keys<'a>(
    request: &ApiRequest<'a>,
    credential: &'a Credential,
    keys: &mut KeyCache,
) -> Result<Headers<'a>, Error> {
    build(request, Signing::Keep(credential, keys))
}

/// How [`build`] signs: deriving the key, with a [`KeyCache`], or not at all.
enum Signing<'a, 'k> {
    Derive(&'a Credential),
    Keep(&'a Credential, &'k mut KeyCache),
    Skip,
}

fn build<'a>(request: &ApiRequest<'a>, signing: Signing<'a, '_>) -> Result<Headers<'a>, Error> {
    let token = match &signing {
        Signing::Derive(credential) | Signing::Keep(credential, _) => credential.token(),
        Signing::Skip => None,
    };
    if request.action.is_empty() {
        return Err(
            Error::new(ErrorKind::InvalidInput, "action should not be empty")
                .with_key("x-tc-action"),
        );
    }
    let values = [
        ("content-type", request.content_type),
        ("host", request.host),
        ("x-tc-action", request.action),
        ("x-tc-version", request.version),
        ("x-tc-region", request.region),
        ("x-tc-token", token.unwrap_or_default()),
        ("x-tc-language", request.language.unwrap_or_default()),
    ];
    for (key, value) in values {
        // `has_control` is `char::is_control` on the UTF-8 bytes.
        if has_control(value) {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "header value contains a control character",
            )
            .with_key(key));
        }
    }

    let action = capitalized(request.action)?;
    let mut timestamp = String::new();
    // Twenty digits hold any u64; pushed as characters, which costs less
    // than checking ten bytes are UTF-8.
    for &digit in Decimal::of(request.timestamp).as_bytes() {
        let _ = timestamp.push(char::from(digit));
    }

    let action_header = [("X-TC-Action", action.as_str())];
    let tc3 = Tc3Request {
        method: request.method,
        path: "/",
        query: request.query,
        host: request.host,
        content_type: request.content_type,
        extra_signed_headers: if request.sign_action {
            &action_header
        } else {
            &[]
        },
        payload: request.payload,
        service: request.service,
        timestamp: request.timestamp,
    };
    let authorization = match signing {
        Signing::Derive(credential) => Some(tc3::sign(
            credential.secret_id(),
            credential.secret_key(),
            &tc3,
        )?),
        Signing::Keep(credential, keys) => {
            Some(keys.sign(credential.secret_id(), credential.secret_key(), &tc3)?)
        }
        Signing::Skip => None,
    };

    Ok(Headers {
        authorization,
        content_type: request.content_type,
        host: request.host,
        action,
        timestamp,
        version: request.version,
        region: request.region,
        token,
        language: request.language,
        unsigned_payload: matches!(request.payload, Payload::Unsigned),
    })
}

/// `action` with its first character upper-cased, as the official SDKs send it.
fn capitalized(action: &str) -> Result<String<MAX_ACTION>, Error> {
    let too_long = || Error::capacity("action is too long", MAX_ACTION).with_key("x-tc-action");
    let mut out = String::new();
    // The usual case: an ASCII first letter, so a character starts after it.
    if let (Some(first), Some(rest)) = (action.bytes().next(), action.get(1..)) {
        if first.is_ascii() {
            out.push(char::from(first.to_ascii_uppercase()))
                .map_err(|_| too_long())?;
            out.push_str(rest).map_err(|_| too_long())?;
            return Ok(out);
        }
    }
    let mut chars = action.chars();
    if let Some(first) = chars.next() {
        for c in first.to_uppercase() {
            out.push(c).map_err(|_| too_long())?;
        }
    }
    out.push_str(chars.as_str()).map_err(|_| too_long())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    extern crate std;
    use std::string::ToString;

    #[test]
    fn first_letter_is_upper_cased() {
        assert_eq!(
            capitalized("describeZones").unwrap().as_str(),
            "DescribeZones"
        );
        assert_eq!(capitalized("ßx").unwrap().as_str(), "SSx");
        assert_eq!(capitalized("1a").unwrap().as_str(), "1a");
    }

    #[test]
    fn long_actions_are_a_capacity_error() {
        let fits = "a".repeat(MAX_ACTION);
        assert_eq!(capitalized(&fits).unwrap().len(), MAX_ACTION);
        let e = capitalized(&"a".repeat(MAX_ACTION + 1)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "action is too long (key x-tc-action, limit 128 bytes)"
        );
    }

    #[test]
    fn request_client_names_this_crate() {
        let version = REQUEST_CLIENT.strip_prefix("SDK_RUST_");
        assert_eq!(version, Some(env!("CARGO_PKG_VERSION")));
    }
}
