//! The CVM instance role provider: temporary credentials from the instance
//! metadata service.
//!
//! A run asks, in order:
//! 1. `TENCENTCLOUD_METADATA_DISABLED` (in a chain only): `true`, in any
//!    ASCII case and with surrounding spaces, takes the provider out of the
//!    chain without any HTTP;
//! 2. `TENCENTCLOUD_METADATA_ENDPOINT` (unless an endpoint was given in
//!    code): set and non-empty, it replaces `http://metadata.tencentyun.com`;
//! 3. `GET <base>/latest/meta-data/cam/security-credentials/`, the role
//!    list, unless a role name was given or found by an earlier run;
//! 4. `GET <base>/latest/meta-data/cam/security-credentials/<role>`, the
//!    credentials document.
//!
//! The role list is trimmed and, if it holds several lines, its first
//! non-empty line is taken (an instance has one role). A role name must
//! match `[A-Za-z0-9+=,.@_-]{1,128}` because it goes into the URL.
//!
//! The role name found is kept for later runs, so a refresh makes one
//! request. A 404 on the credentials request forgets it (the role was
//! unbound or replaced) and the next run asks the role list again.

mod document;

use core::fmt;

use heapless::String;

use super::{unexpected, Provider, Step};
use crate::credential::Credential;
use crate::error::{Error, ErrorKind, ProviderKind};
use crate::io::{EnvError, FileError, HttpRequest, HttpResponse, Method, TransportError};
use crate::limits;

/// The variable that replaces the metadata base URL.
pub const METADATA_ENDPOINT: &str = "TENCENTCLOUD_METADATA_ENDPOINT";
/// The variable that, set to `true`, takes the provider out of a chain.
pub const METADATA_DISABLED: &str = "TENCENTCLOUD_METADATA_DISABLED";
/// The metadata base URL used unless replaced.
pub const DEFAULT_ENDPOINT: &str = "http://metadata.tencentyun.com";
/// Longest metadata URL (base, path and role name), in bytes.
pub const MAX_URL: usize = 512;
/// Connect timeout of a metadata request, in milliseconds.
pub const CONNECT_TIMEOUT_MS: u32 = 1000;
/// Timeout of a whole metadata exchange, in milliseconds.
pub const TOTAL_TIMEOUT_MS: u32 = 3000;
/// Timeout of a whole metadata exchange inside a chain, in milliseconds:
/// shorter, so that a chain on a machine whose metadata address never
/// answers gives up within 3 seconds in all.
pub const IN_CHAIN_TOTAL_TIMEOUT_MS: u32 = 2000;
/// Most attempts of one request when the provider is used on its own.
pub const MAX_ATTEMPTS: u8 = 3;
/// The wait before the second attempt, in milliseconds; it doubles before each next one.
pub const FIRST_BACKOFF_MS: u32 = 200;

/// The path of the role list; the credentials path appends the role name.
const ROLE_PATH: &str = "/latest/meta-data/cam/security-credentials/";
const ROLE_CHARACTERS: &str = "role name has characters outside [A-Za-z0-9+=,.@_-]";
const NO_ROLE: &str = "no role bound to this instance";
const BAD_ENDPOINT: &str = "metadata endpoint is not an http:// or https:// url";

/// Temporary credentials of the role bound to this CVM instance.
///
/// [`new`](Self::new) is for use on its own: each request is tried up to
/// [`MAX_ATTEMPTS`] times after a timeout, a refused connection or a 5xx,
/// waiting [`FIRST_BACKOFF_MS`] and then twice as long (as [`Step::Sleep`]).
/// [`in_chain`](Self::in_chain) tries once, and reads "no metadata service"
/// and "no role bound" as not configured, so a chain moves on.
pub struct CvmProvider {
    in_chain: bool,
    endpoint: Endpoint,
    role: Role,
    run: Run,
}

/// Where the metadata base URL comes from.
#[derive(Debug)]
enum Endpoint {
    FromEnv,
    Given(String<MAX_URL>),
    GivenTooLong,
}

/// The role name: to discover, given in code, or found by an earlier run.
#[derive(Debug)]
enum Role {
    Discover,
    Given(String<{ limits::ROLE_NAME }>),
    GivenTooLong,
    Found(String<{ limits::ROLE_NAME }>),
}

/// Which metadata request is in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fetch {
    RoleList,
    Credentials,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum State {
    #[default]
    Start,
    Disabled,
    Endpoint,
    Fetch(Fetch),
    Backoff(u32, Fetch),
    Done,
}

/// The state of one run; reset by `finish`.
#[derive(Default)]
struct Run {
    state: State,
    /// Unix seconds as of the last poll, against which expiry is checked.
    now: u64,
    /// The URL of the request in flight; its first `base_len` bytes are the base.
    url: String<MAX_URL>,
    base_len: usize,
    attempt: u8,
    /// Whether the metadata service has answered in this run.
    reached: bool,
    outcome: Option<Result<Credential, Error>>,
}

impl Default for CvmProvider {
    /// The same as [`CvmProvider::new`]: for use on its own, with retries.
    fn default() -> Self {
        Self::new()
    }
}

impl CvmProvider {
    /// A provider for use on its own: up to three attempts per request.
    pub fn new() -> Self {
        Self {
            in_chain: false,
            endpoint: Endpoint::FromEnv,
            role: Role::Discover,
            run: Run::default(),
        }
    }

    /// A provider for a chain: one attempt, honours `TENCENTCLOUD_METADATA_DISABLED`.
    ///
    /// A refused connection, an unknown host, a timeout or no HTTP transport
    /// on the first request, a 404 or an empty role list: not configured.
    pub fn in_chain() -> Self {
        Self {
            in_chain: true,
            ..Self::new()
        }
    }

    /// Uses `name` as the role and skips the role list.
    ///
    /// The name is checked at the first poll; an invalid one ends each run in an error.
    #[must_use]
    pub fn with_role_name(mut self, name: &str) -> Self {
        self.role = String::try_from(name).map_or(Role::GivenTooLong, Role::Given);
        self
    }

    /// Uses `base` (e.g. `http://127.0.0.1:8080`) instead of the default
    /// metadata base, and does not read `TENCENTCLOUD_METADATA_ENDPOINT`.
    ///
    /// The URL is checked at the first poll; an invalid one ends each run in an error.
    #[must_use]
    pub fn with_endpoint(mut self, base: &str) -> Self {
        self.endpoint = String::try_from(base).map_or(Endpoint::GivenTooLong, Endpoint::Given);
        self
    }

    /// Takes the role name an earlier run found, if it still holds: all a
    /// chain that drops this provider between runs keeps for the next one.
    pub(crate) fn take_found_role(&mut self) -> Option<String<{ limits::ROLE_NAME }>> {
        match core::mem::replace(&mut self.role, Role::Discover) {
            Role::Found(name) => Some(name),
            other => {
                self.role = other;
                None
            }
        }
    }

    /// The provider, remembering `name` as found by an earlier run.
    pub(crate) fn with_found_role(mut self, name: String<{ limits::ROLE_NAME }>) -> Self {
        self.role = Role::Found(name);
        self
    }

    /// Ends the run with `outcome`.
    fn end(&mut self, outcome: Result<Credential, Error>) {
        self.run.outcome = Some(outcome);
        self.run.state = State::Done;
    }

    fn fail(&mut self, error: Error) {
        self.end(Err(error));
    }

    /// The first steps of a run: check the role name given, then ask the variables.
    fn start(&mut self) {
        if let Err(e) = self.given_role_checked() {
            return self.fail(e);
        }
        if self.in_chain {
            self.run.state = State::Disabled;
        } else {
            self.ask_endpoint();
        }
    }

    fn given_role_checked(&self) -> Result<(), Error> {
        match &self.role {
            Role::Given(name) if name.is_empty() => {
                Err(Error::new(ErrorKind::InvalidInput, "role name is empty"))
            }
            Role::Given(name) => check_role(name),
            Role::GivenTooLong => Err(role_too_long()),
            Role::Discover | Role::Found(_) => Ok(()),
        }
    }

    /// Asks `TENCENTCLOUD_METADATA_ENDPOINT`, unless the endpoint was given in code.
    fn ask_endpoint(&mut self) {
        let given = match &self.endpoint {
            Endpoint::FromEnv => {
                self.run.state = State::Endpoint;
                return;
            }
            Endpoint::Given(base) => set_base(&mut self.run, base),
            Endpoint::GivenTooLong => {
                Err(Error::capacity("metadata endpoint is too long", MAX_URL))
            }
        };
        match given {
            Ok(()) => self.first_fetch(),
            Err(e) => self.fail(e),
        }
    }

    /// Starts with the role list, or with the credentials when the role is known.
    fn first_fetch(&mut self) {
        let role = match &self.role {
            Role::Given(name) | Role::Found(name) => Some(name.as_str()),
            Role::Discover | Role::GivenTooLong => None,
        };
        let (fetch, url) = match role {
            Some(name) => (Fetch::Credentials, set_url(&mut self.run, name)),
            None => (Fetch::RoleList, set_url(&mut self.run, "")),
        };
        match url {
            Ok(()) => self.fetch(fetch),
            Err(e) => self.fail(e),
        }
    }

    fn fetch(&mut self, fetch: Fetch) {
        self.run.attempt = 1;
        self.run.state = State::Fetch(fetch);
    }

    /// Schedules another attempt after a backoff; false when none is left.
    fn retry(&mut self, fetch: Fetch) -> bool {
        if self.in_chain || self.run.attempt >= MAX_ATTEMPTS {
            return false;
        }
        let millis = FIRST_BACKOFF_MS << self.run.attempt.saturating_sub(1);
        self.run.attempt += 1;
        self.run.state = State::Backoff(millis, fetch);
        true
    }

    fn transport_failed(&mut self, fetch: Fetch, error: TransportError) {
        if self.in_chain && !self.run.reached {
            if let Some(reason) = not_on_cvm(error) {
                return self.fail(Error::new(ErrorKind::NotConfigured, reason));
            }
        }
        if matches!(error, TransportError::Timeout | TransportError::Refused) && self.retry(fetch) {
            return;
        }
        self.fail(Error::new(ErrorKind::Transport, error.message()));
    }

    fn role_list(&mut self, response: HttpResponse<'_>) {
        match response.status {
            200 => {}
            404 => {
                return self.fail(
                    Error::new(self.no_role_kind(ErrorKind::HttpStatus), NO_ROLE).with_status(404),
                )
            }
            500..=599 if self.retry(Fetch::RoleList) => return,
            status => {
                return self.fail(
                    Error::new(ErrorKind::HttpStatus, "metadata role list request failed")
                        .with_status(status),
                )
            }
        }
        if let Err(e) = body_fits(response.body) {
            return self.fail(e);
        }
        let Ok(text) = core::str::from_utf8(response.body) else {
            return self.fail(Error::new(
                ErrorKind::Parse,
                "metadata role list is not valid utf-8",
            ));
        };
        let Some(name) = text.lines().map(str::trim).find(|line| !line.is_empty()) else {
            return self.fail(Error::new(
                self.no_role_kind(ErrorKind::InvalidInput),
                NO_ROLE,
            ));
        };
        if let Err(e) = check_role(name) {
            return self.fail(e);
        }
        let Ok(name) = String::try_from(name) else {
            return self.fail(role_too_long());
        };
        let url = set_url(&mut self.run, &name);
        self.role = Role::Found(name);
        match url {
            Ok(()) => self.fetch(Fetch::Credentials),
            Err(e) => self.fail(e),
        }
    }

    /// The kind of a "no role bound" error: not configured in a chain, else `standalone`.
    fn no_role_kind(&self, standalone: ErrorKind) -> ErrorKind {
        if self.in_chain {
            ErrorKind::NotConfigured
        } else {
            standalone
        }
    }

    fn credentials(&mut self, response: HttpResponse<'_>) {
        match response.status {
            200 => {}
            404 => {
                if let Role::Found(_) = self.role {
                    self.role = Role::Discover;
                }
                return self.fail(
                    Error::new(ErrorKind::HttpStatus, "no credentials for this role name")
                        .with_status(404),
                );
            }
            500..=599 if self.retry(Fetch::Credentials) => return,
            status => {
                return self.fail(
                    Error::new(ErrorKind::HttpStatus, "metadata credentials request failed")
                        .with_status(status),
                )
            }
        }
        let outcome = body_fits(response.body)
            .and_then(|()| document::credential(response.body, self.run.now));
        self.end(outcome);
    }
}

/// Copies the base URL into the run's URL buffer, checked and without trailing `/`.
fn set_base(run: &mut Run, base: &str) -> Result<(), Error> {
    let base = base.trim_end_matches('/');
    let rest = ["http://", "https://"].iter().find_map(|scheme| {
        let head = base.get(..scheme.len())?;
        head.eq_ignore_ascii_case(scheme)
            .then(|| base.get(scheme.len()..))
            .flatten()
    });
    let valid = rest.is_some_and(|host| {
        !host.is_empty()
            && !host.starts_with('/')
            && !host
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#')
    });
    if !valid {
        return Err(Error::new(ErrorKind::InvalidInput, BAD_ENDPOINT));
    }
    run.url.clear();
    run.url
        .push_str(base)
        .map_err(|_| Error::capacity("metadata endpoint is too long", MAX_URL))?;
    run.base_len = run.url.len();
    Ok(())
}

/// Makes the URL of the role list (`role` empty) or of the role's credentials.
fn set_url(run: &mut Run, role: &str) -> Result<(), Error> {
    run.url.truncate(run.base_len);
    run.url
        .push_str(ROLE_PATH)
        .and_then(|()| run.url.push_str(role))
        .map_err(|_| Error::capacity("metadata url is too long", MAX_URL))
}

/// Checks a role name against `[A-Za-z0-9+=,.@_-]{1,128}`, never echoing it.
fn check_role(name: &str) -> Result<(), Error> {
    if name.len() > limits::ROLE_NAME {
        return Err(role_too_long());
    }
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b);
    if name.is_empty() || !name.bytes().all(allowed) {
        return Err(Error::new(ErrorKind::InvalidInput, ROLE_CHARACTERS));
    }
    Ok(())
}

fn role_too_long() -> Error {
    Error::capacity("role name is too long", limits::ROLE_NAME)
}

fn body_fits(body: &[u8]) -> Result<(), Error> {
    if body.len() > limits::RESPONSE_BODY {
        return Err(Error::capacity(
            "metadata response is too long",
            limits::RESPONSE_BODY,
        ));
    }
    Ok(())
}

/// The reason a transport failure means "no metadata service here", if it does.
fn not_on_cvm(error: TransportError) -> Option<&'static str> {
    match error {
        TransportError::Refused => Some("metadata service not found: connection refused"),
        TransportError::UnknownHost => Some("metadata service not found: unknown host"),
        TransportError::Timeout => Some("metadata service not found: timed out"),
        TransportError::Unsupported => Some("metadata service not found: no http transport"),
        _ => None,
    }
}

impl Provider for CvmProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Cvm
    }

    fn poll(&mut self, now: u64) -> Step<'_> {
        self.run.now = now;
        if self.run.state == State::Start {
            self.start();
        }
        match self.run.state {
            State::Disabled => Step::Env(METADATA_DISABLED),
            State::Endpoint => Step::Env(METADATA_ENDPOINT),
            State::Fetch(_) => Step::Http(HttpRequest {
                method: Method::Get,
                url: &self.run.url,
                headers: heapless::Vec::new(),
                body: &[],
                connect_timeout_ms: CONNECT_TIMEOUT_MS,
                total_timeout_ms: if self.in_chain {
                    IN_CHAIN_TOTAL_TIMEOUT_MS
                } else {
                    TOTAL_TIMEOUT_MS
                },
                allow_proxy: false,
                max_body: limits::RESPONSE_BODY,
            }),
            State::Backoff(millis, _) => Step::Sleep(millis),
            // `start` always leaves `Start`.
            State::Start | State::Done => Step::Done,
        }
    }

    fn handle_env(&mut self, value: Result<Option<&str>, EnvError>) {
        let variable = match self.run.state {
            State::Disabled => METADATA_DISABLED,
            State::Endpoint => METADATA_ENDPOINT,
            _ => return self.fail(unexpected(ProviderKind::Cvm)),
        };
        let value = match value {
            Ok(value) => value.unwrap_or(""),
            Err(EnvError::NotUnicode) => {
                return self.fail(
                    Error::new(ErrorKind::InvalidInput, "value is not valid utf-8")
                        .with_variable(variable),
                )
            }
        };
        if variable == METADATA_DISABLED {
            if value.trim().eq_ignore_ascii_case("true") {
                return self.fail(Error::new(
                    ErrorKind::NotConfigured,
                    "metadata disabled by TENCENTCLOUD_METADATA_DISABLED",
                ));
            }
            return self.ask_endpoint();
        }
        let base = if value.is_empty() {
            DEFAULT_ENDPOINT
        } else {
            value
        };
        match set_base(&mut self.run, base) {
            Ok(()) => self.first_fetch(),
            Err(e) => self.fail(e.with_variable(METADATA_ENDPOINT)),
        }
    }

    fn handle_file(&mut self, _: Result<&[u8], FileError>) {
        self.fail(unexpected(ProviderKind::Cvm));
    }

    fn handle_http(&mut self, result: Result<HttpResponse<'_>, TransportError>) {
        let State::Fetch(fetch) = self.run.state else {
            return self.fail(unexpected(ProviderKind::Cvm));
        };
        let response = match result {
            Ok(response) => response,
            Err(e) => return self.transport_failed(fetch, e),
        };
        self.run.reached = true;
        match fetch {
            Fetch::RoleList => self.role_list(response),
            Fetch::Credentials => self.credentials(response),
        }
    }

    fn handle_slept(&mut self) {
        match self.run.state {
            State::Backoff(_, fetch) => self.run.state = State::Fetch(fetch),
            _ => self.fail(unexpected(ProviderKind::Cvm)),
        }
    }

    fn finish(&mut self) -> Result<Credential, Error> {
        let outcome = match (self.run.state, self.run.outcome.take()) {
            (State::Done, Some(outcome)) => outcome,
            _ => Err(unexpected(ProviderKind::Cvm)),
        };
        self.run = Run::default();
        outcome.map_err(|e| e.with_provider(ProviderKind::Cvm))
    }
}

impl fmt::Debug for CvmProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The outcome may hold a credential: it is not shown.
        f.debug_struct("CvmProvider")
            .field("in_chain", &self.in_chain)
            .field("endpoint", &self.endpoint)
            .field("role", &self.role)
            .field("state", &self.run.state)
            .field("url", &self.run.url)
            .field("attempt", &self.run.attempt)
            .finish_non_exhaustive()
    }
}
