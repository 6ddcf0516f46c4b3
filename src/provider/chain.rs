//! Chains: ask providers in order until one has a credential.
//!
//! A provider that is not configured passes to the next; any other error
//! stops the chain and is returned as it is (it names its provider). When
//! every provider passes, the error lists each one with its reason, in order.

use heapless::{String, Vec};

use super::cvm::CvmProvider;
use super::env::EnvProvider;
use super::profile::ProfileProvider;
use super::tke::TkeProvider;
use super::{unexpected, Provider, Step};
use crate::credential::Credential;
use crate::error::{Error, ErrorKind, Passed, ProviderKind, MAX_PASSED};
use crate::limits;

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

/// Where a run keeps its outcome from the moment it is known until
/// [`Run::finish`] hands it out.
pub(crate) trait Keep<M: ?Sized> {
    /// Whether an outcome is kept.
    fn kept(&self, members: &M) -> bool;

    /// Keeps `outcome`, in place of any kept before.
    fn keep(&mut self, members: &mut M, outcome: Result<Credential, Error>);

    /// Takes the outcome kept, if any.
    fn take(&mut self, members: &mut M) -> Option<Result<Credential, Error>>;
}

/// The run keeps the outcome itself: for chains over any members.
impl<M: ?Sized> Keep<M> for Option<Result<Credential, Error>> {
    fn kept(&self, _: &M) -> bool {
        self.is_some()
    }

    fn keep(&mut self, _: &mut M, outcome: Result<Credential, Error>) {
        *self = Some(outcome);
    }

    fn take(&mut self, _: &mut M) -> Option<Result<Credential, Error>> {
        Option::take(self)
    }
}

/// Progress through the members, shared by every kind of chain; `K` is
/// where the outcome is kept (in the run, unless the members have room).
#[derive(Debug)]
pub(crate) struct Run<K = Option<Result<Credential, Error>>> {
    at: usize,
    summary: Error,
    outcome: K,
    answered_by: Option<ProviderKind>,
}

impl<K: Default> Default for Run<K> {
    fn default() -> Self {
        Self {
            at: 0,
            summary: Error::new(ErrorKind::NotConfigured, "no credential found")
                .with_provider(ProviderKind::Chain),
            outcome: K::default(),
            answered_by: None,
        }
    }
}

impl<K: Default> Run<K> {
    pub(crate) fn poll<'m, M: Members + ?Sized>(&mut self, members: &'m mut M, now: u64) -> Step<'m>
    where
        K: Keep<M>,
    {
        // Finish the members that are done. `poll` is repeatable, so the
        // live member is polled once more below for the step to hand out.
        while !self.outcome.kept(members) {
            let Some(member) = members.member(self.at) else {
                let summary = self.summary.clone();
                self.outcome.keep(members, Err(summary));
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
                    self.outcome.keep(members, outcome);
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
    ) -> Option<&'m mut dyn Provider>
    where
        K: Keep<M>,
    {
        if self.outcome.kept(members) {
            return None;
        }
        members.member(self.at)
    }

    pub(crate) fn wrong_answer<M: ?Sized>(&mut self, members: &mut M)
    where
        K: Keep<M>,
    {
        self.outcome
            .keep(members, Err(unexpected(ProviderKind::Chain)));
    }

    pub(crate) fn finish<M: ?Sized>(
        &mut self,
        members: &mut M,
        report: &mut Report,
    ) -> Result<Credential, Error>
    where
        K: Keep<M>,
    {
        let outcome = self
            .outcome
            .take(members)
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
    run: Run<InSlot>,
    report: Report,
}

impl DefaultChain {
    /// The default chain with default providers.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The members of the default chain, in order: env, profile, TKE, CVM.
///
/// Only the live member is held, in one slot. It is made afresh when the
/// chain reaches it, as a member is after a finished run; the CVM member
/// leaves behind the role name it found, which it keeps across runs. Once
/// the outcome is known the slot holds it instead, until the chain's
/// `finish`. A member that the chain's `finish` finds still running stays
/// in the slot: the env member goes on from there in the next run, while a
/// later one starts afresh, since the next run needs the slot for env first.
#[derive(Debug, Default)]
struct DefaultMembers {
    slot: Slot,
    cvm_role: Option<String<{ limits::ROLE_NAME }>>,
}

/// What the slot of the default chain holds.
#[derive(Debug, Default)]
enum Slot {
    #[default]
    Empty,
    Env(EnvProvider),
    Profile(ProfileProvider),
    Tke(TkeProvider),
    Cvm(CvmProvider),
    Outcome(Result<Credential, Error>),
}

impl Slot {
    /// The position of the member held, if one is.
    fn at(&self) -> Option<usize> {
        match self {
            Self::Env(_) => Some(0),
            Self::Profile(_) => Some(1),
            Self::Tke(_) => Some(2),
            Self::Cvm(_) => Some(3),
            Self::Empty | Self::Outcome(_) => None,
        }
    }
}

impl DefaultMembers {
    /// Empties the slot; a CVM member leaving it leaves behind the role
    /// name it found, for its next run.
    fn clear(&mut self) {
        if let Slot::Cvm(cvm) = &mut self.slot {
            self.cvm_role = cvm.take_found_role();
        }
        self.slot = Slot::Empty;
    }

    /// Puts member `at` (below [`MEMBERS`]) in the slot, made afresh.
    ///
    /// Out of line, as are the other changes of the slot, so that the new
    /// value's stack space is given back before the chain polls the member.
    #[inline(never)]
    fn enter(&mut self, at: usize) {
        self.clear();
        self.slot = match at {
            0 => Slot::Env(EnvProvider::new()),
            1 => Slot::Profile(ProfileProvider::new()),
            2 => Slot::Tke(TkeProvider::new()),
            _ => {
                let cvm = CvmProvider::in_chain();
                Slot::Cvm(match self.cvm_role.take() {
                    Some(role) => cvm.with_found_role(role),
                    None => cvm,
                })
            }
        };
    }
}

/// How many members the default chain has.
const MEMBERS: usize = 4;

impl Members for DefaultMembers {
    fn member(&mut self, at: usize) -> Option<&mut dyn Provider> {
        if at >= MEMBERS {
            return None;
        }
        if self.slot.at() != Some(at) {
            self.enter(at);
        }
        match &mut self.slot {
            Slot::Env(env) => Some(env),
            Slot::Profile(profile) => Some(profile),
            Slot::Tke(tke) => Some(tke),
            Slot::Cvm(cvm) => Some(cvm),
            Slot::Empty | Slot::Outcome(_) => None,
        }
    }
}

/// The default chain keeps its outcome in the members' slot, which the
/// member that answered no longer needs.
#[derive(Debug, Default)]
struct InSlot;

impl Keep<DefaultMembers> for InSlot {
    fn kept(&self, members: &DefaultMembers) -> bool {
        matches!(members.slot, Slot::Outcome(_))
    }

    #[inline(never)]
    fn keep(&mut self, members: &mut DefaultMembers, outcome: Result<Credential, Error>) {
        members.clear();
        members.slot = Slot::Outcome(outcome);
    }

    #[inline(never)]
    fn take(&mut self, members: &mut DefaultMembers) -> Option<Result<Credential, Error>> {
        if !self.kept(members) {
            // A member still running stays where it is.
            return None;
        }
        match core::mem::take(&mut members.slot) {
            Slot::Outcome(outcome) => Some(outcome),
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
                    None => $this.run.wrong_answer($members),
                }
            }

            fn handle_file(&mut self, result: Result<&[u8], $crate::io::FileError>) {
                let $this = self;
                match $this.run.live($members) {
                    Some(member) => member.handle_file(result),
                    None => $this.run.wrong_answer($members),
                }
            }

            fn handle_http(
                &mut self,
                result: Result<$crate::io::HttpResponse<'_>, $crate::io::TransportError>,
            ) {
                let $this = self;
                match $this.run.live($members) {
                    Some(member) => member.handle_http(result),
                    None => $this.run.wrong_answer($members),
                }
            }

            fn handle_slept(&mut self) {
                let $this = self;
                match $this.run.live($members) {
                    Some(member) => member.handle_slept(),
                    None => $this.run.wrong_answer($members),
                }
            }

            fn finish(&mut self) -> Result<$crate::Credential, $crate::Error> {
                let $this = self;
                $this.run.finish($members, &mut $this.report)
            }
        }
    };
}

#[cfg(feature = "std")]
pub(crate) use chain_provider;

chain_provider!(Chain<'_>, this => &mut *this.members);
chain_provider!(DefaultChain, this => &mut this.members);
