//! STS `AssumeRole`, driven over a scripted STS: the exact request, every
//! way a reply can fail, and the input checks made before sending.
// The crate's `Error` is large by design (bounded context, no allocation).
#![allow(clippy::result_large_err)]

mod support;

use support::{Seen, World};
use tencentcloud_credential::io::TransportError;
use tencentcloud_credential::sign::request::REQUEST_CLIENT;
use tencentcloud_credential::{
    limits, Credential, Error, ErrorKind, Provider, ProviderKind, Step, StsProvider,
};

/// The reference froze its clock at 1700000000.5; the core counts whole seconds.
const NOW: u64 = 1_700_000_000;
const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const ROLE: &str = "qcs::cam::uin/100000000001:roleName/test";
const ENDPOINT_VARIABLE: &str = "TENCENTCLOUD_STS_ENDPOINT";
/// The body the reference sends for `ROLE` and session `sess`.
const REFERENCE_BODY: &str = concat!(
    r#"{"RoleArn": "qcs::cam::uin/100000000001:roleName/test", "#,
    r#""RoleSessionName": "sess", "DurationSeconds": 7200}"#
);

fn source() -> Credential {
    Credential::new(ID, KEY, None).unwrap()
}

fn provider() -> StsProvider {
    StsProvider::new(source(), ROLE, "sess")
}

/// The reference's fake STS answer: `ID1`, `K1`, `T1`, valid for 7200 s.
fn good() -> String {
    reply(&[], &[])
}

/// A reply whose `Response` holds the default members, minus `removed`,
/// with `replaced` (name, raw JSON) put in place of or beside them.
fn reply(replaced: &[(&str, &str)], removed: &[&str]) -> String {
    let defaults = [
        (
            "Credentials",
            r#"{"Token": "T1", "TmpSecretId": "ID1", "TmpSecretKey": "K1"}"#,
        ),
        ("ExpiredTime", "1700007200"),
        ("Expiration", r#""2023-11-15T00:13:20Z""#),
        ("RequestId", r#""req-1""#),
    ];
    let mut members: Vec<(String, String)> = defaults
        .iter()
        .filter(|(name, _)| !removed.contains(name))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    for (name, value) in replaced {
        match members.iter_mut().find(|(n, _)| n == name) {
            Some(member) => member.1 = value.to_string(),
            None => members.push((name.to_string(), value.to_string())),
        }
    }
    let inner: Vec<String> = members
        .iter()
        .map(|(n, v)| format!("\"{n}\": {v}"))
        .collect();
    format!("{{\"Response\": {{{}}}}}", inner.join(", "))
}

/// Credentials with one member replaced (raw JSON) or removed (`None`).
fn credentials(name: &str, value: Option<&str>) -> String {
    let members = [
        ("Token", "\"T1\""),
        ("TmpSecretId", "\"ID1\""),
        ("TmpSecretKey", "\"K1\""),
    ];
    let inner: Vec<String> = members
        .iter()
        .filter_map(|(n, v)| {
            let v = if *n == name { value? } else { v };
            Some(format!("\"{n}\": {v}"))
        })
        .collect();
    format!("{{{}}}", inner.join(", "))
}

fn world(vars: &[(&str, &str)]) -> World {
    let mut w = World::new(vars, &[]);
    w.clock.0 = NOW;
    w
}

/// Runs `provider` against one scripted answer.
fn run_with(
    provider: &mut StsProvider,
    answer: Result<(u16, &str), TransportError>,
) -> (Result<Credential, Error>, World) {
    let mut w = world(&[]);
    w.http = match answer {
        Ok((status, body)) => w.http.reply(status, body),
        Err(e) => w.http.fail(e),
    };
    let outcome = w.resolve(provider);
    (outcome, w)
}

fn error_for(status: u16, body: &str) -> Error {
    run_with(&mut provider(), Ok((status, body))).0.unwrap_err()
}

fn only_request(w: &World) -> &Seen {
    assert_eq!(w.http.seen.len(), 1);
    &w.http.seen[0]
}

fn header_list(seen: &Seen) -> Vec<(&str, &str)> {
    seen.headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

#[test]
fn request_matches_the_reference_vector() {
    let (outcome, w) = run_with(&mut provider(), Ok((200, &good())));

    let credential = outcome.unwrap();
    assert_eq!(credential.credential_info(), ("ID1", "K1", Some("T1")));
    assert_eq!(credential.expires_at(), Some(1_700_007_200));
    assert_eq!(w.env.asked, [ENDPOINT_VARIABLE]);

    let seen = only_request(&w);
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.url, "https://sts.tencentcloudapi.com/");
    assert_eq!(std::str::from_utf8(&seen.body).unwrap(), REFERENCE_BODY);
    let authorization = "TC3-HMAC-SHA256 \
        Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2023-11-14/sts/tc3_request, \
        SignedHeaders=content-type;host, \
        Signature=575ea33d5c0b066faebf88b722aa8dfa1901e132a5f9f43da10ea9a4b3040eb1";
    assert_eq!(
        header_list(seen),
        [
            ("Authorization", authorization),
            ("Content-Type", "application/json"),
            ("Host", "sts.tencentcloudapi.com"),
            ("X-TC-Action", "AssumeRole"),
            ("X-TC-Timestamp", "1700000000"),
            ("X-TC-Version", "2018-08-13"),
            ("X-TC-Region", "ap-guangzhou"),
            ("X-TC-RequestClient", REQUEST_CLIENT),
        ]
    );
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
fn a_source_token_is_sent_as_x_tc_token() {
    let source = Credential::new(ID, KEY, Some("src-token")).unwrap();
    let mut sts = StsProvider::new(source, ROLE, "sess");
    let (outcome, w) = run_with(&mut sts, Ok((200, &good())));
    assert!(outcome.is_ok());
    let seen = only_request(&w);
    assert_eq!(seen.header("X-TC-Token"), Some("src-token"));
    // The token is not signed, so the reference signature still holds.
    assert!(seen
        .header("Authorization")
        .unwrap()
        .ends_with("575ea33d5c0b066faebf88b722aa8dfa1901e132a5f9f43da10ea9a4b3040eb1"));

    // A token as long as any credential may hold, and the longest endpoint.
    let token = "t".repeat(limits::TOKEN);
    let host = format!("{}.com", "h".repeat(256 - "https://".len() - ".com/".len()));
    let source = Credential::new(ID, KEY, Some(&token)).unwrap();
    let mut sts = StsProvider::new(source, ROLE, "sess").with_endpoint(&host);
    let (outcome, w) = run_with(&mut sts, Ok((200, &good())));
    assert!(outcome.is_ok());
    let seen = only_request(&w);
    assert_eq!(seen.header("X-TC-Token"), Some(token.as_str()));
    assert_eq!(seen.url.len(), 256);
    assert_eq!(seen.header("Host"), Some(host.as_str()));
}

#[test]
fn optional_members_follow_in_order() {
    let mut sts = provider()
        .with_duration(900)
        .with_policy("%7B%22version%22%3A%222.0%22%7D")
        .with_external_id("ext-\"1\"")
        .with_region("ap-shanghai");
    let (outcome, w) = run_with(&mut sts, Ok((200, &good())));
    assert!(outcome.is_ok());
    let seen = only_request(&w);
    assert_eq!(
        std::str::from_utf8(&seen.body).unwrap(),
        concat!(
            r#"{"RoleArn": "qcs::cam::uin/100000000001:roleName/test", "#,
            r#""RoleSessionName": "sess", "DurationSeconds": 900, "#,
            r#""Policy": "%7B%22version%22%3A%222.0%22%7D", "ExternalId": "ext-\"1\""}"#
        )
    );
    assert_eq!(seen.header("X-TC-Region"), Some("ap-shanghai"));
}

#[test]
fn empty_policy_and_external_id_are_not_sent() {
    let mut sts = provider().with_policy("").with_external_id("");
    let (_, w) = run_with(&mut sts, Ok((200, &good())));
    assert_eq!(
        std::str::from_utf8(&only_request(&w).body).unwrap(),
        REFERENCE_BODY
    );
}

#[test]
fn non_ascii_is_escaped_as_the_reference_does() {
    let mut sts = StsProvider::new(source(), "qcs::cam::uin/1:roleName/角色😀", "sess");
    let (_, w) = run_with(&mut sts, Ok((200, &good())));
    let body = std::str::from_utf8(&only_request(&w).body)
        .unwrap()
        .to_string();
    assert!(
        body.starts_with(r#"{"RoleArn": "qcs::cam::uin/1:roleName/\u89d2\u8272\ud83d\ude00", "#)
    );
}

/// Endpoint set in code, variable, URL used, `Host` sent, whether the variable was read.
type EndpointCase = (
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    &'static str,
    bool,
);

#[test]
fn endpoints_from_code_and_environment() {
    let cases: [EndpointCase; 8] = [
        (
            None,
            None,
            "https://sts.tencentcloudapi.com/",
            "sts.tencentcloudapi.com",
            true,
        ),
        (
            None,
            Some(""),
            "https://sts.tencentcloudapi.com/",
            "sts.tencentcloudapi.com",
            true,
        ),
        (
            None,
            Some("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080/",
            "127.0.0.1:8080",
            true,
        ),
        (
            None,
            Some("sts.internal.tencentcloudapi.com"),
            "https://sts.internal.tencentcloudapi.com/",
            "sts.internal.tencentcloudapi.com",
            true,
        ),
        (
            Some("sts.internal.tencentcloudapi.com"),
            Some("http://127.0.0.1:1"),
            "https://sts.internal.tencentcloudapi.com/",
            "sts.internal.tencentcloudapi.com",
            false,
        ),
        (
            Some("HTTPS://sts.intl.tencentcloudapi.com/"),
            None,
            "https://sts.intl.tencentcloudapi.com/",
            "sts.intl.tencentcloudapi.com",
            false,
        ),
        (
            Some("http://[::1]:8443"),
            None,
            "http://[::1]:8443/",
            "[::1]:8443",
            false,
        ),
        (
            Some("localhost:9000"),
            None,
            "https://localhost:9000/",
            "localhost:9000",
            false,
        ),
    ];
    for (in_code, variable, url, host, asked) in cases {
        let mut sts = provider();
        if let Some(endpoint) = in_code {
            sts = sts.with_endpoint(endpoint);
        }
        let vars: Vec<(&str, &str)> = variable
            .map(|v| (ENDPOINT_VARIABLE, v))
            .into_iter()
            .collect();
        let mut w = world(&vars);
        w.http = w.http.reply(200, good());
        assert!(w.resolve(&mut sts).is_ok(), "{in_code:?} {variable:?}");
        let seen = only_request(&w);
        assert_eq!((seen.url.as_str(), seen.header("Host")), (url, Some(host)));
        assert_eq!(w.env.asked.len(), usize::from(asked), "{in_code:?}");
    }
}

#[test]
fn bad_endpoints_are_refused_before_any_request() {
    let message = "sts: sts endpoint must be a host or an http(s) url without a path";
    for endpoint in [
        "ftp://sts.tencentcloudapi.com",
        "https://sts.tencentcloudapi.com/v1",
        "https://",
        "sts.tencentcloudapi.com?x=1",
        "sts host",
        "sts.tencentcloudapi.com:0",
        "sts.tencentcloudapi.com:65536",
        "user@sts.tencentcloudapi.com",
        "sts.tencentcloudapi.com\r\nX-Evil: 1",
    ] {
        let (outcome, w) = run_with(&mut provider().with_endpoint(endpoint), Ok((200, &good())));
        let e = outcome.unwrap_err();
        assert_eq!(e.to_string(), message, "{endpoint:?}");
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(w.http.seen.is_empty() && w.env.asked.is_empty());
    }

    let mut w = world(&[(ENDPOINT_VARIABLE, "https://sts.tencentcloudapi.com/path")]);
    let e = w.resolve(&mut provider()).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("{message} (variable TENCENTCLOUD_STS_ENDPOINT)")
    );
    assert!(w.http.seen.is_empty());

    let mut w = world(&[]);
    w.env = w.env.not_unicode(ENDPOINT_VARIABLE);
    let e = w.resolve(&mut provider()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "sts: value is not valid utf-8 (variable TENCENTCLOUD_STS_ENDPOINT)"
    );

    let long = format!("{}.com", "a".repeat(300));
    let e = run_with(&mut provider().with_endpoint(&long), Ok((200, "")))
        .0
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "sts: sts endpoint is too long (limit 256 bytes)"
    );
}

#[test]
fn inputs_are_checked_before_any_request() {
    let duration = "sts: duration must be between 1 and 43200 seconds";
    let session = "sts: role session name must be 2 to 128 characters of [A-Za-z0-9_+=,.@-]";
    let long_name = "n".repeat(129);
    let cases: Vec<(StsProvider, &str)> = vec![
        (provider().with_duration(0), duration),
        (provider().with_duration(43201), duration),
        (provider().with_duration(u64::MAX), duration),
        (StsProvider::new(source(), ROLE, "a"), session),
        (StsProvider::new(source(), ROLE, ""), session),
        (StsProvider::new(source(), ROLE, &long_name), session),
        (StsProvider::new(source(), ROLE, "a b"), session),
        (StsProvider::new(source(), ROLE, "名字"), session),
        (
            StsProvider::new(source(), "", "sess"),
            "sts: role arn should not be empty",
        ),
        (
            StsProvider::new(source(), "qcs::cam\n", "sess"),
            "sts: role arn should not contain control characters",
        ),
        (provider().with_region(""), "sts: region is required"),
        (
            provider().with_region("ap guangzhou"),
            "sts: region must be letters, digits and dashes",
        ),
        (
            provider().with_policy(&"p".repeat(4097)),
            "sts: policy is too long (limit 4096 bytes)",
        ),
        (
            provider().with_external_id(&"e".repeat(129)),
            "sts: external id is too long (limit 128 bytes)",
        ),
        (
            StsProvider::new(source(), &"r".repeat(257), "sess"),
            "sts: role arn is too long (limit 256 bytes)",
        ),
    ];
    for (mut sts, expected) in cases {
        let (outcome, w) = run_with(&mut sts, Ok((200, &good())));
        let e = outcome.unwrap_err();
        assert_eq!(e.to_string(), expected);
        assert_eq!(e.provider(), Some(ProviderKind::Sts));
        assert!(w.http.seen.is_empty(), "{expected}");
        assert!(w.env.asked.is_empty(), "{expected}");
    }
}

#[test]
fn inputs_at_the_edges_are_accepted() {
    let long_name = "n".repeat(128);
    let cases = [
        provider().with_duration(1),
        provider().with_duration(43200),
        StsProvider::new(source(), ROLE, "ab"),
        StsProvider::new(source(), ROLE, &long_name),
        StsProvider::new(source(), ROLE, "Az09_+=,.@-"),
    ];
    for mut sts in cases {
        assert!(run_with(&mut sts, Ok((200, &good()))).0.is_ok(), "{sts:?}");
    }
}

#[test]
fn a_body_past_its_buffer_is_a_capacity_error() {
    // Each of these escapes to six bytes, so the policy fits its own
    // limit (4095 bytes) but not the 6 KiB body.
    let policy = "\u{1}".repeat(1365);
    let (outcome, w) = run_with(&mut provider().with_policy(&policy), Ok((200, &good())));
    let e = outcome.unwrap_err();
    assert_eq!(
        e.to_string(),
        "sts: request body is too long (limit 6144 bytes)"
    );
    assert_eq!(e.kind(), ErrorKind::Capacity);
    assert!(w.http.seen.is_empty());
}

const LACKS_CREDENTIALS: &str = "sts: sts reply lacks a field (key Response.Credentials)";
const LACKS_EXPIRED_TIME: &str = "sts: sts reply lacks a field (key Response.ExpiredTime)";

#[test]
fn reply_failures_are_reported_exactly() {
    let too_long = "a".repeat(limits::SECRET_ID + 1);
    let too_long_id = format!("\"{too_long}\"");
    let cases: Vec<(u16, String, &str)> = vec![
        (
            404,
            "not found".into(),
            "sts: unexpected http status from sts (http status 404)",
        ),
        (
            500,
            good(),
            "sts: unexpected http status from sts (http status 500)",
        ),
        (
            200,
            concat!(
                r#"{"Response":{"Error":{"Code":"InvalidParameter.RoleNotExist","#,
                r#""Message":"role not exist"},"RequestId":"req-42"}}"#
            )
            .into(),
            "sts: sts returned an error (code InvalidParameter.RoleNotExist, \
             message role not exist, request id req-42)",
        ),
        (
            400,
            concat!(
                r#"{"Response":{"RequestId":"req-9","#,
                r#""Error":{"Message":"bad","Code":"InvalidParameter"}}}"#
            )
            .into(),
            "sts: sts returned an error (http status 400, code InvalidParameter, \
             message bad, request id req-9)",
        ),
        (
            200,
            r#"{"Response":{"RequestId":"req-7"}}"#.into(),
            LACKS_CREDENTIALS,
        ),
        (
            200,
            reply(&[("Credentials", "null")], &[]),
            LACKS_CREDENTIALS,
        ),
        (
            200,
            "{}".into(),
            "sts: sts reply lacks a field (key Response)",
        ),
        (
            200,
            r#"{"Response": null}"#.into(),
            "sts: sts reply lacks a field (key Response)",
        ),
        (200, "".into(), "sts: sts reply is malformed"),
        (200, "not json".into(), "sts: sts reply is malformed"),
        (
            200,
            r#"{"Response": {"#.into(),
            "sts: sts reply is malformed",
        ),
        (
            200,
            format!("{} trailing", good()),
            "sts: sts reply is malformed",
        ),
        (200, "[]".into(), "sts: sts reply is malformed"),
        (
            200,
            reply(&[("Credentials", &credentials("TmpSecretId", None))], &[]),
            "sts: sts reply lacks a field (key Response.Credentials.TmpSecretId)",
        ),
        (
            200,
            reply(&[("Credentials", &credentials("TmpSecretKey", None))], &[]),
            "sts: sts reply lacks a field (key Response.Credentials.TmpSecretKey)",
        ),
        (
            200,
            reply(&[("Credentials", &credentials("Token", None))], &[]),
            "sts: sts reply lacks a field (key Response.Credentials.Token)",
        ),
        (200, reply(&[], &["ExpiredTime"]), LACKS_EXPIRED_TIME),
        (
            200,
            reply(&[("ExpiredTime", "null")], &[]),
            LACKS_EXPIRED_TIME,
        ),
        (
            200,
            reply(
                &[("Credentials", &credentials("TmpSecretId", Some("42")))],
                &[],
            ),
            "sts: sts reply field has the wrong type (key Response.Credentials.TmpSecretId)",
        ),
        (
            200,
            reply(
                &[("Credentials", &credentials("Token", Some("[\"T1\"]")))],
                &[],
            ),
            "sts: sts reply field has the wrong type (key Response.Credentials.Token)",
        ),
        (
            200,
            reply(&[("Credentials", r#""ID1:K1:T1""#)], &[]),
            "sts: sts reply field has the wrong type (key Response.Credentials)",
        ),
        (
            200,
            r#"{"Response": "x"}"#.into(),
            "sts: sts reply field has the wrong type (key Response)",
        ),
        (
            200,
            reply(&[("ExpiredTime", "-1")], &[]),
            "sts: sts reply field has the wrong type (key Response.ExpiredTime)",
        ),
        (
            200,
            reply(&[("ExpiredTime", "1700007200.5")], &[]),
            "sts: sts reply field has the wrong type (key Response.ExpiredTime)",
        ),
        (
            200,
            reply(&[("ExpiredTime", "\"1700007200\"")], &[]),
            "sts: sts reply field has the wrong type (key Response.ExpiredTime)",
        ),
        (
            200,
            reply(&[("ExpiredTime", "true")], &[]),
            "sts: sts reply field has the wrong type (key Response.ExpiredTime)",
        ),
        (
            200,
            reply(&[("ExpiredTime", "1e300")], &[]),
            "sts: sts reply field has the wrong type (key Response.ExpiredTime)",
        ),
        (
            200,
            reply(&[("Credentials", &credentials("Token", Some("\"\"")))], &[]),
            "sts: sts reply field is empty (key Response.Credentials.Token)",
        ),
        (
            200,
            reply(
                &[("Credentials", &credentials("TmpSecretKey", Some("\" K1\"")))],
                &[],
            ),
            "sts: secret key should not contain spaces (key Response.Credentials.TmpSecretKey)",
        ),
        (
            200,
            reply(
                &[(
                    "Credentials",
                    &credentials("Token", Some(r#""T1\r\nX-Evil: 1""#)),
                )],
                &[],
            ),
            "sts: token should not contain control characters (key Response.Credentials.Token)",
        ),
        (
            200,
            reply(
                &[(
                    "Credentials",
                    &credentials("TmpSecretId", Some(&too_long_id)),
                )],
                &[],
            ),
            "sts: sts reply field is too long \
             (key Response.Credentials.TmpSecretId, limit 128 bytes)",
        ),
        (
            200,
            reply(
                &[("Credentials", &credentials("Token", Some(r#""T\x""#)))],
                &[],
            ),
            "sts: sts reply is malformed (key Response.Credentials.Token)",
        ),
        (
            200,
            reply(
                &[("Credentials", &credentials("Token", Some(r#""T\ud83d""#)))],
                &[],
            ),
            "sts: sts reply is malformed (key Response.Credentials.Token)",
        ),
        (
            200,
            reply(&[("ExpiredTime", "1700000000")], &[]),
            "sts: credentials expired on arrival",
        ),
        (
            200,
            reply(&[("ExpiredTime", "0")], &[]),
            "sts: credentials expired on arrival",
        ),
    ];
    for (status, body, expected) in cases {
        let e = error_for(status, &body);
        assert_eq!(e.to_string(), expected, "{body}");
        assert_eq!(e.provider(), Some(ProviderKind::Sts));
    }
}

#[test]
fn reply_failures_have_the_right_kind() {
    let api = r#"{"Response":{"Error":{"Code":"C","Message":"M"},"RequestId":"R"}}"#;
    let cases = [
        (404, "".to_string(), ErrorKind::HttpStatus),
        (200, api.to_string(), ErrorKind::Api),
        (503, api.to_string(), ErrorKind::Api),
        (200, "{".to_string(), ErrorKind::Parse),
        (200, reply(&[], &["ExpiredTime"]), ErrorKind::Parse),
        (200, reply(&[("ExpiredTime", "1")], &[]), ErrorKind::Expired),
    ];
    for (status, body, kind) in cases {
        assert_eq!(error_for(status, &body).kind(), kind, "{status} {body}");
    }
    let e = error_for(503, api);
    let found = e.api().unwrap();
    assert_eq!(
        (
            found.code.as_str(),
            found.message.as_str(),
            found.request_id.as_str()
        ),
        ("C", "M", "R")
    );
    assert_eq!(e.status(), Some(503));
}

#[test]
fn a_reply_past_the_body_limit_is_a_capacity_error() {
    let padding = " ".repeat(limits::RESPONSE_BODY);
    let e = error_for(200, &format!("{}{padding}", good()));
    assert_eq!(
        e.to_string(),
        "sts: sts reply is too long (limit 16384 bytes)"
    );
    assert_eq!(e.kind(), ErrorKind::Capacity);

    // Exactly at the limit is read.
    let body = good();
    let fitted = format!("{body}{}", " ".repeat(limits::RESPONSE_BODY - body.len()));
    assert!(run_with(&mut provider(), Ok((200, &fitted))).0.is_ok());
}

#[test]
fn replies_are_read_leniently_where_json_allows() {
    let cases = [
        // Unknown members of any shape are skipped, before and after.
        r#"{"Extra": [1, {"a": "b\"c"}], "Response": {"Future": {"x": [true, null]},
            "Credentials": {"Token": "T1", "TmpSecretId": "ID1", "TmpSecretKey": "K1", "N": 1.5},
            "ExpiredTime": 1700007200, "RequestId": "req-1"}, "Tail": null}"#
            .to_string(),
        // Escapes in values are decoded; `\/` is a plain slash.
        reply(
            &[(
                "Credentials",
                concat!(
                    r#"{"Token": "T\u0031", "TmpSecretId": "I\u0044\u0031", "#,
                    r#""TmpSecretKey": "\u004b1"}"#
                ),
            )],
            &[],
        ),
        // A whole number written as a float is the same second.
        reply(&[("ExpiredTime", "1700007200.0")], &[]),
        reply(&[("ExpiredTime", "1.7000072e9")], &[]),
        // Members in any order, whitespace anywhere.
        " { \"Response\" : { \"ExpiredTime\" : 1700007200 , \"Credentials\" : \
         { \"TmpSecretKey\" : \"K1\" , \"Token\" : \"T1\" , \"TmpSecretId\" : \"ID1\" } } } \n"
            .to_string(),
    ];
    for body in cases {
        let credential = run_with(&mut provider(), Ok((200, &body))).0.unwrap();
        assert_eq!(
            credential.credential_info(),
            ("ID1", "K1", Some("T1")),
            "{body}"
        );
        assert_eq!(credential.expires_at(), Some(1_700_007_200));
    }

    let slash = reply(
        &[("Credentials", &credentials("Token", Some(r#""a\/b+c=""#)))],
        &[],
    );
    let credential = run_with(&mut provider(), Ok((200, &slash))).0.unwrap();
    assert_eq!(credential.token(), Some("a/b+c="));
}

#[test]
fn api_error_texts_are_decoded_and_cut_to_fit() {
    let long_message = "m".repeat(600);
    let body = format!(
        concat!(
            r#"{{"Response":{{"Error":{{"Code":"Auth\u0046ailure","Message":"{}"}},"#,
            r#""RequestId":"r\ud83d\ude00"}}}}"#
        ),
        long_message
    );
    let e = error_for(200, &body);
    let api = e.api().unwrap();
    assert_eq!(api.code.as_str(), "AuthFailure");
    assert_eq!(api.request_id.as_str(), "r😀");
    assert_eq!(api.message.len(), 512);
    assert!(api.message.ends_with("mmm..."));

    // Only what is present is shown.
    let e = error_for(200, r#"{"Response":{"Error":{"Code":"InternalError"}}}"#);
    assert_eq!(
        e.to_string(),
        "sts: sts returned an error (code InternalError)"
    );
}

#[test]
fn transport_failures_are_transport_errors() {
    let cases = [
        (
            TransportError::Timeout,
            "sts: sts request failed: timed out",
        ),
        (
            TransportError::Refused,
            "sts: sts request failed: connection refused",
        ),
        (
            TransportError::UnknownHost,
            "sts: sts request failed: unknown host",
        ),
        (TransportError::Tls, "sts: sts request failed: tls failure"),
        (
            TransportError::Closed,
            "sts: sts request failed: connection closed before the response ended",
        ),
        (
            TransportError::Malformed,
            "sts: sts request failed: response is not valid http",
        ),
        (TransportError::Other, "sts: sts request failed"),
    ];
    for (failure, expected) in cases {
        let e = run_with(&mut provider(), Err(failure)).0.unwrap_err();
        assert_eq!(e.to_string(), expected);
        assert_eq!(e.kind(), ErrorKind::Transport);
    }
}

#[test]
fn poll_is_repeatable_and_keeps_its_first_timestamp() {
    let mut sts = provider();
    assert!(matches!(sts.poll(NOW), Step::Env(ENDPOINT_VARIABLE)));
    assert!(matches!(sts.poll(NOW), Step::Env(ENDPOINT_VARIABLE)));
    sts.handle_env(Ok(None));

    let first = match sts.poll(NOW) {
        Step::Http(request) => format!("{request:?} {:?} {:?}", request.headers, request.body),
        other => panic!("{other:?}"),
    };
    let again = match sts.poll(NOW + 30) {
        Step::Http(request) => format!("{request:?} {:?} {:?}", request.headers, request.body),
        other => panic!("{other:?}"),
    };
    assert_eq!(first, again);
    assert!(first.contains("\"1700000000\""));

    sts.handle_http(Ok(tencentcloud_credential::io::HttpResponse {
        status: 200,
        body: good().as_bytes(),
    }));
    assert!(matches!(sts.poll(NOW), Step::Done));
    assert!(matches!(sts.poll(NOW), Step::Done));
    assert!(sts.finish().is_ok());
}

#[test]
fn each_run_starts_over_with_a_new_timestamp() {
    let mut sts = provider();
    let mut w = world(&[]);
    w.http = w.http.reply(200, good()).reply(200, good());
    assert!(w.resolve(&mut sts).is_ok());
    w.clock.0 = NOW + 100;
    assert!(w.resolve(&mut sts).is_ok());
    let stamps: Vec<_> = w
        .http
        .seen
        .iter()
        .map(|s| s.header("X-TC-Timestamp"))
        .collect();
    assert_eq!(stamps, [Some("1700000000"), Some("1700000100")]);
    assert_eq!(w.env.asked, [ENDPOINT_VARIABLE, ENDPOINT_VARIABLE]);
    assert_eq!(w.http.seen[0].body, w.http.seen[1].body);
}

#[test]
fn wrong_answers_end_the_run_with_an_error() {
    let mut sts = provider();
    let _ = sts.poll(NOW);
    sts.handle_file(Ok(b"x"));
    assert!(matches!(sts.poll(NOW), Step::Done));
    let e = sts.finish().unwrap_err();
    assert_eq!(
        e.to_string(),
        "sts: driver answered a step the provider did not ask for"
    );

    // An HTTP answer before the request was handed out.
    let mut sts = provider();
    sts.handle_http(Err(TransportError::Timeout));
    assert!(sts.finish().is_err());

    // Finishing early is an error too, and the next run is clean.
    let mut sts = provider();
    let _ = sts.poll(NOW);
    assert!(sts.finish().is_err());
    let (outcome, _) = run_with(&mut sts, Ok((200, &good())));
    assert!(outcome.is_ok());
}

#[test]
fn debug_shows_no_secret() {
    let source = Credential::new(ID, "s3cr3tKEYvalue", Some("src-t0ken")).unwrap();
    let mut sts = StsProvider::new(source, ROLE, "sess")
        .with_external_id("ext-s3cret")
        .with_policy("policy-text");
    let shown = format!("{sts:?}");
    for secret in [
        "s3cr3tKEYvalue",
        "src-t0ken",
        "ext-s3cret",
        "policy-text",
        ID,
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains(ROLE) && shown.contains("sess"));

    // Nor while a signed request is held.
    let _ = sts.poll(NOW);
    sts.handle_env(Ok(None));
    let step = format!("{:?}", sts.poll(NOW));
    let shown = format!("{sts:?} {step}");
    for secret in ["s3cr3tKEYvalue", "src-t0ken", "ext-s3cret", "Signature="] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}
