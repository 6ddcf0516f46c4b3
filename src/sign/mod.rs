//! Request signing: TC3-HMAC-SHA256, the legacy v1 signature, and skip-sign.
//!
//! - [`tc3`] signs any request with TC3-HMAC-SHA256 (payload hashed whole,
//!   streamed through [`tc3::PayloadHasher`], or `UNSIGNED-PAYLOAD`);
//! - [`request`] builds the whole header set of an API 3.0 call, signed or
//!   with `Authorization: SKIP`;
//! - [`legacy`] computes the v1 HmacSHA1 / HmacSHA256 signature;
//! - [`KeyCache`] signs TC3 requests with the day's key derived once.
//!
//! Nothing here allocates, reads a clock or performs I/O: the timestamp is an
//! argument and every output lives in a bounded buffer.

pub mod legacy;
pub mod request;
pub mod tc3;

mod date;
mod digits;
mod key_cache;
mod mac_key;

pub use date::UtcDate;
pub use key_cache::{KeyCache, MAX_CACHED_SERVICE};
