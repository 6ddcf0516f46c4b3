//! Benchmarks of signing, parsing and cached credential reads, with the
//! hashing floor of each signature measured in the same run.
//!
//! Run with `cargo bench --bench perf`; not run by CI. `benches/README.md`
//! records a run and the targets.

use divan::counter::BytesCount;
use divan::Bencher;
use tencentcloud_credential::sign::tc3::PayloadHash;
use tencentcloud_credential::sign::KeyCache;
use tencentcloud_credential::Credential;

#[path = "common/mod.rs"]
mod common;

fn main() {
    divan::main();
}

/// Payload sizes of the streamed signatures.
const STREAMED: [usize; 2] = [64 * 1024, 1024 * 1024];

/// TC3 signatures, each next to its floor in [`floor`].
mod sign {
    use super::*;

    /// The small POST, the key derived for each signature.
    #[divan::bench]
    fn small() -> impl Sized {
        common::sign_small()
    }

    /// The small POST, the key kept by a [`KeyCache`].
    #[divan::bench]
    fn small_key_reused(bencher: Bencher<'_, '_>) {
        let mut cache = KeyCache::new();
        bencher.bench_local(|| common::sign_small_reusing(&mut cache));
    }

    /// A GET with a query string.
    #[divan::bench]
    fn get_query() -> impl Sized {
        common::sign_get()
    }

    /// A body hashed in 16 KiB pieces, then signed with its hash.
    #[divan::bench(args = STREAMED)]
    fn streamed(bencher: Bencher<'_, '_>, len: usize) {
        let body = common::payload(len);
        bencher
            .counter(BytesCount::new(len))
            .bench(|| common::sign_streamed(&body));
    }

    /// The whole header set of the small request as an API call, signed.
    #[divan::bench]
    fn small_api_headers(bencher: Bencher<'_, '_>) {
        let credential =
            Credential::new(common::SECRET_ID, common::SECRET_KEY, None).expect("valid");
        bencher.bench(|| common::build_small(&credential).iter().count());
    }

    /// The same header set with the day's key kept.
    #[divan::bench]
    fn small_api_headers_key_reused(bencher: Bencher<'_, '_>) {
        let credential =
            Credential::new(common::SECRET_ID, common::SECRET_KEY, None).expect("valid");
        let mut keys = KeyCache::new();
        bencher.bench_local(|| {
            common::build_small_reusing(&credential, &mut keys)
                .iter()
                .count()
        });
    }

    /// The v1 HmacSHA256 signature of the same call.
    #[divan::bench]
    fn legacy_hmac_sha256() -> impl Sized {
        common::sign_legacy()
    }
}

/// The hashing no TC3 signer can avoid for the requests of [`sign`].
mod floor {
    use super::*;

    #[divan::bench]
    fn small(bencher: Bencher<'_, '_>) {
        let floor = common::Floor::of(&common::small_request());
        bencher.bench(|| floor.hash(common::SMALL_BODY));
    }

    #[divan::bench]
    fn get_query(bencher: Bencher<'_, '_>) {
        let floor = common::Floor::of(&common::get_request());
        bencher.bench(|| floor.hash(b""));
    }

    #[divan::bench(args = STREAMED)]
    fn streamed(bencher: Bencher<'_, '_>, len: usize) {
        let body = common::payload(len);
        let floor = common::Floor::of(&common::streamed_request(PayloadHash::of(&body)));
        bencher
            .counter(BytesCount::new(len))
            .bench(|| floor.hash_streamed(&body));
    }
}

/// Parsing what providers receive.
mod parse {
    use super::*;

    /// A CVM run from the credentials document to the credential.
    #[divan::bench]
    fn metadata_document(bencher: Bencher<'_, '_>) {
        let document = common::metadata_document();
        let mut provider = common::metadata_provider();
        bencher.bench_local(|| common::parse_metadata(&mut provider, &document));
    }

    /// An `AssumeRole` reply to the credential.
    #[divan::bench]
    fn sts_reply(bencher: Bencher<'_, '_>) {
        let reply = common::sts_reply();
        bencher.bench(|| common::parse_sts(&reply));
    }

    /// A three-profile credentials file, the middle profile picked.
    #[divan::bench]
    fn profile_file() -> impl Sized {
        common::parse_profile()
    }
}

/// Reads of a warm [`CredentialCache`], by one thread and by eight at once.
mod cached {
    use super::*;
    use std::sync::OnceLock;

    use tencentcloud_credential::adapters::{CredentialCache, RealFiles, SystemClock};
    use tencentcloud_credential::io::{EnvError, NoTransport};
    use tencentcloud_credential::{Env, EnvProvider};

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

    type Cache = CredentialCache<EnvProvider, FixedEnv, RealFiles, NoTransport, SystemClock>;

    /// One cache for every thread, resolved before the first read.
    fn cache() -> &'static Cache {
        static CACHE: OnceLock<Cache> = OnceLock::new();
        CACHE.get_or_init(|| {
            let cache = CredentialCache::from_parts(
                EnvProvider::new(),
                FixedEnv,
                RealFiles::default(),
                NoTransport,
                SystemClock,
            );
            drop(
                cache
                    .get()
                    .expect("the fixed environment holds a credential"),
            );
            cache
        })
    }

    #[divan::bench(threads = [1, 8])]
    fn get(bencher: Bencher<'_, '_>) {
        let cache = cache();
        bencher.bench(|| cache.get().expect("cached"));
    }

    #[divan::bench(threads = [1, 8])]
    fn with(bencher: Bencher<'_, '_>) {
        let cache = cache();
        bencher.bench(|| {
            cache
                .with(|credential| credential.expires_at())
                .expect("cached")
        });
    }

    /// The clock reading every `get` makes: the floor under a cached read.
    #[divan::bench]
    fn clock() -> impl Sized {
        use tencentcloud_credential::io::Clock;
        SystemClock.now()
    }
}
