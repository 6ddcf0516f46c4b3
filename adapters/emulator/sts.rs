//! STS: `AssumeRole` (TC3-signed) and `AssumeRoleWithWebIdentity` (unsigned).

use std::format;
use std::string::{String, ToString};

use super::calendar;
use super::script::StsScript;
use super::tc3::{self, Signed};
use super::wire::{RawRequest, Reply};
use super::{Answer, Outcome};

/// Answers a POST; `issue` numbers a fresh credential, `request_id` a reply.
pub(crate) fn answer(
    request: &RawRequest,
    script: &StsScript,
    now: i64,
    issue: impl FnOnce() -> u64,
    request_id: u64,
) -> Outcome {
    let action = request.header("x-tc-action").unwrap_or_default();
    if script.blackhole {
        return Outcome {
            answer: Answer::Hold,
            action: action.to_string(),
            signature_ok: false,
            verdict: "blackholed",
            delay_ms: 0,
        };
    }
    let checked = match action {
        "AssumeRole" => {
            let signed = Signed {
                method: &request.method,
                target: &request.target,
                headers: &request.headers,
                body: &request.body,
            };
            tc3::verify(&signed, &script.secrets, now).map(|()| "signed")
        }
        "AssumeRoleWithWebIdentity" => match request.header("authorization") {
            _ if request.header("x-tc-token").is_some() => {
                Err("token header on an unsigned request")
            }
            Some("SKIP") => Ok("unsigned"),
            _ => Err("expected authorization skip"),
        },
        _ => Err("unknown action"),
    };

    let body = match (&script.reply, checked, &script.error) {
        (Some(raw), _, _) => raw.clone(),
        (None, Err("unknown action"), _) => error_body(
            "InvalidAction",
            "The action does not exist or is not supported.",
            request_id,
        ),
        (None, Err(_), _) => error_body(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated.",
            request_id,
        ),
        (None, Ok(_), Some((code, message))) => error_body(code, message, request_id),
        (None, Ok(_), None) => {
            let n = issue();
            let expires = now.saturating_add(script.expires_in_secs);
            format!(
                concat!(
                    r#"{{"Response":{{"Credentials":{{"Token":"emulated-token-{a}-{n}","#,
                    r#""TmpSecretId":"AKIDtmp{a}-{n}","TmpSecretKey":"tmpkey{a}-{n}"}},"#,
                    r#""ExpiredTime":{expires},"Expiration":"{expiration}","#,
                    r#""RequestId":"req-emulator-{id}"}}}}"#
                ),
                a = action,
                n = n,
                expires = expires,
                expiration = calendar::date_time(expires),
                id = request_id,
            )
        }
    };
    Outcome {
        answer: Answer::Reply(Reply::json(script.status, body)),
        action: action.to_string(),
        signature_ok: checked.is_ok(),
        verdict: checked.unwrap_or_else(|why| why),
        delay_ms: script.delay_ms,
    }
}

fn error_body(code: &str, message: &str, request_id: u64) -> String {
    format!(
        concat!(
            r#"{{"Response":{{"Error":{{"Code":"{}","Message":"{}"}},"#,
            r#""RequestId":"req-emulator-{}"}}}}"#
        ),
        json_escape(code),
        json_escape(message),
        request_id
    )
}

/// `text` as the inside of a JSON string.
fn json_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}
