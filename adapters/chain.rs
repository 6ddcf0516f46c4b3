//! A chain that owns its providers, so that it can live in a
//! [`CredentialCache`](super::CredentialCache) shared between threads.

use std::boxed::Box;
use std::vec::Vec;

use crate::credential::Credential;
use crate::error::{Error, ProviderKind};
use crate::io::{EnvError, FileError, HttpResponse, TransportError};
use crate::provider::chain::{chain_provider, Members, Report, Run};
use crate::{Provider, Step};

/// A chain over providers it owns, asked in the order they were pushed.
///
/// It behaves as [`Chain`](crate::Chain) does (a provider that is not
/// configured passes to the next, any other error stops the chain, and
/// when all pass the error lists each one); unlike it, it can be moved to
/// another thread and kept in a cache:
///
/// ```no_run
/// use tencentcloud_credential::adapters::{CredentialCache, OwnedChain};
/// use tencentcloud_credential::{CvmProvider, EnvProvider};
///
/// let chain = OwnedChain::new()
///     .with(EnvProvider::new())
///     .with(CvmProvider::in_chain());
/// let cache = CredentialCache::new(chain);
/// # Ok::<(), tencentcloud_credential::Error>(())
/// ```
#[derive(Default)]
pub struct OwnedChain {
    members: Vec<Box<dyn Provider + Send>>,
    run: Run,
    report: Report,
}

impl OwnedChain {
    /// A chain with no providers yet; its outcome is "not configured".
    pub fn new() -> Self {
        Self::default()
    }

    /// The chain with `provider` asked after those already in it.
    #[must_use]
    pub fn with(mut self, provider: impl Provider + Send + 'static) -> Self {
        self.members.push(Box::new(provider));
        self
    }
}

impl core::fmt::Debug for OwnedChain {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let kinds: Vec<ProviderKind> = self.members.iter().map(|p| p.kind()).collect();
        f.debug_struct("OwnedChain")
            .field("members", &kinds)
            .finish_non_exhaustive()
    }
}

impl Members for Vec<Box<dyn Provider + Send>> {
    fn member(&mut self, at: usize) -> Option<&mut dyn Provider> {
        match self.get_mut(at) {
            Some(p) => Some(&mut **p),
            None => None,
        }
    }
}

chain_provider!(OwnedChain, this => &mut this.members);

/// A boxed provider is a provider, so that one chosen at run time can be
/// cached: `CredentialCache<Box<dyn Provider + Send>>`.
impl<P: Provider + ?Sized> Provider for Box<P> {
    fn kind(&self) -> ProviderKind {
        (**self).kind()
    }

    fn poll(&mut self, now: u64) -> Step<'_> {
        (**self).poll(now)
    }

    fn handle_env(&mut self, value: Result<Option<&str>, EnvError>) {
        (**self).handle_env(value);
    }

    fn handle_file(&mut self, result: Result<&[u8], FileError>) {
        (**self).handle_file(result);
    }

    fn handle_http(&mut self, result: Result<HttpResponse<'_>, TransportError>) {
        (**self).handle_http(result);
    }

    fn handle_slept(&mut self) {
        (**self).handle_slept();
    }

    fn finish(&mut self) -> Result<Credential, Error> {
        (**self).finish()
    }
}
