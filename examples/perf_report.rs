//! Prints one JSON line of performance figures, all measured in this one
//! process: median nanoseconds per operation, allocations per operation
//! (counted by the global allocator below) and the sizes of the state
//! machines.
//!
//! Run with `cargo run --release --example perf_report`. Each signature is
//! timed alternately with its hashing floor (see `benches/common/mod.rs`), so
//! that both see the same machine load. `benches/README.md` explains every
//! field and records a run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::mem::size_of;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Barrier;
use std::time::{Duration, Instant};

use tencentcloud_credential::adapters::{CredentialCache, RealFiles, SystemClock};
use tencentcloud_credential::io::{Clock, EnvError, NoTransport};
use tencentcloud_credential::sign::tc3::PayloadHash;
use tencentcloud_credential::sign::KeyCache;
use tencentcloud_credential::{
    Credential, CvmProvider, DefaultChain, Env, EnvProvider, Error, OidcProvider, ProfileProvider,
    StsProvider, TkeProvider,
};

#[path = "../benches/common/mod.rs"]
mod common;

/// Counts every allocation, then lets the system allocator do it.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is passed unchanged to `System`, which upholds the
// `GlobalAlloc` contract; counting touches no memory of the caller.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as for `System::alloc`; the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as for `System::alloc_zeroed`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: `ptr` and `layout` come from this allocator, which is `System`'s.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` and `layout` come from this allocator, which is `System`'s.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Timed batches per figure; the median batch is reported.
const BATCHES: usize = 51;
/// Shortest batch: long enough that the clock's resolution does not matter.
const BATCH_TIME: Duration = Duration::from_micros(500);
/// Threads reading the credential cache at once.
const READERS: usize = 8;

fn main() {
    let mut figures: Vec<(&str, String)> = Vec::new();
    // Ratios get three decimals, everything else one.
    let mut put = |name: &'static str, value: f64| {
        let digits = if name.starts_with("ratio") { 3 } else { 1 };
        figures.push((name, format!("{value:.digits$}")));
    };

    // The request is the one the Python SDK signs in benches/sdk_timeit.py.
    assert_eq!(common::sign_small().signature(), common::SDK_SIGNATURE);
    assert_eq!(common::sign_small().as_str(), common::SDK_AUTHORIZATION);
    let credential = Credential::new(common::SECRET_ID, common::SECRET_KEY, None).expect("valid");
    let built = common::build_small(&credential);
    let sent = built.iter().find(|(name, _)| *name == "Authorization");
    assert_eq!(
        sent.map(|(_, value)| value),
        Some(common::SDK_AUTHORIZATION)
    );

    // Signatures, each alternating with its floor.
    let floor_small = common::Floor::of(&common::small_request());
    let mut cache = KeyCache::new();
    let (sign_small, floor_small_ns) = median_pair(
        || common::sign_small_reusing(&mut cache),
        || floor_small.hash(common::SMALL_BODY),
    );
    let (sign_small_no_reuse, floor_small_again) =
        median_pair(common::sign_small, || floor_small.hash(common::SMALL_BODY));
    let mib = common::payload(1024 * 1024);
    let floor_mib = common::Floor::of(&common::streamed_request(PayloadHash::of(&mib)));
    let (sign_mib, floor_mib_ns) = median_pair(
        || common::sign_streamed(&mib),
        || floor_mib.hash_streamed(&mib),
    );
    let kib64 = common::payload(64 * 1024);
    let floor_kib64 = common::Floor::of(&common::streamed_request(PayloadHash::of(&kib64)));
    let (sign_kib64, floor_kib64_ns) = median_pair(
        || common::sign_streamed(&kib64),
        || floor_kib64.hash_streamed(&kib64),
    );
    let floor_get = common::Floor::of(&common::get_request());
    let (sign_get, floor_get_ns) = median_pair(common::sign_get, || floor_get.hash(b""));

    // Parsing.
    let document = common::metadata_document();
    let reply = common::sts_reply();
    let mut cvm = common::metadata_provider();
    let parse_metadata = median(|| common::parse_metadata(&mut cvm, &document));
    let parse_sts = median(|| common::parse_sts(&reply));
    let parse_profile = median(common::parse_profile);

    // The credential cache, warm, read by one thread and then by eight at once.
    let credentials = CredentialCache::from_parts(
        EnvProvider::new(),
        FixedEnv,
        RealFiles::default(),
        NoTransport,
        SystemClock,
    );
    drop(
        credentials
            .get()
            .expect("the fixed environment holds a credential"),
    );
    // Alternating with a clock reading alone: every read of the cache reads
    // the clock once, so `clock_ns` is the floor under `cached_get_ns`.
    let (cached_get, clock) =
        median_pair(|| credentials.get().expect("cached"), || SystemClock.now());
    let cached_get_8t = median_parallel(|| credentials.get().expect("cached"));

    put("sign_small_ns", sign_small);
    put("floor_small_ns", floor_small_ns);
    put("sign_1mib_ns", sign_mib);
    put("floor_1mib_ns", floor_mib_ns);
    put("parse_metadata_ns", parse_metadata);
    put("parse_sts_ns", parse_sts);
    put("cached_get_ns", cached_get);
    put("cached_get_8t_ns", cached_get_8t);

    let mut reuse = KeyCache::new();
    let allocations_per_sign = [
        allocations(|| common::sign_small_reusing(&mut reuse)),
        allocations(common::sign_small),
        allocations(common::sign_get),
        allocations(common::sign_legacy),
        allocations(|| common::sign_streamed(&kib64)),
        allocations(|| {
            let credential = Credential::new(common::SECRET_ID, common::SECRET_KEY, None);
            common::build_small(&credential.expect("valid"))
                .iter()
                .count()
        }),
        allocations(|| {
            common::build_small_reusing(&credential, &mut reuse)
                .iter()
                .count()
        }),
    ];
    let allocations_per_parse = [
        allocations(|| common::parse_metadata(&mut cvm, &document)),
        allocations(|| common::parse_sts(&reply)),
        allocations(common::parse_profile),
    ];
    put("allocations_per_sign", max(&allocations_per_sign));
    put("allocations_per_parse", max(&allocations_per_parse));

    // More of the same run: the ratios the targets name, and the rest.
    put("ratio_small", sign_small / floor_small_ns);
    put("sign_small_no_reuse_ns", sign_small_no_reuse);
    put(
        "ratio_small_no_reuse",
        sign_small_no_reuse / floor_small_again,
    );
    put("ratio_1mib", sign_mib / floor_mib_ns);
    put("sign_64kib_ns", sign_kib64);
    put("floor_64kib_ns", floor_kib64_ns);
    put("sign_get_ns", sign_get);
    put("floor_get_ns", floor_get_ns);
    put("sign_legacy_ns", median(common::sign_legacy));
    put(
        "build_small_ns",
        median(|| common::build_small(&credential)),
    );
    let mut keys = KeyCache::new();
    put(
        "build_small_kept_ns",
        median(|| common::build_small_reusing(&credential, &mut keys)),
    );
    put("parse_profile_ns", parse_profile);
    put("clock_ns", clock);
    put(
        "cached_with_ns",
        median(|| credentials.with(|c| c.expires_at()).expect("cached")),
    );
    put(
        "allocations_per_cached_get",
        allocations(|| credentials.get().expect("cached")),
    );

    let sizes = [
        ("EnvProvider", size_of::<EnvProvider>()),
        ("ProfileProvider", size_of::<ProfileProvider>()),
        ("CvmProvider", size_of::<CvmProvider>()),
        ("StsProvider", size_of::<StsProvider>()),
        ("OidcProvider", size_of::<OidcProvider>()),
        ("TkeProvider", size_of::<TkeProvider>()),
        ("DefaultChain", size_of::<DefaultChain>()),
        ("Credential", size_of::<Credential>()),
        ("Error", size_of::<Error>()),
        ("KeyCache", size_of::<KeyCache>()),
    ];
    let sizes: Vec<String> = sizes
        .iter()
        .map(|(name, size)| format!("\"{name}\":{size}"))
        .collect();

    let fields: Vec<String> = figures
        .iter()
        .map(|(name, value)| format!("\"{name}\":{value}"))
        .collect();
    println!(
        "{{{},\"size_of\":{{{}}}}}",
        fields.join(","),
        sizes.join(",")
    );
}

/// An environment with a long-term key pair and nothing else.
struct FixedEnv;

impl Env for FixedEnv {
    fn var(&mut self, name: &str) -> Result<Option<&str>, EnvError> {
        Ok(match name {
            "TENCENTCLOUD_SECRET_ID" => Some(common::SECRET_ID),
            "TENCENTCLOUD_SECRET_KEY" => Some(common::SECRET_KEY),
            _ => None,
        })
    }
}

/// How many calls of `f` fill one batch.
fn batch_size<O>(f: &mut impl FnMut() -> O) -> u64 {
    let mut size = 1;
    loop {
        let start = Instant::now();
        for _ in 0..size {
            black_box(f());
        }
        if start.elapsed() >= BATCH_TIME || size >= 1 << 24 {
            return size;
        }
        size *= 2;
    }
}

/// Nanoseconds per call of one batch of `size` calls.
fn time_batch<O>(f: &mut impl FnMut() -> O, size: u64) -> f64 {
    let start = Instant::now();
    for _ in 0..size {
        black_box(f());
    }
    start.elapsed().as_nanos() as f64 / size as f64
}

/// The median nanoseconds per call of `f`.
fn median<O>(mut f: impl FnMut() -> O) -> f64 {
    let size = batch_size(&mut f);
    let mut times: Vec<f64> = (0..BATCHES).map(|_| time_batch(&mut f, size)).collect();
    middle(&mut times)
}

/// The medians of `a` and `b`, timed in alternating batches.
fn median_pair<A, B>(mut a: impl FnMut() -> A, mut b: impl FnMut() -> B) -> (f64, f64) {
    let (size_a, size_b) = (batch_size(&mut a), batch_size(&mut b));
    let mut times_a = Vec::with_capacity(BATCHES);
    let mut times_b = Vec::with_capacity(BATCHES);
    for _ in 0..BATCHES {
        times_a.push(time_batch(&mut a, size_a));
        times_b.push(time_batch(&mut b, size_b));
    }
    (middle(&mut times_a), middle(&mut times_b))
}

/// The median wall-clock nanoseconds per call of [`READERS`] threads
/// calling `f` at once: the inverse of their aggregate throughput.
fn median_parallel<O>(f: impl Fn() -> O + Sync) -> f64 {
    let mut probe = || f();
    let size = batch_size(&mut probe);
    let mut times: Vec<f64> = (0..BATCHES)
        .map(|_| {
            let start = Barrier::new(READERS + 1);
            std::thread::scope(|scope| {
                for _ in 0..READERS {
                    scope.spawn(|| {
                        start.wait();
                        for _ in 0..size {
                            black_box(f());
                        }
                    });
                }
                start.wait();
                let began = Instant::now();
                // The scope joins every reader before it returns.
                began
            })
            .elapsed()
            .as_nanos() as f64
                / (size * READERS as u64) as f64
        })
        .collect();
    middle(&mut times)
}

/// Allocations per call of `f`, over a thousand calls.
fn allocations<O>(mut f: impl FnMut() -> O) -> f64 {
    const CALLS: u64 = 1000;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..CALLS {
        black_box(f());
    }
    (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / CALLS as f64
}

fn middle(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn max(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, f64::max)
}
