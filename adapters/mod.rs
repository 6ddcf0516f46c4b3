//! The std side: the process environment, real files, the system clock, and
//! a [`resolve`] that runs any provider with them.

mod clock;
mod env;
mod files;

pub use clock::SystemClock;
pub use env::ProcessEnv;
pub use files::RealFiles;

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
