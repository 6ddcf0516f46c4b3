//! Resolving the credential the user asked for.

use std::vec::Vec;

use tencentcloud_credential::adapters;
use tencentcloud_credential::{
    Credential, DefaultChain, EnvProvider, Error, Passed, ProfileProvider, ProviderKind,
};

use crate::args::{ProviderName, SourceArgs};

/// A credential and how it was found.
pub struct Found {
    pub credential: Credential,
    pub provider: ProviderKind,
    pub passed: Vec<Passed>,
}

/// What a failed resolution knew: the error and who was passed over on the way.
pub struct NotFound {
    pub error: Error,
    pub passed: Vec<Passed>,
}

/// Resolves a credential from the provider named in `source`.
pub fn resolve(source: &SourceArgs) -> Result<Found, NotFound> {
    match source.provider {
        ProviderName::Env => adapters::resolve_offline(&mut EnvProvider::new())
            .map(|credential| Found::direct(credential, ProviderKind::Env))
            .map_err(NotFound::alone),
        ProviderName::Profile => adapters::resolve_offline(&mut ProfileProvider::new())
            .map(|credential| Found::direct(credential, ProviderKind::Profile))
            .map_err(NotFound::alone),
        ProviderName::Chain => {
            let mut chain = DefaultChain::new();
            let outcome = adapters::resolve_offline(&mut chain);
            let passed = chain.passed().to_vec();
            match (outcome, chain.answered_by()) {
                (Ok(credential), Some(provider)) => Ok(Found {
                    credential,
                    provider,
                    passed,
                }),
                (Ok(credential), None) => Ok(Found {
                    credential,
                    provider: ProviderKind::Chain,
                    passed,
                }),
                (Err(error), _) => Err(NotFound { error, passed }),
            }
        }
    }
}

impl Found {
    fn direct(credential: Credential, provider: ProviderKind) -> Self {
        Self {
            credential,
            provider,
            passed: Vec::new(),
        }
    }
}

impl NotFound {
    fn alone(error: Error) -> Self {
        Self {
            error,
            passed: Vec::new(),
        }
    }
}
