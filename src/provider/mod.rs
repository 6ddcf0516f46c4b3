//! Credential providers: sans-IO state machines, one per source.
//!
//! Every provider implements [`Provider`]. A driver asks it for its next
//! [`Step`], performs what it asks, hands back the answer, and repeats until
//! [`Step::Done`]; then [`Provider::finish`] gives the outcome: a credential,
//! an error of kind [`NotConfigured`](crate::ErrorKind::NotConfigured) (a
//! chain moves on), or any other error (a chain stops).

pub mod chain;
pub mod cvm;
pub mod env;
pub mod oidc;
pub mod profile;
pub mod sts;
pub mod sts_reply;
pub mod tke;

mod json_body;
mod json_syntax;

use crate::credential::Credential;
use crate::error::{Error, ProviderKind};
use crate::io::{EnvError, FileError, FileRequest, HttpRequest, HttpResponse, TransportError};

/// What a provider needs next.
#[derive(Debug)]
#[must_use]
#[non_exhaustive]
pub enum Step<'a> {
    /// Look up this environment variable and call [`Provider::handle_env`].
    Env(&'static str),
    /// Read this file and call [`Provider::handle_file`].
    File(FileRequest<'a>),
    /// Perform this exchange and call [`Provider::handle_http`].
    Http(HttpRequest<'a>),
    /// Wait this many milliseconds (a retry backoff), then call
    /// [`Provider::handle_slept`].
    Sleep(u32),
    /// Finished: call [`Provider::finish`].
    Done,
}

/// A credential source as a state machine.
///
/// Call [`poll`](Provider::poll) with the current time, answer the step it
/// returns with the matching `handle_*` method, and repeat until it returns
/// [`Step::Done`]. Polling again before answering returns the same step, so
/// a driver (or a chain) may look at a step and poll for it later. [`finish`](Provider::finish) then yields the outcome and
/// readies the provider for the next resolution (a refresh starts over).
/// An answer of the wrong kind ends the run with an error, never a panic.
pub trait Provider {
    /// Which source this is.
    fn kind(&self) -> ProviderKind;

    /// The next thing the provider needs; `now` is unix seconds.
    fn poll(&mut self, now: u64) -> Step<'_>;

    /// Answers [`Step::Env`]: the value, `None` when unset.
    fn handle_env(&mut self, value: Result<Option<&str>, EnvError>);

    /// Answers [`Step::File`]: the bytes, or why they could not be read.
    fn handle_file(&mut self, result: Result<&[u8], FileError>);

    /// Answers [`Step::Http`]: the response, or why there was none.
    fn handle_http(&mut self, result: Result<HttpResponse<'_>, TransportError>);

    /// Answers [`Step::Sleep`]: the wait is over.
    ///
    /// The default does nothing. A provider that never asks to sleep should
    /// override it to end the run with an error, as every provider of this
    /// crate does: like any answer to a step not asked, it is a driver bug.
    fn handle_slept(&mut self) {}

    /// After [`Step::Done`]: the credential or the error, and a reset.
    fn finish(&mut self) -> Result<Credential, Error>;
}

/// The error for an answer a provider did not ask for.
pub(crate) fn unexpected(kind: ProviderKind) -> Error {
    Error::new(
        crate::ErrorKind::InvalidInput,
        "driver answered a step the provider did not ask for",
    )
    .with_provider(kind)
}
