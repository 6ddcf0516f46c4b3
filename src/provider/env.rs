//! The environment provider: `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`
//! and a token from `TENCENTCLOUD_SESSION_TOKEN` or `TENCENTCLOUD_TOKEN`.

// The crate's one error type is large by design: it carries its context in
// bounded buffers because the core cannot allocate a box.
#![allow(clippy::result_large_err)]

use heapless::String;

use super::{unexpected, Provider, Step};
use crate::credential::Credential;
use crate::error::{Error, ErrorKind, ProviderKind};
use crate::io::{EnvError, FileError, HttpResponse, TransportError};
use crate::limits;

/// The variable holding the secret id.
pub const SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// The variable holding the secret key.
pub const SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// The variable holding the session token (read first).
pub const SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// The other variable holding the session token (read when the first is unset or empty).
pub const TOKEN: &str = "TENCENTCLOUD_TOKEN";

/// Reads a credential from the process environment.
///
/// Both id and key unset or empty: not configured. Only one of them: an
/// error naming the missing variable. Values are validated as
/// [`Credential::new`] does, and errors name the variable, never the value.
#[derive(Debug, Default)]
pub struct EnvProvider {
    state: State,
    id: Slot<{ limits::SECRET_ID }>,
    key: Slot<{ limits::SECRET_KEY }>,
    token: Slot<{ limits::TOKEN }>,
    token_variable: Option<&'static str>,
    error: Option<Error>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum State {
    #[default]
    Id,
    Key,
    SessionToken,
    Token,
    Done,
}

/// A variable's value as read, before validation.
#[derive(Debug, Default)]
enum Slot<const N: usize> {
    #[default]
    Unset,
    Value(Secret<N>),
    TooLong,
    NotUnicode,
}

/// A bounded string whose `Debug` hides the content.
#[derive(Default)]
struct Secret<const N: usize>(String<N>);

impl<const N: usize> core::fmt::Debug for Secret<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<const N: usize> Drop for Secret<N> {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl<const N: usize> Slot<N> {
    fn from(value: Result<Option<&str>, EnvError>) -> Self {
        match value {
            Ok(None | Some("")) => Self::Unset,
            Ok(Some(v)) => String::try_from(v).map_or(Self::TooLong, |s| Self::Value(Secret(s))),
            Err(EnvError::NotUnicode) => Self::NotUnicode,
        }
    }

    fn is_set(&self) -> bool {
        !matches!(self, Self::Unset)
    }

    /// The value, or the error that reading it gave, naming `variable`.
    fn value(&self, variable: &'static str, what: &'static str) -> Result<&str, Error> {
        match self {
            Self::Value(v) => Ok(&v.0),
            Self::Unset => Ok(""),
            Self::TooLong => Err(Error::capacity(what, N).with_variable(variable)),
            Self::NotUnicode => Err(Error::new(
                ErrorKind::InvalidInput,
                "value is not valid utf-8",
            )
            .with_variable(variable)),
        }
    }
}

impl EnvProvider {
    /// A provider reading the standard variables.
    pub fn new() -> Self {
        Self::default()
    }

    fn outcome(&self) -> Result<Credential, Error> {
        match (self.id.is_set(), self.key.is_set()) {
            (false, false) => {
                return Err(Error::new(
                    ErrorKind::NotConfigured,
                    "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are unset",
                ))
            }
            (true, false) => {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    "secret key is unset while the secret id is set",
                )
                .with_variable(SECRET_KEY))
            }
            (false, true) => {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    "secret id is unset while the secret key is set",
                )
                .with_variable(SECRET_ID))
            }
            (true, true) => {}
        }
        let id = self.id.value(SECRET_ID, "secret id is too long")?;
        let key = self.key.value(SECRET_KEY, "secret key is too long")?;
        let token_variable = self.token_variable.unwrap_or(SESSION_TOKEN);
        let token = self.token.value(token_variable, "token is too long")?;

        let named = |variable| move |e: Error| e.with_variable(variable);
        Credential::new(id, "k", None).map_err(named(SECRET_ID))?;
        Credential::new("i", key, None).map_err(named(SECRET_KEY))?;
        Credential::new(id, key, Some(token)).map_err(named(token_variable))
    }
}

impl Provider for EnvProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Env
    }

    fn poll(&mut self, _now: u64) -> Step<'_> {
        match self.state {
            State::Id => Step::Env(SECRET_ID),
            State::Key => Step::Env(SECRET_KEY),
            State::SessionToken => Step::Env(SESSION_TOKEN),
            State::Token => Step::Env(TOKEN),
            State::Done => Step::Done,
        }
    }

    fn handle_env(&mut self, value: Result<Option<&str>, EnvError>) {
        match self.state {
            State::Id => {
                self.id = Slot::from(value);
                self.state = State::Key;
            }
            State::Key => {
                self.key = Slot::from(value);
                self.state = State::SessionToken;
            }
            State::SessionToken => {
                self.token = Slot::from(value);
                if self.token.is_set() {
                    self.token_variable = Some(SESSION_TOKEN);
                    self.state = State::Done;
                } else {
                    self.state = State::Token;
                }
            }
            State::Token => {
                self.token = Slot::from(value);
                self.token_variable = Some(TOKEN);
                self.state = State::Done;
            }
            State::Done => self.error = Some(unexpected(ProviderKind::Env)),
        }
    }

    fn handle_file(&mut self, _: Result<&[u8], FileError>) {
        self.error = Some(unexpected(ProviderKind::Env));
        self.state = State::Done;
    }

    fn handle_http(&mut self, _: Result<HttpResponse<'_>, TransportError>) {
        self.error = Some(unexpected(ProviderKind::Env));
        self.state = State::Done;
    }

    fn handle_slept(&mut self) {
        self.error = Some(unexpected(ProviderKind::Env));
        self.state = State::Done;
    }

    fn finish(&mut self) -> Result<Credential, Error> {
        let outcome = match self.error.take() {
            Some(e) => Err(e),
            None if self.state != State::Done => Err(unexpected(ProviderKind::Env)),
            None => self.outcome(),
        };
        *self = Self::default();
        outcome.map_err(|e| e.with_provider(ProviderKind::Env))
    }
}
