//! Resolving the credential the user asked for.

use std::string::String;
use std::vec::Vec;

use tencentcloud_credential::adapters::{self, SystemClock};
use tencentcloud_credential::provider::tke::SESSION_PREFIX;
use tencentcloud_credential::{
    Clock, Credential, CvmProvider, DefaultChain, EnvProvider, Error, OidcProvider, Passed,
    ProfileProvider, Provider, ProviderKind, StsProvider, TkeProvider,
};

use crate::args::{ProviderName, SourceArgs};
use crate::Failure;

/// A credential and how it was found.
pub struct Found {
    pub credential: Credential,
    pub provider: ProviderKind,
    pub passed: Vec<Passed>,
}

/// What a failed resolution knew: the error and who was passed over on the way.
pub struct NotFound {
    pub error: Failure,
    pub passed: Vec<Passed>,
}

/// Resolves a credential from the provider named in `source`.
pub fn resolve(source: &SourceArgs) -> Result<Found, NotFound> {
    match source.provider {
        ProviderName::Chain => chain(),
        ProviderName::Env => alone(&mut EnvProvider::new()),
        ProviderName::Profile => alone(&mut ProfileProvider::new()),
        ProviderName::Tke => alone(&mut TkeProvider::new()),
        ProviderName::Cvm => match &source.role_name {
            Some(role) => alone(&mut CvmProvider::new().with_role_name(role)),
            None => alone(&mut CvmProvider::new()),
        },
        ProviderName::Sts => {
            let role_arn = required(&source.role_arn, "--role-arn", "sts")?;
            let long_term = chain()?;
            let mut sts = StsProvider::new(long_term.credential, role_arn, &session(source))
                .with_duration(source.duration);
            alone(&mut sts)
        }
        ProviderName::Oidc => {
            let role_arn = required(&source.role_arn, "--role-arn", "oidc")?;
            let provider_id = required(&source.provider_id, "--provider-id", "oidc")?;
            let Some(path) = &source.web_identity_token_file else {
                return Err(usage("--provider oidc needs --web-identity-token-file"));
            };
            let token = std::fs::read_to_string(path)
                .map_err(|e| usage(&format!("cannot read {}: {e}", path.display())))?;
            let mut oidc = OidcProvider::new(
                &source.region,
                provider_id,
                token.trim(),
                role_arn,
                &session(source),
            )
            .with_duration(source.duration);
            alone(&mut oidc)
        }
    }
}

fn chain() -> Result<Found, NotFound> {
    let mut chain = DefaultChain::new();
    let outcome = adapters::resolve(&mut chain);
    let passed = chain.passed().to_vec();
    match outcome {
        Ok(credential) => Ok(Found {
            credential,
            provider: chain.answered_by().unwrap_or(ProviderKind::Chain),
            passed,
        }),
        Err(error) => Err(NotFound {
            error: Failure::Credential(error),
            passed,
        }),
    }
}

fn alone(provider: &mut dyn Provider) -> Result<Found, NotFound> {
    let kind = provider.kind();
    adapters::resolve(provider)
        .map(|credential| Found {
            credential,
            provider: kind,
            passed: Vec::new(),
        })
        .map_err(|error: Error| NotFound {
            error: Failure::Credential(error),
            passed: Vec::new(),
        })
}

fn required<'a>(
    value: &'a Option<String>,
    flag: &str,
    provider: &str,
) -> Result<&'a str, NotFound> {
    value
        .as_deref()
        .ok_or_else(|| usage(&format!("--provider {provider} needs {flag}")))
}

fn usage(message: &str) -> NotFound {
    NotFound {
        error: Failure::Usage(message.into()),
        passed: Vec::new(),
    }
}

/// The session name given, or one made from the clock like the SDKs do.
fn session(source: &SourceArgs) -> String {
    source
        .role_session_name
        .clone()
        .unwrap_or_else(|| format!("{SESSION_PREFIX}{}", SystemClock.now() * 1_000_000))
}
