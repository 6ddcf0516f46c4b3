//! The crate's one error type: a kind, the provider it came from, and context.

use core::fmt;

use heapless::{String, Vec};

use crate::limits;

/// What went wrong, broadly. Match on this; read the rest for details.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The provider has nothing configured here; a chain moves on to the next.
    NotConfigured,
    /// A value given by the user or found in a source is not acceptable.
    InvalidInput,
    /// A file or environment variable could not be read.
    Io,
    /// The HTTP exchange failed before a response (refused, timeout, unknown host).
    Transport,
    /// The server answered with an unexpected HTTP status.
    HttpStatus,
    /// A file or response body is malformed.
    Parse,
    /// Tencent Cloud answered with an error (`Code`, `Message`, `RequestId`).
    Api,
    /// A credential was already expired when it arrived.
    Expired,
    /// A value is larger than a bounded buffer of the core.
    Capacity,
}

/// The credential sources this crate knows, as named by `tccred --provider`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProviderKind {
    /// A credential given in code.
    Static,
    /// `TENCENTCLOUD_SECRET_ID` and friends.
    Env,
    /// The credentials profile file.
    Profile,
    /// TKE pod identity (OIDC from `TKE_*` variables).
    Tke,
    /// The CVM instance role from the metadata service.
    Cvm,
    /// STS AssumeRole.
    Sts,
    /// STS AssumeRoleWithWebIdentity.
    Oidc,
    /// A chain of providers.
    Chain,
}

impl ProviderKind {
    /// The short lower-case name used in messages and by `tccred`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Static => "static",
            Self::Env => "env",
            Self::Profile => "profile",
            Self::Tke => "tke",
            Self::Cvm => "cvm",
            Self::Sts => "sts",
            Self::Oidc => "oidc",
            Self::Chain => "chain",
        }
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An error reported by Tencent Cloud in `Response.Error`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiError {
    /// `Response.Error.Code`, e.g. `AuthFailure.SignatureFailure`.
    pub code: String<64>,
    /// `Response.Error.Message`.
    pub message: String<512>,
    /// `Response.RequestId`.
    pub request_id: String<64>,
}

/// Most environment variables one error names.
pub const MAX_VARIABLES: usize = 6;

/// Most providers a chain reports as passed over.
pub const MAX_PASSED: usize = 8;
/// Longest reason kept for a provider a chain passed over, in bytes.
///
/// Room for a reason with a home-directory path; a longer one ends in `...`.
/// Every error holds [`MAX_PASSED`] of these inline, so this bounds the size
/// of [`Error`] and of each provider that keeps one (about 1.3 KiB of it).
pub const PASSED_REASON: usize = 160;

/// A provider a chain passed over because it was not configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passed {
    /// Which provider.
    pub provider: ProviderKind,
    /// Why, as its error would print (cut at [`PASSED_REASON`] bytes, ending in `...`).
    pub reason: String<PASSED_REASON>,
}

/// The crate's error: a kind, the provider, a short message and context.
///
/// `Display` prints `provider: message (context)`; the context names files,
/// lines, profiles, keys, variables, limits, HTTP statuses and Tencent error
/// codes, but never a secret value.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    provider: Option<ProviderKind>,
    message: &'static str,
    path: String<{ limits::PATH }>,
    line: Option<u32>,
    profile: String<{ limits::PROFILE_NAME }>,
    key: Option<&'static str>,
    variables: Vec<&'static str, MAX_VARIABLES>,
    limit: Option<usize>,
    status: Option<u16>,
    api: Option<ApiError>,
    passed: Vec<Passed, MAX_PASSED>,
}

impl Error {
    /// Makes an error of `kind` with a short lower-case `message`.
    pub const fn new(kind: ErrorKind, message: &'static str) -> Self {
        Self {
            kind,
            provider: None,
            message,
            path: String::new(),
            line: None,
            profile: String::new(),
            key: None,
            variables: Vec::new(),
            limit: None,
            status: None,
            api: None,
            passed: Vec::new(),
        }
    }

    /// An error of kind [`ErrorKind::Capacity`] naming the `limit` that was passed.
    pub const fn capacity(message: &'static str, limit: usize) -> Self {
        let mut e = Self::new(ErrorKind::Capacity, message);
        e.limit = Some(limit);
        e
    }

    /// Sets the provider the error came from (kept if already set).
    #[must_use]
    pub fn with_provider(mut self, provider: ProviderKind) -> Self {
        if self.provider.is_none() {
            self.provider = Some(provider);
        }
        self
    }

    /// Names the file the error is about. A path longer than the limit keeps its end.
    #[must_use]
    pub fn with_path(mut self, path: &str) -> Self {
        self.path = tail(path);
        self
    }

    /// Names the 1-based line of the file.
    #[must_use]
    pub fn with_line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }

    /// Names the profile (section) of the credentials file.
    #[must_use]
    pub fn with_profile(mut self, profile: &str) -> Self {
        self.profile = tail(profile);
        self
    }

    /// Names the key or field the error is about.
    #[must_use]
    pub fn with_key(mut self, key: &'static str) -> Self {
        self.key = Some(key);
        self
    }

    /// Names an environment variable the error is about; call again to name more.
    #[must_use]
    pub fn with_variable(mut self, variable: &'static str) -> Self {
        let _ = self.variables.push(variable);
        self
    }

    /// Names the limit that was passed.
    #[must_use]
    pub fn with_limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Names the HTTP status the server answered.
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Attaches the error Tencent Cloud reported.
    #[must_use]
    pub fn with_api(mut self, api: ApiError) -> Self {
        self.api = Some(api);
        self
    }

    /// Records a provider passed over; extra entries past [`MAX_PASSED`] are dropped.
    pub fn push_passed(&mut self, provider: ProviderKind, reason: &Error) {
        let mut text = String::new();
        let mut w = Bounded {
            out: &mut text,
            full: false,
        };
        // The reason of a passed provider names itself by provider already.
        let _ = reason.write_body(&mut w);
        let _ = self.passed.push(Passed {
            provider,
            reason: text,
        });
    }

    /// What went wrong, broadly.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// True when the provider simply had nothing configured.
    pub fn is_not_configured(&self) -> bool {
        self.kind == ErrorKind::NotConfigured
    }

    /// The provider the error came from, if known.
    pub fn provider(&self) -> Option<ProviderKind> {
        self.provider
    }

    /// The short message, without context.
    pub fn message(&self) -> &'static str {
        self.message
    }

    /// The file the error is about, if any.
    pub fn path(&self) -> Option<&str> {
        (!self.path.is_empty()).then_some(self.path.as_str())
    }

    /// The 1-based line of the file, if any.
    pub fn line(&self) -> Option<u32> {
        self.line
    }

    /// The profile the error is about, if any.
    pub fn profile(&self) -> Option<&str> {
        (!self.profile.is_empty()).then_some(self.profile.as_str())
    }

    /// The key or field the error is about, if any.
    pub fn key(&self) -> Option<&'static str> {
        self.key
    }

    /// The first environment variable the error is about, if any.
    pub fn variable(&self) -> Option<&'static str> {
        self.variables.first().copied()
    }

    /// Every environment variable the error is about, in order.
    pub fn variables(&self) -> &[&'static str] {
        &self.variables
    }

    /// The limit that was passed, if any.
    pub fn limit(&self) -> Option<usize> {
        self.limit
    }

    /// The HTTP status the server answered, if any.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The error Tencent Cloud reported, if any.
    pub fn api(&self) -> Option<&ApiError> {
        self.api.as_ref()
    }

    /// The providers a chain passed over before giving up, in order.
    pub fn passed(&self) -> &[Passed] {
        &self.passed
    }

    fn write_body(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        f.write_str(self.message)?;
        let mut sep = Sep(false);
        if !self.path.is_empty() {
            sep.next(f)?;
            f.write_str("file ")?;
            escaped(f, &self.path)?;
        }
        if let Some(line) = self.line {
            sep.next(f)?;
            write!(f, "line {line}")?;
        }
        if !self.profile.is_empty() {
            sep.next(f)?;
            f.write_str("profile ")?;
            escaped(f, &self.profile)?;
        }
        if let Some(key) = self.key {
            sep.next(f)?;
            write!(f, "key {key}")?;
        }
        if let Some((first, rest)) = self.variables.split_first() {
            sep.next(f)?;
            let label = if rest.is_empty() {
                "variable"
            } else {
                "variables"
            };
            write!(f, "{label} {first}")?;
            for variable in rest {
                write!(f, ", {variable}")?;
            }
        }
        if let Some(limit) = self.limit {
            sep.next(f)?;
            write!(f, "limit {limit} bytes")?;
        }
        if let Some(status) = self.status {
            sep.next(f)?;
            write!(f, "http status {status}")?;
        }
        if let Some(api) = &self.api {
            for (label, value) in [
                ("code ", &api.code[..]),
                ("message ", &api.message[..]),
                ("request id ", &api.request_id[..]),
            ] {
                if !value.is_empty() {
                    sep.next(f)?;
                    f.write_str(label)?;
                    escaped(f, value)?;
                }
            }
        }
        if sep.0 {
            f.write_str(")")?;
        }
        for passed in &self.passed {
            write!(f, "; {}: {}", passed.provider, passed.reason)?;
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(provider) = self.provider {
            write!(f, "{provider}: ")?;
        }
        self.write_body(f)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("provider", &self.provider)
            .field("message", &format_args!("{self}"))
            .finish()
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

struct Sep(bool);

impl Sep {
    fn next(&mut self, f: &mut dyn fmt::Write) -> fmt::Result {
        f.write_str(if self.0 { ", " } else { " (" })?;
        self.0 = true;
        Ok(())
    }
}

/// Writes `s` with control characters shown as `\u{..}`, so that a value from
/// a file or a server cannot forge lines in a log.
fn escaped(f: &mut dyn fmt::Write, s: &str) -> fmt::Result {
    for c in s.chars() {
        if c.is_control() {
            write!(f, "{}", c.escape_unicode())?;
        } else {
            f.write_char(c)?;
        }
    }
    Ok(())
}

/// Keeps the end of `s` (the file name, for a path) when it is too long.
fn tail<const N: usize>(s: &str) -> String<N> {
    let mut out = String::new();
    if s.len() <= N {
        let _ = out.push_str(s);
        return out;
    }
    let mut start = s.len() - (N - 3);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    let _ = out.push_str("...");
    let _ = out.push_str(&s[start..]);
    out
}

/// A writer into a bounded string that ends in `...` once it is full.
struct Bounded<'a, const N: usize> {
    out: &'a mut String<N>,
    full: bool,
}

impl<const N: usize> fmt::Write for Bounded<'_, N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.full {
            return Ok(());
        }
        for c in s.chars() {
            if self.out.len() + c.len_utf8() > N - 3 {
                let _ = self.out.push_str("...");
                self.full = true;
                return Ok(());
            }
            let _ = self.out.push(c);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    extern crate std;
    use std::string::ToString;

    #[test]
    fn display_lists_context_in_order() {
        let e = Error::new(ErrorKind::InvalidInput, "value is missing")
            .with_provider(ProviderKind::Profile)
            .with_path("/tmp/cred")
            .with_line(3)
            .with_profile("work")
            .with_key("secret_key");
        assert_eq!(
            e.to_string(),
            "profile: value is missing (file /tmp/cred, line 3, profile work, key secret_key)"
        );
    }

    #[test]
    fn display_escapes_control_characters() {
        let e = Error::new(ErrorKind::Api, "api error").with_api(ApiError {
            code: String::try_from("Bad\nCode").unwrap(),
            message: String::try_from("m").unwrap(),
            request_id: String::try_from("r").unwrap(),
        });
        assert_eq!(
            e.to_string(),
            "api error (code Bad\\u{a}Code, message m, request id r)"
        );
    }

    #[test]
    fn several_variables_and_partial_api_errors() {
        let e = Error::new(ErrorKind::InvalidInput, "some variables are unset")
            .with_variable("TKE_PROVIDER_ID")
            .with_variable("TKE_ROLE_ARN");
        assert_eq!(
            e.to_string(),
            "some variables are unset (variables TKE_PROVIDER_ID, TKE_ROLE_ARN)"
        );
        let mut api = ApiError::default();
        api.code.push_str("Failed").unwrap();
        let e = Error::new(ErrorKind::Api, "code is not Success").with_api(api);
        assert_eq!(e.to_string(), "code is not Success (code Failed)");
    }

    #[test]
    fn long_path_keeps_its_end() {
        let long = "a".repeat(600) + "/credentials";
        let e = Error::new(ErrorKind::Io, "cannot read").with_path(&long);
        let path = e.path().unwrap();
        assert_eq!(path.len(), limits::PATH);
        assert!(path.starts_with("..."));
        assert!(path.ends_with("aaa/credentials"));
    }

    #[test]
    fn passed_reasons_are_listed_after_the_message() {
        let mut e = Error::new(ErrorKind::NotConfigured, "no credential found")
            .with_provider(ProviderKind::Chain);
        let env = Error::new(ErrorKind::NotConfigured, "variables are unset")
            .with_provider(ProviderKind::Env);
        e.push_passed(ProviderKind::Env, &env);
        assert_eq!(
            e.to_string(),
            "chain: no credential found; env: variables are unset"
        );
        assert_eq!(e.passed()[0].reason.as_str(), "variables are unset");
    }

    #[test]
    fn long_passed_reason_ends_in_dots() {
        let mut e = Error::new(ErrorKind::NotConfigured, "none");
        let path = "p".repeat(400);
        let reason = Error::new(ErrorKind::NotConfigured, "no file").with_path(&path);
        e.push_passed(ProviderKind::Profile, &reason);
        let kept = &e.passed()[0].reason;
        assert_eq!(kept.len(), PASSED_REASON);
        assert!(kept.ends_with("..."));
    }
}
