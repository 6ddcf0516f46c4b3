//! `Credential`: secret id, secret key, optional token and optional expiry.

use core::fmt;

use heapless::String;
use zeroize::Zeroize;

use crate::error::{Error, ErrorKind};
use crate::limits;

/// A Tencent Cloud credential: secret id, secret key, optional session token
/// and, for temporary credentials, the expiry in unix seconds.
///
/// Construction validates every part, so a `Credential` in hand is always
/// safe to sign with and to put in a header. `Debug` masks the secret id and
/// redacts key and token; key and token are zeroized on drop.
#[derive(Clone)]
pub struct Credential {
    secret_id: String<{ limits::SECRET_ID }>,
    secret_key: String<{ limits::SECRET_KEY }>,
    token: String<{ limits::TOKEN }>,
    expires_at: Option<u64>,
}

impl Credential {
    /// Makes a credential, validating it as the official SDKs do and more.
    ///
    /// Id and key must not be empty, only whitespace, or padded with
    /// whitespace; no part may hold a control character (CR, LF, NUL, ...);
    /// each part must fit its limit in [`limits`]. An empty token means none.
    pub fn new(secret_id: &str, secret_key: &str, token: Option<&str>) -> Result<Self, Error> {
        let secret_id = checked(secret_id, Part::Id)?;
        let secret_key = checked(secret_key, Part::Key)?;
        let token = match token {
            None | Some("") => String::new(),
            Some(token) => checked(token, Part::Token)?,
        };
        Ok(Self {
            secret_id,
            secret_key,
            token,
            expires_at: None,
        })
    }

    /// Returns the credential marked to expire at `expires_at` (unix seconds).
    #[must_use]
    pub fn with_expiry(mut self, expires_at: u64) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The secret id (`SecretId`, `TmpSecretId`).
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The secret key (`SecretKey`, `TmpSecretKey`).
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The session token, for temporary credentials.
    pub fn token(&self) -> Option<&str> {
        (!self.token.is_empty()).then_some(self.token.as_str())
    }

    /// When the credential stops working, in unix seconds; `None` for long-term keys.
    pub fn expires_at(&self) -> Option<u64> {
        self.expires_at
    }

    /// True when the credential has an expiry and `now` (unix seconds) has reached it.
    pub fn is_expired(&self, now: u64) -> bool {
        self.expires_at.is_some_and(|at| now >= at)
    }

    /// Id, key and token of this one credential, together.
    pub fn credential_info(&self) -> (&str, &str, Option<&str>) {
        (self.secret_id(), self.secret_key(), self.token())
    }

    /// The secret id with all but its first and last four characters hidden.
    ///
    /// Ids shorter than 12 characters are hidden entirely.
    pub fn masked_id(&self) -> MaskedId<'_> {
        MaskedId(&self.secret_id)
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("secret_id", &format_args!("{}", self.masked_id()))
            .field("secret_key", &format_args!("<redacted>"))
            .field(
                "token",
                &format_args!(
                    "{}",
                    if self.token.is_empty() {
                        "None"
                    } else {
                        "<redacted>"
                    }
                ),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl PartialEq for Credential {
    fn eq(&self, other: &Self) -> bool {
        self.secret_id == other.secret_id
            && self.secret_key == other.secret_key
            && self.token == other.token
            && self.expires_at == other.expires_at
    }
}

impl Eq for Credential {}

impl Drop for Credential {
    fn drop(&mut self) {
        self.secret_key.zeroize();
        self.token.zeroize();
    }
}

/// A secret id shown with its middle hidden: see [`Credential::masked_id`].
#[derive(Clone, Copy)]
pub struct MaskedId<'a>(&'a str);

impl fmt::Display for MaskedId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.chars().count();
        if count < 12 {
            return f.write_str("****");
        }
        let head_end = self.0.char_indices().nth(4).map_or(0, |(i, _)| i);
        let tail_start = self.0.char_indices().nth(count - 4).map_or(0, |(i, _)| i);
        write!(f, "{}****{}", &self.0[..head_end], &self.0[tail_start..])
    }
}

impl fmt::Debug for MaskedId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

#[derive(Clone, Copy)]
enum Part {
    Id,
    Key,
    Token,
}

fn checked<const N: usize>(value: &str, part: Part) -> Result<String<N>, Error> {
    let (empty, spaces, control, long) = match part {
        Part::Id => (
            "secret id should not be none or empty",
            "secret id should not contain spaces",
            "secret id should not contain control characters",
            "secret id is too long",
        ),
        Part::Key => (
            "secret key should not be none or empty",
            "secret key should not contain spaces",
            "secret key should not contain control characters",
            "secret key is too long",
        ),
        Part::Token => (
            "token should not be empty",
            "token should not contain spaces",
            "token should not contain control characters",
            "token is too long",
        ),
    };
    let invalid = |message| Err(Error::new(ErrorKind::InvalidInput, message));
    if value.trim().is_empty() {
        return invalid(empty);
    }
    if value.trim() != value {
        return invalid(spaces);
    }
    if value.chars().any(char::is_control) {
        return invalid(control);
    }
    String::try_from(value).map_err(|_| Error::capacity(long, N))
}

#[cfg(test)]
mod tests {
    use super::*;

    extern crate std;
    use std::format;
    use std::string::ToString;

    fn message(id: &str, key: &str, token: Option<&str>) -> &'static str {
        Credential::new(id, key, token).unwrap_err().message()
    }

    #[test]
    fn accepts_inner_spaces_and_keeps_values() {
        let c = Credential::new("i d", "k e y", Some("tok")).unwrap();
        assert_eq!(c.credential_info(), ("i d", "k e y", Some("tok")));
        assert_eq!(c.expires_at(), None);
    }

    #[test]
    fn empty_token_means_none() {
        let c = Credential::new("id", "key", Some("")).unwrap();
        assert_eq!(c.token(), None);
    }

    #[test]
    fn rejects_like_the_reference() {
        assert_eq!(
            message("", "k", None),
            "secret id should not be none or empty"
        );
        assert_eq!(
            message("  ", "k", None),
            "secret id should not be none or empty"
        );
        assert_eq!(
            message(" id", "k", None),
            "secret id should not contain spaces"
        );
        assert_eq!(
            message("id\n", "k", None),
            "secret id should not contain spaces"
        );
        assert_eq!(
            message("id", "", None),
            "secret key should not be none or empty"
        );
        assert_eq!(
            message("id", "k ", None),
            "secret key should not contain spaces"
        );
    }

    #[test]
    fn rejects_control_characters_everywhere() {
        assert_eq!(
            message("a\0b", "k", None),
            "secret id should not contain control characters"
        );
        assert_eq!(
            message("id", "k\rk", None),
            "secret key should not contain control characters"
        );
        assert_eq!(
            message("id", "k", Some("abc\r\nX-Evil: 1")),
            "token should not contain control characters"
        );
        assert_eq!(
            message("id", "k", Some(" t")),
            "token should not contain spaces"
        );
    }

    #[test]
    fn rejects_values_over_the_limits() {
        let long = "a".repeat(limits::SECRET_ID + 1);
        let e = Credential::new(&long, "k", None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Capacity);
        assert_eq!(e.to_string(), "secret id is too long (limit 128 bytes)");
        let token = "t".repeat(limits::TOKEN + 1);
        let e = Credential::new("id", "k", Some(&token)).unwrap_err();
        assert_eq!(e.to_string(), "token is too long (limit 4096 bytes)");
        let token = "t".repeat(limits::TOKEN);
        assert!(Credential::new("id", "k", Some(&token)).is_ok());
    }

    #[test]
    fn debug_masks_and_redacts() {
        let c = Credential::new("AKIDabcdefgh12345678", "s3cr3tKEY", Some("t0ken"))
            .unwrap()
            .with_expiry(42);
        let shown = format!("{c:?}");
        assert_eq!(
            shown,
            "Credential { secret_id: AKID****5678, secret_key: <redacted>, \
             token: <redacted>, expires_at: Some(42) }"
        );
        assert!(!shown.contains("s3cr3tKEY") && !shown.contains("t0ken"));
        assert!(!shown.contains("abcdefgh"));
    }

    #[test]
    fn masking_counts_characters_not_bytes() {
        let c = Credential::new("日本語の秘密のIDです長い", "k", None).unwrap();
        assert_eq!(c.masked_id().to_string(), "日本語の****です長い");
        let short = Credential::new("AKID1234567", "k", None).unwrap();
        assert_eq!(short.masked_id().to_string(), "****");
    }

    #[test]
    fn errors_never_show_the_value() {
        let e = Credential::new("id", "secret\nvalue", None).unwrap_err();
        assert!(!e.to_string().contains("secret\nvalue"));
        assert!(!format!("{e:?}").contains("value"));
    }

    #[test]
    fn expiry_is_inclusive() {
        let c = Credential::new("id", "k", None).unwrap().with_expiry(100);
        assert!(!c.is_expired(99));
        assert!(c.is_expired(100));
        assert!(!Credential::new("id", "k", None)
            .unwrap()
            .is_expired(u64::MAX));
    }
}
