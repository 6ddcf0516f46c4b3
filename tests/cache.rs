//! The credential cache under many threads: against the loopback emulator in
//! real (short) time, and against an in-memory issuer in fake time.
// The crate's `Error` is large by design (bounded context, no allocation).
#![allow(clippy::result_large_err)]

mod support;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier, Mutex, Once};
use std::thread;
use std::time::{Duration, Instant};

use support::{MapEnv, MapFiles};
use tencentcloud_credential::adapters::emulator::{Emulator, EmulatorScript, CREDENTIALS_PATH};
use tencentcloud_credential::adapters::{
    CredentialCache, CredentialInfo, SystemClock, UreqTransport,
};
use tencentcloud_credential::io::{EnvError, FileError, HttpResponse, TransportError};
use tencentcloud_credential::refresh::{Cached, RefreshPolicy};
use tencentcloud_credential::{
    Clock, Credential, CvmProvider, DefaultChain, Env, Error, FileSource, Provider, ProviderKind,
    Step, Transport,
};

const THREADS: usize = 32;

// ---------------------------------------------------------------------------
// What a reader checks.

/// The number shared by id, key and token of an emulated credential, when
/// all three carry the same one.
fn generation(id: &str, key: &str, token: Option<&str>) -> Option<u64> {
    let n = id.strip_prefix("AKIDtmpMetadata-")?;
    let same = key.strip_prefix("tmpkeyMetadata-") == Some(n)
        && token.and_then(|t| t.strip_prefix("emulated-token-Metadata-")) == Some(n);
    same.then(|| n.parse().ok()).flatten()
}

/// Tallies of what the readers were served.
#[derive(Debug, Default)]
struct Tally {
    gets: u64,
    errors: Vec<String>,
    expired: u64,
    mixed: u64,
    generations: BTreeSet<u64>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.gets += other.gets;
        self.errors.extend(other.errors);
        self.expired += other.expired;
        self.mixed += other.mixed;
        self.generations.extend(other.generations);
    }
}

/// Reads once, in one of three ways, and checks what it was served.
///
/// `now` is read before the call: the cache promises a credential valid
/// when it looked, which is no earlier than that.
fn read_once<P, E, F, T, C>(
    cache: &CredentialCache<P, E, F, T, C>,
    now: u64,
    round: u64,
    tally: &mut Tally,
) where
    P: Provider + Send + 'static,
    E: Env + Send + 'static,
    F: FileSource + Send + 'static,
    T: Transport + Send + 'static,
    C: Clock + Send + Sync + 'static,
{
    tally.gets += 1;
    let outcome = match round % 3 {
        0 => cache.get().map(|c| (c.expires_at(), owned(&c))),
        1 => cache.with(|c| (c.expires_at(), owned(c))),
        // Copies carry no expiry: only their consistency is checked.
        _ => cache
            .credential_info()
            .map(|info| (Some(u64::MAX), from_info(&info))),
    };
    match outcome {
        Err(e) => tally.errors.push(e.to_string()),
        Ok((expires_at, (id, key, token))) => {
            if expires_at.is_none_or(|at| at <= now) {
                tally.expired += 1;
            }
            match generation(&id, &key, token.as_deref()) {
                Some(n) => {
                    tally.generations.insert(n);
                }
                None => tally.mixed += 1,
            }
        }
    }
}

type Triple = (String, String, Option<String>);

fn owned(c: &Credential) -> Triple {
    let (id, key, token) = c.credential_info();
    (id.to_string(), key.to_string(), token.map(str::to_string))
}

fn from_info(info: &CredentialInfo) -> Triple {
    (
        info.secret_id().to_string(),
        info.secret_key().to_string(),
        info.token().map(str::to_string),
    )
}

/// Runs `THREADS` readers until `stop` is set, reading the time from `clock`.
fn readers<P, E, F, T, C>(
    cache: &Arc<CredentialCache<P, E, F, T, C>>,
    clock: &C,
    stop: &Arc<AtomicBool>,
) -> Vec<thread::JoinHandle<Tally>>
where
    CredentialCache<P, E, F, T, C>: Send + Sync + 'static,
    P: Provider + Send + 'static,
    E: Env + Send + 'static,
    F: FileSource + Send + 'static,
    T: Transport + Send + 'static,
    C: Clock + Clone + Send + Sync + 'static,
{
    (0..THREADS)
        .map(|i| {
            let (cache, clock, stop) = (Arc::clone(cache), clock.clone(), Arc::clone(stop));
            thread::spawn(move || {
                let mut tally = Tally::default();
                let mut round = i as u64;
                while !stop.load(Ordering::Relaxed) {
                    read_once(&cache, clock.now(), round, &mut tally);
                    round += 1;
                }
                tally
            })
        })
        .collect()
}

fn joined(handles: Vec<thread::JoinHandle<Tally>>) -> Tally {
    let mut total = Tally::default();
    for handle in handles {
        total.merge(handle.join().unwrap());
    }
    total
}

// ---------------------------------------------------------------------------
// Captured log lines.

struct Capture;

static LINES: Mutex<Vec<(log::Level, String)>> = Mutex::new(Vec::new());

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        if !record.target().starts_with("tencentcloud_credential") {
            return;
        }
        let line = record.args().to_string();
        LINES.lock().unwrap().push((record.level(), line));
    }

    fn flush(&self) {}
}

fn capture_logs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        log::set_logger(&Capture).unwrap();
        log::set_max_level(log::LevelFilter::Debug);
    });
}

fn logged(level: log::Level) -> Vec<String> {
    LINES
        .lock()
        .unwrap()
        .iter()
        .filter(|(l, _)| *l == level)
        .map(|(_, line)| line.clone())
        .collect()
}

// ---------------------------------------------------------------------------
// Against the emulator, in real time.

/// A policy in compressed time: a 2 s window, up to 1 s of jitter, 1 s between refreshes.
const SHORT: RefreshPolicy = RefreshPolicy::new()
    .with_window(2)
    .with_max_jitter(1)
    .with_retry_interval(1);

type CvmCache = CredentialCache<CvmProvider, MapEnv, MapFiles, UreqTransport, SystemClock>;

/// A cache of the CVM role `reader` at `base`: one metadata request per refresh.
fn cvm_cache(base: &str) -> CvmCache {
    let provider = CvmProvider::new()
        .with_endpoint(base)
        .with_role_name("reader");
    CredentialCache::from_parts(
        provider,
        MapEnv::new(&[]),
        MapFiles::new(&[]),
        UreqTransport::new(),
        SystemClock,
    )
    .with_policy(SHORT)
}

#[test]
fn first_use_by_32_threads_makes_one_request() {
    let emulator = Emulator::start(
        EmulatorScript::new()
            .creds_lifetime(3600)
            .metadata_delay_ms(300),
    )
    .unwrap();
    let cache = Arc::new(cvm_cache(&emulator.base_url()));
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let (cache, barrier) = (Arc::clone(&cache), Arc::clone(&barrier));
            thread::spawn(move || {
                barrier.wait();
                let c = cache.get().unwrap();
                generation(c.secret_id(), c.secret_key(), c.token())
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap(), Some(1));
    }
    assert_eq!(cache.refreshes(), 1);
    assert_eq!(emulator.request_count(), 1);
    assert_eq!(
        emulator.requests()[0].path,
        format!("{CREDENTIALS_PATH}reader")
    );
}

#[test]
fn thirty_two_threads_make_one_request_per_refresh_and_see_no_expired_or_mixed_credential() {
    let emulator = Emulator::start(EmulatorScript::new().creds_lifetime(3)).unwrap();
    let cache = Arc::new(cvm_cache(&emulator.base_url()));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let handles = readers(&cache, &SystemClock, &stop);
    thread::sleep(Duration::from_millis(3200));
    stop.store(true, Ordering::Relaxed);
    let tally = joined(handles);
    let elapsed = started.elapsed().as_secs();

    assert_eq!(tally.errors, Vec::<String>::new());
    assert_eq!((tally.expired, tally.mixed), (0, 0));
    // A background refresh may still be under way: let it end.
    let ending = Instant::now();
    while cache.is_refreshing() {
        assert!(ending.elapsed() < Duration::from_secs(10), "refresh hangs");
        thread::sleep(Duration::from_millis(1));
    }
    let refreshes = cache.refreshes();
    // One request per refresh, and at most one refresh a second after the first.
    assert_eq!(emulator.request_count() as u64, refreshes);
    assert!(
        (2..=elapsed + 2).contains(&refreshes),
        "{refreshes} refreshes in {elapsed} s"
    );
    // Every credential issued was served but perhaps the last (issued as
    // the readers stopped), and nothing else.
    let issued: BTreeSet<u64> = (1..=refreshes).collect();
    assert!(
        tally.generations.is_subset(&issued),
        "{:?}",
        tally.generations
    );
    let all_but_last: BTreeSet<u64> = (1..refreshes).collect();
    assert!(
        tally.generations.is_superset(&all_but_last),
        "{:?} of {refreshes}",
        tally.generations
    );
    assert!(tally.gets > 1000, "only {} gets", tally.gets);
}

/// The emulator goes away (connections refused) and comes back at the same
/// address: the cached credential is served while it is valid, errors follow
/// its expiry, and credentials flow again once the emulator is back.
#[test]
fn progress_continues_after_the_emulator_fails_and_recovers() {
    capture_logs();
    let emulator = Emulator::start(EmulatorScript::new().creds_lifetime(3)).unwrap();
    let addr: SocketAddr = emulator.addr();
    // No jitter: the first refresh is due 2 s before expiry, and fails in time to be survived.
    let cache = Arc::new(cvm_cache(&emulator.base_url()).with_jitter(|| 0));
    let first = cache.get().unwrap();
    let expires_at = first.expires_at().unwrap();
    drop(emulator);

    // Fault: until the first credential expired and a refresh then failed.
    let stop = Arc::new(AtomicBool::new(false));
    let handles = readers(&cache, &SystemClock, &stop);
    let fault = Instant::now();
    while SystemClock.now() <= expires_at || cache.cached() != Cached::Nothing {
        assert!(fault.elapsed() < Duration::from_secs(8), "no failure seen");
        thread::sleep(Duration::from_millis(20));
    }
    let during = cache.refreshes();
    let back = Emulator::start_at(addr, EmulatorScript::new().creds_lifetime(3)).unwrap();
    let recovered = Instant::now();
    while cache
        .cached()
        .expires_at()
        .is_none_or(|at| at <= expires_at)
    {
        assert!(recovered.elapsed() < Duration::from_secs(5), "no recovery");
        thread::sleep(Duration::from_millis(20));
    }
    thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    let tally = joined(handles);

    assert_eq!((tally.expired, tally.mixed), (0, 0));
    // Static stability, then the refresh's error once nothing was valid.
    assert!(tally.generations.contains(&1));
    assert!(!tally.errors.is_empty());
    let distinct: BTreeSet<&str> = tally.errors.iter().map(String::as_str).collect();
    assert_eq!(distinct, BTreeSet::from(["cvm: connection refused"]));
    assert!(during >= 2, "{during} refreshes during the fault");
    // The emulator that came back numbers from 1 again; its credential expires later.
    assert!(back.request_count() >= 1);
    assert!(cache.get().unwrap().expires_at().unwrap() > expires_at);

    let warned = logged(log::Level::Warn);
    let expected = format!(
        "credential refresh failed; serving the cached credential until it expires at \
         {expires_at}: cvm: connection refused"
    );
    assert!(warned.contains(&expected), "{warned:?}");
    for line in LINES.lock().unwrap().iter() {
        assert!(!line.1.contains("tmpkey") && !line.1.contains("emulated-token"));
    }
}

/// The default chain through the cache: environment and profile pass, the
/// metadata service answers; the role list is asked once, then one request
/// per refresh.
#[test]
fn the_default_chain_behind_the_cache_logs_who_passed() {
    capture_logs();
    let emulator = Emulator::start(EmulatorScript::new().roles("nodeRole\n")).unwrap();
    let env = MapEnv::new(&[("TENCENTCLOUD_METADATA_ENDPOINT", &emulator.base_url())]);
    let cache = CredentialCache::from_parts(
        DefaultChain::new(),
        env,
        MapFiles::new(&[]),
        UreqTransport::new(),
        SystemClock,
    );
    let c = cache.get().unwrap();
    assert_eq!(c.secret_id(), "AKIDtmpMetadata-1");
    assert_eq!(cache.refreshes(), 1);
    assert_eq!(emulator.request_count(), 2);
    let debug = logged(log::Level::Debug);
    for line in [
        "credential chain: env passed: TENCENTCLOUD_SECRET_ID and \
         TENCENTCLOUD_SECRET_KEY are unset",
        "credential chain: profile passed: no credentials file at ~/.tencentcloud/credentials \
         or /etc/tencentcloud/credentials",
        "credential chain: tke passed: TKE_* variables are unset",
        "credential chain: answered by cvm",
    ] {
        assert!(debug.iter().any(|l| l == line), "{line} not in {debug:?}");
    }
}

// ---------------------------------------------------------------------------
// Against an in-memory issuer, in fake time.

/// A clock the test moves.
#[derive(Clone)]
struct FakeClock(Arc<AtomicU64>);

impl Clock for FakeClock {
    fn now(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Issues `id-n`, `key-n`, `tok-n` valid for `lifetime` seconds; panics
/// on the run numbered `panic_on` (0: never); waits for `gate` to be free
/// before it answers.
struct Issuer {
    runs: Arc<AtomicU64>,
    panic_on: Arc<AtomicU64>,
    gate: Arc<Mutex<()>>,
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
        drop(self.gate.lock().unwrap_or_else(|e| e.into_inner()));
        let n = self.runs.fetch_add(1, Ordering::SeqCst) + 1;
        if self.panic_on.load(Ordering::SeqCst) == n {
            panic!("the issuer panics on purpose");
        }
        let c = Credential::new(
            &format!("AKIDtmpMetadata-{n}"),
            &format!("tmpkeyMetadata-{n}"),
            Some(&format!("emulated-token-Metadata-{n}")),
        )?;
        Ok(c.with_expiry(self.now + self.lifetime))
    }
}

type IssuerCache = CredentialCache<Issuer, MapEnv, MapFiles, UreqTransport, FakeClock>;

fn issuer_cache(
    lifetime: u64,
    start: u64,
) -> (IssuerCache, FakeClock, Arc<AtomicU64>, Arc<AtomicU64>) {
    gated_issuer_cache(lifetime, start, Arc::default())
}

/// [`issuer_cache`] with an issuer that waits for `gate` before it answers.
fn gated_issuer_cache(
    lifetime: u64,
    start: u64,
    gate: Arc<Mutex<()>>,
) -> (IssuerCache, FakeClock, Arc<AtomicU64>, Arc<AtomicU64>) {
    let clock = FakeClock(Arc::new(AtomicU64::new(start)));
    let (runs, panic_on) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let issuer = Issuer {
        runs: Arc::clone(&runs),
        panic_on: Arc::clone(&panic_on),
        gate,
        lifetime,
        now: 0,
    };
    let cache = CredentialCache::from_parts(
        issuer,
        MapEnv::new(&[]),
        MapFiles::new(&[]),
        UreqTransport::new(),
        clock.clone(),
    );
    (cache, clock, runs, panic_on)
}

/// Hours of fake time pass under 32 readers with the crate's own policy:
/// no reader sees an expired or mixed credential, and refreshes happen only
/// as often as the policy says.
#[test]
fn hours_of_fake_time_under_32_threads_follow_the_policy() {
    let start = 1_700_000_000;
    let (cache, clock, runs, _) = issuer_cache(900, start);
    let cache = Arc::new(cache);
    // Each reader moves the clock one second after each read, so time
    // passes only as fast as credentials are read: ten hours in all.
    let elapsed = 36_000;
    let handles: Vec<_> = (0..THREADS)
        .map(|i| {
            let (cache, clock) = (Arc::clone(&cache), clock.clone());
            thread::spawn(move || {
                let mut tally = Tally::default();
                let mut round = i as u64;
                while clock.now() < start + elapsed {
                    read_once(&cache, clock.now(), round, &mut tally);
                    clock.0.fetch_add(1, Ordering::SeqCst);
                    round += 1;
                }
                tally
            })
        })
        .collect();
    let tally = joined(handles);

    assert_eq!(tally.errors, Vec::<String>::new());
    assert_eq!((tally.expired, tally.mixed), (0, 0));
    wait_for_background(&cache);
    let refreshes = cache.refreshes();
    assert_eq!(runs.load(Ordering::SeqCst), refreshes);
    // A credential of 900 s falls due 600 to 660 s after it was issued and
    // is refreshed in the background from then on, never sooner. Readers
    // move the fake clock fast, so the background refresh may come as late
    // as the expiry, when readers wait for it: never later.
    let (fewest, most) = (elapsed / 905 + 1, elapsed / 600 + 1);
    assert!(
        (fewest..=most).contains(&refreshes),
        "{refreshes} refreshes in {elapsed} s"
    );
    // Every credential was served but perhaps the last, issued as the readers stopped.
    let served = tally.generations.len() as u64;
    assert!(
        served == refreshes || served + 1 == refreshes,
        "{served} served of {refreshes}"
    );
}

/// A refresh that panics while others wait: they recover the lock, one of
/// them refreshes, and the cache keeps working afterwards.
#[test]
fn a_panicking_refresh_does_not_wedge_the_others() {
    let start = 1_700_000_000;
    let (cache, clock, runs, panic_on) = issuer_cache(100, start);
    let cache =
        Arc::new(cache.with_policy(RefreshPolicy::new().with_window(50).with_max_jitter(0)));
    assert_eq!(cache.get().unwrap().secret_id(), "AKIDtmpMetadata-1");
    assert_eq!(
        cache.cached(),
        Cached::Temporary {
            expires_at: start + 100,
            refresh_at: start + 50
        }
    );

    // Expired: everybody must wait for a refresh, and the first one panics.
    panic_on.store(2, Ordering::SeqCst);
    clock.0.store(start + 100, Ordering::SeqCst);
    let barrier = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (cache, barrier) = (Arc::clone(&cache), Arc::clone(&barrier));
            thread::spawn(move || {
                barrier.wait();
                cache.get().map(|c| c.secret_id().to_string())
            })
        })
        .collect();
    let outcomes: Vec<_> = handles.into_iter().map(|h| h.join()).collect();
    let panicked = outcomes.iter().filter(|o| o.is_err()).count();
    let served: Vec<_> = outcomes.into_iter().filter_map(Result::ok).collect();
    assert_eq!(panicked, 1);
    assert_eq!(served, vec![Ok("AKIDtmpMetadata-3".to_string()); 7]);
    assert_eq!((cache.refreshes(), runs.load(Ordering::SeqCst)), (3, 3));

    // A refresh due while the credential is valid still runs, in the background.
    clock.0.store(start + 100 + 60, Ordering::SeqCst);
    assert_eq!(cache.get().unwrap().secret_id(), "AKIDtmpMetadata-3");
    wait_for_background(&cache);
    assert_eq!(cache.get().unwrap().secret_id(), "AKIDtmpMetadata-4");
    assert_eq!(cache.refreshes(), 4);
}

/// Waits (at most 10 s) until no background refresh is under way.
fn wait_for_background(cache: &IssuerCache) {
    let began = Instant::now();
    while cache.is_refreshing() {
        assert!(began.elapsed() < Duration::from_secs(10), "refresh hangs");
        thread::sleep(Duration::from_millis(1));
    }
}

/// A background refresh that panics while the credential is still valid:
/// the reader that started it is served the cached credential, and the
/// next reader starts another refresh, which succeeds.
#[test]
fn readers_of_a_valid_credential_are_served_while_a_refresh_panics() {
    let start = 1_700_000_000;
    let (cache, clock, runs, panic_on) = issuer_cache(1000, start);
    let cache = cache.with_jitter(|| 0);
    cache.get().unwrap();
    panic_on.store(2, Ordering::SeqCst);
    clock.0.store(start + 800, Ordering::SeqCst);
    assert_eq!(cache.get().unwrap().secret_id(), "AKIDtmpMetadata-1");
    wait_for_background(&cache);
    assert_eq!(runs.load(Ordering::SeqCst), 2);
    // The failed attempt left the credential in place; the next reader refreshes.
    assert_eq!(cache.get().unwrap().secret_id(), "AKIDtmpMetadata-1");
    wait_for_background(&cache);
    assert_eq!(cache.get().unwrap().secret_id(), "AKIDtmpMetadata-3");
    assert_eq!(cache.refreshes(), 3);
}

/// While a refresh hangs (its issuer waits on a gate the test holds), 32
/// readers of the still valid credential are each served it at once, and
/// only one refresh is under way. Once the gate opens, the new credential
/// is served.
#[test]
fn readers_never_wait_for_a_refresh_while_the_credential_is_valid() {
    let start = 1_700_000_000;
    let gate = Arc::new(Mutex::new(()));
    let (cache, clock, runs, _) = gated_issuer_cache(1000, start, Arc::clone(&gate));
    let cache = Arc::new(cache.with_jitter(|| 0));
    assert_eq!(cache.get().unwrap().secret_id(), "AKIDtmpMetadata-1");

    let closed = gate.lock().unwrap();
    clock.0.store(start + 800, Ordering::SeqCst);
    let (sent, served) = std::sync::mpsc::channel();
    for _ in 0..THREADS {
        let (cache, sent) = (Arc::clone(&cache), sent.clone());
        thread::spawn(move || {
            for _ in 0..100 {
                let id = cache.get().map(|c| c.secret_id().to_string());
                sent.send(id).unwrap();
            }
        });
    }
    for _ in 0..THREADS * 100 {
        let id = served.recv_timeout(Duration::from_secs(10));
        assert_eq!(id, Ok(Ok("AKIDtmpMetadata-1".to_string())));
    }
    // The one refresh is under way (or about to be), held at the gate.
    assert!(cache.is_refreshing());
    let began = Instant::now();
    while cache.refreshes() < 2 {
        assert!(
            began.elapsed() < Duration::from_secs(10),
            "no refresh started"
        );
        thread::sleep(Duration::from_millis(1));
    }
    assert_eq!((cache.refreshes(), runs.load(Ordering::SeqCst)), (2, 1));

    drop(closed);
    let began = Instant::now();
    while cache.get().unwrap().secret_id() != "AKIDtmpMetadata-2" {
        assert!(
            began.elapsed() < Duration::from_secs(10),
            "no new credential"
        );
        thread::sleep(Duration::from_millis(1));
    }
    assert_eq!((cache.refreshes(), runs.load(Ordering::SeqCst)), (2, 2));
}

#[test]
fn an_error_with_nothing_cached_is_returned_and_not_cached() {
    let emulator = Emulator::start(EmulatorScript::new().creds_status(403)).unwrap();
    let cache = cvm_cache(&emulator.base_url());
    for _ in 0..3 {
        assert_eq!(
            cache.get().unwrap_err().to_string(),
            "cvm: metadata credentials request failed (http status 403)"
        );
    }
    assert_eq!((cache.refreshes(), emulator.request_count()), (3, 3));
    assert_eq!(cache.cached(), Cached::Nothing);
}

#[test]
fn long_term_credentials_are_resolved_once() {
    let env = MapEnv::new(&[
        ("TENCENTCLOUD_SECRET_ID", "AKIDlongterm"),
        ("TENCENTCLOUD_SECRET_KEY", "longterm-key"),
    ]);
    let cache = CredentialCache::from_parts(
        DefaultChain::new(),
        env,
        MapFiles::new(&[]),
        UreqTransport::new(),
        SystemClock,
    );
    for _ in 0..5 {
        assert_eq!(cache.get().unwrap().secret_id(), "AKIDlongterm");
    }
    assert_eq!(cache.refreshes(), 1);
    assert_eq!(cache.cached(), Cached::LongTerm);
}

#[test]
fn debug_output_holds_no_secret() {
    let info = CredentialInfo::of(
        &Credential::new("AKIDabcdefgh12345678", "s3cr3tKEY", Some("t0ken")).unwrap(),
    );
    assert_eq!(
        format!("{info:?}"),
        "CredentialInfo { secret_id: AKID****5678, secret_key: <redacted>, token: <redacted> }"
    );
    let (cache, ..) = issuer_cache(1000, 1_700_000_000);
    let cache = cache.with_jitter(|| 0);
    cache.get().unwrap();
    let shown = format!("{cache:?}");
    assert_eq!(
        shown,
        "CredentialCache { cached: Temporary { expires_at: 1700001000, refresh_at: 1700000700 }, \
         policy: RefreshPolicy { window: 300, max_jitter: 60, retry: 10 }, refreshes: 1, .. }"
    );
}

#[test]
fn the_cache_is_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<CredentialCache<DefaultChain>>();
    shareable::<CvmCache>();
}

/// A chain built at run time (environment, then the CVM role), owned, in a
/// cache that threads share: the environment is not set, so the emulated
/// metadata service answers, once for every thread.
#[test]
fn an_owned_chain_is_cached_for_many_threads() {
    use tencentcloud_credential::adapters::OwnedChain;
    use tencentcloud_credential::EnvProvider;

    let emulator = Emulator::start(EmulatorScript::new().roles("nodeRole\n")).unwrap();
    let chain = OwnedChain::new()
        .with(EnvProvider::new())
        .with(CvmProvider::in_chain().with_endpoint(&emulator.base_url()));
    assert_eq!(
        format!("{chain:?}"),
        "OwnedChain { members: [Env, Cvm], .. }"
    );
    let cache = Arc::new(CredentialCache::from_parts(
        chain,
        MapEnv::new(&[]),
        MapFiles::new(&[]),
        UreqTransport::new(),
        SystemClock,
    ));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let cache = Arc::clone(&cache);
            thread::spawn(move || cache.get().map(|c| c.secret_id().to_string()))
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap(), Ok("AKIDtmpMetadata-1".to_string()));
    }
    assert_eq!((cache.refreshes(), emulator.request_count()), (1, 2));

    // A provider chosen at run time, boxed.
    let boxed: Box<dyn Provider + Send> = Box::new(OwnedChain::new());
    let cache = CredentialCache::from_parts(
        boxed,
        MapEnv::new(&[]),
        MapFiles::new(&[]),
        UreqTransport::new(),
        SystemClock,
    );
    assert_eq!(
        cache.get().unwrap_err().to_string(),
        "chain: no credential found"
    );
}
