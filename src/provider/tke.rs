//! TKE pod identity: OIDC credentials configured by the `TKE_*` variables
//! that TKE's pod identity webhook injects.

use core::fmt::{self, Write};

use heapless::String;

use super::oidc::OidcProvider;
use super::sts::{check_region, check_role_arn, check_session_name, Endpoint, Setting};
use super::{unexpected, Provider, Step};
use crate::credential::Credential;
use crate::error::{Error, ErrorKind, ProviderKind};
use crate::io::{EnvError, FileError, FileRef, FileRequest, HttpResponse, TransportError};
use crate::limits;

/// The region sent as `X-TC-Region`.
pub const REGION: &str = "TKE_REGION";
/// The identity provider registered for the cluster.
pub const PROVIDER_ID: &str = "TKE_PROVIDER_ID";
/// The file holding the web identity token.
pub const TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
/// Read for the token file when [`TOKEN_FILE`] is unset or empty.
pub const TOKEN_FILE_ALIAS: &str = "TKE_IDENTITY_TOKEN_FILE";
/// The role to assume.
pub const ROLE_ARN: &str = "TKE_ROLE_ARN";
/// The role session name (optional).
pub const SESSION_NAME: &str = "TKE_ROLE_SESSION_NAME";
/// Start of the session name used when [`SESSION_NAME`] is unset.
pub const SESSION_PREFIX: &str = "tencentcloud-rust-sdk-";

/// The variables in the order they are read.
const VARIABLES: [&str; 6] = [
    REGION,
    PROVIDER_ID,
    TOKEN_FILE,
    TOKEN_FILE_ALIAS,
    ROLE_ARN,
    SESSION_NAME,
];
const TOKEN_FILE_AT: usize = 2;
const ALIAS_AT: usize = 3;

/// Temporary credentials for the pod's role, as TKE pod identity sets it up.
///
/// Reads `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE` (or
/// `TKE_IDENTITY_TOKEN_FILE`), `TKE_ROLE_ARN` and the optional
/// `TKE_ROLE_SESSION_NAME`, reads and trims the token file, then calls
/// `AssumeRoleWithWebIdentity` in `TKE_REGION` as [`OidcProvider`] does.
/// None of the four required variables set: not configured. Some but not
/// all: an error naming every missing one.
///
/// Variables and token file are read again on every run, so a rotated token
/// is picked up. Without `TKE_ROLE_SESSION_NAME` the session is named
/// `tencentcloud-rust-sdk-` and the run's time in microseconds; the core
/// counts time in whole seconds, so that number always ends in six zeros.
pub struct TkeProvider {
    stage: Stage,
    read: [Read; 6],
    token_file: Setting<{ limits::PATH }>,
    named_session: bool,
    /// Also holds the error of a run stopped before the exchange.
    oidc: OidcProvider,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Waiting for the variable at this index of [`VARIABLES`].
    Variable(usize),
    /// Waiting for the token file.
    TokenFile,
    /// The OIDC exchange runs.
    Exchange,
    /// Stopped before the exchange: the OIDC call holds the error.
    Done,
}

/// How a variable read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Read {
    #[default]
    Unset,
    Set,
    NotUnicode,
}

impl Default for TkeProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl TkeProvider {
    /// A provider reading the `TKE_*` variables.
    pub fn new() -> Self {
        Self {
            stage: Stage::Variable(0),
            read: [Read::Unset; 6],
            token_file: Setting::Unset,
            named_session: false,
            oidc: OidcProvider::serving(ProviderKind::Tke),
        }
    }

    /// Uses this STS endpoint: a host (reached over HTTPS) or an `https://`
    /// or `http://` URL without a path. The endpoint variable is then not read.
    #[must_use]
    pub fn with_endpoint(mut self, endpoint: &str) -> Self {
        self.oidc.settings.endpoint = Some(Endpoint::parse(endpoint));
        self
    }

    /// The variable that named the token file.
    fn token_file_variable(&self) -> &'static str {
        match self.read.get(TOKEN_FILE_AT) {
            Some(Read::Unset) => TOKEN_FILE_ALIAS,
            _ => TOKEN_FILE,
        }
    }

    fn stop(&mut self, error: Error) {
        // The first error wins: the call keeps the outcome it ended with.
        self.oidc.end(error);
        self.stage = Stage::Done;
    }

    fn store(&mut self, at: usize, value: &str) {
        let settings = &mut self.oidc.settings;
        match at {
            0 => settings.region = Setting::new(value),
            1 => settings.provider_id = Setting::new(value),
            TOKEN_FILE_AT | ALIAS_AT => self.token_file = Setting::new(value),
            4 => settings.role_arn = Setting::new(value),
            _ => settings.session_name = Setting::new(value),
        }
    }

    /// After the last variable: the token file to read, or why not.
    fn configured(&self) -> Result<(), Error> {
        let read = |at: usize| self.read.get(at).copied().unwrap_or_default();
        let token_file = match read(TOKEN_FILE_AT) {
            Read::Unset => read(ALIAS_AT),
            other => other,
        };
        let required = [
            (read(0), REGION),
            (read(1), PROVIDER_ID),
            (token_file, TOKEN_FILE),
            (read(4), ROLE_ARN),
        ];
        if required.iter().all(|(read, _)| *read == Read::Unset) {
            return Err(Error::new(
                ErrorKind::NotConfigured,
                "TKE_* variables are unset",
            ));
        }
        let missing = required.iter().filter(|(read, _)| *read == Read::Unset);
        if missing.clone().next().is_some() {
            let e = Error::new(ErrorKind::InvalidInput, "some TKE_* variables are unset");
            return Err(missing.fold(e, |e, (_, name)| e.with_variable(name)));
        }
        for (at, name) in VARIABLES.iter().enumerate() {
            if read(at) == Read::NotUnicode {
                let e = Error::new(ErrorKind::InvalidInput, "value is not valid utf-8");
                return Err(e.with_variable(name));
            }
        }

        let s = &self.oidc.settings;
        let named = |name| move |e: Error| e.with_variable(name);
        let region = s.region.get("region is too long").map_err(named(REGION))?;
        check_region(region).map_err(named(REGION))?;
        s.provider_id
            .get("provider id is too long")
            .map_err(named(PROVIDER_ID))?;
        self.token_file
            .get("token file path is too long")
            .map_err(named(self.token_file_variable()))?;
        let role_arn = s
            .role_arn
            .get("role arn is too long")
            .map_err(named(ROLE_ARN))?;
        check_role_arn(role_arn).map_err(named(ROLE_ARN))?;
        if s.session_name.is_set() {
            let name = s.session_name.get("").unwrap_or("-");
            check_session_name(name).map_err(named(SESSION_NAME))?;
        }
        Ok(())
    }

    /// Takes the token from the bytes of the token file.
    fn take_token(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let path = self.token_file.get("").unwrap_or_default();
        let about = |e: Error| e.with_path(path).with_variable(self.token_file_variable());
        if bytes.len() > limits::TOKEN {
            let e = Error::capacity("web identity token file is too long", limits::TOKEN);
            return Err(about(e));
        }
        let text = core::str::from_utf8(bytes).map_err(|_| {
            about(Error::new(
                ErrorKind::InvalidInput,
                "web identity token file is not valid utf-8",
            ))
        })?;
        let token = text.trim();
        if token.is_empty() {
            return Err(about(Error::new(
                ErrorKind::InvalidInput,
                "web identity token file is empty",
            )));
        }
        self.oidc.settings.token = Setting::new(token);
        Ok(())
    }

    /// Readies the next run; the endpoint set in code is kept.
    fn reset(&mut self) {
        let endpoint = self.oidc.settings.endpoint.take();
        *self = Self::new();
        self.oidc.settings.endpoint = endpoint;
    }
}

impl fmt::Debug for TkeProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TkeProvider")
            .field("stage", &self.stage)
            .field("token_file", &self.token_file.shown())
            .field("oidc", &self.oidc)
            .finish_non_exhaustive()
    }
}

impl Provider for TkeProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Tke
    }

    fn poll(&mut self, now: u64) -> Step<'_> {
        match self.stage {
            Stage::Variable(at) => match VARIABLES.get(at) {
                Some(name) => Step::Env(name),
                None => Step::Done,
            },
            Stage::TokenFile => Step::File(FileRequest {
                file: FileRef::Path(self.token_file.get("").unwrap_or_default()),
                limit: limits::TOKEN,
            }),
            Stage::Exchange => {
                if !self.named_session {
                    self.named_session = true;
                    if !self.oidc.settings.session_name.is_set() {
                        let mut name = String::<64>::new();
                        // The prefix and twenty digits fit.
                        let _ = write!(name, "{SESSION_PREFIX}{}", now.saturating_mul(1_000_000));
                        self.oidc.settings.session_name = Setting::new(&name);
                    }
                }
                self.oidc.poll(now)
            }
            Stage::Done => Step::Done,
        }
    }

    fn handle_env(&mut self, value: Result<Option<&str>, EnvError>) {
        let at = match self.stage {
            Stage::Exchange => return self.oidc.handle_env(value),
            Stage::Variable(at) => at,
            _ => return self.stop(unexpected(ProviderKind::Tke)),
        };
        let read = match value {
            Ok(None | Some("")) => Read::Unset,
            Ok(Some(value)) => {
                self.store(at, value);
                Read::Set
            }
            Err(EnvError::NotUnicode) => Read::NotUnicode,
        };
        if let Some(slot) = self.read.get_mut(at) {
            *slot = read;
        }

        let mut next = at + 1;
        if next == ALIAS_AT && read != Read::Unset {
            next += 1;
        }
        if next < VARIABLES.len() {
            self.stage = Stage::Variable(next);
            return;
        }
        match self.configured() {
            Ok(()) => self.stage = Stage::TokenFile,
            Err(e) => self.stop(e),
        }
    }

    fn handle_file(&mut self, result: Result<&[u8], FileError>) {
        match self.stage {
            Stage::TokenFile => {}
            Stage::Exchange => return self.oidc.handle_file(result),
            _ => return self.stop(unexpected(ProviderKind::Tke)),
        }
        let taken = match result {
            Ok(bytes) => self.take_token(bytes),
            Err(e) => {
                let path = self.token_file.get("").unwrap_or_default();
                Err(Error::new(ErrorKind::Io, e.message())
                    .with_path(path)
                    .with_variable(self.token_file_variable()))
            }
        };
        match taken {
            Ok(()) => self.stage = Stage::Exchange,
            Err(e) => self.stop(e),
        }
    }

    fn handle_http(&mut self, result: Result<HttpResponse<'_>, TransportError>) {
        match self.stage {
            Stage::Exchange => self.oidc.handle_http(result),
            _ => self.stop(unexpected(ProviderKind::Tke)),
        }
    }

    fn handle_slept(&mut self) {
        match self.stage {
            Stage::Exchange => self.oidc.handle_slept(),
            _ => self.stop(unexpected(ProviderKind::Tke)),
        }
    }

    fn finish(&mut self) -> Result<Credential, Error> {
        let outcome = match self.stage {
            Stage::Exchange | Stage::Done => self.oidc.finish(),
            Stage::Variable(_) | Stage::TokenFile => Err(unexpected(ProviderKind::Tke)),
        };
        self.reset();
        outcome.map_err(|e| e.with_provider(ProviderKind::Tke))
    }
}
