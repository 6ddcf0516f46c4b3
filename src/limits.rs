//! Capacity limits of the core's bounded buffers.
//!
//! Going past any of them is an [`Error`](crate::Error) of kind
//! [`ErrorKind::Capacity`](crate::ErrorKind::Capacity) that names the limit;
//! nothing is ever truncated.

/// Longest secret id, in bytes.
pub const SECRET_ID: usize = 128;
/// Longest secret key, in bytes.
pub const SECRET_KEY: usize = 128;
/// Longest session token, in bytes.
pub const TOKEN: usize = 4096;
/// Longest CVM role name, in bytes.
pub const ROLE_NAME: usize = 128;
/// Largest HTTP response body a provider accepts, in bytes.
pub const RESPONSE_BODY: usize = 16 * 1024;
/// Largest credentials profile file, in bytes.
pub const PROFILE_FILE: usize = 64 * 1024;
/// Longest profile name, in bytes.
pub const PROFILE_NAME: usize = 64;
/// Longest file path kept in an error or asked for by a provider, in bytes.
pub const PATH: usize = 512;
