//! HTTP exchanges over `ureq`, with rustls and the bundled webpki roots.

use std::fmt;
use std::io::{ErrorKind, Read};
use std::string::ToString;
use std::time::Duration;
use std::vec::Vec;

use ureq::{Agent, RequestBuilder};
use zeroize::Zeroize;

use crate::io::{HttpRequest, HttpResponse, Method, Transport, TransportError};

/// Most body bytes reserved ahead of a read, whatever the request's limit.
const RESERVE_CAP: usize = 1024 * 1024;

/// Performs a provider's HTTP exchanges with `ureq`.
///
/// Each request brings its own timeouts and proxy permission: a request with
/// `allow_proxy == false` goes direct even when `HTTP_PROXY` or `HTTPS_PROXY`
/// is set. Every HTTP status is an answer, not an error, and redirects are
/// not followed (a 3xx reaches the provider as it is). At most
/// `max_body + 1` body bytes are read. The body buffer is reused and
/// zeroized before each exchange and on drop, because bodies hold secrets.
pub struct UreqTransport {
    direct: Agent,
    proxied: Agent,
    body: Vec<u8>,
}

impl UreqTransport {
    /// A transport with a direct agent and one using the environment's proxy.
    ///
    /// The proxy variables are read once, here.
    pub fn new() -> Self {
        let config = |proxy| {
            Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .user_agent(concat!(
                    "tencentcloud-credential-rust/",
                    env!("CARGO_PKG_VERSION")
                ))
                .proxy(proxy)
                .build()
        };
        Self {
            direct: config(None).new_agent(),
            proxied: config(ureq::Proxy::try_from_env()).new_agent(),
            body: Vec::new(),
        }
    }
}

impl Default for UreqTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for UreqTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UreqTransport").finish_non_exhaustive()
    }
}

impl Drop for UreqTransport {
    fn drop(&mut self) {
        self.body.zeroize();
    }
}

impl Transport for UreqTransport {
    fn exchange(&mut self, request: &HttpRequest<'_>) -> Result<HttpResponse<'_>, TransportError> {
        self.body.zeroize();
        let https = request
            .url
            .get(..8)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"));
        let agent = if request.allow_proxy {
            &self.proxied
        } else {
            &self.direct
        };

        let sent = match request.method {
            Method::Get => prepare(agent.get(request.url), request).call(),
            Method::Post => prepare(agent.post(request.url), request).send(request.body),
        };
        let mut response = sent.map_err(|e| map_error(e, https))?;
        let status = response.status().as_u16();

        // Reserve first, so that reading (up to RESERVE_CAP) never
        // reallocates and leaves a copy of the body behind in freed memory.
        // TODO: ureq's own connection buffers also see the body and are not
        // zeroized; ureq offers no hook for that.
        let cap = request.max_body.saturating_add(1);
        let _ = self
            .body
            .try_reserve(cap.min(RESERVE_CAP).saturating_add(1));
        response
            .body_mut()
            .as_reader()
            .take(u64::try_from(cap).unwrap_or(u64::MAX))
            .read_to_end(&mut self.body)
            .map_err(|e| map_error(ureq::Error::from(e), https))?;
        Ok(HttpResponse {
            status,
            body: &self.body,
        })
    }
}

/// Adds the request's headers and timeouts to a ureq request.
fn prepare<B>(builder: RequestBuilder<B>, request: &HttpRequest<'_>) -> RequestBuilder<B> {
    let builder = request
        .headers
        .iter()
        .fold(builder, |b, (name, value)| b.header(*name, *value));
    builder
        .config()
        .timeout_connect(millis(request.connect_timeout_ms))
        .timeout_global(millis(request.total_timeout_ms))
        .build()
}

/// A timeout of `ms` milliseconds; zero means none.
fn millis(ms: u32) -> Option<Duration> {
    (ms > 0).then(|| Duration::from_millis(u64::from(ms)))
}

/// Sorts a ureq failure into the kinds a provider tells apart.
fn map_error(error: ureq::Error, https: bool) -> TransportError {
    match error {
        ureq::Error::Timeout(_) => TransportError::Timeout,
        ureq::Error::HostNotFound => TransportError::UnknownHost,
        ureq::Error::Tls(_)
        | ureq::Error::Rustls(_)
        | ureq::Error::Pem(_)
        | ureq::Error::TlsRequired => TransportError::Tls,
        ureq::Error::Io(e) => map_io(&e, https),
        ureq::Error::Protocol(_) | ureq::Error::LargeResponseHeader(..) => {
            TransportError::Malformed
        }
        _ => TransportError::Other,
    }
}

fn map_io(error: &std::io::Error, https: bool) -> TransportError {
    match error.kind() {
        ErrorKind::ConnectionRefused => TransportError::Refused,
        ErrorKind::TimedOut | ErrorKind::WouldBlock => TransportError::Timeout,
        // rustls reports handshake and certificate failures as invalid data.
        ErrorKind::InvalidData if https => TransportError::Tls,
        ErrorKind::UnexpectedEof
        | ErrorKind::ConnectionReset
        | ErrorKind::ConnectionAborted
        | ErrorKind::BrokenPipe => TransportError::Closed,
        // TODO: std gives a failed name lookup no kind of its own; its message
        // is the only sign, so this test follows std's wording.
        _ if error.to_string().contains("failed to lookup address") => TransportError::UnknownHost,
        _ => TransportError::Other,
    }
}
