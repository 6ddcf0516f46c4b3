//! The profile provider: the credentials file.

use super::{Provider, Step};
use crate::credential::Credential;
use crate::error::{Error, ErrorKind, ProviderKind};
use crate::io::{EnvError, FileError, HttpResponse, TransportError};

/// Reads a credential from the credentials profile file.
// TODO: stub, replaced by the real parser.
#[derive(Debug, Default)]
pub struct ProfileProvider {}

impl ProfileProvider {
    /// A provider reading the standard locations.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Provider for ProfileProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Profile
    }
    fn poll(&mut self, _now: u64) -> Step<'_> {
        Step::Done
    }
    fn handle_env(&mut self, _: Result<Option<&str>, EnvError>) {}
    fn handle_file(&mut self, _: Result<&[u8], FileError>) {}
    fn handle_http(&mut self, _: Result<HttpResponse<'_>, TransportError>) {}
    fn finish(&mut self) -> Result<Credential, Error> {
        Err(Error::new(ErrorKind::NotConfigured, "stub").with_provider(ProviderKind::Profile))
    }
}
