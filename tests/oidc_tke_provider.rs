//! STS `AssumeRoleWithWebIdentity` on its own (OIDC) and configured by the
//! `TKE_*` variables (TKE), driven over a scripted STS.
// The crate's `Error` is large by design (bounded context, no allocation).
#![allow(clippy::result_large_err)]

mod support;

use support::{Seen, World};
use tencentcloud_credential::io::{FileError, TransportError};
use tencentcloud_credential::sign::request::REQUEST_CLIENT;
use tencentcloud_credential::{
    limits, Credential, Error, ErrorKind, OidcProvider, Provider, ProviderKind, Step, TkeProvider,
};

const NOW: u64 = 1_700_000_000;
const ENDPOINT_VARIABLE: &str = "TENCENTCLOUD_STS_ENDPOINT";
const TOKEN_PATH: &str = "/var/run/secrets/tke/token";

/// The reference's fake STS answer: `ID1`, `K1`, `T1`, valid for 7200 s.
const GOOD: &str = concat!(
    r#"{"Response": {"ExpiredTime": 1700007200, "Expiration": "2023-11-15T00:13:20Z", "#,
    r#""Credentials": {"Token": "T1", "TmpSecretId": "ID1", "TmpSecretKey": "K1"}, "#,
    r#""RequestId": "req-1"}}"#
);

fn oidc() -> OidcProvider {
    OidcProvider::new(
        "ap-guangzhou",
        "prov",
        "jwt-token",
        "qcs::cam::uin/1:roleName/r",
        "sess2",
    )
}

fn world(vars: &[(&str, &str)], files: &[(&str, &[u8])]) -> World {
    let mut w = World::new(vars, files);
    w.clock.0 = NOW;
    w
}

/// The variables of a complete TKE setup.
fn tke_vars() -> Vec<(&'static str, &'static str)> {
    vec![
        ("TKE_REGION", "ap-shanghai"),
        ("TKE_PROVIDER_ID", "pid"),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", TOKEN_PATH),
        ("TKE_ROLE_ARN", "arn"),
    ]
}

fn body(seen: &Seen) -> &str {
    std::str::from_utf8(&seen.body).unwrap()
}

fn header_list(seen: &Seen) -> Vec<(&str, &str)> {
    seen.headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

/// Runs TKE once in a world of `vars` and one token file, answered by `GOOD`.
fn run_tke(vars: &[(&str, &str)], token: &[u8]) -> (Result<Credential, Error>, World) {
    let mut w = world(vars, &[(TOKEN_PATH, token)]);
    w.http = w.http.reply(200, GOOD);
    let outcome = w.resolve(&mut TkeProvider::new());
    (outcome, w)
}

#[test]
fn oidc_request_matches_the_reference() {
    let mut w = world(&[], &[]);
    w.http = w.http.reply(200, GOOD);
    let credential = w.resolve(&mut oidc()).unwrap();
    assert_eq!(credential.credential_info(), ("ID1", "K1", Some("T1")));
    assert_eq!(credential.expires_at(), Some(1_700_007_200));
    assert_eq!(w.env.asked, [ENDPOINT_VARIABLE]);

    let seen = &w.http.seen[0];
    assert_eq!(w.http.seen.len(), 1);
    assert_eq!(
        (seen.method, seen.url.as_str()),
        ("POST", "https://sts.tencentcloudapi.com/")
    );
    assert_eq!(
        body(seen),
        concat!(
            r#"{"ProviderId": "prov", "WebIdentityToken": "jwt-token", "#,
            r#""RoleArn": "qcs::cam::uin/1:roleName/r", "RoleSessionName": "sess2", "#,
            r#""DurationSeconds": 7200}"#
        )
    );
    assert_eq!(
        header_list(seen),
        [
            ("Authorization", "SKIP"),
            ("Content-Type", "application/json"),
            ("Host", "sts.tencentcloudapi.com"),
            ("X-TC-Action", "AssumeRoleWithWebIdentity"),
            ("X-TC-Timestamp", "1700000000"),
            ("X-TC-Version", "2018-08-13"),
            ("X-TC-Region", "ap-guangzhou"),
            ("X-TC-RequestClient", REQUEST_CLIENT),
        ]
    );
    assert_eq!(seen.header("X-TC-Token"), None);
    assert_eq!(
        (
            seen.connect_timeout_ms,
            seen.total_timeout_ms,
            seen.allow_proxy
        ),
        (5000, 10000, true)
    );
}

#[test]
fn oidc_duration_and_endpoint_can_be_set() {
    let mut w = world(&[(ENDPOINT_VARIABLE, "http://127.0.0.1:1")], &[]);
    w.http = w.http.reply(200, GOOD);
    let mut provider = oidc()
        .with_duration(1800)
        .with_endpoint("sts.internal.tencentcloudapi.com");
    assert!(w.resolve(&mut provider).is_ok());
    let seen = &w.http.seen[0];
    assert!(body(seen).ends_with(r#""RoleSessionName": "sess2", "DurationSeconds": 1800}"#));
    assert_eq!(seen.url, "https://sts.internal.tencentcloudapi.com/");
    assert_eq!(
        seen.header("Host"),
        Some("sts.internal.tencentcloudapi.com")
    );
    assert!(w.env.asked.is_empty());
}

/// Makes a provider for one case of a table.
type Build<'a> = Box<dyn Fn() -> OidcProvider + 'a>;

#[test]
fn oidc_inputs_are_checked_before_any_request() {
    let arn = "qcs::cam::uin/1:roleName/r";
    let session = "oidc: role session name must be 2 to 128 characters of [A-Za-z0-9_+=,.@-]";
    let long_token = "t".repeat(limits::TOKEN + 1);
    let duration = "oidc: duration must be between 1 and 43200 seconds";
    // (region, provider id, token, role arn, session name, duration, message)
    let cases = [
        (
            "",
            "prov",
            "jwt",
            arn,
            "sess",
            7200,
            "oidc: region is required",
        ),
        (
            "ap-guangzhou\r\n",
            "prov",
            "jwt",
            arn,
            "sess",
            7200,
            "oidc: region must be letters, digits and dashes",
        ),
        (
            "ap-guangzhou",
            "",
            "jwt",
            arn,
            "sess",
            7200,
            "oidc: provider id should not be empty",
        ),
        (
            "ap-guangzhou",
            "prov",
            "",
            arn,
            "sess",
            7200,
            "oidc: web identity token should not be empty",
        ),
        (
            "ap-guangzhou",
            "prov",
            &long_token,
            arn,
            "sess",
            7200,
            "oidc: web identity token is too long (limit 4096 bytes)",
        ),
        (
            "ap-guangzhou",
            "prov",
            "jwt",
            "",
            "sess",
            7200,
            "oidc: role arn should not be empty",
        ),
        ("ap-guangzhou", "prov", "jwt", arn, "a", 7200, session),
        ("ap-guangzhou", "prov", "jwt", arn, "a b", 7200, session),
        ("ap-guangzhou", "prov", "jwt", arn, "sess", 0, duration),
        ("ap-guangzhou", "prov", "jwt", arn, "sess", 43201, duration),
    ];
    let cases = cases.map(|(region, id, token, arn, session, seconds, expected)| {
        let build =
            move || OidcProvider::new(region, id, token, arn, session).with_duration(seconds);
        (build, expected)
    });
    let bad_endpoint = || oidc().with_endpoint("https://sts.tencentcloudapi.com/x");
    let mut built: Vec<(Build, &str)> = Vec::new();
    for (build, expected) in cases {
        built.push((Box::new(build), expected));
    }
    built.push((
        Box::new(bad_endpoint),
        "oidc: sts endpoint must be a host or an http(s) url without a path",
    ));
    for (build, expected) in built {
        let mut w = world(&[], &[]);
        w.http = w.http.reply(200, GOOD);
        let e = w.resolve(&mut build()).unwrap_err();
        assert_eq!(e.to_string(), expected);
        assert_eq!(e.provider(), Some(ProviderKind::Oidc));
        assert!(
            w.http.seen.is_empty() && w.env.asked.is_empty(),
            "{expected}"
        );
    }
}

#[test]
fn oidc_reply_errors_name_oidc() {
    let cases = [
        (
            200,
            concat!(
                r#"{"Response":{"Error":{"Code":"InvalidParameter.WebIdentityTokenError","#,
                r#""Message":"fake message for tests"},"RequestId":"req-3"}}"#
            ),
            "oidc: sts returned an error (code InvalidParameter.WebIdentityTokenError, \
             message fake message for tests, request id req-3)",
        ),
        (
            502,
            "bad gateway",
            "oidc: unexpected http status from sts (http status 502)",
        ),
        (200, "{", "oidc: sts reply is malformed"),
    ];
    for (status, reply, expected) in cases {
        let mut w = world(&[], &[]);
        w.http = w.http.reply(status, reply);
        let e = w.resolve(&mut oidc()).unwrap_err();
        assert_eq!(e.to_string(), expected);
    }
    let mut w = world(&[], &[]);
    w.http = w.http.fail(TransportError::Timeout);
    let e = w.resolve(&mut oidc()).unwrap_err();
    assert_eq!(e.to_string(), "oidc: sts request failed: timed out");
    assert_eq!(e.kind(), ErrorKind::Transport);
}

#[test]
fn oidc_debug_hides_the_token() {
    let mut provider = OidcProvider::new("ap-guangzhou", "prov", "eyJsecret.jwt", "arn", "sess");
    let shown = format!("{provider:?}");
    assert!(!shown.contains("eyJsecret"), "{shown}");
    assert!(
        shown.contains("web_identity_token: Some(\"<redacted>\")"),
        "{shown}"
    );
    let _ = provider.poll(NOW);
    provider.handle_env(Ok(None));
    let step = format!("{:?}", provider.poll(NOW));
    let shown = format!("{provider:?} {step}");
    assert!(!shown.contains("eyJsecret"), "{shown}");
}

#[test]
fn tke_reads_the_variables_and_a_rotated_token() {
    let mut tke = TkeProvider::new();
    let mut w = world(&tke_vars(), &[(TOKEN_PATH, b"tok-A\n")]);
    w.http = w.http.reply(200, GOOD).reply(200, GOOD);

    let credential = w.resolve(&mut tke).unwrap();
    assert_eq!(credential.credential_info(), ("ID1", "K1", Some("T1")));
    assert_eq!(
        w.env.asked,
        [
            "TKE_REGION",
            "TKE_PROVIDER_ID",
            "TKE_WEB_IDENTITY_TOKEN_FILE",
            "TKE_ROLE_ARN",
            "TKE_ROLE_SESSION_NAME",
            ENDPOINT_VARIABLE,
        ]
    );
    assert_eq!(w.files.asked, [TOKEN_PATH]);

    // The token is rotated between runs; the clock moves on.
    w.files
        .files
        .insert(TOKEN_PATH.to_string(), Ok(b"tok-B".to_vec()));
    w.clock.0 = NOW + 5;
    assert!(w.resolve(&mut tke).is_ok());
    assert_eq!(w.files.asked, [TOKEN_PATH, TOKEN_PATH]);

    let expected = |token: &str, micros: &str| {
        format!(
            concat!(
                r#"{{"ProviderId": "pid", "WebIdentityToken": "{}", "RoleArn": "arn", "#,
                r#""RoleSessionName": "tencentcloud-rust-sdk-{}", "DurationSeconds": 7200}}"#
            ),
            token, micros
        )
    };
    let seen = &w.http.seen;
    assert_eq!(body(&seen[0]), expected("tok-A", "1700000000000000"));
    assert_eq!(body(&seen[1]), expected("tok-B", "1700000005000000"));
    for seen in seen {
        assert_eq!(seen.header("X-TC-Region"), Some("ap-shanghai"));
        assert_eq!(seen.header("Authorization"), Some("SKIP"));
        assert_eq!(
            seen.header("X-TC-Action"),
            Some("AssumeRoleWithWebIdentity")
        );
        assert_eq!(seen.header("X-TC-Token"), None);
    }
}

#[test]
fn tke_session_name_alias_and_endpoint_variables() {
    let vars = [
        ("TKE_REGION", "ap-shanghai"),
        ("TKE_PROVIDER_ID", "pid"),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", ""),
        ("TKE_IDENTITY_TOKEN_FILE", TOKEN_PATH),
        ("TKE_ROLE_ARN", "arn"),
        ("TKE_ROLE_SESSION_NAME", "pod-a"),
        (ENDPOINT_VARIABLE, "http://127.0.0.1:8080"),
    ];
    let (outcome, w) = run_tke(&vars, b"  jwt \r\n");
    assert!(outcome.is_ok());
    assert_eq!(
        w.env.asked,
        [
            "TKE_REGION",
            "TKE_PROVIDER_ID",
            "TKE_WEB_IDENTITY_TOKEN_FILE",
            "TKE_IDENTITY_TOKEN_FILE",
            "TKE_ROLE_ARN",
            "TKE_ROLE_SESSION_NAME",
            ENDPOINT_VARIABLE,
        ]
    );
    let seen = &w.http.seen[0];
    assert_eq!(seen.url, "http://127.0.0.1:8080/");
    assert_eq!(seen.header("Host"), Some("127.0.0.1:8080"));
    assert!(body(seen).contains(r#""WebIdentityToken": "jwt", "#));
    assert!(body(seen).contains(r#""RoleSessionName": "pod-a", "#));
}

#[test]
fn tke_endpoint_set_in_code_survives_runs() {
    let mut tke = TkeProvider::new().with_endpoint("sts.internal.tencentcloudapi.com");
    let mut w = world(&tke_vars(), &[(TOKEN_PATH, b"jwt")]);
    w.http = w.http.reply(200, GOOD).reply(200, GOOD);
    assert!(w.resolve(&mut tke).is_ok());
    assert!(w.resolve(&mut tke).is_ok());
    for seen in &w.http.seen {
        assert_eq!(seen.url, "https://sts.internal.tencentcloudapi.com/");
    }
    assert!(!w.env.asked.iter().any(|name| name == ENDPOINT_VARIABLE));
}

#[test]
fn tke_unset_is_not_configured() {
    // The session name alone does not configure TKE.
    for vars in [
        vec![],
        vec![("TKE_ROLE_SESSION_NAME", "s"), ("TKE_REGION", "")],
    ] {
        let (outcome, w) = run_tke(&vars, b"jwt");
        let e = outcome.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotConfigured);
        assert_eq!(e.to_string(), "tke: TKE_* variables are unset");
        assert!(w.files.asked.is_empty() && w.http.seen.is_empty());
    }
}

#[test]
fn tke_partial_names_every_missing_variable() {
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[("TKE_REGION", "ap-shanghai"), ("TKE_ROLE_ARN", "arn")],
            "TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE",
        ),
        (
            &[("TKE_IDENTITY_TOKEN_FILE", TOKEN_PATH)],
            "TKE_REGION, TKE_PROVIDER_ID, TKE_ROLE_ARN",
        ),
        (
            &[
                ("TKE_REGION", "ap-shanghai"),
                ("TKE_PROVIDER_ID", "pid"),
                ("TKE_WEB_IDENTITY_TOKEN_FILE", TOKEN_PATH),
            ],
            "TKE_ROLE_ARN",
        ),
        (
            &[("TKE_PROVIDER_ID", "pid"), ("TKE_REGION", "")],
            "TKE_REGION, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN",
        ),
    ];
    for (vars, missing) in cases {
        let (outcome, w) = run_tke(vars, b"jwt");
        let e = outcome.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        let label = if missing.contains(',') {
            "variables"
        } else {
            "variable"
        };
        assert_eq!(
            e.to_string(),
            format!("tke: some TKE_* variables are unset ({label} {missing})")
        );
        assert!(w.files.asked.is_empty() && w.http.seen.is_empty());
    }
}

#[test]
fn tke_bad_values_name_their_variable() {
    let with = |name: &'static str, value: &'static str| {
        let mut vars = tke_vars();
        vars.retain(|(n, _)| *n != name);
        vars.push((name, value));
        vars
    };
    let long_arn: &'static str = Box::leak("r".repeat(257).into_boxed_str());
    let cases = [
        (
            with("TKE_REGION", "ap shanghai"),
            "tke: region must be letters, digits and dashes (variable TKE_REGION)",
        ),
        (
            with("TKE_ROLE_ARN", "arn\u{7}"),
            "tke: role arn should not contain control characters (variable TKE_ROLE_ARN)",
        ),
        (
            with("TKE_REGION", "r-0123456789-0123456789-0123456789"),
            "tke: region is too long (variable TKE_REGION, limit 32 bytes)",
        ),
        (
            with("TKE_ROLE_ARN", long_arn),
            "tke: role arn is too long (variable TKE_ROLE_ARN, limit 256 bytes)",
        ),
        (
            with("TKE_ROLE_SESSION_NAME", "a"),
            "tke: role session name must be 2 to 128 characters of [A-Za-z0-9_+=,.@-] \
             (variable TKE_ROLE_SESSION_NAME)",
        ),
    ];
    for (vars, expected) in cases {
        let (outcome, w) = run_tke(&vars, b"jwt");
        assert_eq!(outcome.unwrap_err().to_string(), expected);
        assert!(w.http.seen.is_empty());
    }

    let mut w = world(&tke_vars(), &[(TOKEN_PATH, b"jwt")]);
    w.env = w.env.not_unicode("TKE_PROVIDER_ID");
    let e = w.resolve(&mut TkeProvider::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "tke: value is not valid utf-8 (variable TKE_PROVIDER_ID)"
    );
}

#[test]
fn tke_token_file_failures_name_the_file() {
    let file = format!("file {TOKEN_PATH}, variable TKE_WEB_IDENTITY_TOKEN_FILE");
    let long = vec![b't'; limits::TOKEN + 1];
    let cases: [(&[u8], String); 4] = [
        (
            b"\n",
            format!("tke: web identity token file is empty ({file})"),
        ),
        (
            b" \t\r\n ",
            format!("tke: web identity token file is empty ({file})"),
        ),
        (
            b"\xff\xfe",
            format!("tke: web identity token file is not valid utf-8 ({file})"),
        ),
        (
            &long,
            format!("tke: web identity token file is too long ({file}, limit 4096 bytes)"),
        ),
    ];
    for (content, expected) in cases {
        let (outcome, w) = run_tke(&tke_vars(), content);
        let e = outcome.unwrap_err();
        assert_eq!(e.to_string(), expected);
        assert!(!e.to_string().contains("\u{fffd}"));
        assert!(w.http.seen.is_empty());
    }

    // Missing or unreadable: an I/O error naming the path.
    let mut w = world(&tke_vars(), &[]);
    let e = w.resolve(&mut TkeProvider::new()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Io);
    assert_eq!(e.to_string(), format!("tke: file not found ({file})"));

    let mut w = world(&tke_vars(), &[]);
    w.files = w.files.failing(TOKEN_PATH, FileError::PermissionDenied);
    let e = w.resolve(&mut TkeProvider::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("tke: permission denied reading file ({file})")
    );
}

#[test]
fn tke_token_file_limit_is_asked_for() {
    let mut tke = TkeProvider::new();
    for (name, value) in tke_vars()
        .into_iter()
        .chain([("TKE_ROLE_SESSION_NAME", "")])
    {
        assert!(matches!(tke.poll(NOW), Step::Env(asked) if asked == name));
        tke.handle_env(Ok(Some(value)));
    }
    match tke.poll(NOW) {
        Step::File(request) => {
            assert_eq!(request.limit, limits::TOKEN);
            assert_eq!(request.file.to_string(), TOKEN_PATH);
        }
        other => panic!("{other:?}"),
    }
    // Repeatable.
    assert!(matches!(tke.poll(NOW), Step::File(_)));
}

#[test]
fn tke_errors_from_sts_name_tke() {
    let mut w = world(&tke_vars(), &[(TOKEN_PATH, b"jwt")]);
    w.http = w.http.reply(
        200,
        r#"{"Response":{"Error":{"Code":"InternalError","Message":"m"},"RequestId":"r"}}"#,
    );
    let e = w.resolve(&mut TkeProvider::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "tke: sts returned an error (code InternalError, message m, request id r)"
    );
    assert_eq!(e.provider(), Some(ProviderKind::Tke));

    let mut w = world(&tke_vars(), &[(TOKEN_PATH, b"jwt")]);
    w.http = w.http.fail(TransportError::Refused);
    let e = w.resolve(&mut TkeProvider::new()).unwrap_err();
    assert_eq!(e.to_string(), "tke: sts request failed: connection refused");
}

#[test]
fn tke_wrong_answers_end_the_run() {
    let mut tke = TkeProvider::new();
    let _ = tke.poll(NOW);
    tke.handle_http(Err(TransportError::Timeout));
    assert!(matches!(tke.poll(NOW), Step::Done));
    let e = tke.finish().unwrap_err();
    assert_eq!(
        e.to_string(),
        "tke: driver answered a step the provider did not ask for"
    );
    // The next run starts clean.
    let mut w = world(&tke_vars(), &[(TOKEN_PATH, b"jwt")]);
    w.http = w.http.reply(200, GOOD);
    assert!(w.resolve(&mut tke).is_ok());
}

#[test]
fn tke_debug_hides_the_token() {
    let mut tke = TkeProvider::new();
    let mut w = world(&tke_vars(), &[(TOKEN_PATH, b"eyJsecret.jwt")]);
    // Drive by hand up to the request, then look.
    loop {
        let asked = match tke.poll(NOW) {
            Step::Env(name) => Some(name),
            Step::File(_) => None,
            Step::Http(_) => break,
            other => panic!("{other:?}"),
        };
        match asked {
            Some(name) => {
                let value = w.env.vars.get(name).cloned().flatten();
                tke.handle_env(Ok(value.as_deref()));
            }
            None => {
                let bytes = w.files.files.remove(TOKEN_PATH).unwrap().unwrap();
                tke.handle_file(Ok(&bytes));
            }
        }
    }
    let step = format!("{:?}", tke.poll(NOW));
    let shown = format!("{tke:?} {step}");
    assert!(!shown.contains("eyJsecret"), "{shown}");
    assert!(shown.contains(TOKEN_PATH), "{shown}");
}

/// `GOOD` with a credentials member or `ExpiredTime` replaced (raw JSON) or
/// removed (`None`); every other member is kept.
fn good_but(field: &str, value: Option<&str>) -> String {
    let pick = |name: &str, default: &'static str| -> Option<String> {
        if name == field {
            value.map(|v| format!("\"{name}\": {v}"))
        } else {
            Some(format!("\"{name}\": {default}"))
        }
    };
    let credentials: Vec<String> = [
        ("Token", "\"T1\""),
        ("TmpSecretId", "\"ID1\""),
        ("TmpSecretKey", "\"K1\""),
    ]
    .iter()
    .filter_map(|(name, default)| pick(name, default))
    .collect();
    let mut response: Vec<String> = pick("ExpiredTime", "1700007200").into_iter().collect();
    response.push(r#""Expiration": "2023-11-15T00:13:20Z""#.to_string());
    response.push(format!("\"Credentials\": {{{}}}", credentials.join(", ")));
    response.push(r#""RequestId": "req-1""#.to_string());
    format!("{{\"Response\": {{{}}}}}", response.join(", "))
}

/// One scripted STS answer, the kind it must end in, and the message after
/// the provider's name.
type FailureCase = (
    Result<(u16, String), TransportError>,
    ErrorKind,
    &'static str,
);

fn failure_cases() -> Vec<FailureCase> {
    let lacks = |key| (ErrorKind::Parse, key);
    let api = concat!(
        r#"{"Response":{"Error":{"Code":"InvalidParameter.WebIdentityTokenError","#,
        r#""Message":"fake message for tests"},"RequestId":"req-3"}}"#
    );
    let too_long = format!(
        "{GOOD}{}",
        " ".repeat(limits::RESPONSE_BODY + 1 - GOOD.len())
    );
    let mut cases: Vec<FailureCase> = vec![
        (
            Ok((404, "not found".into())),
            ErrorKind::HttpStatus,
            "unexpected http status from sts (http status 404)",
        ),
        (
            Ok((500, GOOD.into())),
            ErrorKind::HttpStatus,
            "unexpected http status from sts (http status 500)",
        ),
        (
            Ok((200, api.into())),
            ErrorKind::Api,
            "sts returned an error (code InvalidParameter.WebIdentityTokenError, \
             message fake message for tests, request id req-3)",
        ),
        (
            Ok((200, "{".into())),
            ErrorKind::Parse,
            "sts reply is malformed",
        ),
        (
            Ok((200, format!("{GOOD},"))),
            ErrorKind::Parse,
            "sts reply is malformed",
        ),
        (
            Ok((200, "<html>bad gateway</html>".into())),
            ErrorKind::Parse,
            "sts reply is malformed",
        ),
    ];
    for (field, (kind, message)) in [
        (
            "TmpSecretId",
            lacks("sts reply lacks a field (key Response.Credentials.TmpSecretId)"),
        ),
        (
            "TmpSecretKey",
            lacks("sts reply lacks a field (key Response.Credentials.TmpSecretKey)"),
        ),
        (
            "Token",
            lacks("sts reply lacks a field (key Response.Credentials.Token)"),
        ),
        (
            "ExpiredTime",
            lacks("sts reply lacks a field (key Response.ExpiredTime)"),
        ),
    ] {
        cases.push((Ok((200, good_but(field, None))), kind, message));
    }
    let wrong_type = [
        (
            "TmpSecretId",
            "42",
            "sts reply field has the wrong type (key Response.Credentials.TmpSecretId)",
        ),
        (
            "Token",
            "{\"T\": 1}",
            "sts reply field has the wrong type (key Response.Credentials.Token)",
        ),
        (
            "ExpiredTime",
            "\"1700007200\"",
            "sts reply field has the wrong type (key Response.ExpiredTime)",
        ),
    ];
    for (field, value, message) in wrong_type {
        cases.push((
            Ok((200, good_but(field, Some(value)))),
            ErrorKind::Parse,
            message,
        ));
    }
    cases.extend([
        (
            Ok((200, too_long)),
            ErrorKind::Capacity,
            "sts reply is too long (limit 16384 bytes)",
        ),
        (
            Ok((200, good_but("ExpiredTime", Some("1700000000")))),
            ErrorKind::Expired,
            "credentials expired on arrival",
        ),
        (
            Ok((200, good_but("ExpiredTime", Some("1699999999")))),
            ErrorKind::Expired,
            "credentials expired on arrival",
        ),
        (
            Err(TransportError::Timeout),
            ErrorKind::Transport,
            "sts request failed: timed out",
        ),
        (
            Err(TransportError::Refused),
            ErrorKind::Transport,
            "sts request failed: connection refused",
        ),
    ]);
    cases
}

/// Runs `provider` in `w` against one scripted answer.
fn fail_with(
    mut w: World,
    provider: &mut dyn Provider,
    answer: &Result<(u16, String), TransportError>,
) -> (Error, World) {
    w.http = match answer {
        Ok((status, body)) => w.http.reply(*status, body),
        Err(e) => w.http.fail(*e),
    };
    let e = w
        .resolve(provider)
        .expect_err("a failing answer gave a credential");
    (e, w)
}

#[test]
fn every_failure_kind_ends_oidc_and_tke_exactly() {
    let cases = failure_cases();
    // 404, 500, an API error, 3 malformed, 4 missing, 3 wrong types,
    // capacity, 2 expired, 2 transport failures.
    assert_eq!(cases.len(), 18);
    for (answer, kind, message) in &cases {
        let runs: [(ProviderKind, Box<dyn Provider>, World); 2] = [
            (ProviderKind::Oidc, Box::new(oidc()), world(&[], &[])),
            (
                ProviderKind::Tke,
                Box::new(TkeProvider::new()),
                world(&tke_vars(), &[(TOKEN_PATH, b"jwt")]),
            ),
        ];
        for (name, mut provider, w) in runs {
            let (e, w) = fail_with(w, &mut *provider, answer);
            assert_eq!(e.to_string(), format!("{name}: {message}"), "{answer:?}");
            assert_eq!(e.kind(), *kind, "{name}: {message}");
            assert_eq!(e.provider(), Some(name), "{message}");
            // One request, never retried.
            assert_eq!(w.http.seen.len(), 1, "{name}: {message}");
        }
    }
}

#[test]
fn api_errors_carry_code_message_and_request_id() {
    let body = concat!(
        r#"{"Response":{"Error":{"Code":"InvalidParameter.WebIdentityTokenError","#,
        r#""Message":"fake message for tests"},"RequestId":"req-3"}}"#
    );
    for status in [200, 400] {
        let runs: [(Box<dyn Provider>, World); 2] = [
            (Box::new(oidc()), world(&[], &[])),
            (
                Box::new(TkeProvider::new()),
                world(&tke_vars(), &[(TOKEN_PATH, b"jwt")]),
            ),
        ];
        for (mut provider, w) in runs {
            let (e, _) = fail_with(w, &mut *provider, &Ok((status, body.into())));
            assert_eq!(e.kind(), ErrorKind::Api);
            let api = e.api().expect("an api error");
            assert_eq!(
                (
                    api.code.as_str(),
                    api.message.as_str(),
                    api.request_id.as_str()
                ),
                (
                    "InvalidParameter.WebIdentityTokenError",
                    "fake message for tests",
                    "req-3"
                )
            );
            assert_eq!(e.status(), (status != 200).then_some(status));
        }
    }
}

#[test]
fn failures_are_not_kept_for_the_next_run() {
    // After each failure the same provider succeeds on a good reply.
    for (answer, _, message) in &failure_cases() {
        let mut provider = oidc();
        let (_, mut w) = fail_with(world(&[], &[]), &mut provider, answer);
        w.http = std::mem::take(&mut w.http).reply(200, GOOD);
        let credential = w.resolve(&mut provider).expect(message);
        assert_eq!(credential.credential_info(), ("ID1", "K1", Some("T1")));

        let mut tke = TkeProvider::new();
        let (_, mut w) = fail_with(
            world(&tke_vars(), &[(TOKEN_PATH, b"jwt")]),
            &mut tke,
            answer,
        );
        w.http = std::mem::take(&mut w.http).reply(200, GOOD);
        let credential = w.resolve(&mut tke).expect(message);
        assert_eq!(credential.expires_at(), Some(1_700_007_200));
    }
}
