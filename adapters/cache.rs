//! A thread-safe cache of one provider's credential, refreshed by the
//! policy in [`refresh`](crate::refresh).

use std::any::Any;
use std::boxed::Box;
use std::cell::{Cell, RefCell};
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::string::{String, ToString};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, TryLockError, Weak};
use std::thread;
use std::thread_local;

use zeroize::Zeroize;

use super::{OwnedChain, ProcessEnv, RealFiles, SystemClock, UreqTransport};
use crate::io::{Clock, Env, FileSource, Transport};
use crate::refresh::{AfterRefresh, Cached, Decision, RefreshPolicy, Refreshed};
use crate::{Credential, DefaultChain, Error, ErrorKind, Provider};

/// A source of random numbers for the refresh jitter.
type JitterSource = Box<dyn FnMut() -> u64 + Send>;

/// Caches the credential of any provider for many threads, and refreshes it
/// as [`RefreshPolicy`] says.
///
/// - A reader of a valid credential never waits for a refresh. The cache
///   keeps a few copies of the credential, each behind its own read lock
///   and reference count on its own cache line, and spreads the reading
///   threads over them, so that readers on different cores do not contend.
///   Each thread also remembers, weakly, which copy it read last and from
///   which store: until the cache stores again, it reads that copy without
///   taking the lock. The clock is still read on every call, and the
///   credential is served only while the policy says it is valid.
/// - One refresh runs at a time however many threads ask (single flight).
///   When a refresh is due but the cached credential is still valid, the
///   first reader to notice starts it on a background thread and every
///   reader is served the cached credential meanwhile. When nothing is
///   servable, readers wait for the refresh in progress and share its
///   outcome.
/// - A credential is never served at or after its expiry.
/// - A failed refresh is not cached: the next call after it tries again
///   (no sooner than the retry interval while a credential is servable). A
///   failure survived on a still valid credential is logged with
///   `log::warn!`, never with a secret.
/// - A refresh that panics leaves the lock poisoned; the next refresher
///   recovers it and the provider resumes from the step it was at.
///
/// The provider is run with the capabilities given: by default the process
/// environment, real files, [`UreqTransport`] and the system clock. All of
/// them must be `Send + 'static`, since a background refresh runs them on
/// another thread; when no thread can be started, the reader that found
/// the refresh due runs it itself.
pub struct CredentialCache<P, E = ProcessEnv, F = RealFiles, T = UreqTransport, C = SystemClock> {
    shared: Arc<Shared<P, E, F, T, C>>,
}

/// What the cache's handle and its background refresher share.
struct Shared<P, E, F, T, C> {
    /// This cache's number, never reused: names its copies in threads' [`LOCAL`].
    id: u64,
    /// Stores so far. Bumped after each store has written every shard, so a
    /// thread's copy read at an older count may be out of date.
    generation: AtomicU64,
    shards: Box<[Shard]>,
    refresher: Mutex<Refresher<P, E, F, T>>,
    clock: C,
    policy: RefreshPolicy,
    /// Set while a background refresh is started or running.
    refreshing: AtomicBool,
    /// Refreshes started.
    refreshes: AtomicU64,
    /// Refreshes finished (with any outcome); a waiter compares it before and after.
    finished: AtomicU64,
}

/// One copy of the cached credential, alone on its cache lines.
#[repr(align(128))]
#[derive(Default)]
struct Shard(RwLock<Slot>);

/// The cached credential and its schedule; `credential` is `None` exactly
/// when `cached` is [`Cached::Nothing`].
#[derive(Default)]
struct Slot {
    credential: Option<Arc<Credential>>,
    cached: Cached,
}

/// What only the thread holding the refresh lock touches.
struct Refresher<P, E, F, T> {
    provider: P,
    env: E,
    files: F,
    transport: T,
    jitter: JitterSource,
    /// The error of the last refresh when it left nothing servable.
    last_error: Option<Error>,
}

/// Copies of the credential per cache: a few per core, at most this many
/// (a power of two, as every shard count is).
const MAX_SHARDS: usize = 32;

/// The next shard number to hand to a thread that reads a cache for the first time.
static NEXT_SHARD: AtomicUsize = AtomicUsize::new(0);

/// The number of the next cache made.
static NEXT_CACHE: AtomicU64 = AtomicU64::new(1);

/// Caches a thread remembers its last read of at once (a cache's number
/// picks the place, so a fifth cache takes the place of one of these).
const REMEMBERED: usize = 4;

thread_local! {
    /// This thread's shard number (taken modulo each cache's shard count).
    static SHARD: Cell<Option<usize>> = const { Cell::new(None) };

    /// This thread's last read of each of a few caches.
    static LOCAL: RefCell<[Remembered; REMEMBERED]> =
        const { RefCell::new([Remembered::NONE; REMEMBERED]) };
}

/// A thread's last read of one cache: the shard's credential and schedule
/// as they were at `generation` or later.
///
/// The credential is held weakly: a thread never keeps a credential alive
/// (or its secret in memory) after the cache has let go of it.
struct Remembered {
    /// The cache's number; 0 for none.
    cache: u64,
    generation: u64,
    credential: Weak<Credential>,
    cached: Cached,
}

impl Remembered {
    const NONE: Self = Self {
        cache: 0,
        generation: 0,
        credential: Weak::new(),
        cached: Cached::Nothing,
    };
}

/// Where a cache's read is remembered in [`LOCAL`].
fn remembered_at(cache: u64) -> usize {
    // The remainder is below REMEMBERED, so it fits.
    (cache % REMEMBERED as u64) as usize
}

/// The shard number of the calling thread: threads are dealt out in turn.
fn shard_number() -> usize {
    SHARD.with(|shard| {
        shard.get().unwrap_or_else(|| {
            let number = NEXT_SHARD.fetch_add(1, Ordering::Relaxed);
            shard.set(Some(number));
            number
        })
    })
}

/// How many copies a new cache keeps: four per core (rounded up to a power
/// of two), so that the threads running at one instant are likely to read
/// different copies.
fn shard_count() -> usize {
    thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_mul(4))
        .clamp(1, MAX_SHARDS)
        .next_power_of_two()
}

impl<P> CredentialCache<P>
where
    P: Provider + Send + 'static,
{
    /// Caches `provider`'s credential, resolved with the process environment,
    /// real files, [`UreqTransport`] and the system clock.
    ///
    /// Nothing is resolved until the first [`get`](Self::get).
    pub fn new(provider: P) -> Self {
        Self::from_parts(
            provider,
            ProcessEnv::default(),
            RealFiles::default(),
            UreqTransport::new(),
            SystemClock,
        )
    }
}

impl<P, E, F, T, C> CredentialCache<P, E, F, T, C>
where
    P: Provider + Send + 'static,
    E: Env + Send + 'static,
    F: FileSource + Send + 'static,
    T: Transport + Send + 'static,
    C: Clock + Send + Sync + 'static,
{
    /// Caches `provider`'s credential, resolved with the capabilities given.
    ///
    /// The refresh jitter is drawn from std's randomly seeded hasher; see
    /// [`with_jitter`](Self::with_jitter) to choose it.
    pub fn from_parts(provider: P, env: E, files: F, transport: T, clock: C) -> Self {
        let shards = (0..shard_count()).map(|_| Shard::default()).collect();
        Self {
            shared: Arc::new(Shared {
                id: NEXT_CACHE.fetch_add(1, Ordering::Relaxed),
                generation: AtomicU64::new(0),
                shards,
                refresher: Mutex::new(Refresher {
                    provider,
                    env,
                    files,
                    transport,
                    jitter: Box::new(|| RandomState::new().build_hasher().finish()),
                    last_error: None,
                }),
                clock,
                policy: RefreshPolicy::new(),
                refreshing: AtomicBool::new(false),
                refreshes: AtomicU64::new(0),
                finished: AtomicU64::new(0),
            }),
        }
    }

    /// Uses `policy` instead of [`RefreshPolicy::new`] (for tests and load
    /// checks in compressed time). Call it before the first read.
    #[must_use]
    pub fn with_policy(mut self, policy: RefreshPolicy) -> Self {
        match Arc::get_mut(&mut self.shared) {
            Some(shared) => shared.policy = policy,
            None => log::warn!(
                "credential cache: with_policy called while a refresh runs; the policy is unchanged"
            ),
        }
        self
    }

    /// Draws each credential's refresh jitter from `source` (see
    /// [`RefreshPolicy::jitter`]); a constant makes refreshes predictable.
    #[must_use]
    pub fn with_jitter(self, source: impl FnMut() -> u64 + Send + 'static) -> Self {
        self.shared.lock_refresher().jitter = Box::new(source);
        self
    }

    /// The credential to use now: the cached one, or a fresh one when
    /// nothing valid is cached.
    ///
    /// Blocks only when nothing is servable (on the first call, or after
    /// the cached credential expired), until a refresh ends. Returns the
    /// refresh's error when it leaves nothing servable.
    pub fn get(&self) -> Result<Arc<Credential>, Error> {
        let shared = &self.shared;
        let now = shared.clock.now();
        let (credential, cached) = match shared.recall() {
            Some((credential, cached)) => (Some(credential), cached),
            None => shared.peek(),
        };
        let decision = match credential {
            Some(_) => shared.policy.decide(cached, now),
            None => Decision::MustRefresh,
        };
        match (decision, credential) {
            (Decision::Fresh, Some(credential)) => Ok(credential),
            (Decision::RefreshSoon, Some(credential)) => {
                Shared::refresh_in_background(shared);
                Ok(credential)
            }
            _ => {
                let seen = shared.finished.load(Ordering::SeqCst);
                shared.refresh(shared.lock_refresher(), Some(seen))
            }
        }
    }

    /// Id, key and token of the credential [`get`](Self::get) returns,
    /// copied out together: never parts of two credentials.
    pub fn credential_info(&self) -> Result<CredentialInfo, Error> {
        self.get().map(|credential| CredentialInfo::of(&credential))
    }

    /// Calls `f` with the credential [`get`](Self::get) returns, without
    /// copying it, and returns what `f` returns.
    pub fn with<R>(&self, f: impl FnOnce(&Credential) -> R) -> Result<R, Error> {
        self.get().map(|credential| f(&credential))
    }

    /// How many refreshes (runs of the provider) have started, failed ones included.
    pub fn refreshes(&self) -> u64 {
        self.shared.refreshes.load(Ordering::SeqCst)
    }

    /// Whether a background refresh is starting or running now.
    pub fn is_refreshing(&self) -> bool {
        self.shared.refreshing.load(Ordering::SeqCst)
    }

    /// The cached credential's schedule, for tests and diagnostics.
    pub fn cached(&self) -> Cached {
        self.shared.peek().1
    }
}

impl<P, E, F, T, C> Shared<P, E, F, T, C>
where
    P: Provider + Send + 'static,
    E: Env + Send + 'static,
    F: FileSource + Send + 'static,
    T: Transport + Send + 'static,
    C: Clock + Send + Sync + 'static,
{
    /// What this thread read last from this cache, when the cache has not
    /// stored since: the credential (if still held by the cache) and its
    /// schedule. Takes no lock.
    #[inline]
    fn recall(&self) -> Option<(Arc<Credential>, Cached)> {
        let generation = self.generation.load(Ordering::Acquire);
        LOCAL
            .try_with(|local| {
                let local = local.try_borrow().ok()?;
                let last = local.get(remembered_at(self.id))?;
                if last.cache != self.id || last.generation != generation {
                    return None;
                }
                Some((last.credential.upgrade()?, last.cached))
            })
            .ok()
            .flatten()
    }

    /// The calling thread's copy of the cached credential, and its schedule;
    /// remembered for [`recall`](Self::recall).
    fn peek(&self) -> (Option<Arc<Credential>>, Cached) {
        // Read before the shard: what the shard holds is then from this
        // store or a later one, never an earlier one.
        let generation = self.generation.load(Ordering::Acquire);
        // The count is a power of two: the mask picks a shard without a division.
        let shard = self.shards.get(shard_number() & (self.shards.len() - 1));
        let Some(Shard(lock)) = shard else {
            return (None, Cached::Nothing);
        };
        let (credential, cached) = {
            let slot = lock.read().unwrap_or_else(PoisonError::into_inner);
            (slot.credential.clone(), slot.cached)
        };
        if let Some(credential) = &credential {
            self.remember(generation, credential, cached);
        }
        (credential, cached)
    }

    /// Keeps what this thread read at `generation`, for [`recall`](Self::recall).
    fn remember(&self, generation: u64, credential: &Arc<Credential>, cached: Cached) {
        // A thread being torn down, or a reentrant call, just skips it.
        let _ = LOCAL.try_with(|local| {
            let Ok(mut local) = local.try_borrow_mut() else {
                return;
            };
            if let Some(last) = local.get_mut(remembered_at(self.id)) {
                *last = Remembered {
                    cache: self.id,
                    generation,
                    credential: Arc::downgrade(credential),
                    cached,
                };
            }
        });
    }

    /// Puts `credential` in every shard, each its own copy, then counts the
    /// store, so that threads read the shards again. Only the holder of the
    /// refresh lock stores, so shards differ only while it does.
    fn store(&self, credential: Option<&Credential>, cached: Cached) {
        for Shard(lock) in self.shards.iter() {
            let copy = credential.map(|c| Arc::new(c.clone()));
            let mut slot = lock.write().unwrap_or_else(PoisonError::into_inner);
            *slot = Slot {
                credential: copy,
                cached,
            };
        }
        self.generation.fetch_add(1, Ordering::Release);
    }

    /// The refresh lock, taken over from a refresher that panicked.
    fn lock_refresher(&self) -> MutexGuard<'_, Refresher<P, E, F, T>> {
        self.refresher
            .lock()
            .unwrap_or_else(|poisoned| self.recovered(poisoned))
    }

    /// The refresh lock a panicked refresher left poisoned, taken over.
    fn recovered<'a>(
        &self,
        poisoned: PoisonError<MutexGuard<'a, Refresher<P, E, F, T>>>,
    ) -> MutexGuard<'a, Refresher<P, E, F, T>> {
        log::warn!("a credential refresh panicked; the next refresh resumes the provider");
        self.refresher.clear_poison();
        poisoned.into_inner()
    }

    /// Starts a refresh on a new thread unless one is under way. When no
    /// thread can be started, refreshes here if nobody else is.
    fn refresh_in_background(shared: &Arc<Self>) {
        // Look before writing: while a refresh runs, every reader in the
        // window comes here, and a plain load keeps the flag's line shared.
        if shared.refreshing.load(Ordering::Acquire)
            || shared.refreshing.swap(true, Ordering::AcqRel)
        {
            return;
        }
        let background = Arc::clone(shared);
        let started = thread::Builder::new()
            .name("credential-refresh".to_string())
            .spawn(move || {
                let _done = Clears(&background.refreshing);
                let _ = background.refresh(background.lock_refresher(), None);
            });
        if started.is_err() {
            let _done = Clears(&shared.refreshing);
            let refresher = match shared.refresher.try_lock() {
                Ok(refresher) => refresher,
                Err(TryLockError::Poisoned(poisoned)) => shared.recovered(poisoned),
                Err(TryLockError::WouldBlock) => return,
            };
            let _ = shared.refresh(refresher, None);
        }
    }

    /// With the refresh lock held: serves what another thread refreshed
    /// meanwhile, or runs the provider. `waited` is the count of finished
    /// refreshes seen before waiting for the lock, when nothing was servable.
    fn refresh(
        &self,
        mut refresher: MutexGuard<'_, Refresher<P, E, F, T>>,
        waited: Option<u64>,
    ) -> Result<Arc<Credential>, Error> {
        // Only the holder of the refresh lock writes the slots, so what is
        // read here stays true until this thread stores.
        let now = self.clock.now();
        let (current, cached) = self.peek();
        match (self.policy.decide(cached, now), &current) {
            (Decision::Fresh, Some(credential)) => return Ok(Arc::clone(credential)),
            (Decision::RefreshSoon, Some(credential)) if waited.is_some() => {
                return Ok(Arc::clone(credential))
            }
            (Decision::MustRefresh, _) => {
                let finished_meanwhile =
                    waited.is_some_and(|seen| seen != self.finished.load(Ordering::SeqCst));
                if let (true, Some(error)) = (finished_meanwhile, &refresher.last_error) {
                    return Err(error.clone());
                }
            }
            _ => {}
        }

        self.refreshes.fetch_add(1, Ordering::SeqCst);
        let refresher = &mut *refresher;
        let outcome = crate::resolve(
            &mut refresher.provider,
            &mut refresher.env,
            &mut refresher.files,
            &mut refresher.transport,
            &self.clock,
        );
        log_chain(&refresher.provider);
        let now = self.clock.now();
        let refreshed = match &outcome {
            Ok(credential) => Refreshed::Credential {
                expires_at: credential.expires_at(),
            },
            Err(_) => Refreshed::Failed,
        };
        let after = self
            .policy
            .after_refresh(cached, refreshed, now, (refresher.jitter)());

        let result = match (after, outcome, current) {
            (AfterRefresh::Replace(schedule), Ok(credential), _) => {
                self.store(Some(&credential), schedule);
                refresher.last_error = None;
                Ok(Arc::new(credential))
            }
            (AfterRefresh::KeepCached(schedule), outcome, Some(credential)) => {
                let error = failure(outcome, refresher.provider.kind());
                match schedule.expires_at() {
                    Some(at) => log::warn!(
                        "credential refresh failed; serving the cached credential \
                         until it expires at {at}: {error}"
                    ),
                    None => log::warn!("credential refresh failed: {error}"),
                }
                self.store(Some(&credential), schedule);
                refresher.last_error = None;
                Ok(credential)
            }
            (_, outcome, _) => {
                let error = failure(outcome, refresher.provider.kind());
                self.store(None, Cached::Nothing);
                refresher.last_error = Some(error.clone());
                Err(error)
            }
        };
        self.finished.fetch_add(1, Ordering::SeqCst);
        result
    }
}

/// Clears a flag when dropped, also when the thread unwinds.
struct Clears<'a>(&'a AtomicBool);

impl Drop for Clears<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// The error of a refresh that yielded nothing usable.
fn failure(outcome: Result<Credential, Error>, kind: crate::ProviderKind) -> Error {
    match outcome {
        Err(error) => error,
        Ok(_) => {
            Error::new(ErrorKind::Expired, "credential expired on arrival").with_provider(kind)
        }
    }
}

/// Logs which providers a chain passed over, and which one answered.
fn log_chain(provider: &dyn Any) {
    let (passed, answered_by) = if let Some(chain) = provider.downcast_ref::<DefaultChain>() {
        (chain.passed(), chain.answered_by())
    } else if let Some(chain) = provider.downcast_ref::<OwnedChain>() {
        (chain.passed(), chain.answered_by())
    } else {
        return;
    };
    for passed in passed {
        log::debug!(
            "credential chain: {} passed: {}",
            passed.provider,
            passed.reason
        );
    }
    if let Some(kind) = answered_by {
        log::debug!("credential chain: answered by {kind}");
    }
}

impl<P, E, F, T, C> fmt::Debug for CredentialCache<P, E, F, T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = &self.shared;
        let cached = match shared.shards.first() {
            Some(Shard(lock)) => lock.read().map_or(Cached::Nothing, |slot| slot.cached),
            None => Cached::Nothing,
        };
        f.debug_struct("CredentialCache")
            .field("cached", &cached)
            .field("policy", &shared.policy)
            .field("refreshes", &shared.refreshes.load(Ordering::SeqCst))
            .finish_non_exhaustive()
    }
}

/// Id, key and token copied out of one credential.
///
/// `Debug` masks the id and redacts key and token; all three are zeroized on drop.
pub struct CredentialInfo {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
}

impl CredentialInfo {
    /// Copies the three parts of `credential`.
    pub fn of(credential: &Credential) -> Self {
        Self {
            secret_id: credential.secret_id().to_string(),
            secret_key: credential.secret_key().to_string(),
            token: credential.token().map(ToString::to_string),
        }
    }

    /// The secret id.
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The secret key.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The session token, for temporary credentials.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

impl fmt::Debug for CredentialInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let masked = Credential::new(&self.secret_id, "-", None)
            .map(|c| c.masked_id().to_string())
            .unwrap_or_else(|_| "****".to_string());
        f.debug_struct("CredentialInfo")
            .field("secret_id", &format_args!("{masked}"))
            .field("secret_key", &format_args!("<redacted>"))
            .field(
                "token",
                &format_args!(
                    "{}",
                    if self.token.is_some() {
                        "<redacted>"
                    } else {
                        "None"
                    }
                ),
            )
            .finish()
    }
}

impl Drop for CredentialInfo {
    fn drop(&mut self) {
        self.secret_id.zeroize();
        self.secret_key.zeroize();
        self.token.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{EnvError, FileError, HttpResponse, NoTransport, TransportError};
    use crate::{ProviderKind, Step};
    use std::format;
    use std::vec::Vec;

    /// A clock the test moves.
    #[derive(Clone)]
    struct FakeClock(Arc<AtomicU64>);

    impl Clock for FakeClock {
        fn now(&self) -> u64 {
            self.0.load(Ordering::SeqCst)
        }
    }

    /// Issues `<name>-<n>` valid for `lifetime` seconds on its n-th run.
    struct Issuer {
        name: &'static str,
        runs: u64,
        lifetime: u64,
        now: u64,
    }

    impl Provider for Issuer {
        fn kind(&self) -> ProviderKind {
            ProviderKind::Static
        }

        fn poll(&mut self, now: u64) -> Step<'_> {
            self.now = now;
            Step::Done
        }

        fn handle_env(&mut self, _: Result<Option<&str>, EnvError>) {}

        fn handle_file(&mut self, _: Result<&[u8], FileError>) {}

        fn handle_http(&mut self, _: Result<HttpResponse<'_>, TransportError>) {}

        fn finish(&mut self) -> Result<Credential, Error> {
            self.runs += 1;
            let id = format!("AKID{}-{}", self.name, self.runs);
            let credential = Credential::new(&id, "key", None)?;
            Ok(credential.with_expiry(self.now + self.lifetime))
        }
    }

    type TestCache = CredentialCache<Issuer, ProcessEnv, RealFiles, NoTransport, FakeClock>;

    fn cache(name: &'static str, clock: &FakeClock) -> TestCache {
        let issuer = Issuer {
            name,
            runs: 0,
            lifetime: 3600,
            now: 0,
        };
        CredentialCache::from_parts(
            issuer,
            ProcessEnv::default(),
            RealFiles::default(),
            NoTransport,
            clock.clone(),
        )
        .with_jitter(|| 0)
    }

    fn id(cache: &TestCache) -> String {
        cache.get().expect("a credential").secret_id().to_string()
    }

    #[test]
    fn a_reader_sees_every_store_and_never_an_expired_credential() {
        let clock = FakeClock(Arc::new(AtomicU64::new(1_000)));
        let cache = cache("a", &clock);
        assert_eq!(id(&cache), "AKIDa-1");
        // Held here, the old credential stays alive after the cache lets go
        // of it: the thread must notice the store, not a dead reference.
        let held = cache.get().expect("a credential");
        assert_eq!(held.secret_id(), "AKIDa-1");
        // Inside the refresh window: served meanwhile, replaced in the background.
        clock.0.store(1_000 + 3600 - 100, Ordering::SeqCst);
        let _ = id(&cache);
        while cache.is_refreshing() {
            thread::yield_now();
        }
        assert_eq!(id(&cache), "AKIDa-2");
        drop(held);
        // At its expiry a remembered credential is not served.
        let expiry = cache.cached().expires_at().expect("temporary");
        clock.0.store(expiry, Ordering::SeqCst);
        assert_eq!(id(&cache), "AKIDa-3");
        assert!(cache.get().expect("fresh").expires_at() > Some(expiry));
    }

    #[test]
    fn remembered_reads_keep_no_credential_alive() {
        let clock = FakeClock(Arc::new(AtomicU64::new(1_000)));
        let cache = cache("b", &clock);
        // The refresh hands out its own copy; the reads after it, the shard's.
        drop(cache.get().expect("a credential"));
        let first = cache.get().expect("a credential");
        let again = cache.get().expect("a credential");
        // The shard's copy and the two handed out: the thread keeps none.
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(Arc::strong_count(&first), 3);
        drop(again);
        let weak = Arc::downgrade(&first);
        drop(cache);
        assert_eq!(Arc::strong_count(&first), 1);
        drop(first);
        assert!(weak.upgrade().is_none());
    }

    #[test]
    fn caches_read_by_one_thread_are_told_apart() {
        // More caches than a thread remembers, read in turn.
        let clock = FakeClock(Arc::new(AtomicU64::new(1_000)));
        let names = ["c0", "c1", "c2", "c3", "c4", "c5"];
        let caches: Vec<TestCache> = names.iter().map(|name| cache(name, &clock)).collect();
        for _ in 0..3 {
            for (cache, name) in caches.iter().zip(names) {
                assert_eq!(id(cache), format!("AKID{name}-1"));
            }
        }
        assert!(caches.iter().all(|cache| cache.refreshes() == 1));
    }
}
