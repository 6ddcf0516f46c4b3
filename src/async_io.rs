//! Async twins of the capability traits, for async stacks (tokio, WASM fetch,
//! embassy): the same providers, driven by [`resolve_async`](crate::resolve_async).
//!
//! The futures are not required to be `Send`; a multi-threaded executor can
//! still run [`resolve_async`](crate::resolve_async) inside a task whose
//! capabilities are `Send`. [`Blocking`] lends any blocking capability to the
//! async driver (an environment or a clock rarely needs to await anything).

use core::future::Future;

use crate::io::{
    Clock, Env, EnvError, FileError, FileRequest, FileSource, HttpRequest, HttpResponse, Transport,
    TransportError,
};

/// Looks up environment variables, asynchronously.
pub trait AsyncEnv {
    /// The value of `name`: `Ok(None)` when unset. See [`Env::var`].
    fn var(&mut self, name: &str) -> impl Future<Output = Result<Option<&str>, EnvError>>;
}

/// Reads whole files, asynchronously.
pub trait AsyncFileSource {
    /// The bytes of `request.file`. See [`FileSource::read`].
    fn read(&mut self, request: &FileRequest<'_>)
        -> impl Future<Output = Result<&[u8], FileError>>;
}

/// Performs one HTTP exchange, asynchronously.
pub trait AsyncTransport {
    /// Sends `request`; see [`Transport::exchange`] for what is expected.
    fn exchange(
        &mut self,
        request: &HttpRequest<'_>,
    ) -> impl Future<Output = Result<HttpResponse<'_>, TransportError>>;
}

/// Tells the time and waits, asynchronously.
pub trait AsyncClock {
    /// Seconds since the unix epoch, UTC.
    fn now(&self) -> u64;

    /// Waits `millis` milliseconds, for a retry backoff.
    fn sleep(&self, millis: u32) -> impl Future<Output = ()>;
}

/// Lends a blocking capability to the async driver.
///
/// Each call completes at once, blocking the task for as long as the inner
/// capability takes: fine for the environment, files on a local disk and a
/// clock; an HTTP stack should implement [`AsyncTransport`] itself.
#[derive(Clone, Copy, Debug, Default)]
pub struct Blocking<T>(pub T);

impl<T: Env> AsyncEnv for Blocking<T> {
    async fn var(&mut self, name: &str) -> Result<Option<&str>, EnvError> {
        self.0.var(name)
    }
}

impl<T: FileSource> AsyncFileSource for Blocking<T> {
    async fn read(&mut self, request: &FileRequest<'_>) -> Result<&[u8], FileError> {
        self.0.read(request)
    }
}

impl<T: Transport> AsyncTransport for Blocking<T> {
    async fn exchange(
        &mut self,
        request: &HttpRequest<'_>,
    ) -> Result<HttpResponse<'_>, TransportError> {
        self.0.exchange(request)
    }
}

impl<T: Clock> AsyncClock for Blocking<T> {
    fn now(&self) -> u64 {
        self.0.now()
    }

    async fn sleep(&self, millis: u32) {
        self.0.sleep(millis);
    }
}
