//! The CVM metadata service: the role list and a role's credentials.

use std::format;
use std::string::String;

use super::calendar;
use super::script::{CredsReply, MetadataScript};
use super::wire::{RawRequest, Reply};
use super::{Answer, Outcome};

/// Where the role list lives; a role's credentials are below it.
pub const CREDENTIALS_PATH: &str = "/latest/meta-data/cam/security-credentials/";

/// Answers a GET; `issue` numbers a fresh credential.
pub(crate) fn answer(
    request: &RawRequest,
    script: &MetadataScript,
    now: i64,
    issue: impl FnOnce() -> u64,
) -> Outcome {
    let outcome = |answer, verdict| Outcome {
        answer,
        action: String::new(),
        signature_ok: false,
        verdict,
        delay_ms: script.delay_ms,
    };
    if script.blackhole {
        return outcome(Answer::Hold, "blackholed");
    }
    let path = request
        .target
        .split_once('?')
        .map_or(request.target.as_str(), |(path, _)| path);
    let Some(role) = path.strip_prefix(CREDENTIALS_PATH) else {
        return outcome(Answer::Reply(Reply::text(404, "not found")), "unknown path");
    };
    if role.is_empty() {
        let reply = match &script.roles {
            None => Reply::text(404, "not found"),
            Some(roles) => Reply::text(script.role_status, roles),
        };
        return outcome(Answer::Reply(reply), "role list");
    }

    let reply = match &script.creds {
        CredsReply::Missing => Reply::text(404, "not found"),
        CredsReply::Raw(body) => Reply::json(script.creds_status, body.clone()),
        CredsReply::Issue { lifetime_secs } => {
            let n = issue();
            let expires = now.saturating_add(*lifetime_secs);
            let body = format!(
                concat!(
                    r#"{{"TmpSecretId":"AKIDtmpMetadata-{n}","TmpSecretKey":"tmpkeyMetadata-{n}","#,
                    r#""ExpiredTime":{expires},"Expiration":"{expiration}","#,
                    r#""Token":"emulated-token-Metadata-{n}","Code":"Success"}}"#
                ),
                n = n,
                expires = expires,
                expiration = calendar::date_time(expires),
            );
            Reply::json(script.creds_status, body)
        }
    };
    outcome(Answer::Reply(reply), "credentials")
}
