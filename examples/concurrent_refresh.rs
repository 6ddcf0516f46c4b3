//! A load check of the credential cache: many threads read credentials
//! through `CredentialCache<DefaultChain>` and check every one.
//!
//! ```sh
//! cargo run --release --example concurrent_refresh -- --threads 32 --seconds 10
//! cargo run --release --features emulator --example concurrent_refresh -- \
//!     --threads 32 --seconds 10 --emulate
//! ```
//!
//! The cache resolves through the default chain with the process
//! environment, so it honours `TENCENTCLOUD_METADATA_ENDPOINT` and every
//! other variable the chain reads. Each thread loops: it reads the clock,
//! asks the cache for a credential, its copied parts (`credential_info`),
//! and a credential again, and checks that
//!
//! - each credential is unexpired at the time read before asking;
//! - the copied parts equal one of the two credentials around them (never
//!   id, key and token of two different credentials), and, when the
//!   emulator issued them, id, key and token carry the same number.
//!
//! At the end it prints one JSON line (here wrapped):
//!
//! ```text
//! {"threads":N,"seconds":S,"gets":..,"errors":..,"expired_served":..,
//!  "mixed_served":..,"refreshes":..}
//! ```
//!
//! where `gets` counts calls to the cache, `errors` the calls that returned
//! an error, and `refreshes` the runs of the chain. The exit status is 1 when
//! an expired or mixed credential was served.
//!
//! `--emulate` (feature `emulator`) starts the loopback metadata emulator,
//! issuing credentials valid for 3 s, and points the chain at it:
//! `TENCENTCLOUD_METADATA_ENDPOINT` is set, the environment's credential and
//! `TKE_*` variables are removed, and `TENCENTCLOUD_CREDENTIALS_FILE` names
//! an empty file, so that the CVM role answers. The cache's policy is then
//! compressed to match (a 2 s window, up to 1 s of jitter, 1 s between
//! refreshes), so a run of a few seconds sees several refreshes. It also
//! prints to stderr how many requests the emulator received.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use tencentcloud_credential::adapters::{CredentialCache, CredentialInfo, SystemClock};
use tencentcloud_credential::{Clock, Credential, DefaultChain};

/// What the command line asked for.
struct Args {
    threads: usize,
    seconds: u64,
    emulate: bool,
}

const USAGE: &str = "usage: concurrent_refresh [--threads N] [--seconds S] [--emulate]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        threads: 8,
        seconds: 10,
        emulate: false,
    };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            let value = words.next().ok_or(format!("{name} needs a value"))?;
            value
                .parse()
                .map_err(|_| format!("{name} takes a whole number, not {value:?}"))
        };
        match word.as_str() {
            "--threads" => {
                let n = number("--threads")?;
                args.threads = usize::try_from(n).map_err(|_| "too many threads".to_string())?;
            }
            "--seconds" => args.seconds = number("--seconds")?,
            "--emulate" => args.emulate = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    if args.threads == 0 {
        return Err("--threads must be at least 1".to_string());
    }
    Ok(args)
}

/// What one thread saw.
#[derive(Default)]
struct Tally {
    gets: u64,
    errors: u64,
    expired: u64,
    mixed: u64,
}

type Triple<'a> = (&'a str, &'a str, Option<&'a str>);

fn parts(info: &CredentialInfo) -> Triple<'_> {
    (info.secret_id(), info.secret_key(), info.token())
}

/// False when id, key and token look emulated but carry different numbers.
fn same_generation((id, key, token): Triple<'_>) -> bool {
    let Some(n) = id.strip_prefix("AKIDtmpMetadata-") else {
        return true; // Not issued by the emulator: nothing more to check.
    };
    key.strip_prefix("tmpkeyMetadata-") == Some(n)
        && token.and_then(|t| t.strip_prefix("emulated-token-Metadata-")) == Some(n)
}

fn reader(cache: &CredentialCache<DefaultChain>, stop: &AtomicBool) -> Tally {
    let mut tally = Tally::default();
    let check = |now: u64, credential: &Credential, tally: &mut Tally| {
        if credential.expires_at().is_some_and(|at| at <= now) {
            tally.expired += 1;
        }
        if !same_generation(credential.credential_info()) {
            tally.mixed += 1;
        }
    };
    while !stop.load(Ordering::Relaxed) {
        let now = SystemClock.now();
        tally.gets += 3;
        let before = cache.get();
        let info = cache.credential_info();
        let after = cache.get();
        for credential in [&before, &after].into_iter().flatten() {
            check(now, credential, &mut tally);
        }
        let Ok(info) = info else {
            tally.errors += 1 + u64::from(before.is_err()) + u64::from(after.is_err());
            continue;
        };
        tally.errors += u64::from(before.is_err()) + u64::from(after.is_err());
        let copied = parts(&info);
        let matches = [&before, &after]
            .into_iter()
            .flatten()
            .any(|credential| credential.credential_info() == copied);
        let known = before.is_ok() || after.is_ok();
        if (known && !matches) || !same_generation(copied) {
            tally.mixed += 1;
        }
    }
    tally
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };

    let emulated = match emulate(&args) {
        Ok(emulated) => emulated,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let cache = CredentialCache::new(DefaultChain::new());
    let cache = Arc::new(match &emulated {
        Some(emulated) => cache.with_policy(emulated.policy),
        None => cache,
    });

    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..args.threads)
        .map(|_| {
            let (cache, stop) = (Arc::clone(&cache), Arc::clone(&stop));
            thread::spawn(move || reader(&cache, &stop))
        })
        .collect();
    thread::sleep(Duration::from_secs(args.seconds));
    stop.store(true, Ordering::Relaxed);

    let mut total = Tally::default();
    for handle in readers {
        let Ok(tally) = handle.join() else {
            eprintln!("a reader thread panicked");
            return ExitCode::FAILURE;
        };
        total.gets += tally.gets;
        total.errors += tally.errors;
        total.expired += tally.expired;
        total.mixed += tally.mixed;
    }
    // A refresh may still run in the background: count it once it ends.
    while cache.is_refreshing() {
        thread::sleep(Duration::from_millis(1));
    }
    println!(
        "{{\"threads\":{},\"seconds\":{},\"gets\":{},\"errors\":{},\"expired_served\":{},\
         \"mixed_served\":{},\"refreshes\":{}}}",
        args.threads,
        args.seconds,
        total.gets,
        total.errors,
        total.expired,
        total.mixed,
        cache.refreshes()
    );
    if let Some(emulated) = emulated {
        eprintln!(
            "emulator: {} requests for {} refreshes",
            emulated.requests(),
            cache.refreshes()
        );
    }
    if total.expired > 0 || total.mixed > 0 {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[cfg(feature = "emulator")]
use emulated::emulate;

#[cfg(feature = "emulator")]
mod emulated {
    use std::path::PathBuf;

    use tencentcloud_credential::adapters::emulator::{Emulator, EmulatorScript};
    use tencentcloud_credential::RefreshPolicy;

    use super::Args;

    /// Seconds of validity of an emulated credential.
    const LIFETIME: i64 = 3;

    /// The running emulator and the policy that matches its lifetimes.
    pub struct Emulated {
        emulator: Emulator,
        empty_file: PathBuf,
        pub policy: RefreshPolicy,
    }

    impl Emulated {
        pub fn requests(&self) -> usize {
            self.emulator.request_count()
        }
    }

    impl Drop for Emulated {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.empty_file);
        }
    }

    /// With `--emulate`, starts the emulator and points the chain at it.
    pub fn emulate(args: &Args) -> Result<Option<Emulated>, String> {
        if !args.emulate {
            return Ok(None);
        }
        let script = EmulatorScript::new()
            .roles("emulated-role\n")
            .creds_lifetime(LIFETIME);
        let emulator = Emulator::start(script).map_err(|e| format!("emulator: {e}"))?;
        let empty_file =
            std::env::temp_dir().join(format!("concurrent-refresh-{}", std::process::id()));
        std::fs::write(&empty_file, b"").map_err(|e| format!("{}: {e}", empty_file.display()))?;

        // Set before any thread starts.
        for name in [
            "TENCENTCLOUD_SECRET_ID",
            "TENCENTCLOUD_SECRET_KEY",
            "TENCENTCLOUD_SESSION_TOKEN",
            "TENCENTCLOUD_TOKEN",
            "TENCENTCLOUD_PROFILE",
            "TENCENTCLOUD_METADATA_DISABLED",
            "TKE_REGION",
            "TKE_PROVIDER_ID",
            "TKE_WEB_IDENTITY_TOKEN_FILE",
            "TKE_IDENTITY_TOKEN_FILE",
            "TKE_ROLE_ARN",
        ] {
            std::env::remove_var(name);
        }
        std::env::set_var("TENCENTCLOUD_CREDENTIALS_FILE", &empty_file);
        std::env::set_var("TENCENTCLOUD_METADATA_ENDPOINT", emulator.base_url());
        Ok(Some(Emulated {
            emulator,
            empty_file,
            policy: RefreshPolicy::new()
                .with_window(2)
                .with_max_jitter(1)
                .with_retry_interval(1),
        }))
    }
}

#[cfg(not(feature = "emulator"))]
use unemulated::emulate;

#[cfg(not(feature = "emulator"))]
mod unemulated {
    use tencentcloud_credential::RefreshPolicy;

    use super::Args;

    /// Never made: the emulator is not built in.
    pub struct Emulated {
        pub policy: RefreshPolicy,
    }

    impl Emulated {
        pub fn requests(&self) -> usize {
            0
        }
    }

    pub fn emulate(args: &Args) -> Result<Option<Emulated>, String> {
        if args.emulate {
            return Err(
                "--emulate needs the emulator: cargo run --release --features \
                 emulator --example concurrent_refresh -- --emulate"
                    .to_string(),
            );
        }
        Ok(None)
    }
}
