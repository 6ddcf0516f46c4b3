//! The std side: the process environment, real files, the system clock, and
//! a [`resolve`] that runs any provider with them.

mod cache;
mod chain;
mod clock;
#[cfg(feature = "emulator")]
pub mod emulator;
mod env;
mod files;
mod transport;

pub use cache::{CredentialCache, CredentialInfo};
pub use chain::OwnedChain;
pub use clock::SystemClock;
pub use env::ProcessEnv;
pub use files::RealFiles;
pub use transport::UreqTransport;

use crate::io::NoTransport;
use crate::{Credential, Error, Provider};

/// Runs `provider` to its outcome with the process environment, real files
/// and the system clock, without HTTP.
pub fn resolve_offline<P: Provider + ?Sized>(provider: &mut P) -> Result<Credential, Error> {
    crate::resolve(
        provider,
        &mut ProcessEnv::default(),
        &mut RealFiles::default(),
        &mut NoTransport,
        &SystemClock,
    )
}

/// Runs `provider` to its outcome with the process environment, real files,
/// the system clock and HTTP over [`UreqTransport`].
///
/// Each call makes a fresh transport, so proxy variables are read again.
pub fn resolve<P: Provider + ?Sized>(provider: &mut P) -> Result<Credential, Error> {
    crate::resolve(
        provider,
        &mut ProcessEnv::default(),
        &mut RealFiles::default(),
        &mut UreqTransport::new(),
        &SystemClock,
    )
}
