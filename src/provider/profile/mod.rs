//! The profile provider: a credential from the credentials file.
//!
//! The file format and its parser are in [`parse`](fn@parse); the provider
//! finds the file, picks the profile and validates what it holds.

// The crate's one error type is large by design: it carries its context in
// bounded buffers because the core cannot allocate a box.
#![allow(clippy::result_large_err)]

mod parse;

pub use parse::{parse, Entry, Profile};

use heapless::String;

use super::{unexpected, Provider, Step};
use crate::credential::Credential;
use crate::error::{Error, ErrorKind, ProviderKind};
use crate::io::{EnvError, FileError, FileRef, FileRequest, HttpResponse, TransportError};
use crate::limits;

/// The variable naming the credentials file, instead of the usual places.
pub const CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// The variable naming the profile (section) to read.
pub const PROFILE: &str = "TENCENTCLOUD_PROFILE";
/// The credentials file in the user's home directory, relative to it.
pub const HOME_FILE: &str = ".tencentcloud/credentials";
/// The system-wide credentials file, read when the home one is absent.
pub const SYSTEM_FILE: &str = "/etc/tencentcloud/credentials";
/// The profile read when none is chosen.
pub const DEFAULT_PROFILE: &str = "default";

/// Why the provider passes when neither usual file exists.
const NO_FILE: &str =
    "no credentials file at ~/.tencentcloud/credentials or /etc/tencentcloud/credentials";

/// [`HOME_FILE`] as errors show it.
const HOME_FILE_SHOWN: &str = "~/.tencentcloud/credentials";

/// Reads a credential from a profile of the credentials file.
///
/// Sources, in order:
///
/// 1. `TENCENTCLOUD_CREDENTIALS_FILE`: when set and not empty, the file to
///    read, which must exist (a missing file is an error, not a pass). Set
///    but empty counts as unset. [`with_file`](Self::with_file) skips it.
/// 2. `TENCENTCLOUD_PROFILE`: the profile; unset or empty means `default`.
///    [`with_profile`](Self::with_profile) skips it.
/// 3. Without an explicit file, `~/.tencentcloud/credentials`, else
///    `/etc/tencentcloud/credentials`: the first that exists is read, even
///    when it lacks the profile. An unknown home directory counts as absent.
///
/// Outcomes: no file, or the `default` profile absent from it, is not
/// configured. A chosen profile that is absent, a missing or empty
/// `secret_id` or `secret_key`, a value [`Credential::new`] rejects, a
/// malformed file or a file over [`limits::PROFILE_FILE`] is an error naming
/// the file, and the line, profile and key where they apply, never a value.
/// `token` is optional; empty means none.
#[derive(Debug)]
pub struct ProfileProvider {
    state: State,
    /// The file: given to [`with_file`](Self::with_file), else from the
    /// variable; empty for the usual places.
    path: String<{ limits::PATH }>,
    explicit_path: bool,
    /// The profile: given to [`with_profile`](Self::with_profile), else from
    /// the variable, else `default`.
    profile: String<{ limits::PROFILE_NAME }>,
    explicit_profile: bool,
    outcome: Option<Result<Credential, Error>>,
}

/// What the provider asks for next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    FileVariable,
    ProfileVariable,
    GivenFile,
    HomeFile,
    SystemFile,
    Done,
}

impl Default for ProfileProvider {
    fn default() -> Self {
        let mut provider = Self {
            state: State::FileVariable,
            path: String::new(),
            explicit_path: false,
            profile: String::new(),
            explicit_profile: false,
            outcome: None,
        };
        provider.reset();
        provider
    }
}

impl ProfileProvider {
    /// A provider reading the variables and the usual places.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `path` instead of what `TENCENTCLOUD_CREDENTIALS_FILE` or the
    /// usual places name; the file must exist.
    ///
    /// An empty path is an error, and so is one longer than [`limits::PATH`].
    pub fn with_file(mut self, path: &str) -> Result<Self, Error> {
        if path.is_empty() {
            return Err(
                Error::new(ErrorKind::InvalidInput, "credentials file path is empty")
                    .with_provider(ProviderKind::Profile),
            );
        }
        self.path = String::try_from(path).map_err(|_| {
            Error::capacity("credentials file path is too long", limits::PATH)
                .with_provider(ProviderKind::Profile)
        })?;
        self.explicit_path = true;
        self.reset();
        Ok(self)
    }

    /// Reads profile `name` instead of what `TENCENTCLOUD_PROFILE` names.
    ///
    /// As with the variable, an absent profile is an error unless it is
    /// `default`, whose absence is "not configured".
    ///
    /// An empty name is an error, and so is one longer than [`limits::PROFILE_NAME`].
    pub fn with_profile(mut self, name: &str) -> Result<Self, Error> {
        if name.is_empty() {
            return Err(Error::new(ErrorKind::InvalidInput, "profile name is empty")
                .with_provider(ProviderKind::Profile));
        }
        self.profile = String::try_from(name).map_err(|_| {
            Error::capacity("profile name is too long", limits::PROFILE_NAME)
                .with_provider(ProviderKind::Profile)
        })?;
        self.explicit_profile = true;
        self.reset();
        Ok(self)
    }

    /// Forgets what the last run read, keeping what the builders set.
    fn reset(&mut self) {
        if !self.explicit_path {
            self.path.clear();
        }
        if !self.explicit_profile {
            self.profile.clear();
            let _ = self.profile.push_str(DEFAULT_PROFILE);
        }
        self.outcome = None;
        self.state = if !self.explicit_path {
            State::FileVariable
        } else {
            self.after_file_variable()
        };
    }

    fn after_file_variable(&self) -> State {
        if !self.explicit_profile {
            State::ProfileVariable
        } else {
            self.first_file()
        }
    }

    fn first_file(&self) -> State {
        if self.path.is_empty() {
            State::HomeFile
        } else {
            State::GivenFile
        }
    }

    fn end(&mut self, outcome: Result<Credential, Error>) {
        self.outcome = Some(outcome);
        self.state = State::Done;
    }

    /// The file being read, as errors name it.
    fn shown(&self) -> &str {
        match self.state {
            State::HomeFile => HOME_FILE_SHOWN,
            State::SystemFile => SYSTEM_FILE,
            _ => &self.path,
        }
    }

    /// The answer to a variable, copied into `out` when set and not empty.
    fn copy_variable<const N: usize>(
        value: Result<Option<&str>, EnvError>,
        out: &mut String<N>,
        variable: &'static str,
        too_long: &'static str,
    ) -> Result<(), Error> {
        match value {
            Ok(None | Some("")) => Ok(()),
            Ok(Some(value)) => {
                *out = String::try_from(value)
                    .map_err(|_| Error::capacity(too_long, N).with_variable(variable))?;
                Ok(())
            }
            Err(EnvError::NotUnicode) => Err(Error::new(
                ErrorKind::InvalidInput,
                "value is not valid utf-8",
            )
            .with_variable(variable)),
        }
    }
}

/// The credential profile `name` of `text` holds, with errors naming the
/// line, profile and key (the caller adds the file).
fn credential(text: &[u8], name: &str) -> Result<Credential, Error> {
    let profile = parse(text, name)?;
    if !profile.found {
        let kind = if name == DEFAULT_PROFILE {
            ErrorKind::NotConfigured
        } else {
            ErrorKind::InvalidInput
        };
        return Err(Error::new(kind, "profile not found").with_profile(name));
    }

    let id = required(profile.secret_id, name, "secret_id")?;
    let key = required(profile.secret_key, name, "secret_key")?;
    Credential::new(id.value, "k", None).map_err(|e| place(e, id, name, "secret_id"))?;
    Credential::new("i", key.value, None).map_err(|e| place(e, key, name, "secret_key"))?;
    match profile.token {
        Some(token) => Credential::new(id.value, key.value, Some(token.value))
            .map_err(|e| place(e, token, name, "token")),
        None => Credential::new(id.value, key.value, None),
    }
}

/// The entry of a key that must be given and not empty.
fn required<'a>(
    entry: Option<Entry<'a>>,
    profile: &str,
    key: &'static str,
) -> Result<Entry<'a>, Error> {
    match entry {
        None => Err(Error::new(ErrorKind::InvalidInput, "key is missing")
            .with_profile(profile)
            .with_key(key)),
        Some(entry) if entry.value.is_empty() => {
            let e = Error::new(ErrorKind::InvalidInput, "key is empty");
            Err(place(e, entry, profile, key))
        }
        Some(entry) => Ok(entry),
    }
}

/// `e`, naming where in the file it was found.
fn place(e: Error, entry: Entry<'_>, profile: &str, key: &'static str) -> Error {
    e.with_line(entry.line).with_profile(profile).with_key(key)
}

impl Provider for ProfileProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Profile
    }

    fn poll(&mut self, _now: u64) -> Step<'_> {
        let file = match self.state {
            State::FileVariable => return Step::Env(CREDENTIALS_FILE),
            State::ProfileVariable => return Step::Env(PROFILE),
            State::Done => return Step::Done,
            State::GivenFile => FileRef::Path(&self.path),
            State::HomeFile => FileRef::Home(HOME_FILE),
            State::SystemFile => FileRef::Path(SYSTEM_FILE),
        };
        Step::File(FileRequest {
            file,
            limit: limits::PROFILE_FILE,
        })
    }

    fn handle_env(&mut self, value: Result<Option<&str>, EnvError>) {
        let copied = match self.state {
            State::FileVariable => {
                let copied = Self::copy_variable(
                    value,
                    &mut self.path,
                    CREDENTIALS_FILE,
                    "credentials file path is too long",
                );
                self.state = self.after_file_variable();
                copied
            }
            State::ProfileVariable => {
                let copied = Self::copy_variable(
                    value,
                    &mut self.profile,
                    PROFILE,
                    "profile name is too long",
                );
                self.state = self.first_file();
                copied
            }
            _ => Err(unexpected(ProviderKind::Profile)),
        };
        if let Err(e) = copied {
            self.end(Err(e));
        }
    }

    fn handle_file(&mut self, result: Result<&[u8], FileError>) {
        let outcome = match (self.state, result) {
            (State::HomeFile, Err(FileError::NotFound | FileError::NoHome)) => {
                self.state = State::SystemFile;
                return;
            }
            (State::SystemFile, Err(FileError::NotFound | FileError::NoHome)) => {
                Err(Error::new(ErrorKind::NotConfigured, NO_FILE))
            }
            (State::GivenFile | State::HomeFile | State::SystemFile, Ok(text)) => {
                credential(text, &self.profile).map_err(|e| e.with_path(self.shown()))
            }
            (State::GivenFile | State::HomeFile | State::SystemFile, Err(e)) => {
                let e = Error::new(ErrorKind::Io, e.message()).with_path(self.shown());
                let from_variable = self.state == State::GivenFile && !self.explicit_path;
                Err(match from_variable {
                    true => e.with_variable(CREDENTIALS_FILE),
                    false => e,
                })
            }
            _ => Err(unexpected(ProviderKind::Profile)),
        };
        self.end(outcome);
    }

    fn handle_http(&mut self, _: Result<HttpResponse<'_>, TransportError>) {
        self.end(Err(unexpected(ProviderKind::Profile)));
    }

    fn handle_slept(&mut self) {
        self.end(Err(unexpected(ProviderKind::Profile)));
    }

    fn finish(&mut self) -> Result<Credential, Error> {
        let outcome = match (self.state, self.outcome.take()) {
            (State::Done, Some(outcome)) => outcome,
            _ => Err(unexpected(ProviderKind::Profile)),
        };
        self.reset();
        outcome.map_err(|e| e.with_provider(ProviderKind::Profile))
    }
}
