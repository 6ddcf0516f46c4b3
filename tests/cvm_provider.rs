//! The CVM instance role provider, driven over a scripted metadata service.
// The crate's `Error` is large by design (bounded context, no allocation).
#![allow(clippy::result_large_err)]

mod support;

use support::{Seen, World};
use tencentcloud_credential::io::{HttpResponse, TransportError};
use tencentcloud_credential::provider::cvm::MAX_URL;
use tencentcloud_credential::{
    limits, Chain, Credential, CvmProvider, Error, ErrorKind, Provider, ProviderKind, Step,
};

const NOW: u64 = 1_700_000_000;
const ROLES: &str = "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/";
const DISABLED: &str = "TENCENTCLOUD_METADATA_DISABLED";
const ENDPOINT: &str = "TENCENTCLOUD_METADATA_ENDPOINT";

/// A scripted answer: status and body, or a transport failure.
type Reply<'a> = Result<(u16, &'a str), TransportError>;

/// A good credentials document, valid for an hour.
fn good() -> String {
    format!(
        r#"{{"TmpSecretId":"AKIDcvm","TmpSecretKey":"cvmkey","Token":"cvmtoken",
        "ExpiredTime":{},"Expiration":"2023-11-15T00:13:20Z","Code":"Success"}}"#,
        NOW + 3600
    )
}

/// The good document with `field` replaced by `value` (raw JSON), or removed when `None`.
fn with_field(field: &str, value: Option<&str>) -> String {
    let fields = [
        ("TmpSecretId", "\"AKIDcvm\"".to_string()),
        ("TmpSecretKey", "\"cvmkey\"".to_string()),
        ("Token", "\"cvmtoken\"".to_string()),
        ("ExpiredTime", (NOW + 3600).to_string()),
        ("Expiration", "\"2023-11-15T00:13:20Z\"".to_string()),
        ("Code", "\"Success\"".to_string()),
    ];
    let parts: Vec<String> = fields
        .iter()
        .filter_map(|(name, default)| {
            let value = if *name == field {
                value?.to_string()
            } else {
                default.clone()
            };
            Some(format!("\"{name}\": {value}"))
        })
        .collect();
    format!("{{{}}}", parts.join(", "))
}

fn world(vars: &[(&str, &str)]) -> World {
    let mut w = World::new(vars, &[]);
    w.clock.0 = NOW;
    w
}

fn urls(seen: &[Seen]) -> Vec<&str> {
    seen.iter().map(|s| s.url.as_str()).collect()
}

/// Runs a standalone provider against a role list of `roleA` and the given document.
fn with_document(body: impl AsRef<[u8]>) -> Result<Credential, Error> {
    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http)
        .reply(200, "roleA")
        .reply(200, body);
    w.resolve(&mut CvmProvider::new())
}

fn error_of(result: Result<Credential, Error>) -> Error {
    match result {
        Ok(c) => panic!("expected an error, got {c:?}"),
        Err(e) => e,
    }
}

fn message_of(body: impl AsRef<[u8]>) -> String {
    error_of(with_document(body)).to_string()
}

#[test]
fn success_sends_exact_requests_and_returns_the_credential() {
    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http)
        .reply(200, "roleA")
        .reply(200, good());
    let c = w.resolve(&mut CvmProvider::new()).unwrap();

    assert_eq!(c.credential_info(), ("AKIDcvm", "cvmkey", Some("cvmtoken")));
    assert_eq!(c.expires_at(), Some(NOW + 3600));
    assert_eq!(w.env.asked, [ENDPOINT]);
    let expected = |url: String| Seen {
        method: "GET",
        url,
        headers: vec![],
        body: vec![],
        connect_timeout_ms: 1000,
        total_timeout_ms: 3000,
        allow_proxy: false,
    };
    assert_eq!(
        w.http.seen,
        [
            expected(ROLES.to_string()),
            expected(format!("{ROLES}roleA"))
        ]
    );
}

#[test]
fn in_chain_requests_have_a_shorter_whole_exchange_timeout() {
    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http)
        .reply(200, "roleA")
        .reply(200, good());
    w.resolve(&mut CvmProvider::in_chain()).unwrap();
    let timeouts: Vec<(u32, u32, bool)> = w
        .http
        .seen
        .iter()
        .map(|s| (s.connect_timeout_ms, s.total_timeout_ms, s.allow_proxy))
        .collect();
    assert_eq!(timeouts, [(1000, 2000, false), (1000, 2000, false)]);
}

#[test]
fn the_published_fixture_parses() {
    let body = r#"{"TmpSecretId":"AKIDFAKEMETADATAID0000","TmpSecretKey":"FAKEMETADATAKEY0000",
        "ExpiredTime":4102444800,"Expiration":"2100-01-01T00:00:00Z",
        "Token":"FAKE-METADATA-TOKEN","Code":"Success"}"#;
    let c = with_document(body).unwrap();
    assert_eq!(
        c.credential_info(),
        (
            "AKIDFAKEMETADATAID0000",
            "FAKEMETADATAKEY0000",
            Some("FAKE-METADATA-TOKEN")
        )
    );
    assert_eq!(c.expires_at(), Some(4_102_444_800));
}

#[test]
fn request_carries_limits_and_poll_repeats_it() {
    let mut p = CvmProvider::new().with_role_name("roleA");
    assert!(matches!(p.poll(NOW), Step::Env(ENDPOINT)));
    assert!(matches!(p.poll(NOW), Step::Env(ENDPOINT)));
    p.handle_env(Ok(None));
    for _ in 0..2 {
        let Step::Http(request) = p.poll(NOW) else {
            panic!("expected http")
        };
        assert_eq!(request.url, format!("{ROLES}roleA"));
        assert_eq!(request.max_body, limits::RESPONSE_BODY);
        assert!(request.headers.is_empty() && request.body.is_empty());
    }
    let body = good();
    p.handle_http(Ok(HttpResponse {
        status: 200,
        body: body.as_bytes(),
    }));
    assert!(matches!(p.poll(NOW), Step::Done));
    assert!(matches!(p.poll(NOW), Step::Done));
    assert_eq!(p.finish().unwrap().secret_id(), "AKIDcvm");
}

#[test]
fn role_list_is_trimmed_and_its_first_line_taken() {
    for roles in [
        "roleA\n",
        "  roleA  ",
        "\r\n\n roleA\r\nroleB\n",
        "roleA\nroleB",
    ] {
        let mut w = world(&[]);
        w.http = std::mem::take(&mut w.http)
            .reply(200, roles)
            .reply(200, good());
        w.resolve(&mut CvmProvider::new()).unwrap();
        assert_eq!(
            urls(&w.http.seen),
            [ROLES.to_string(), format!("{ROLES}roleA")],
            "{roles:?}"
        );
    }
}

#[test]
fn explicit_role_skips_discovery() {
    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http).reply(200, good());
    let c = w
        .resolve(&mut CvmProvider::new().with_role_name("my-role@x.y_z+=,"))
        .unwrap();
    assert_eq!(c.secret_id(), "AKIDcvm");
    assert_eq!(urls(&w.http.seen), [format!("{ROLES}my-role@x.y_z+=,")]);
}

#[test]
fn endpoint_variable_overrides_the_base() {
    let cases = [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/latest"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/latest"),
        ("https://meta.example//", "https://meta.example/latest"),
        (
            "HTTP://meta.example/prefix",
            "HTTP://meta.example/prefix/latest",
        ),
        ("", "http://metadata.tencentyun.com/latest"),
    ];
    for (value, start) in cases {
        let mut w = world(&[(ENDPOINT, value)]);
        w.http = std::mem::take(&mut w.http)
            .reply(200, "roleA")
            .reply(200, good());
        w.resolve(&mut CvmProvider::new()).unwrap();
        let want = [
            format!("{start}/meta-data/cam/security-credentials/"),
            format!("{start}/meta-data/cam/security-credentials/roleA"),
        ];
        assert_eq!(urls(&w.http.seen), want, "{value:?}");
    }
}

#[test]
fn endpoint_given_in_code_wins_and_is_checked() {
    let mut w = world(&[(ENDPOINT, "http://ignored")]);
    w.http = std::mem::take(&mut w.http).reply(200, good());
    let mut p = CvmProvider::new()
        .with_endpoint("http://10.0.0.1:9/")
        .with_role_name("r");
    w.resolve(&mut p).unwrap();
    assert!(w.env.asked.is_empty());
    assert_eq!(
        urls(&w.http.seen),
        ["http://10.0.0.1:9/latest/meta-data/cam/security-credentials/r"]
    );

    let e = world(&[])
        .resolve(&mut CvmProvider::new().with_endpoint("10.0.0.1"))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "cvm: metadata endpoint is not an http:// or https:// url"
    );
    let long = format!("http://{}", "a".repeat(MAX_URL));
    let e = world(&[])
        .resolve(&mut CvmProvider::new().with_endpoint(&long))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "cvm: metadata endpoint is too long (limit 512 bytes)"
    );
    assert_eq!(e.kind(), ErrorKind::Capacity);
}

#[test]
fn bad_endpoint_variable_is_an_error_naming_it() {
    for value in [
        "ftp://x",
        "metadata.tencentyun.com",
        "http://",
        "http:///x",
        "http://a b",
        "https://x/?q",
        "http://x\r\n",
    ] {
        let mut w = world(&[(ENDPOINT, value)]);
        let e = w.resolve(&mut CvmProvider::new()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cvm: metadata endpoint is not an http:// or https:// url \
             (variable TENCENTCLOUD_METADATA_ENDPOINT)",
            "{value:?}"
        );
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(w.http.seen.is_empty());
    }
    let mut w = world(&[]);
    w.env = std::mem::take(&mut w.env).not_unicode(ENDPOINT);
    let e = w.resolve(&mut CvmProvider::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cvm: value is not valid utf-8 (variable TENCENTCLOUD_METADATA_ENDPOINT)"
    );
}

#[test]
fn url_past_its_buffer_is_a_capacity_error() {
    // 7 + 380 + 43 + 83 = 513 bytes.
    let base = format!("http://{}", "a".repeat(380));
    let mut w = world(&[]);
    let mut p = CvmProvider::new()
        .with_endpoint(&base)
        .with_role_name(&"r".repeat(83));
    let e = w.resolve(&mut p).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cvm: metadata url is too long (limit 512 bytes)"
    );
    assert!(w.http.seen.is_empty());

    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http).reply(200, good());
    let mut p = CvmProvider::new()
        .with_endpoint(&base)
        .with_role_name(&"r".repeat(82));
    w.resolve(&mut p).unwrap();
    assert_eq!(w.http.seen[0].url.len(), MAX_URL);
}

#[test]
fn disabled_in_chain_makes_no_request() {
    for value in ["true", "TRUE", " True "] {
        let mut w = world(&[(DISABLED, value)]);
        let e = w.resolve(&mut CvmProvider::in_chain()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotConfigured);
        assert_eq!(
            e.to_string(),
            "cvm: metadata disabled by TENCENTCLOUD_METADATA_DISABLED"
        );
        assert_eq!(w.env.asked, [DISABLED]);
        assert!(w.http.seen.is_empty());
    }
    for value in ["false", "1", "", "yes"] {
        let mut w = world(&[(DISABLED, value)]);
        w.http = std::mem::take(&mut w.http)
            .reply(200, "roleA")
            .reply(200, good());
        w.resolve(&mut CvmProvider::in_chain()).unwrap();
        assert_eq!(w.env.asked, [DISABLED, ENDPOINT], "{value:?}");
    }
    // On its own the provider does not read the variable.
    let mut w = world(&[(DISABLED, "true")]);
    w.http = std::mem::take(&mut w.http)
        .reply(200, "roleA")
        .reply(200, good());
    w.resolve(&mut CvmProvider::new()).unwrap();
    assert_eq!(w.env.asked, [ENDPOINT]);
}

#[test]
fn in_chain_no_metadata_service_or_role_is_not_configured() {
    let cases: [(Reply<'_>, &str); 6] = [
        (
            Err(TransportError::Refused),
            "cvm: metadata service not found: connection refused",
        ),
        (
            Err(TransportError::UnknownHost),
            "cvm: metadata service not found: unknown host",
        ),
        (
            Err(TransportError::Timeout),
            "cvm: metadata service not found: timed out",
        ),
        (
            Err(TransportError::Unsupported),
            "cvm: metadata service not found: no http transport",
        ),
        (
            Ok((404, "")),
            "cvm: no role bound to this instance (http status 404)",
        ),
        (Ok((200, " \n")), "cvm: no role bound to this instance"),
    ];
    for (reply, want) in cases {
        let mut w = world(&[]);
        w.http = match reply {
            Ok((status, body)) => std::mem::take(&mut w.http).reply(status, body),
            Err(e) => std::mem::take(&mut w.http).fail(e),
        };
        let e = w.resolve(&mut CvmProvider::in_chain()).unwrap_err();
        assert_eq!(e.to_string(), want);
        assert_eq!(e.kind(), ErrorKind::NotConfigured, "{want}");
        assert_eq!(e.provider(), Some(ProviderKind::Cvm));
        assert_eq!(w.http.seen.len(), 1, "{want}");
    }
}

#[test]
fn in_chain_other_failures_stop_the_chain_without_retry() {
    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http)
        .reply(500, "")
        .reply(200, "roleA");
    let e = w.resolve(&mut CvmProvider::in_chain()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cvm: metadata role list request failed (http status 500)"
    );
    assert_eq!(e.kind(), ErrorKind::HttpStatus);
    assert_eq!(w.http.seen.len(), 1);

    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http).fail(TransportError::Tls);
    let e = w.resolve(&mut CvmProvider::in_chain()).unwrap_err();
    assert_eq!(
        (e.kind(), e.to_string().as_str()),
        (ErrorKind::Transport, "cvm: tls failure")
    );

    // Once the service has answered, a timeout is a real failure.
    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http)
        .reply(200, "roleA")
        .fail(TransportError::Timeout);
    let e = w.resolve(&mut CvmProvider::in_chain()).unwrap_err();
    assert_eq!(
        (e.kind(), e.to_string().as_str()),
        (ErrorKind::Transport, "cvm: timed out")
    );
    assert_eq!(w.http.seen.len(), 2);
}

#[test]
fn chain_reports_the_reason_it_passed() {
    let mut cvm = CvmProvider::in_chain();
    let mut list: [&mut dyn Provider; 1] = [&mut cvm];
    let mut chain = Chain::new(&mut list);
    let mut w = world(&[]);
    let e = w.resolve(&mut chain).unwrap_err();
    assert_eq!(
        e.to_string(),
        "chain: no credential found; cvm: metadata service not found: connection refused"
    );
}

/// Polls `p` for a request to `url` and answers it with `reply`.
fn answer(p: &mut CvmProvider, url: &str, reply: Reply<'_>) {
    match p.poll(NOW) {
        Step::Http(request) => assert_eq!(request.url, url),
        other => panic!("expected a request to {url}, got {other:?}"),
    }
    match reply {
        Ok((status, body)) => p.handle_http(Ok(HttpResponse {
            status,
            body: body.as_bytes(),
        })),
        Err(e) => p.handle_http(Err(e)),
    }
}

/// Polls `p`, expects a backoff of `millis` (asked again until answered), and answers it.
fn expect_sleep(p: &mut CvmProvider, millis: u32) {
    for _ in 0..2 {
        match p.poll(NOW) {
            Step::Sleep(m) => assert_eq!(m, millis),
            other => panic!("expected a sleep of {millis} ms, got {other:?}"),
        }
    }
    p.handle_slept();
}

#[test]
fn standalone_retries_5xx_with_backoff() {
    let creds = format!("{ROLES}roleA");
    let mut p = CvmProvider::new().with_endpoint("http://metadata.tencentyun.com");
    answer(&mut p, ROLES, Ok((500, "")));
    expect_sleep(&mut p, 200);
    answer(&mut p, ROLES, Ok((503, "")));
    expect_sleep(&mut p, 400);
    answer(&mut p, ROLES, Ok((200, "roleA")));
    // Each request has its own attempts.
    answer(&mut p, &creds, Err(TransportError::Timeout));
    expect_sleep(&mut p, 200);
    answer(&mut p, &creds, Ok((200, &good())));
    assert!(matches!(p.poll(NOW), Step::Done));
    assert_eq!(p.finish().unwrap().token(), Some("cvmtoken"));
}

#[test]
fn standalone_gives_up_after_three_attempts() {
    let mut p = CvmProvider::new().with_endpoint("http://metadata.tencentyun.com");
    answer(&mut p, ROLES, Err(TransportError::Timeout));
    expect_sleep(&mut p, 200);
    answer(&mut p, ROLES, Err(TransportError::Refused));
    expect_sleep(&mut p, 400);
    answer(&mut p, ROLES, Err(TransportError::Timeout));
    assert!(matches!(p.poll(NOW), Step::Done));
    let e = p.finish().unwrap_err();
    assert_eq!(
        (e.kind(), e.to_string().as_str()),
        (ErrorKind::Transport, "cvm: timed out")
    );

    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http)
        .fail(TransportError::Timeout)
        .fail(TransportError::Timeout)
        .fail(TransportError::Timeout)
        .reply(200, "roleA");
    let e = w.resolve(&mut CvmProvider::new()).unwrap_err();
    assert_eq!(e.to_string(), "cvm: timed out");
    assert_eq!(w.http.seen.len(), 3);

    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http)
        .reply(502, "")
        .reply(502, "")
        .reply(502, "");
    let e = w
        .resolve(&mut CvmProvider::new().with_role_name("r"))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "cvm: metadata credentials request failed (http status 502)"
    );
    assert_eq!(e.status(), Some(502));
    assert_eq!(w.http.seen.len(), 3);
}

#[test]
fn standalone_does_not_retry_4xx_bad_bodies_or_other_transport_errors() {
    let cases: [(Reply<'_>, &str); 7] = [
        (
            Ok((404, "")),
            "cvm: no role bound to this instance (http status 404)",
        ),
        (
            Ok((403, "")),
            "cvm: metadata role list request failed (http status 403)",
        ),
        (
            Ok((200, "a/b")),
            "cvm: role name has characters outside [A-Za-z0-9+=,.@_-]",
        ),
        (Err(TransportError::UnknownHost), "cvm: unknown host"),
        (
            Err(TransportError::Closed),
            "cvm: connection closed before the response ended",
        ),
        (
            Err(TransportError::Malformed),
            "cvm: response is not valid http",
        ),
        (Err(TransportError::Other), "cvm: http exchange failed"),
    ];
    for (reply, want) in cases {
        let mut w = world(&[]);
        w.http = match reply {
            Ok((status, body)) => std::mem::take(&mut w.http).reply(status, body),
            Err(e) => std::mem::take(&mut w.http).fail(e),
        };
        w.http = std::mem::take(&mut w.http).reply(200, "roleA");
        let e = w.resolve(&mut CvmProvider::new()).unwrap_err();
        assert_eq!(e.to_string(), want);
        assert_ne!(e.kind(), ErrorKind::NotConfigured);
        assert_eq!(w.http.seen.len(), 1, "{want}");
    }
    // A malformed document is not fetched again.
    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http)
        .reply(200, "roleA")
        .reply(200, "{")
        .reply(200, good());
    w.resolve(&mut CvmProvider::new()).unwrap_err();
    assert_eq!(w.http.seen.len(), 2);
}

#[test]
fn code_other_than_success_shows_the_code() {
    let e = error_of(with_document(with_field("Code", Some("\"Failed\""))));
    assert_eq!(
        e.to_string(),
        "cvm: metadata credentials code is not Success (code Failed)"
    );
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.api().unwrap().code.as_str(), "Failed");
    // A failure document may hold nothing but its code.
    assert_eq!(
        message_of(r#"{"Code":"InternalError"}"#),
        "cvm: metadata credentials code is not Success (code InternalError)"
    );
}

#[test]
fn malformed_documents_are_parse_errors_without_the_body() {
    let bodies = [
        r#"{"TmpSecretId": "AKIDcvm", "TmpSecretKey": "#,
        "",
        "[]",
        "null",
        "not json",
        "{\"Code\":\"Success\",}",
        "{\"Code\":\"Success\"} trailing",
        "{\"Code\":\"Success\" \"Token\":\"t\"}",
        "{\"Code\":\"Success\",\"Code\":\"Success\"}",
        "{\"Token\":\"\\x\"}",
    ];
    for body in bodies {
        let e = error_of(with_document(body));
        assert_eq!(
            e.to_string(),
            "cvm: metadata credentials document is malformed",
            "{body:?}"
        );
        assert_eq!(e.kind(), ErrorKind::Parse);
    }
    assert_eq!(
        message_of(b"{\"Code\":\"Succ\xffess\"}"),
        "cvm: metadata credentials document is malformed"
    );
}

#[test]
fn each_missing_field_is_named() {
    for field in [
        "TmpSecretId",
        "TmpSecretKey",
        "Token",
        "ExpiredTime",
        "Code",
    ] {
        let want = format!("cvm: metadata credentials field is missing (key {field})");
        for value in [None, Some("null")] {
            let e = error_of(with_document(with_field(field, value)));
            assert_eq!(e.to_string(), want, "{value:?}");
            assert_eq!((e.kind(), e.key()), (ErrorKind::Parse, Some(field)));
        }
    }
    // Unknown and missing optional fields do not matter.
    let c = with_document(with_field("Expiration", None)).unwrap();
    assert_eq!(c.secret_id(), "AKIDcvm");
    let body = good().replace(
        "\"Code\"",
        "\"RequestId\":[1,{\"a\":[]}],\"Extra\":{\"b\":2},\"Code\"",
    );
    assert_eq!(with_document(body).unwrap().secret_key(), "cvmkey");
}

#[test]
fn string_field_of_another_type_is_named() {
    let cases = [
        ("TmpSecretId", "5"),
        ("TmpSecretKey", "{\"a\": [1, \"x\"]}"),
        ("Token", "[1, \"a\"]"),
        ("Code", "true"),
    ];
    for (field, value) in cases {
        let e = error_of(with_document(with_field(field, Some(value))));
        assert_eq!(
            e.to_string(),
            format!("cvm: metadata credentials field is not a string (key {field})")
        );
        assert_eq!(e.kind(), ErrorKind::Parse);
    }
}

#[test]
fn expired_time_must_be_an_integer_unix_time() {
    let values = [
        "-1",
        "-1700003600",
        "1700003600.0",
        "1.7e9",
        "\"1700003600\"",
        "99999999999999999999999",
        "253402300800",
        "true",
        "[1700003600]",
    ];
    for value in values {
        let e = error_of(with_document(with_field("ExpiredTime", Some(value))));
        assert_eq!(
            e.to_string(),
            "cvm: metadata credentials field is not a unix time (key ExpiredTime)",
            "{value}"
        );
        assert_eq!(e.kind(), ErrorKind::Parse);
    }
    // A leading zero is not JSON at all.
    let e = error_of(with_document(with_field(
        "ExpiredTime",
        Some("01700003600"),
    )));
    assert_eq!(
        e.to_string(),
        "cvm: metadata credentials document is malformed"
    );
    let c = with_document(with_field("ExpiredTime", Some("253402300799"))).unwrap();
    assert_eq!(c.expires_at(), Some(253_402_300_799));
}

#[test]
fn escaped_strings_are_decoded() {
    let body = r#"{"TmpSecretId":"\u0041KID\u00e9","TmpSecretKey":"a\"b\\c\/d",
        "Token":"t\u4e2d", "ExpiredTime": 1700003600, "Code":"Succ\u0065ss",
        "Expir\u0061tion":"x\ty"}"#;
    let c = with_document(body).unwrap();
    assert_eq!(c.credential_info(), ("AKIDé", "a\"b\\c/d", Some("t中")));
}

#[test]
fn values_are_validated_and_named() {
    let cases = [
        (
            "TmpSecretId",
            "\" AKID\"",
            "secret id should not contain spaces",
        ),
        (
            "TmpSecretId",
            "\"\"",
            "secret id should not be none or empty",
        ),
        (
            "TmpSecretKey",
            "\"k\\u0000\"",
            "secret key should not contain control characters",
        ),
        ("Token", "\"\"", "token should not be empty"),
        (
            "Token",
            "\"abc\\r\\nX-Evil: 1\"",
            "token should not contain control characters",
        ),
    ];
    for (field, value, message) in cases {
        let e = error_of(with_document(with_field(field, Some(value))));
        assert_eq!(e.to_string(), format!("cvm: {message} (key {field})"));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
    }
}

#[test]
fn fields_past_their_limits_are_capacity_errors() {
    let long = |n: usize| format!("\"{}\"", "a".repeat(n));
    let cases = [
        (
            "TmpSecretId",
            long(limits::SECRET_ID + 1),
            "key TmpSecretId, limit 128 bytes",
        ),
        (
            "TmpSecretKey",
            long(limits::SECRET_KEY + 1),
            "key TmpSecretKey, limit 128 bytes",
        ),
        (
            "Token",
            long(limits::TOKEN + 1),
            "key Token, limit 4096 bytes",
        ),
        ("Code", long(65), "key Code, limit 64 bytes"),
    ];
    for (field, value, context) in cases {
        let e = error_of(with_document(with_field(field, Some(&value))));
        assert_eq!(
            e.to_string(),
            format!("cvm: metadata credentials field is too long ({context})")
        );
        assert_eq!((e.kind(), e.key()), (ErrorKind::Capacity, Some(field)));
    }
    let at_limit = with_field("Token", Some(&long(limits::TOKEN)));
    assert_eq!(
        with_document(at_limit).unwrap().token().unwrap().len(),
        limits::TOKEN
    );

    // An escaped string decoding to more than the scratch buffer.
    let escaped = format!("\"\\u0041{}\"", "a".repeat(limits::TOKEN));
    assert_eq!(
        message_of(with_field("Token", Some(&escaped))),
        "cvm: metadata credentials document has a string that is too long (limit 4096 bytes)"
    );
}

#[test]
fn body_over_the_limit_is_a_capacity_error() {
    let padded = |n: usize| {
        let doc = good();
        format!("{doc}{}", " ".repeat(n - doc.len()))
    };
    assert!(with_document(padded(limits::RESPONSE_BODY)).is_ok());
    let e = error_of(with_document(padded(limits::RESPONSE_BODY + 1)));
    assert_eq!(
        e.to_string(),
        "cvm: metadata response is too long (limit 16384 bytes)"
    );
    assert_eq!(e.kind(), ErrorKind::Capacity);

    let mut w = world(&[]);
    let roles = format!("roleA{}", "\n".repeat(limits::RESPONSE_BODY));
    w.http = std::mem::take(&mut w.http).reply(200, roles);
    let e = w.resolve(&mut CvmProvider::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cvm: metadata response is too long (limit 16384 bytes)"
    );
}

#[test]
fn credentials_expired_on_arrival_are_an_error() {
    for at in [NOW - 10, NOW, 0] {
        let e = error_of(with_document(with_field(
            "ExpiredTime",
            Some(&at.to_string()),
        )));
        assert_eq!(e.to_string(), "cvm: credentials expired on arrival");
        assert_eq!(e.kind(), ErrorKind::Expired);
    }
    let c = with_document(with_field("ExpiredTime", Some(&(NOW + 1).to_string()))).unwrap();
    assert_eq!(c.expires_at(), Some(NOW + 1));
}

#[test]
fn bad_discovered_role_names_are_refused_unechoed() {
    let outside = "cvm: role name has characters outside [A-Za-z0-9+=,.@_-]";
    let cases = [
        ("../../user-data", outside),
        ("a b", outside),
        ("role%2F", outside),
        ("rôle", outside),
        ("", "cvm: no role bound to this instance"),
        ("\n \r\n", "cvm: no role bound to this instance"),
    ];
    for (roles, want) in cases {
        let mut w = world(&[]);
        w.http = std::mem::take(&mut w.http)
            .reply(200, roles)
            .reply(200, good());
        let e = w.resolve(&mut CvmProvider::new()).unwrap_err();
        assert_eq!(e.to_string(), want, "{roles:?}");
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(w.http.seen.len(), 1);
    }
    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http).reply(200, "r".repeat(129));
    let e = w.resolve(&mut CvmProvider::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cvm: role name is too long (limit 128 bytes)"
    );

    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http).reply(200, b"role\xff".as_slice());
    let e = w.resolve(&mut CvmProvider::new()).unwrap_err();
    assert_eq!(e.to_string(), "cvm: metadata role list is not valid utf-8");

    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http)
        .reply(200, "r".repeat(128))
        .reply(200, good());
    w.resolve(&mut CvmProvider::new()).unwrap();
}

#[test]
fn bad_explicit_role_names_fail_at_the_first_poll() {
    let cases = [
        (
            "../../user-data",
            "cvm: role name has characters outside [A-Za-z0-9+=,.@_-]",
        ),
        (
            "a b",
            "cvm: role name has characters outside [A-Za-z0-9+=,.@_-]",
        ),
        ("", "cvm: role name is empty"),
    ];
    let long = "r".repeat(129);
    let cases = cases.into_iter().chain([(
        long.as_str(),
        "cvm: role name is too long (limit 128 bytes)",
    )]);
    for (name, want) in cases {
        let mut p = CvmProvider::in_chain().with_role_name(name);
        assert!(matches!(p.poll(NOW), Step::Done), "{name:?}");
        let e = p.finish().unwrap_err();
        assert_eq!(e.to_string(), want);
        assert_ne!(e.kind(), ErrorKind::NotConfigured);
    }
}

#[test]
fn discovered_role_is_kept_until_a_404() {
    let creds = format!("{ROLES}roleA");
    let mut p = CvmProvider::new();
    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http)
        .reply(200, "roleA")
        .reply(200, good())
        .reply(200, good())
        .reply(404, "")
        .reply(200, "roleA")
        .reply(200, good());
    w.resolve(&mut p).unwrap();
    w.resolve(&mut p).unwrap();
    let e = w.resolve(&mut p).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cvm: no credentials for this role name (http status 404)"
    );
    assert_eq!(e.kind(), ErrorKind::HttpStatus);
    w.resolve(&mut p).unwrap();
    assert_eq!(
        urls(&w.http.seen),
        [ROLES, &*creds, &*creds, &*creds, ROLES, &*creds]
    );

    // A role given in code is never replaced.
    let mut p = CvmProvider::new().with_role_name("given");
    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http)
        .reply(404, "")
        .reply(200, good());
    w.resolve(&mut p).unwrap_err();
    w.resolve(&mut p).unwrap();
    assert_eq!(
        urls(&w.http.seen),
        [format!("{ROLES}given"), format!("{ROLES}given")]
    );
}

#[test]
fn wrong_answers_end_in_the_unexpected_error() {
    let want = "cvm: driver answered a step the provider did not ask for";
    let body = good();
    let ok = || {
        Ok(HttpResponse {
            status: 200,
            body: body.as_bytes(),
        })
    };

    // An env answer during an HTTP step.
    let mut p = CvmProvider::new().with_role_name("r");
    let _ = p.poll(NOW);
    p.handle_env(Ok(None));
    assert!(matches!(p.poll(NOW), Step::Http(_)));
    p.handle_env(Ok(Some("x")));
    assert!(matches!(p.poll(NOW), Step::Done));
    assert_eq!(p.finish().unwrap_err().to_string(), want);

    // An HTTP answer during an env step, a file answer, an answer during a sleep.
    let mut p = CvmProvider::new();
    let _ = p.poll(NOW);
    p.handle_http(ok());
    assert_eq!(p.finish().unwrap_err().to_string(), want);
    let mut p = CvmProvider::new();
    p.handle_file(Ok(b"x"));
    assert_eq!(p.finish().unwrap_err().to_string(), want);
    let mut p = CvmProvider::new().with_endpoint("http://m");
    answer(
        &mut p,
        "http://m/latest/meta-data/cam/security-credentials/",
        Ok((500, "")),
    );
    p.handle_http(ok());
    assert_eq!(p.finish().unwrap_err().to_string(), want);

    // Finishing early, and answering after the end.
    let mut p = CvmProvider::new();
    assert_eq!(p.finish().unwrap_err().to_string(), want);
    let mut p = CvmProvider::new()
        .with_endpoint("http://m")
        .with_role_name("r");
    answer(
        &mut p,
        "http://m/latest/meta-data/cam/security-credentials/r",
        Ok((200, &body)),
    );
    p.handle_http(ok());
    assert_eq!(p.finish().unwrap_err().to_string(), want);

    // The provider is usable again after any of these.
    let mut w = world(&[]);
    w.http = std::mem::take(&mut w.http).reply(200, good());
    assert!(w.resolve(&mut p).is_ok());
}

#[test]
fn debug_shows_no_secret() {
    let mut p = CvmProvider::new()
        .with_endpoint("http://m")
        .with_role_name("r");
    let body = with_field("TmpSecretKey", Some("\"s3cr3tKEY\"")).replace("cvmtoken", "t0kenXYZ");
    answer(
        &mut p,
        "http://m/latest/meta-data/cam/security-credentials/r",
        Ok((200, &body)),
    );
    let shown = format!("{p:?}");
    assert_eq!(
        shown,
        "CvmProvider { in_chain: false, endpoint: Given(\"http://m\"), role: Given(\"r\"), \
         state: Done, url: \"http://m/latest/meta-data/cam/security-credentials/r\", \
         attempt: 1, .. }"
    );
    let c = p.finish().unwrap();
    assert_eq!(c.secret_key(), "s3cr3tKEY");
    assert!(!format!("{p:?}").contains("s3cr3t"));
}

#[test]
fn provider_is_small() {
    assert!(std::mem::size_of::<CvmProvider>() < 8 * 1024);
    assert_eq!(CvmProvider::new().kind(), ProviderKind::Cvm);
}
