//! The process environment.

use std::string::String;

use crate::io::{Env, EnvError};

/// Reads variables from the process environment.
///
/// It keeps the last value read, so that the answer can be lent to a
/// provider without allocating per call site.
#[derive(Debug, Default)]
pub struct ProcessEnv {
    last: String,
}

impl Env for ProcessEnv {
    fn var(&mut self, name: &str) -> Result<Option<&str>, EnvError> {
        match std::env::var(name) {
            Ok(value) => {
                zeroize::Zeroize::zeroize(&mut self.last);
                self.last = value;
                Ok(Some(&self.last))
            }
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(EnvError::NotUnicode),
        }
    }
}

impl Drop for ProcessEnv {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.last);
    }
}
