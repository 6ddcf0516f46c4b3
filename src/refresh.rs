//! The refresh policy: when a cached temporary credential is renewed, and
//! what is served while it is.
//!
//! One policy serves every temporary credential:
//!
//! - **Window.** A credential is refreshed once less than [`WINDOW_SECS`]
//!   (300 s) of validity remain, minus a jitter of up to [`MAX_JITTER_SECS`]
//!   (60 s), so that many processes holding credentials issued together do
//!   not all refresh in the same second. The jitter is drawn once per
//!   credential from a random number the caller supplies.
//! - **Never past expiry.** A credential is never served at or after its
//!   expiry: from then on nothing is servable until a refresh succeeds.
//! - **Ten seconds between refreshes.** After any refresh, the next one
//!   starts no sooner than [`RETRY_SECS`] (10 s) later while a credential is
//!   servable. So a refresh that returns a credential already inside the
//!   window is not retried on every call, and neither is a failing one.
//! - **Static stability.** A refresh that fails while the cached credential
//!   is still valid leaves it in service (the caller should log a warning);
//!   once it has expired, the failure is returned.
//! - **Long-term credentials** (no expiry) are never refreshed.
//!
//! The policy is pure: a [`Cached`] schedule and the time go in, a
//! [`Decision`] comes out; after a refresh, [`RefreshPolicy::after_refresh`]
//! says what to keep. A cache is a thin loop around it:
//!
//! ```
//! use tencentcloud_credential::refresh::{
//!     AfterRefresh, Cached, Decision, RefreshPolicy, Refreshed,
//! };
//!
//! let policy = RefreshPolicy::new();
//! let (now, random) = (1_000, 7);
//! let mut cached = Cached::Nothing;
//! assert_eq!(policy.decide(cached, now), Decision::MustRefresh);
//!
//! // The provider answered with a credential valid for an hour.
//! let refreshed = Refreshed::Credential { expires_at: Some(now + 3600) };
//! if let AfterRefresh::Replace(next) = policy.after_refresh(cached, refreshed, now, random) {
//!     cached = next; // ... and store the new credential beside it.
//! }
//! assert_eq!(policy.decide(cached, now + 60), Decision::Fresh);
//! assert_eq!(policy.decide(cached, now + 3500), Decision::RefreshSoon);
//! assert_eq!(policy.decide(cached, now + 3600), Decision::MustRefresh);
//! ```

/// Seconds of validity below which a credential is refreshed, before jitter.
pub const WINDOW_SECS: u64 = 300;
/// The largest jitter subtracted from the window, in seconds.
pub const MAX_JITTER_SECS: u64 = 60;
/// The shortest time between two refreshes while a credential is servable, in seconds.
pub const RETRY_SECS: u64 = 10;

/// When to refresh: the window, the jitter bound and the retry interval.
///
/// [`RefreshPolicy::new`] is the policy of this crate; the `with_*` methods
/// exist so that tests and load checks can run it in compressed time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefreshPolicy {
    window: u64,
    max_jitter: u64,
    retry: u64,
}

/// What is cached, as the policy sees it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Cached {
    /// No credential: never fetched, or the last one expired and its refresh failed.
    #[default]
    Nothing,
    /// A credential without expiry; it is never refreshed.
    LongTerm,
    /// A temporary credential.
    Temporary {
        /// Unix seconds at which it stops being servable.
        expires_at: u64,
        /// Unix seconds from which a refresh is due.
        refresh_at: u64,
    },
}

impl Cached {
    /// True when a credential is cached and may be served at `now`.
    pub fn is_servable(self, now: u64) -> bool {
        match self {
            Self::Nothing => false,
            Self::LongTerm => true,
            Self::Temporary { expires_at, .. } => now < expires_at,
        }
    }

    /// The expiry of the cached credential, if it is temporary.
    pub fn expires_at(self) -> Option<u64> {
        match self {
            Self::Temporary { expires_at, .. } => Some(expires_at),
            Self::Nothing | Self::LongTerm => None,
        }
    }
}

/// What to do with the cached credential at a given instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum Decision {
    /// Serve the cached credential; no refresh is due.
    Fresh,
    /// Serve the cached credential, and have one caller refresh it meanwhile.
    RefreshSoon,
    /// Nothing is servable: a caller must refresh and the others wait for it.
    MustRefresh,
}

/// How a refresh ended, as the policy needs to know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refreshed {
    /// The provider answered with a credential expiring at `expires_at`
    /// (unix seconds; `None` for a long-term credential).
    Credential {
        /// The new credential's expiry.
        expires_at: Option<u64>,
    },
    /// The provider answered with an error.
    Failed,
}

/// What to keep after a refresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum AfterRefresh {
    /// Serve the new credential from now on, on this schedule.
    Replace(Cached),
    /// The refresh failed, or brought a credential already expired, but the
    /// cached one is still valid: keep serving it on this schedule and log
    /// a warning.
    KeepCached(Cached),
    /// Nothing is servable: drop the cached credential (if any) and return
    /// the refresh's error. The error itself is not cached.
    Fail,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        Self::new()
    }
}

impl RefreshPolicy {
    /// The crate's policy: a 300 s window, up to 60 s of jitter, 10 s between refreshes.
    pub const fn new() -> Self {
        Self {
            window: WINDOW_SECS,
            max_jitter: MAX_JITTER_SECS,
            retry: RETRY_SECS,
        }
    }

    /// Refreshes once fewer than `secs` seconds of validity remain (before jitter).
    #[must_use]
    pub const fn with_window(mut self, secs: u64) -> Self {
        self.window = secs;
        self
    }

    /// Subtracts a jitter of up to `secs` seconds from the window.
    #[must_use]
    pub const fn with_max_jitter(mut self, secs: u64) -> Self {
        self.max_jitter = secs;
        self
    }

    /// Waits at least `secs` seconds between refreshes while a credential is servable.
    #[must_use]
    pub const fn with_retry_interval(mut self, secs: u64) -> Self {
        self.retry = secs;
        self
    }

    /// The window, in seconds.
    pub const fn window(&self) -> u64 {
        self.window
    }

    /// The largest jitter, in seconds.
    pub const fn max_jitter(&self) -> u64 {
        self.max_jitter
    }

    /// The shortest time between refreshes while a credential is servable, in seconds.
    pub const fn retry_interval(&self) -> u64 {
        self.retry
    }

    /// The jitter, `0..=max_jitter` seconds, that a random number stands for.
    pub const fn jitter(&self, random: u64) -> u64 {
        match self.max_jitter.checked_add(1) {
            Some(span) => random % span,
            None => random,
        }
    }

    /// When a credential expiring at `expires_at` falls due for refresh,
    /// with the jitter drawn from `random`.
    ///
    /// That is `expires_at - (window - jitter)`: with the defaults, between
    /// 300 s and 240 s before expiry.
    pub const fn refresh_at(&self, expires_at: u64, random: u64) -> u64 {
        let lead = self.window.saturating_sub(self.jitter(random));
        expires_at.saturating_sub(lead)
    }

    /// What to do at `now` (unix seconds) with what is cached.
    pub fn decide(&self, cached: Cached, now: u64) -> Decision {
        match cached {
            Cached::Nothing => Decision::MustRefresh,
            Cached::LongTerm => Decision::Fresh,
            Cached::Temporary { expires_at, .. } if now >= expires_at => Decision::MustRefresh,
            Cached::Temporary { refresh_at, .. } if now >= refresh_at => Decision::RefreshSoon,
            Cached::Temporary { .. } => Decision::Fresh,
        }
    }

    /// What to keep after a refresh that ended at `now` as `refreshed`;
    /// `random` draws the new credential's jitter.
    ///
    /// A new credential is scheduled for refresh at [`refresh_at`](Self::refresh_at),
    /// but never sooner than the retry interval from `now`. A credential that
    /// arrives already expired counts as a failed refresh.
    pub fn after_refresh(
        &self,
        cached: Cached,
        refreshed: Refreshed,
        now: u64,
        random: u64,
    ) -> AfterRefresh {
        let expires_at = match refreshed {
            Refreshed::Credential { expires_at: None } => {
                return AfterRefresh::Replace(Cached::LongTerm)
            }
            Refreshed::Credential {
                expires_at: Some(expires_at),
            } if expires_at > now => expires_at,
            Refreshed::Credential { .. } | Refreshed::Failed => return self.failed(cached, now),
        };
        let earliest = now.saturating_add(self.retry);
        let refresh_at = self.refresh_at(expires_at, random).max(earliest);
        AfterRefresh::Replace(Cached::Temporary {
            expires_at,
            refresh_at,
        })
    }

    /// After a failed refresh: keep a valid credential a little longer, or fail.
    fn failed(&self, cached: Cached, now: u64) -> AfterRefresh {
        match cached {
            Cached::Temporary { expires_at, .. } if now < expires_at => {
                AfterRefresh::KeepCached(Cached::Temporary {
                    expires_at,
                    refresh_at: now.saturating_add(self.retry),
                })
            }
            Cached::LongTerm => AfterRefresh::KeepCached(Cached::LongTerm),
            Cached::Temporary { .. } | Cached::Nothing => AfterRefresh::Fail,
        }
    }
}
