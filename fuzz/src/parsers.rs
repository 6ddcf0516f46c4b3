//! Targets for what parses outside data: the profile file, STS replies, the
//! metadata role list and credentials document, and the TKE token file.

use std::format;
use std::string::{String, ToString};

use tencentcloud_credential::io::HttpResponse;
use tencentcloud_credential::provider::profile::{parse, Entry, Profile};
use tencentcloud_credential::provider::sts_reply;
use tencentcloud_credential::{
    limits, Credential, CvmProvider, ErrorKind, ProfileProvider, Provider, ProviderKind,
    TkeProvider,
};

use super::machines::{snap, Snap};
use super::reader::Reader;
use super::secrets::Secrets;

/// The latest `ExpiredTime` the metadata document reader accepts (9999-12-31T23:59:59Z).
const MAX_METADATA_EXPIRY: u64 = 253_402_300_799;
/// The latest `ExpiredTime` an STS reply may give: floats count whole seconds up to 2^53.
const MAX_STS_EXPIRY: u64 = 1 << 53;

/// A credential's parts make the same credential again, and its `Debug`
/// shows no secret.
pub fn revalidates(c: &Credential, secrets: &Secrets) {
    let again = Credential::new(c.secret_id(), c.secret_key(), c.token())
        .unwrap_or_else(|e| panic!("a credential's parts do not re-validate: {e}"));
    let again = match c.expires_at() {
        Some(at) => again.with_expiry(at),
        None => again,
    };
    assert!(again == *c, "re-validated credential differs");
    // The masked id is shown by design (its ends are not secret).
    let shown = format!("{c:?}").replace(&c.masked_id().to_string(), "<id>");
    secrets.check("credential Debug", &shown);
}

/// Target `profile_parse`: a profile name (blob), then the file (the rest).
pub fn profile_parse(data: &[u8]) {
    let mut r = Reader::new(data);
    let name = r.text();
    let text = r.rest();
    let mut secrets = Secrets::new();
    secrets.secret(text);
    secrets.public(name.as_bytes());

    let parsed = parse(text, &name);
    // Every line is checked whatever the profile, so whether the file
    // parses, and the error, do not depend on the profile asked for.
    match (&parsed, &parse(text, "another profile")) {
        (Err(a), Err(b)) => assert!(a == b, "the error depends on the profile: {a} / {b}"),
        (Ok(_), Ok(_)) => {}
        _ => panic!("whether the file parses depends on the profile"),
    }
    assert!(parsed == parse(text, &name), "parsing is not deterministic");
    match &parsed {
        Ok(profile) => entries_hold(text, profile),
        Err(e) => {
            assert!(matches!(e.kind(), ErrorKind::Parse | ErrorKind::Capacity));
            assert!(e.line().is_some() || e.limit().is_some(), "{e}");
            secrets.check_error("profile parse", e);
        }
    }

    // The provider over the same file, with the profile set in code.
    let path = "/fuzz/credentials";
    let built = ProfileProvider::new()
        .with_file(path)
        .and_then(|p| p.with_profile(&name));
    let mut provider = match built {
        Ok(provider) => provider,
        Err(e) => return secrets.check_error("profile builder", &e),
    };
    let step = snap(provider.poll(0));
    assert!(
        step == Snap::File(path.to_string(), false, limits::PROFILE_FILE),
        "{step:?}"
    );
    provider.handle_file(Ok(text));
    assert!(snap(provider.poll(0)) == Snap::Done);
    match provider.finish() {
        Ok(c) => {
            let Ok(profile) = parsed else {
                panic!("a credential from a file that does not parse")
            };
            assert!(profile.found);
            assert_eq!(Some(c.secret_id()), value(profile.secret_id));
            assert_eq!(Some(c.secret_key()), value(profile.secret_key));
            assert_eq!(c.token(), value(profile.token).filter(|t| !t.is_empty()));
            assert_eq!(c.expires_at(), None);
            revalidates(&c, &secrets);
        }
        Err(e) => {
            secrets.check_error("profile provider", &e);
            assert_eq!(e.provider(), Some(ProviderKind::Profile));
            assert_eq!(e.path(), Some(path));
            if let Err(parse_error) = &parsed {
                assert_eq!(e.message(), parse_error.message());
                assert_eq!(e.line(), parse_error.line());
            }
            if e.kind() == ErrorKind::NotConfigured {
                assert_eq!(
                    name, "default",
                    "only the default profile may be absent: {e}"
                );
            }
        }
    }
    assert!(
        provider.finish().is_err(),
        "a second finish gave a credential"
    );
}

fn value<'a>(entry: Option<Entry<'a>>) -> Option<&'a str> {
    entry.map(|e| e.value)
}

/// What `parse` found borrows from the file, one line each, never across lines.
fn entries_hold(text: &[u8], profile: &Profile<'_>) {
    let lines = text.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1;
    let range = text.as_ptr_range();
    for entry in [profile.secret_id, profile.secret_key, profile.token]
        .into_iter()
        .flatten()
    {
        assert!(
            profile.found,
            "an entry of a profile that is not in the file"
        );
        let value = entry.value.as_bytes();
        let inside = value.is_empty()
            || (range.contains(&value.as_ptr()) && value.as_ptr_range().end <= range.end);
        assert!(inside, "an entry that is not part of the file");
        assert!(!value.contains(&b'\n') && !value.contains(&b'\r'));
        assert!(
            entry.line >= 1 && entry.line as usize <= lines,
            "line {}",
            entry.line
        );
    }
}

/// Targets `sts_*_reply`: status (`u16`), `now` (`u64`), then the body (the rest).
pub fn sts_reply(data: &[u8]) {
    let mut r = Reader::new(data);
    let status = r.u16();
    let now = r.u64();
    let body = r.rest();
    let mut secrets = Secrets::new();
    secrets.json_body(body);

    let outcome = sts_reply::parse(status, body, now);
    assert!(
        outcome == sts_reply::parse(status, body, now),
        "parsing is not deterministic"
    );
    match outcome {
        Ok(c) => {
            assert_eq!(
                status, 200,
                "a credential from a reply with status {status}"
            );
            assert!(body.len() <= limits::RESPONSE_BODY);
            revalidates(&c, &secrets);
            let expires = c.expires_at().expect("an sts credential expires");
            assert!(
                expires > now && expires <= MAX_STS_EXPIRY,
                "expiry {expires}"
            );
            assert!(c.token().is_some(), "an sts credential has a token");
        }
        Err(e) => {
            secrets.check_error("sts reply", &e);
            match e.kind() {
                ErrorKind::HttpStatus => {
                    assert_ne!(status, 200);
                    assert_eq!(e.status(), Some(status));
                }
                ErrorKind::Api => assert!(e.api().is_some()),
                ErrorKind::Parse | ErrorKind::InvalidInput | ErrorKind::Expired => {
                    assert_eq!(status, 200, "{e}")
                }
                ErrorKind::Capacity => {}
                other => panic!("unexpected kind {other:?}: {e}"),
            }
        }
    }
}

/// The metadata base the CVM targets use.
const METADATA: &str = "http://169.254.0.23";
/// Where the CVM targets find the credentials of `role`.
fn credentials_url(role: &str) -> String {
    format!("{METADATA}/latest/meta-data/cam/security-credentials/{role}")
}

/// A metadata credentials document that is valid until far in the future.
pub const GOOD_DOCUMENT: &[u8] = concat!(
    r#"{"TmpSecretId":"AKIDfuzz","TmpSecretKey":"fuzz-key","Token":"fuzz-token","#,
    r#""ExpiredTime":4102444800,"Code":"Success"}"#
)
.as_bytes();

/// Target `cvm_document`: `now` (`u64`), then the credentials document (the rest).
pub fn cvm_document(data: &[u8]) {
    let mut r = Reader::new(data);
    let now = r.u64();
    let body = r.rest();
    let mut secrets = Secrets::new();
    secrets.json_body(body);

    let mut provider = CvmProvider::new()
        .with_role_name("fuzz-role")
        .with_endpoint(METADATA);
    let Snap::Http(request) = snap(provider.poll(now)) else {
        panic!("the credentials request comes first when the role is given")
    };
    assert_eq!(request.url, credentials_url("fuzz-role"));
    provider.handle_http(Ok(HttpResponse { status: 200, body }));
    assert!(snap(provider.poll(now)) == Snap::Done);
    match provider.finish() {
        Ok(c) => {
            assert!(body.len() <= limits::RESPONSE_BODY);
            revalidates(&c, &secrets);
            let expires = c.expires_at().expect("a role credential expires");
            assert!(
                expires > now && expires <= MAX_METADATA_EXPIRY,
                "expiry {expires}"
            );
            assert!(c.token().is_some(), "a role credential has a token");
        }
        Err(e) => {
            secrets.check_error("metadata document", &e);
            assert_eq!(e.provider(), Some(ProviderKind::Cvm));
            if body.len() > limits::RESPONSE_BODY {
                assert_eq!(e.kind(), ErrorKind::Capacity);
            }
            if e.kind() == ErrorKind::Api {
                assert!(e.api().is_some_and(|api| api.code != "Success"));
            }
        }
    }
}

/// Target `cvm_role_list`: the role list body (all of the input).
pub fn cvm_role_list(body: &[u8]) {
    let mut secrets = Secrets::new();
    // Role names are not secret, but nothing read from a server is echoed
    // unless it is an error code or message: hold the body to that.
    secrets.secret(body);

    // The role a reader of the list should find, by the documented rule.
    let expected = core::str::from_utf8(body)
        .ok()
        .filter(|_| body.len() <= limits::RESPONSE_BODY)
        .and_then(|text| text.lines().map(str::trim).find(|l| !l.is_empty()))
        .filter(|name| {
            name.len() <= limits::ROLE_NAME
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
        });

    let mut provider = CvmProvider::new().with_endpoint(METADATA);
    let Snap::Http(request) = snap(provider.poll(1)) else {
        panic!("the role list comes first")
    };
    assert_eq!(request.url, credentials_url(""));
    provider.handle_http(Ok(HttpResponse { status: 200, body }));
    match (snap(provider.poll(1)), expected) {
        (Snap::Http(request), Some(role)) => {
            assert_eq!(request.url, credentials_url(role));
            let document = HttpResponse {
                status: 200,
                body: GOOD_DOCUMENT,
            };
            provider.handle_http(Ok(document));
            assert!(snap(provider.poll(1)) == Snap::Done);
            let c = provider
                .finish()
                .expect("the good document gives a credential");
            revalidates(&c, &secrets);
            // The role found is kept: the next run asks for its credentials at once.
            let Snap::Http(again) = snap(provider.poll(2)) else {
                panic!("the next run makes a request")
            };
            assert_eq!(again.url, credentials_url(role));
        }
        (Snap::Done, None) => {
            let e = provider.finish().expect_err("no role, no credential");
            secrets.check_error("role list", &e);
        }
        (step, expected) => panic!("after the role list: {step:?}, expected role {expected:?}"),
    }
}

/// An STS reply that is valid until far in the future.
pub const GOOD_REPLY: &[u8] = concat!(
    r#"{"Response":{"Credentials":{"Token":"fuzz-token","TmpSecretId":"AKIDfuzz","#,
    r#""TmpSecretKey":"fuzz-key"},"ExpiredTime":4102444800,"RequestId":"r"}}"#
)
.as_bytes();

/// Target `tke_token_file`: the token file (all of the input).
pub fn tke_token_file(file: &[u8]) {
    let mut secrets = Secrets::new();
    secrets.secret(file);
    let token_path = "/var/run/secrets/tke/token";
    let vars: [(&str, &str); 4] = [
        ("TKE_REGION", "ap-guangzhou"),
        ("TKE_PROVIDER_ID", "OIDC"),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", token_path),
        ("TKE_ROLE_ARN", "qcs::cam::uin/100000000001:roleName/fuzz"),
    ];
    let expected = core::str::from_utf8(file)
        .ok()
        .filter(|_| file.len() <= limits::TOKEN)
        .map(str::trim)
        .filter(|t| !t.is_empty());

    let now = 1_700_000_000;
    let mut provider = TkeProvider::new().with_endpoint("sts.tencentcloudapi.com");
    let mut sent = false;
    for _ in 0..16 {
        match snap(provider.poll(now)) {
            Snap::Env(name) => {
                let value = vars.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
                provider.handle_env(Ok(value));
            }
            Snap::File(path, home, limit) => {
                assert_eq!(
                    (path.as_str(), home, limit),
                    (token_path, false, limits::TOKEN)
                );
                provider.handle_file(Ok(file));
            }
            Snap::Http(request) => {
                secrets.check("token request Debug", &request.debug);
                let body: serde_json::Value =
                    serde_json::from_slice(&request.body).expect("the request body is JSON");
                let token = body.get("WebIdentityToken").and_then(|t| t.as_str());
                assert_eq!(token, expected, "the token sent is not the trimmed file");
                assert_eq!(request.header("Authorization"), Some("SKIP"));
                assert_eq!(request.header("X-TC-Token"), None);
                sent = true;
                let reply = HttpResponse {
                    status: 200,
                    body: GOOD_REPLY,
                };
                provider.handle_http(Ok(reply));
            }
            Snap::Sleep(_) => provider.handle_slept(),
            Snap::Done => {
                let outcome = provider.finish();
                assert!(!sent || expected.is_some(), "a request without a token");
                match outcome {
                    Ok(c) => revalidates(&c, &secrets),
                    Err(e) => {
                        assert!(!sent, "the good reply gave an error: {e}");
                        secrets.check_error("token file", &e);
                        if expected.is_some() {
                            // A token with many escapes can make the body too long.
                            assert_eq!(e.kind(), ErrorKind::Capacity, "{e}");
                        } else {
                            assert_eq!(e.path(), Some(token_path));
                        }
                    }
                }
                return;
            }
        }
        secrets.check("provider Debug", &format!("{provider:?}"));
    }
    panic!("the TKE provider did not finish within 16 steps");
}
