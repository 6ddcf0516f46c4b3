//! STS `AssumeRole`: temporary credentials for a role, asked for with a long-term key.
//!
//! Also holds what the STS providers share: the endpoint rules, the input
//! checks and the one exchange with STS (`Call`), which the OIDC and TKE
//! providers use too.

use core::fmt;

use heapless::{String, Vec};
use zeroize::Zeroize;

use super::json_body::JsonObject;
use super::{sts_reply, unexpected, Provider, Step};
use crate::credential::Credential;
use crate::error::{Error, ErrorKind, ProviderKind};
use crate::io::{
    EnvError, FileError, HttpRequest, HttpResponse, Method, TransportError, MAX_REQUEST_HEADERS,
};
use crate::limits;
use crate::sign::request::{headers, ApiRequest, Signer};
use crate::sign::tc3::Payload;

/// The endpoint used when neither the provider nor the environment names one.
pub const DEFAULT_ENDPOINT: &str = "https://sts.tencentcloudapi.com/";
/// The variable that overrides the STS endpoint of providers not given one in code.
pub const ENDPOINT_VARIABLE: &str = "TENCENTCLOUD_STS_ENDPOINT";
/// The STS API version.
pub const VERSION: &str = "2018-08-13";
/// The region `AssumeRole` is sent to unless another is set.
pub const DEFAULT_REGION: &str = "ap-guangzhou";
/// The lifetime asked for unless another is set, in seconds.
pub const DEFAULT_DURATION: u64 = 7200;
/// The longest lifetime STS grants, in seconds.
pub const MAX_DURATION: u64 = 43200;

/// Longest role ARN, in bytes.
pub const ROLE_ARN: usize = 256;
/// Longest role session name, in characters (all ASCII).
pub const SESSION_NAME: usize = 128;
/// Longest policy, in bytes (URL-encoded, as STS expects it).
pub const POLICY: usize = 4096;
/// Longest external id, in bytes.
pub const EXTERNAL_ID: usize = 128;
/// Longest region name, in bytes.
pub const REGION: usize = 32;
/// Longest endpoint URL, in bytes.
pub const ENDPOINT: usize = 256;
/// Largest request body, in bytes.
pub const BODY: usize = 6 * 1024;
/// Room for the values of the request headers together, in bytes; the
/// source credential's token is sent from the credential, not copied here.
pub const HEADER_TEXT: usize = 1024;

/// The header that carries the source credential's token.
const TOKEN_HEADER: &str = "X-TC-Token";

/// Connect timeout of an STS request, in milliseconds.
const CONNECT_TIMEOUT_MS: u32 = 5_000;
/// Timeout of a whole STS exchange, in milliseconds.
const TOTAL_TIMEOUT_MS: u32 = 10_000;

/// A text set in code, kept whole or noted as too long for its buffer.
#[derive(Clone, Default)]
pub(crate) enum Setting<const N: usize> {
    /// Not given (or given empty).
    #[default]
    Unset,
    /// The value.
    Value(String<N>),
    /// Longer than `N` bytes.
    TooLong,
}

impl<const N: usize> Setting<N> {
    /// `value` kept whole; empty means unset.
    pub(crate) fn new(value: &str) -> Self {
        if value.is_empty() {
            return Self::Unset;
        }
        String::try_from(value).map_or(Self::TooLong, Self::Value)
    }

    /// The value (`""` when unset), or a capacity error saying `what` is too long.
    pub(crate) fn get(&self, what: &'static str) -> Result<&str, Error> {
        match self {
            Self::Unset => Ok(""),
            Self::Value(value) => Ok(value),
            Self::TooLong => Err(Error::capacity(what, N)),
        }
    }

    pub(crate) fn is_set(&self) -> bool {
        !matches!(self, Self::Unset)
    }

    /// The value as `Debug` may show it (only for settings that are not secret).
    pub(crate) fn shown(&self) -> &str {
        self.get("").unwrap_or("<too long>")
    }
}

impl<const N: usize> Drop for Setting<N> {
    fn drop(&mut self) {
        if let Self::Value(value) = self {
            value.zeroize();
        }
    }
}

/// Checks a requested lifetime: 1 to [`MAX_DURATION`] seconds.
pub(crate) fn check_duration(seconds: u64) -> Result<(), Error> {
    if (1..=MAX_DURATION).contains(&seconds) {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::InvalidInput,
        "duration must be between 1 and 43200 seconds",
    ))
}

/// Checks a role session name: 2 to 128 characters of `[A-Za-z0-9_+=,.@-]`.
pub(crate) fn check_session_name(name: &str) -> Result<(), Error> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c);
    if (2..=SESSION_NAME).contains(&name.len()) && name.chars().all(allowed) {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::InvalidInput,
        "role session name must be 2 to 128 characters of [A-Za-z0-9_+=,.@-]",
    ))
}

/// Checks a role ARN: not empty and free of control characters.
pub(crate) fn check_role_arn(arn: &str) -> Result<(), Error> {
    let invalid = |message| Err(Error::new(ErrorKind::InvalidInput, message));
    if arn.is_empty() {
        return invalid("role arn should not be empty");
    }
    if arn.chars().any(char::is_control) {
        return invalid("role arn should not contain control characters");
    }
    Ok(())
}

/// Checks a region: letters, digits and dashes, e.g. `ap-guangzhou`.
pub(crate) fn check_region(region: &str) -> Result<(), Error> {
    let invalid = |message| Err(Error::new(ErrorKind::InvalidInput, message));
    if region.is_empty() {
        return invalid("region is required");
    }
    if !region
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return invalid("region must be letters, digits and dashes");
    }
    Ok(())
}

/// Why an endpoint was refused; kept instead of an [`Error`] by providers
/// given one in code, which report it when they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BadEndpoint {
    /// Not a host or an http(s) URL without a path.
    Invalid,
    /// Longer than [`ENDPOINT`].
    TooLong,
}

impl From<BadEndpoint> for Error {
    fn from(bad: BadEndpoint) -> Self {
        match bad {
            BadEndpoint::Invalid => Error::new(
                ErrorKind::InvalidInput,
                "sts endpoint must be a host or an http(s) url without a path",
            ),
            BadEndpoint::TooLong => Error::capacity("sts endpoint is too long", ENDPOINT),
        }
    }
}

/// Where STS requests go: the URL, and the `Host` header taken from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Endpoint {
    url: String<ENDPOINT>,
    host_start: usize,
    host_end: usize,
}

impl Endpoint {
    /// Reads an endpoint: a bare host (`sts.internal.tencentcloudapi.com`,
    /// reached over HTTPS) or an `https://` or `http://` URL with an optional
    /// port and no path but `/`. Plain HTTP is used only when written out.
    pub(crate) fn parse(text: &str) -> Result<Self, BadEndpoint> {
        let invalid = || BadEndpoint::Invalid;
        let prefix = |scheme: &str| {
            text.get(..scheme.len())
                .filter(|head| head.eq_ignore_ascii_case(scheme))
                .and_then(|_| text.get(scheme.len()..))
        };
        let (scheme, rest) = match (prefix("https://"), prefix("http://")) {
            (Some(rest), _) => ("https://", rest),
            (None, Some(rest)) => ("http://", rest),
            (None, None) if text.contains("://") => return Err(invalid()),
            (None, None) => ("https://", text),
        };
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if !matches!(path, "" | "/") || !valid_authority(authority) {
            return Err(invalid());
        }

        let too_long = || BadEndpoint::TooLong;
        let mut url = String::new();
        for part in [scheme, authority, "/"] {
            url.push_str(part).map_err(|_| too_long())?;
        }
        Ok(Self {
            url,
            host_start: scheme.len(),
            host_end: scheme.len() + authority.len(),
        })
    }

    /// The default endpoint.
    fn default_endpoint() -> Self {
        let host_start = "https://".len();
        Self {
            url: String::try_from(DEFAULT_ENDPOINT).unwrap_or_default(),
            host_start,
            host_end: DEFAULT_ENDPOINT.len() - 1,
        }
    }

    /// The URL requests are sent to, ending in `/`.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// `host[:port]` of the URL, for the `Host` header.
    pub(crate) fn host(&self) -> &str {
        self.url
            .get(self.host_start..self.host_end)
            .unwrap_or_default()
    }
}

/// True for `host` or `host:port`, where host is a DNS name, an IPv4
/// address or a bracketed IPv6 address.
fn valid_authority(authority: &str) -> bool {
    let (host, port) = match authority.rfind(':') {
        Some(at) if !authority.ends_with(']') => {
            match (authority.get(..at), authority.get(at + 1..)) {
                (Some(host), Some(port)) => (host, Some(port)),
                _ => return false,
            }
        }
        _ => (authority, None),
    };
    let port_ok = port.is_none_or(|port| {
        (1..=5).contains(&port.len())
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u16>().is_ok_and(|p| p != 0)
    });
    let host_ok = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(ipv6) => {
            !ipv6.is_empty()
                && ipv6
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || ":.".contains(c))
        }
        None => {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        }
    };
    port_ok && host_ok
}

/// What a provider sends: the action, region and signer of its call.
pub(crate) struct Order<'a> {
    pub(crate) action: &'static str,
    pub(crate) region: &'a str,
    pub(crate) signer: Signer<'a>,
    /// The endpoint set in code; `None` asks [`ENDPOINT_VARIABLE`] first.
    pub(crate) endpoint: Option<&'a Result<Endpoint, BadEndpoint>>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Stage {
    /// Nothing done yet this run.
    #[default]
    Start,
    /// Waiting for [`ENDPOINT_VARIABLE`].
    Endpoint,
    /// The request is ready to send once built.
    Send,
    /// Finished: the outcome is set.
    Done,
}

/// One exchange with STS: endpoint, request body and headers, reply.
///
/// The body and headers are computed once per run and kept here, so polling
/// again hands out the same request. When the run ends they make way for its
/// outcome (the two share storage) and are zeroized.
pub(crate) struct Call {
    kind: ProviderKind,
    stage: Stage,
    endpoint: Endpoint,
    built: bool,
    issued_at: u64,
    exchange: Exchange,
}

/// The request while a run lasts, then the run's outcome.
enum Exchange {
    Request(Message),
    Ended(Result<Credential, Error>),
}

/// The body and header values of a request, zeroized on drop.
// TODO: the body (up to 6 KiB) is kept so that polling again hands out the
// same request; writing it into a buffer the driver lends, as the response
// body already is, would take it out of the STS, OIDC and TKE machines but
// needs a change to `Step::Http`. Even then STS and OIDC stay over 8 KiB:
// they hold a source credential or a web identity token (4 KiB of token
// each) for every run, and the outcome (a `Credential`, 4,392 bytes).
#[derive(Default)]
struct Message {
    body: Vec<u8, BODY>,
    header_text: String<HEADER_TEXT>,
    header_spans: Vec<(&'static str, usize, usize), MAX_REQUEST_HEADERS>,
}

impl Drop for Message {
    fn drop(&mut self) {
        self.body.zeroize();
        self.header_text.zeroize();
    }
}

impl Message {
    /// Signs the body written by `prepare` and keeps the header values.
    fn build(&mut self, now: u64, host: &str, order: &Order<'_>) -> Result<(), Error> {
        let request = ApiRequest {
            service: "sts",
            host,
            action: order.action,
            version: VERSION,
            region: order.region,
            method: Method::Post.as_str(),
            content_type: "application/json",
            query: "",
            payload: Payload::Bytes(&self.body),
            timestamp: now,
            // The reference sends `X-TC-Language: zh-CN`; it is not signed,
            // and without it STS answers in its default language.
            language: None,
            sign_action: false,
        };
        let headers = headers(&request, order.signer)?;

        self.header_text.clear();
        self.header_spans.clear();
        for (name, value) in headers.iter() {
            if name == TOKEN_HEADER {
                // Sent from the source credential; see `request`.
                self.header_spans.push((name, 0, 0)).map_err(|_| {
                    Error::capacity("too many sts request headers", MAX_REQUEST_HEADERS)
                })?;
                continue;
            }
            let start = self.header_text.len();
            self.header_text
                .push_str(value)
                .map_err(|_| Error::capacity("sts request headers are too long", HEADER_TEXT))?;
            self.header_spans
                .push((name, start, self.header_text.len()))
                .map_err(|_| {
                    Error::capacity("too many sts request headers", MAX_REQUEST_HEADERS)
                })?;
        }
        Ok(())
    }

    /// The request to `endpoint`, with `token` (the source credential's) as `X-TC-Token`.
    fn request<'s>(&'s self, endpoint: &'s Endpoint, token: Option<&'s str>) -> HttpRequest<'s> {
        let mut headers = Vec::new();
        for &(name, start, end) in &self.header_spans {
            let value = match name {
                TOKEN_HEADER => token.unwrap_or_default(),
                _ => self.header_text.get(start..end).unwrap_or_default(),
            };
            // As many spans as the vector holds; none is dropped.
            let _ = headers.push((name, value));
        }
        HttpRequest {
            method: Method::Post,
            url: endpoint.url(),
            headers,
            body: &self.body,
            connect_timeout_ms: CONNECT_TIMEOUT_MS,
            total_timeout_ms: TOTAL_TIMEOUT_MS,
            allow_proxy: true,
            max_body: limits::RESPONSE_BODY,
        }
    }
}

impl Call {
    /// A call whose errors name `kind`.
    pub(crate) fn new(kind: ProviderKind) -> Self {
        Self {
            kind,
            stage: Stage::Start,
            endpoint: Endpoint::default_endpoint(),
            built: false,
            issued_at: 0,
            exchange: Exchange::Request(Message::default()),
        }
    }

    /// The next step. At the start of a run, `prepare` checks the inputs and
    /// writes the body; an error from it ends the run before any request.
    pub(crate) fn poll<'s>(
        &'s mut self,
        now: u64,
        order: &Order<'s>,
        prepare: impl FnOnce(&mut Vec<u8, BODY>) -> Result<(), Error>,
    ) -> Step<'s> {
        if self.stage == Stage::Start {
            let explicit = order.endpoint.cloned().map(|e| e.map_err(Error::from));
            let prepared = match &mut self.exchange {
                Exchange::Request(message) => prepare(&mut message.body),
                Exchange::Ended(_) => Err(unexpected(self.kind)),
            };
            match prepared.and_then(|()| explicit.transpose()) {
                Err(e) => self.end(Err(e)),
                Ok(Some(endpoint)) => {
                    self.endpoint = endpoint;
                    self.stage = Stage::Send;
                }
                Ok(None) => self.stage = Stage::Endpoint,
            }
        }
        if self.stage == Stage::Send && !self.built {
            let built = match &mut self.exchange {
                Exchange::Request(message) => message.build(now, self.endpoint.host(), order),
                Exchange::Ended(_) => Err(unexpected(self.kind)),
            };
            match built {
                Ok(()) => {
                    self.issued_at = now;
                    self.built = true;
                }
                Err(e) => self.end(Err(e)),
            }
        }
        match (self.stage, &self.exchange) {
            (Stage::Endpoint, _) => Step::Env(ENDPOINT_VARIABLE),
            (Stage::Send, Exchange::Request(message)) => {
                let token = match order.signer {
                    Signer::Tc3(source) => source.token(),
                    Signer::Skip => None,
                };
                Step::Http(message.request(&self.endpoint, token))
            }
            _ => Step::Done,
        }
    }

    /// Answers [`Step::Env`] for [`ENDPOINT_VARIABLE`].
    pub(crate) fn handle_env(&mut self, value: Result<Option<&str>, EnvError>) {
        if self.stage != Stage::Endpoint {
            return self.end(Err(unexpected(self.kind)));
        }
        let named = |e: Error| e.with_variable(ENDPOINT_VARIABLE);
        match value {
            Ok(None | Some("")) => self.stage = Stage::Send,
            Ok(Some(text)) => match Endpoint::parse(text) {
                Ok(endpoint) => {
                    self.endpoint = endpoint;
                    self.stage = Stage::Send;
                }
                Err(e) => self.end(Err(named(e.into()))),
            },
            Err(EnvError::NotUnicode) => {
                let e = Error::new(ErrorKind::InvalidInput, "value is not valid utf-8");
                self.end(Err(named(e)));
            }
        }
    }

    /// Answers [`Step::Http`].
    pub(crate) fn handle_http(&mut self, result: Result<HttpResponse<'_>, TransportError>) {
        if self.stage != Stage::Send || !self.built {
            return self.end(Err(unexpected(self.kind)));
        }
        let outcome = match result {
            Ok(response) => sts_reply::parse(response.status, response.body, self.issued_at),
            Err(e) => Err(Error::new(ErrorKind::Transport, transport_message(e))),
        };
        self.end(outcome);
    }

    /// Answers a step the call never asks for.
    pub(crate) fn handle_other(&mut self) {
        self.end(Err(unexpected(self.kind)));
    }

    /// Ends the run with `outcome`, unless it already has one. The request
    /// is dropped (and zeroized) to make room for it.
    pub(crate) fn end(&mut self, outcome: Result<Credential, Error>) {
        if let Exchange::Request(_) = self.exchange {
            self.exchange = Exchange::Ended(outcome);
        }
        self.stage = Stage::Done;
    }

    /// The outcome of the run, naming the provider; readies the next run.
    pub(crate) fn finish(&mut self) -> Result<Credential, Error> {
        // The old call is dropped, which zeroizes its request if it has one.
        let old = core::mem::replace(self, Self::new(self.kind));
        let outcome = match (old.stage, old.exchange) {
            (Stage::Done, Exchange::Ended(outcome)) => outcome,
            _ => Err(unexpected(self.kind)),
        };
        outcome.map_err(|e| e.with_provider(self.kind))
    }
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("stage", &self.stage)
            .field("endpoint", &self.endpoint.url())
            .field("built", &self.built)
            .finish_non_exhaustive()
    }
}

/// A short description of a failed exchange: [`TransportError::message`]
/// after `sts request failed: `, spelled out, since the core cannot format
/// without a buffer.
fn transport_message(error: TransportError) -> &'static str {
    match error {
        TransportError::Refused => "sts request failed: connection refused",
        TransportError::UnknownHost => "sts request failed: unknown host",
        TransportError::Timeout => "sts request failed: timed out",
        TransportError::Tls => "sts request failed: tls failure",
        TransportError::Unsupported => "sts request failed: no http transport",
        TransportError::Closed => "sts request failed: connection closed before the response ended",
        TransportError::Malformed => "sts request failed: response is not valid http",
        _ => "sts request failed",
    }
}

/// Temporary credentials for a role, from STS `AssumeRole`.
///
/// Sends `POST` to the endpoint (set with [`with_endpoint`](Self::with_endpoint),
/// else [`ENDPOINT_VARIABLE`], else [`DEFAULT_ENDPOINT`]), signed with TC3 by
/// the source credential, with the JSON body `RoleArn`, `RoleSessionName`,
/// `DurationSeconds`, then `Policy` and `ExternalId` when set, written as
/// the official Python SDK writes it. Inputs are checked before anything is
/// sent. Each run asks STS again; the caller caches.
pub struct StsProvider {
    settings: AssumeRole,
    call: Call,
}

/// What `AssumeRole` is asked, as set in code.
struct AssumeRole {
    source: Credential,
    role_arn: Setting<ROLE_ARN>,
    session_name: Setting<SESSION_NAME>,
    duration: u64,
    policy: Setting<POLICY>,
    external_id: Setting<EXTERNAL_ID>,
    region: Setting<REGION>,
    endpoint: Option<Result<Endpoint, BadEndpoint>>,
}

impl StsProvider {
    /// Assumes `role_arn` as `role_session_name`, with the long-term `source` credential.
    ///
    /// The session name must be 2 to 128 characters of `[A-Za-z0-9_+=,.@-]`;
    /// this and the other inputs are checked when the provider runs.
    pub fn new(source: Credential, role_arn: &str, role_session_name: &str) -> Self {
        let settings = AssumeRole {
            source,
            role_arn: Setting::new(role_arn),
            session_name: Setting::new(role_session_name),
            duration: DEFAULT_DURATION,
            policy: Setting::Unset,
            external_id: Setting::Unset,
            region: Setting::new(DEFAULT_REGION),
            endpoint: None,
        };
        Self {
            settings,
            call: Call::new(ProviderKind::Sts),
        }
    }

    /// Asks for credentials lasting `seconds` (1 to 43200; default 7200).
    #[must_use]
    pub fn with_duration(mut self, seconds: u64) -> Self {
        self.settings.duration = seconds;
        self
    }

    /// Narrows the role's permissions with a policy, URL-encoded as STS requires.
    ///
    /// An empty policy sends none.
    #[must_use]
    pub fn with_policy(mut self, policy: &str) -> Self {
        self.settings.policy = Setting::new(policy);
        self
    }

    /// Sends the external id the role's trust policy asks for (empty sends none).
    #[must_use]
    pub fn with_external_id(mut self, external_id: &str) -> Self {
        self.settings.external_id = Setting::new(external_id);
        self
    }

    /// Sends the request to `region` (default `ap-guangzhou`).
    #[must_use]
    pub fn with_region(mut self, region: &str) -> Self {
        self.settings.region = Setting::new(region);
        self
    }

    /// Uses this endpoint: a host (reached over HTTPS) or an `https://` or
    /// `http://` URL without a path. [`ENDPOINT_VARIABLE`] is then not read.
    #[must_use]
    pub fn with_endpoint(mut self, endpoint: &str) -> Self {
        self.settings.endpoint = Some(Endpoint::parse(endpoint));
        self
    }
}

impl AssumeRole {
    /// Checks the inputs and writes the request body into `body`.
    fn prepare(&self, body: &mut Vec<u8, BODY>) -> Result<(), Error> {
        let role_arn = self.role_arn.get("role arn is too long")?;
        check_role_arn(role_arn)?;
        // A name too long for its buffer fails the check like any long name.
        let session_name = self.session_name.get("").unwrap_or("-");
        check_session_name(session_name)?;
        check_duration(self.duration)?;
        check_region(self.region.get("region is too long")?)?;
        let policy = self.policy.get("policy is too long")?;
        let external_id = self.external_id.get("external id is too long")?;

        let mut json = JsonObject::begin(body)?;
        json.string("RoleArn", role_arn)?;
        json.string("RoleSessionName", session_name)?;
        json.integer("DurationSeconds", self.duration)?;
        if !policy.is_empty() {
            json.string("Policy", policy)?;
        }
        if !external_id.is_empty() {
            json.string("ExternalId", external_id)?;
        }
        json.end()
    }
}

impl fmt::Debug for StsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.settings;
        f.debug_struct("StsProvider")
            .field("source", &s.source)
            .field("role_arn", &s.role_arn.shown())
            .field("role_session_name", &s.session_name.shown())
            .field("duration", &s.duration)
            .field("policy", &s.policy.is_set().then_some("<set>"))
            .field(
                "external_id",
                &s.external_id.is_set().then_some("<redacted>"),
            )
            .field("region", &s.region.shown())
            .field("call", &self.call)
            .finish()
    }
}

impl Provider for StsProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Sts
    }

    fn poll(&mut self, now: u64) -> Step<'_> {
        let Self { settings, call } = self;
        let order = Order {
            action: "AssumeRole",
            region: settings.region.get("").unwrap_or_default(),
            signer: Signer::Tc3(&settings.source),
            endpoint: settings.endpoint.as_ref(),
        };
        call.poll(now, &order, |body| settings.prepare(body))
    }

    fn handle_env(&mut self, value: Result<Option<&str>, EnvError>) {
        self.call.handle_env(value);
    }

    fn handle_file(&mut self, _: Result<&[u8], FileError>) {
        self.call.handle_other();
    }

    fn handle_http(&mut self, result: Result<HttpResponse<'_>, TransportError>) {
        self.call.handle_http(result);
    }

    fn handle_slept(&mut self) {
        self.call.handle_other();
    }

    fn finish(&mut self) -> Result<Credential, Error> {
        self.call.finish()
    }
}
