//! Chains: ask providers in order until one has a credential.
//!
//! A provider that is not configured passes to the next; any other error
//! stops the chain and is returned as it is (it names its provider). When
//! every provider passes, the error lists each one with its reason, in order.

use heapless::Vec;

use super::cvm::CvmProvider;
use super::env::EnvProvider;
use super::profile::ProfileProvider;
use super::tke::TkeProvider;
use super::{unexpected, Provider, Step};
use crate::credential::Credential;
use crate::error::{Error, ErrorKind, Passed, ProviderKind, MAX_PASSED};

/// The providers of a chain, by position.
pub(crate) trait Members {
    fn member(&mut self, at: usize) -> Option<&mut dyn Provider>;
}

impl Members for [&mut dyn Provider] {
    fn member(&mut self, at: usize) -> Option<&mut dyn Provider> {
        match self.get_mut(at) {
            Some(p) => Some(&mut **p),
            None => None,
        }
    }
}

/// Progress through the members, shared by every kind of chain.
#[derive(Debug)]
pub(crate) struct Run {
    at: usize,
    summary: Error,
    outcome: Option<Result<Credential, Error>>,
    answered_by: Option<ProviderKind>,
}

impl Default for Run {
    fn default() -> Self {
        Self {
            at: 0,
            summary: Error::new(ErrorKind::NotConfigured, "no credential found")
                .with_provider(ProviderKind::Chain),
            outcome: None,
            answered_by: None,
        }
    }
}

impl Run {
    pub(crate) fn poll<'m, M: Members + ?Sized>(
        &mut self,
        members: &'m mut M,
        now: u64,
    ) -> Step<'m> {
        // Finish the members that are done. `poll` is repeatable, so the
        // live member is polled once more below for the step to hand out.
        while self.outcome.is_none() {
            let Some(member) = members.member(self.at) else {
                self.outcome = Some(Err(self.summary.clone()));
                break;
            };
            if !matches!(member.poll(now), Step::Done) {
                break;
            }
            let kind = member.kind();
            match member.finish() {
                Err(e) if e.is_not_configured() => {
                    self.summary.push_passed(kind, &e);
                    self.at += 1;
                }
                outcome => {
                    self.answered_by = Some(kind);
                    self.outcome = Some(outcome);
                }
            }
        }
        match self.live(members) {
            Some(member) => member.poll(now),
            None => Step::Done,
        }
    }

    pub(crate) fn live<'m, M: Members + ?Sized>(
        &self,
        members: &'m mut M,
    ) -> Option<&'m mut dyn Provider> {
        if self.outcome.is_some() {
            return None;
        }
        members.member(self.at)
    }

    pub(crate) fn wrong_answer(&mut self) {
        self.outcome = Some(Err(unexpected(ProviderKind::Chain)));
    }

    pub(crate) fn finish(&mut self, report: &mut Report) -> Result<Credential, Error> {
        let outcome = self
            .outcome
            .take()
            .unwrap_or_else(|| Err(unexpected(ProviderKind::Chain)));
        report.answered_by = self.answered_by;
        report.passed = self.summary.passed().iter().cloned().collect();
        *self = Self::default();
        outcome
    }
}

/// What the last run of a chain found: who answered and who passed.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub(crate) answered_by: Option<ProviderKind>,
    pub(crate) passed: Vec<Passed, MAX_PASSED>,
}

/// A chain over any list of providers, asked in the order given.
///
/// The providers are borrowed, so a chain allocates nothing:
///
/// ```
/// use tencentcloud_credential::{Chain, EnvProvider, ProfileProvider, Provider};
///
/// let (mut env, mut profile) = (EnvProvider::new(), ProfileProvider::new());
/// let mut list: [&mut dyn Provider; 2] = [&mut env, &mut profile];
/// let chain = Chain::new(&mut list);
/// ```
pub struct Chain<'a> {
    members: &'a mut [&'a mut dyn Provider],
    run: Run,
    report: Report,
}

impl core::fmt::Debug for Chain<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Chain")
            .field("members", &self.members.len())
            .field("at", &self.run.at)
            .finish_non_exhaustive()
    }
}

impl<'a> Chain<'a> {
    /// A chain asking `members` in order.
    pub fn new(members: &'a mut [&'a mut dyn Provider]) -> Self {
        Self {
            members,
            run: Run::default(),
            report: Report::default(),
        }
    }
}

/// The default chain: environment, profile file, TKE pod identity, CVM instance role.
///
/// TKE is asked before CVM, unlike the official SDKs: it needs no network,
/// and on a TKE node the metadata service answers for the node, so asking it
/// first would hand a pod its node's role. The CVM step runs in chain mode
/// ([`CvmProvider::in_chain`]): one attempt, and no metadata service (or no
/// role bound) means "not configured"; `TENCENTCLOUD_METADATA_DISABLED=true`
/// takes it out. See [`Chain`] for how a chain moves on and stops.
#[derive(Debug, Default)]
pub struct DefaultChain {
    members: DefaultMembers,
    run: Run,
    report: Report,
}

impl DefaultChain {
    /// The default chain with default providers.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The members of the default chain, in order.
#[derive(Debug)]
struct DefaultMembers {
    env: EnvProvider,
    profile: ProfileProvider,
    tke: TkeProvider,
    cvm: CvmProvider,
}

impl Default for DefaultMembers {
    fn default() -> Self {
        Self {
            env: EnvProvider::new(),
            profile: ProfileProvider::new(),
            tke: TkeProvider::new(),
            cvm: CvmProvider::in_chain(),
        }
    }
}

impl Members for DefaultMembers {
    fn member(&mut self, at: usize) -> Option<&mut dyn Provider> {
        match at {
            0 => Some(&mut self.env),
            1 => Some(&mut self.profile),
            2 => Some(&mut self.tke),
            3 => Some(&mut self.cvm),
            _ => None,
        }
    }
}

/// Implements [`Provider`] for a chain type with `run` and `report` fields,
/// given how to reach its [`Members`].
macro_rules! chain_provider {
    ($ty:ty, $this:ident => $members:expr) => {
        impl $ty {
            /// The provider that answered the last run, if it finished with a credential or an error.
            pub fn answered_by(&self) -> Option<$crate::ProviderKind> {
                self.report.answered_by
            }

            /// The providers the last run passed over, with their reasons, in order.
            pub fn passed(&self) -> &[$crate::error::Passed] {
                &self.report.passed
            }
        }

        impl $crate::Provider for $ty {
            fn kind(&self) -> $crate::ProviderKind {
                $crate::ProviderKind::Chain
            }

            fn poll(&mut self, now: u64) -> $crate::Step<'_> {
                let $this = self;
                $this.run.poll($members, now)
            }

            fn handle_env(&mut self, value: Result<Option<&str>, $crate::io::EnvError>) {
                let $this = self;
                match $this.run.live($members) {
                    Some(member) => member.handle_env(value),
                    None => $this.run.wrong_answer(),
                }
            }

            fn handle_file(&mut self, result: Result<&[u8], $crate::io::FileError>) {
                let $this = self;
                match $this.run.live($members) {
                    Some(member) => member.handle_file(result),
                    None => $this.run.wrong_answer(),
                }
            }

            fn handle_http(
                &mut self,
                result: Result<$crate::io::HttpResponse<'_>, $crate::io::TransportError>,
            ) {
                let $this = self;
                match $this.run.live($members) {
                    Some(member) => member.handle_http(result),
                    None => $this.run.wrong_answer(),
                }
            }

            fn handle_slept(&mut self) {
                let $this = self;
                match $this.run.live($members) {
                    Some(member) => member.handle_slept(),
                    None => $this.run.wrong_answer(),
                }
            }

            fn finish(&mut self) -> Result<$crate::Credential, $crate::Error> {
                self.run.finish(&mut self.report)
            }
        }
    };
}

#[cfg(feature = "std")]
pub(crate) use chain_provider;

chain_provider!(Chain<'_>, this => &mut *this.members);
chain_provider!(DefaultChain, this => &mut this.members);
