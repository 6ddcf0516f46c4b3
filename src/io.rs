//! What providers ask of the outside world, and the answers they take.
//!
//! A provider never performs I/O. It returns a [`Step`](crate::Step) naming
//! an environment variable, a file or an HTTP exchange, and is handed the
//! answer. The four traits here are how a driver gets those answers; the
//! `std` adapters implement them for a normal process.

use core::fmt;

use heapless::Vec;

/// Looks up environment variables.
pub trait Env {
    /// The value of `name`: `Ok(None)` when unset, `Ok(Some(""))` when set but empty.
    fn var(&mut self, name: &str) -> Result<Option<&str>, EnvError>;
}

/// Reads whole files.
pub trait FileSource {
    /// The bytes of `request.file`; reading more than `request.limit + 1`
    /// bytes is never needed (the provider rejects anything over the limit).
    fn read(&mut self, request: &FileRequest<'_>) -> Result<&[u8], FileError>;
}

/// Performs one HTTP exchange.
pub trait Transport {
    /// Sends `request` and returns the status and body (at most
    /// `request.max_body + 1` bytes need be read).
    fn exchange(&mut self, request: &HttpRequest<'_>) -> Result<HttpResponse<'_>, TransportError>;
}

/// Tells the time.
pub trait Clock {
    /// Seconds since the unix epoch, UTC.
    fn now(&self) -> u64;

    /// Blocks for `millis` milliseconds, for a retry backoff.
    ///
    /// The default returns at once, for clocks that cannot wait (a retry
    /// then follows immediately).
    fn sleep(&self, millis: u32) {
        let _ = millis;
    }
}

/// Why an environment variable could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnvError {
    /// The value is set but not valid UTF-8.
    NotUnicode,
}

/// A file a provider wants to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRef<'a> {
    /// An absolute path, or one relative to the working directory.
    Path(&'a str),
    /// A path relative to the user's home directory, e.g. `.tencentcloud/credentials`.
    Home(&'a str),
}

impl fmt::Display for FileRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Path(path) => f.write_str(path),
            Self::Home(path) => write!(f, "~/{path}"),
        }
    }
}

/// A file read: which file, and the most bytes the provider will accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileRequest<'a> {
    /// The file.
    pub file: FileRef<'a>,
    /// The largest size accepted; a longer file is a capacity error.
    pub limit: usize,
}

/// Why a file could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileError {
    /// No file at that path.
    NotFound,
    /// The home directory is unknown, so a [`FileRef::Home`] path has no meaning.
    NoHome,
    /// The file exists but may not be read.
    PermissionDenied,
    /// The path names a directory.
    IsDirectory,
    /// Any other failure.
    Other,
}

impl FileError {
    /// A short lower-case description.
    pub const fn message(self) -> &'static str {
        match self {
            Self::NotFound => "file not found",
            Self::NoHome => "home directory unknown",
            Self::PermissionDenied => "permission denied reading file",
            Self::IsDirectory => "path is a directory, not a file",
            Self::Other => "cannot read file",
        }
    }
}

/// HTTP methods the providers use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

impl Method {
    /// `"GET"` or `"POST"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// Most headers a provider sends in one request.
pub const MAX_REQUEST_HEADERS: usize = 16;

/// An HTTP request a provider wants sent.
///
/// Header values never hold CR or LF: providers check before emitting them.
/// `Debug` does not show header values or the body, which may hold secrets.
#[derive(Clone)]
pub struct HttpRequest<'a> {
    /// The method.
    pub method: Method,
    /// The full URL, e.g. `https://sts.tencentcloudapi.com/`.
    pub url: &'a str,
    /// Headers in the order to send them.
    pub headers: Vec<(&'static str, &'a str), MAX_REQUEST_HEADERS>,
    /// The body (empty for GET).
    pub body: &'a [u8],
    /// Connect timeout, in milliseconds.
    pub connect_timeout_ms: u32,
    /// Timeout for the whole exchange, in milliseconds.
    pub total_timeout_ms: u32,
    /// Whether an HTTP proxy from the environment may be used.
    pub allow_proxy: bool,
    /// The largest body the provider accepts; more is a capacity error.
    pub max_body: usize,
}

impl fmt::Debug for HttpRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names = Vec::<&str, MAX_REQUEST_HEADERS>::new();
        for (name, _) in &self.headers {
            let _ = names.push(name);
        }
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// The answer to an [`HttpRequest`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpResponse<'a> {
    /// The status code.
    pub status: u16,
    /// The body bytes (possibly cut after `max_body + 1` bytes).
    pub body: &'a [u8],
}

/// Why an HTTP exchange produced no response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportError {
    /// Nothing listens at the address.
    Refused,
    /// The host name does not resolve.
    UnknownHost,
    /// Connecting or the whole exchange took longer than allowed.
    Timeout,
    /// TLS failed (certificate, protocol).
    Tls,
    /// The transport cannot perform this request (for example, no HTTP at all).
    Unsupported,
    /// The connection closed before the response ended (a body shorter
    /// than its `Content-Length`, a reset).
    Closed,
    /// The server's answer is not HTTP.
    Malformed,
    /// Any other failure.
    Other,
}

impl TransportError {
    /// A short lower-case description.
    pub const fn message(self) -> &'static str {
        match self {
            Self::Refused => "connection refused",
            Self::UnknownHost => "unknown host",
            Self::Timeout => "timed out",
            Self::Tls => "tls failure",
            Self::Unsupported => "no http transport",
            Self::Closed => "connection closed before the response ended",
            Self::Malformed => "response is not valid http",
            Self::Other => "http exchange failed",
        }
    }
}

/// A transport for drivers of providers that never use HTTP (env, profile).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoTransport;

impl Transport for NoTransport {
    fn exchange(&mut self, _: &HttpRequest<'_>) -> Result<HttpResponse<'_>, TransportError> {
        Err(TransportError::Unsupported)
    }
}
