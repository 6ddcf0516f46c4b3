//! Tencent Cloud credentials, found wherever they live, and TC3 request signing.
//!
//! The core is `#![no_std]`, allocates nothing and performs no I/O. Each
//! credential source is a [`Provider`]: a state machine that asks for
//! environment variables, files, HTTP exchanges and the time, and is handed
//! the answers. A driver is a thin loop:
//!
//! ```
//! use tencentcloud_credential::io::EnvError;
//! use tencentcloud_credential::{Env, EnvProvider, Provider, Step};
//!
//! struct Vars; // Stands in for wherever variables live.
//! impl Env for Vars {
//!     fn var(&mut self, name: &str) -> Result<Option<&str>, EnvError> {
//!         Ok(match name {
//!             "TENCENTCLOUD_SECRET_ID" => Some("AKIDexample"),
//!             "TENCENTCLOUD_SECRET_KEY" => Some("example-key"),
//!             _ => None,
//!         })
//!     }
//! }
//!
//! let (mut provider, mut env, now) = (EnvProvider::new(), Vars, 1_700_000_000);
//! let credential = loop {
//!     let name = match provider.poll(now) {
//!         Step::Env(name) => Some(name),
//!         _ => None, // Done: the environment provider asks for nothing else.
//!     };
//!     let Some(name) = name else { break provider.finish() };
//!     provider.handle_env(env.var(name));
//! };
//! assert_eq!(credential.unwrap().secret_id(), "AKIDexample");
//! ```
//!
//! [`resolve`] is that loop for any provider; with the `std` feature,
//! [`adapters`] supplies the process environment, real files, the system
//! clock and a ready-made [`adapters::resolve`].
//!
//! Signing lives in [`sign`]: TC3-HMAC-SHA256 (with streamed payload hashing
//! and `UNSIGNED-PAYLOAD`), the legacy HmacSHA1 / HmacSHA256 signature, and
//! the header set of an API request.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs, missing_debug_implementations, rust_2018_idioms)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
// The core cannot box: its error and credential are large values held inline,
// bounded by the limits in `limits`, and moved rather than allocated.
#![allow(clippy::result_large_err, clippy::large_enum_variant)]
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

#[cfg(feature = "std")]
extern crate std;

pub mod async_io;
mod credential;
mod driver;
mod error;
pub mod io;
pub mod limits;
pub mod provider;
pub mod refresh;
pub mod sign;

#[cfg(feature = "std")]
#[path = "../adapters/mod.rs"]
pub mod adapters;

pub use credential::{Credential, MaskedId};
pub use driver::{resolve, resolve_async};
pub use error::{ApiError, Error, ErrorKind, Passed, ProviderKind, MAX_PASSED, PASSED_REASON};
pub use io::{Clock, Env, FileSource, Transport};
pub use provider::chain::{Chain, DefaultChain};
pub use provider::cvm::CvmProvider;
pub use provider::env::EnvProvider;
pub use provider::oidc::OidcProvider;
pub use provider::profile::ProfileProvider;
pub use provider::sts::StsProvider;
pub use provider::tke::TkeProvider;
pub use provider::{Provider, Step};
pub use refresh::RefreshPolicy;

/// The README's Rust examples, compiled as doctests.
#[cfg(all(doctest, feature = "std"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
