//! STS `AssumeRoleWithWebIdentity`: temporary credentials for a role, in
//! exchange for an OIDC token (a JWT from an identity provider).

use core::fmt;

use heapless::Vec;

use super::json_body::JsonObject;
use super::sts::{
    check_duration, check_region, check_role_arn, check_session_name, BadEndpoint, Call, Endpoint,
    Order, Setting, BODY, DEFAULT_DURATION, REGION, ROLE_ARN, SESSION_NAME,
};
use super::{Provider, Step};
use crate::credential::Credential;
use crate::error::{Error, ErrorKind, ProviderKind};
use crate::io::{EnvError, FileError, HttpResponse, TransportError};
use crate::limits;
use crate::sign::request::Signer;

/// Longest identity provider name, in bytes.
pub const PROVIDER_ID: usize = 128;

/// Temporary credentials for a role, from STS `AssumeRoleWithWebIdentity`.
///
/// The request is not signed (`Authorization: SKIP`, no token header): the
/// web identity token is the proof. It goes to the endpoint set with
/// [`with_endpoint`](Self::with_endpoint), else
/// [`ENDPOINT_VARIABLE`](super::sts::ENDPOINT_VARIABLE), else
/// [`DEFAULT_ENDPOINT`](super::sts::DEFAULT_ENDPOINT), with the JSON body
/// `ProviderId`, `WebIdentityToken`, `RoleArn`, `RoleSessionName`,
/// `DurationSeconds`. Inputs are checked before anything is sent. `Debug`
/// never shows the token.
pub struct OidcProvider {
    pub(crate) settings: WebIdentity,
    call: Call,
}

/// What `AssumeRoleWithWebIdentity` is asked; the TKE provider fills it from
/// its variables on every run.
#[derive(Default)]
pub(crate) struct WebIdentity {
    pub(crate) region: Setting<REGION>,
    pub(crate) provider_id: Setting<PROVIDER_ID>,
    pub(crate) token: Setting<{ limits::TOKEN }>,
    pub(crate) role_arn: Setting<ROLE_ARN>,
    pub(crate) session_name: Setting<SESSION_NAME>,
    pub(crate) duration: u64,
    pub(crate) endpoint: Option<Result<Endpoint, BadEndpoint>>,
}

impl OidcProvider {
    /// Assumes `role_arn` as `role_session_name` with `web_identity_token`,
    /// issued by the identity provider registered as `provider_id`.
    ///
    /// `region` is required (it is sent as `X-TC-Region`). The inputs are
    /// checked when the provider runs.
    pub fn new(
        region: &str,
        provider_id: &str,
        web_identity_token: &str,
        role_arn: &str,
        role_session_name: &str,
    ) -> Self {
        let settings = WebIdentity {
            region: Setting::new(region),
            provider_id: Setting::new(provider_id),
            token: Setting::new(web_identity_token),
            role_arn: Setting::new(role_arn),
            session_name: Setting::new(role_session_name),
            duration: DEFAULT_DURATION,
            endpoint: None,
        };
        Self {
            settings,
            call: Call::new(ProviderKind::Oidc),
        }
    }

    /// Asks for credentials lasting `seconds` (1 to 43200; default 7200).
    #[must_use]
    pub fn with_duration(mut self, seconds: u64) -> Self {
        self.settings.duration = seconds;
        self
    }

    /// Uses this endpoint: a host (reached over HTTPS) or an `https://` or
    /// `http://` URL without a path. The endpoint variable is then not read.
    #[must_use]
    pub fn with_endpoint(mut self, endpoint: &str) -> Self {
        self.settings.endpoint = Some(Endpoint::parse(endpoint));
        self
    }

    /// An empty provider run on behalf of `kind`, for the TKE provider to fill.
    pub(crate) fn serving(kind: ProviderKind) -> Self {
        Self {
            settings: WebIdentity {
                duration: DEFAULT_DURATION,
                ..WebIdentity::default()
            },
            call: Call::new(kind),
        }
    }

    /// Ends the run with `error` before any exchange (for TKE, whose own
    /// checks come first): [`finish`](Provider::finish) returns it.
    pub(crate) fn end(&mut self, error: Error) {
        self.call.end(Err(error));
    }
}

impl WebIdentity {
    /// Checks the inputs and writes the request body into `body`.
    fn prepare(&self, body: &mut Vec<u8, BODY>) -> Result<(), Error> {
        let invalid = |message| Error::new(ErrorKind::InvalidInput, message);
        check_region(self.region.get("region is too long")?)?;
        let provider_id = self.provider_id.get("provider id is too long")?;
        if provider_id.is_empty() {
            return Err(invalid("provider id should not be empty"));
        }
        let token = self.token.get("web identity token is too long")?;
        if token.is_empty() {
            return Err(invalid("web identity token should not be empty"));
        }
        let role_arn = self.role_arn.get("role arn is too long")?;
        check_role_arn(role_arn)?;
        // A name too long for its buffer fails the check like any long name.
        let session_name = self.session_name.get("").unwrap_or("-");
        check_session_name(session_name)?;
        check_duration(self.duration)?;

        let mut json = JsonObject::begin(body)?;
        json.string("ProviderId", provider_id)?;
        json.string("WebIdentityToken", token)?;
        json.string("RoleArn", role_arn)?;
        json.string("RoleSessionName", session_name)?;
        json.integer("DurationSeconds", self.duration)?;
        json.end()
    }
}

impl fmt::Debug for OidcProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.settings;
        f.debug_struct("OidcProvider")
            .field("region", &s.region.shown())
            .field("provider_id", &s.provider_id.shown())
            .field(
                "web_identity_token",
                &s.token.is_set().then_some("<redacted>"),
            )
            .field("role_arn", &s.role_arn.shown())
            .field("role_session_name", &s.session_name.shown())
            .field("duration", &s.duration)
            .field("call", &self.call)
            .finish()
    }
}

impl Provider for OidcProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Oidc
    }

    fn poll(&mut self, now: u64) -> Step<'_> {
        let Self { settings, call } = self;
        let order = Order {
            action: "AssumeRoleWithWebIdentity",
            region: settings.region.get("").unwrap_or_default(),
            signer: Signer::Skip,
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
