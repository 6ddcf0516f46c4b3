//! Checks a TC3-HMAC-SHA256 signature the way the server does, from the raw
//! request, independently of the crate's signer.

use std::string::String;
use std::vec::Vec;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::calendar;
use super::wire::header;

/// Most seconds between the request's timestamp and the emulator's clock.
pub(crate) const MAX_SKEW_SECS: u64 = 300;

/// The parts of a request a signature covers.
pub(crate) struct Signed<'a> {
    pub method: &'a str,
    /// The request target: path, and `?query` when there is one.
    pub target: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// `Ok` when the request is signed by one of `secrets` (id, key) within the
/// allowed skew of `now`; otherwise why not, in a few words.
pub(crate) fn verify(
    request: &Signed<'_>,
    secrets: &[(String, String)],
    now: i64,
) -> Result<(), &'static str> {
    let authorization = header(request.headers, "authorization").ok_or("no authorization")?;
    let fields = authorization
        .strip_prefix("TC3-HMAC-SHA256 ")
        .ok_or("no tc3 authorization")?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for field in fields.split(',') {
        match field.trim().split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed_headers = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err("malformed authorization"),
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err("malformed authorization");
    };
    let scope: Vec<&str> = credential.split('/').collect();
    let [secret_id, date, service, "tc3_request"] = scope.as_slice() else {
        return Err("malformed credential scope");
    };

    let key = secrets
        .iter()
        .find(|(id, _)| id == secret_id)
        .map(|(_, key)| key)
        .ok_or("unknown secret id")?;
    let timestamp_text = header(request.headers, "x-tc-timestamp").unwrap_or_default();
    let timestamp = timestamp_text
        .parse::<i64>()
        .ok()
        .filter(|_| timestamp_text.bytes().all(|b| b.is_ascii_digit()))
        .filter(|t| t.abs_diff(now) <= MAX_SKEW_SECS)
        .ok_or("timestamp missing or skewed")?;
    if calendar::date(timestamp) != *date {
        return Err("credential date is not the utc date of the timestamp");
    }

    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((request.target, ""));
    let mut canonical = std::format!("{}\n{path}\n{query}\n", request.method);
    for name in signed_headers.split(';') {
        let value = header(request.headers, name).ok_or("a signed header is missing")?;
        canonical.push_str(name);
        canonical.push(':');
        canonical.push_str(&value.trim().to_ascii_lowercase());
        canonical.push('\n');
    }
    let payload = if header(request.headers, "x-tc-content-sha256") == Some("UNSIGNED-PAYLOAD") {
        b"UNSIGNED-PAYLOAD".as_slice()
    } else {
        request.body
    };
    canonical.push('\n');
    canonical.push_str(signed_headers);
    canonical.push('\n');
    canonical.push_str(&hex(&Sha256::digest(payload)));

    let string_to_sign = std::format!(
        "TC3-HMAC-SHA256\n{timestamp_text}\n{date}/{service}/tc3_request\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let mut signing_key = hmac(std::format!("TC3{key}").as_bytes(), date.as_bytes())?;
    signing_key = hmac(&signing_key, service.as_bytes())?;
    signing_key = hmac(&signing_key, b"tc3_request")?;

    let mut claimed = [0u8; 32];
    let claimed =
        base16ct::mixed::decode(signature, &mut claimed).map_err(|_| "malformed signature")?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&signing_key).map_err(|_| "hmac key rejected")?;
    mac.update(string_to_sign.as_bytes());
    mac.verify_slice(claimed).map_err(|_| "signature mismatch")
}

fn hmac(key: &[u8], message: &[u8]) -> Result<Vec<u8>, &'static str> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|_| "hmac key rejected")?;
    mac.update(message);
    Ok(mac.finalize().into_bytes().to_vec())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| std::format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use std::string::{String, ToString};
    use std::vec::Vec;

    use super::{verify, Signed};

    const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    const TS: i64 = 1_551_113_065;
    const BODY: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
    const SIGNATURE: &str = "683bd0b53659853c39699162253251192320a09b3937e27bf8e08a559b1465b8";

    fn headers(signature: &str, timestamp: &str) -> Vec<(String, String)> {
        let authorization = std::format!(
            "TC3-HMAC-SHA256 Credential={ID}/2019-02-25/cvm/tc3_request, \
             SignedHeaders=content-type;host, Signature={signature}"
        );
        [
            ("content-type", "application/json"),
            ("host", "cvm.tencentcloudapi.com"),
            ("x-tc-timestamp", timestamp),
            ("authorization", &authorization),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
    }

    fn check(headers: &[(String, String)], body: &str, now: i64) -> Result<(), &'static str> {
        let request = Signed {
            method: "POST",
            target: "/",
            headers,
            body: body.as_bytes(),
        };
        verify(&request, &[(ID.to_string(), KEY.to_string())], now)
    }

    /// Name, headers, body, the emulator's clock, why it is refused.
    type Case = (
        &'static str,
        Vec<(String, String)>,
        &'static str,
        i64,
        &'static str,
    );

    #[test]
    fn accepts_the_reference_vector_and_rejects_each_change() {
        let good = headers(SIGNATURE, "1551113065");
        assert_eq!(check(&good, BODY, TS), Ok(()));
        assert_eq!(check(&good, BODY, TS + 300), Ok(()));
        let cases: [Case; 6] = [
            ("body", good.clone(), "{}", TS, "signature mismatch"),
            (
                "skew",
                good.clone(),
                BODY,
                TS + 301,
                "timestamp missing or skewed",
            ),
            (
                "signature",
                headers(&SIGNATURE.replace('6', "7"), "1551113065"),
                BODY,
                TS,
                "signature mismatch",
            ),
            (
                "not hex",
                headers("zz", "1551113065"),
                BODY,
                TS,
                "malformed signature",
            ),
            (
                "no timestamp",
                headers(SIGNATURE, ""),
                BODY,
                TS,
                "timestamp missing or skewed",
            ),
            (
                "other day",
                headers(SIGNATURE, "1551052799"),
                BODY,
                1_551_052_799,
                "credential date is not the utc date of the timestamp",
            ),
        ];
        for (name, headers, body, now, why) in cases {
            assert_eq!(check(&headers, body, now), Err(why), "{name}");
        }
        let unknown = [(ID.to_string(), KEY.to_string())];
        let request = Signed {
            method: "POST",
            target: "/",
            headers: &good,
            body: BODY.as_bytes(),
        };
        assert_eq!(
            verify(&request, &unknown[..0], TS),
            Err("unknown secret id")
        );
    }
}
