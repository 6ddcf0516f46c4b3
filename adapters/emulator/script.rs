//! What the emulator answers: plain structs with builder methods.

use std::fmt;
use std::string::{String, ToString};
use std::vec::Vec;

/// The whole behaviour of an [`Emulator`](super::Emulator), fixed at start.
///
/// `EmulatorScript::new()` answers 404 on the role list and issues
/// credentials valid for an hour; the builder methods change one thing each.
#[derive(Clone, Debug, Default)]
pub struct EmulatorScript {
    /// The metadata service (GET requests).
    pub metadata: MetadataScript,
    /// STS (POST requests).
    pub sts: StsScript,
}

/// How the metadata service behaves.
#[derive(Clone, Debug)]
pub struct MetadataScript {
    /// The role list body; `None` answers 404 on the role list.
    pub roles: Option<String>,
    /// The status of the role list when `roles` is set.
    pub role_status: u16,
    /// The status of the credentials document.
    pub creds_status: u16,
    /// The credentials document served for any role name.
    pub creds: CredsReply,
    /// Wait this long before answering any metadata request.
    pub delay_ms: u64,
    /// Accept and read metadata requests but never answer until stopped.
    pub blackhole: bool,
}

impl Default for MetadataScript {
    fn default() -> Self {
        Self {
            roles: None,
            role_status: 200,
            creds_status: 200,
            creds: CredsReply::Issue {
                lifetime_secs: 3600,
            },
            delay_ms: 0,
            blackhole: false,
        }
    }
}

/// The credentials document of the metadata service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredsReply {
    /// A fresh credential, `ExpiredTime` = now + `lifetime_secs` (may be negative).
    Issue {
        /// Seconds of validity from now.
        lifetime_secs: i64,
    },
    /// This body, verbatim.
    Raw(String),
    /// 404, as for a role that does not exist.
    Missing,
}

/// How STS behaves.
///
/// Precedence of replies: `reply`, then a failed signature check, then
/// `error`, then a fresh credential. `Debug` shows secret ids, not keys.
#[derive(Clone)]
pub struct StsScript {
    /// Long-term secret id and key pairs accepted for `AssumeRole`.
    pub secrets: Vec<(String, String)>,
    /// This body, verbatim, for every request.
    pub reply: Option<String>,
    /// The status of every STS reply.
    pub status: u16,
    /// Validity of issued credentials: `ExpiredTime` = now + this.
    pub expires_in_secs: i64,
    /// `Response.Error` `Code` and `Message` to answer a well-formed request with.
    pub error: Option<(String, String)>,
    /// Wait this long before answering any STS request.
    pub delay_ms: u64,
    /// Accept and read STS requests but never answer until stopped.
    pub blackhole: bool,
}

impl fmt::Debug for StsScript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.secrets.iter().map(|(id, _)| id.as_str()).collect();
        f.debug_struct("StsScript")
            .field("secret_ids", &ids)
            .field("reply_len", &self.reply.as_ref().map(String::len))
            .field("status", &self.status)
            .field("expires_in_secs", &self.expires_in_secs)
            .field("error", &self.error)
            .field("delay_ms", &self.delay_ms)
            .field("blackhole", &self.blackhole)
            .finish()
    }
}

impl Default for StsScript {
    fn default() -> Self {
        Self {
            secrets: Vec::new(),
            reply: None,
            status: 200,
            expires_in_secs: 3600,
            error: None,
            delay_ms: 0,
            blackhole: false,
        }
    }
}

impl EmulatorScript {
    /// The default script: no role bound, hour-long credentials, no STS secret.
    pub fn new() -> Self {
        Self::default()
    }

    /// Serves `body` as the role list (e.g. `"roleA\n"`).
    #[must_use]
    pub fn roles(mut self, body: &str) -> Self {
        self.metadata.roles = Some(body.to_string());
        self
    }

    /// Answers the role list with `status` (the body stays the role list).
    #[must_use]
    pub fn role_status(mut self, status: u16) -> Self {
        self.metadata.role_status = status;
        self
    }

    /// Answers the credentials document with `status`.
    #[must_use]
    pub fn creds_status(mut self, status: u16) -> Self {
        self.metadata.creds_status = status;
        self
    }

    /// Issues metadata credentials that expire `secs` from now (negative: already expired).
    #[must_use]
    pub fn creds_lifetime(mut self, secs: i64) -> Self {
        self.metadata.creds = CredsReply::Issue {
            lifetime_secs: secs,
        };
        self
    }

    /// Serves `body` verbatim as the credentials document.
    #[must_use]
    pub fn creds_body(mut self, body: &str) -> Self {
        self.metadata.creds = CredsReply::Raw(body.to_string());
        self
    }

    /// Answers the credentials document with 404.
    #[must_use]
    pub fn no_creds(mut self) -> Self {
        self.metadata.creds = CredsReply::Missing;
        self
    }

    /// Waits `ms` milliseconds before answering each metadata request.
    #[must_use]
    pub fn metadata_delay_ms(mut self, ms: u64) -> Self {
        self.metadata.delay_ms = ms;
        self
    }

    /// Accepts metadata requests and never answers them.
    #[must_use]
    pub fn blackhole(mut self) -> Self {
        self.metadata.blackhole = true;
        self
    }

    /// Accepts `AssumeRole` requests signed with this secret id and key.
    #[must_use]
    pub fn sts_secret(mut self, secret_id: &str, secret_key: &str) -> Self {
        self.sts
            .secrets
            .push((secret_id.to_string(), secret_key.to_string()));
        self
    }

    /// Answers every STS request with `body`, verbatim.
    #[must_use]
    pub fn sts_reply(mut self, body: &str) -> Self {
        self.sts.reply = Some(body.to_string());
        self
    }

    /// Answers every STS request with `status`.
    #[must_use]
    pub fn sts_status(mut self, status: u16) -> Self {
        self.sts.status = status;
        self
    }

    /// Issues STS credentials that expire `secs` from now.
    #[must_use]
    pub fn sts_expires_in(mut self, secs: i64) -> Self {
        self.sts.expires_in_secs = secs;
        self
    }

    /// Answers well-formed STS requests with `Response.Error` `code` and `message`.
    #[must_use]
    pub fn sts_error(mut self, code: &str, message: &str) -> Self {
        self.sts.error = Some((code.to_string(), message.to_string()));
        self
    }

    /// Waits `ms` milliseconds before answering each STS request.
    #[must_use]
    pub fn sts_delay_ms(mut self, ms: u64) -> Self {
        self.sts.delay_ms = ms;
        self
    }

    /// Accepts STS requests and never answers them.
    #[must_use]
    pub fn sts_blackhole(mut self) -> Self {
        self.sts.blackhole = true;
        self
    }
}
