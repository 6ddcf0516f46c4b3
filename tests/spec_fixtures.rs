//! The reply and file fixtures of the spec's `test-vectors.md` (sections 6
//! to 9), copied verbatim and fed through the provider machines and the
//! public parsers: the exact credential, or the exact Tencent error.
// The crate's `Error` is large by design (bounded context, no allocation).
#![allow(clippy::result_large_err)]

mod support;

use support::{Seen, World};
use tencentcloud_credential::provider::profile::{self, Entry};
use tencentcloud_credential::provider::sts_reply;
use tencentcloud_credential::sign::request::REQUEST_CLIENT;
use tencentcloud_credential::{
    Credential, CvmProvider, Error, ErrorKind, OidcProvider, ProfileProvider, Provider,
    ProviderKind, StsProvider, TkeProvider,
};

/// Tencent's published example credential, the long-term one behind AssumeRole.
const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
/// A time before every synthetic fixture's expiry (2100-01-01).
const NOW: u64 = 1_700_000_000;

/// 6.1: the published `AssumeRole` response.
const ASSUME_ROLE: &str = r#"{
    "Response": {
        "Credentials": {
            "Token": "da1e***",
            "TmpSecretId": "AKID***",
            "TmpSecretKey": "q95K***"
        },
        "ExpiredTime": 1543914376,
        "Expiration": "2018-12-04T09:06:16Z",
        "RequestId": "4daec797-9cd2-4f09-9e7a-7d4c43b2a74c"
    }
}"#;

/// 6.2: the published `AssumeRoleWithWebIdentity` response.
const WEB_IDENTITY: &str = r#"{
    "Response": {
        "ExpiredTime": 1543914376,
        "Expiration": "2018-12-04T09:06:16Z",
        "Credentials": {
            "Token": "1siMD***",
            "TmpSecretId": "AKID***",
            "TmpSecretKey": "q95K***"
        },
        "RequestId": "f6e7cbcb-add1-47bd-9097-d08cf8f3a919"
    }
}"#;

/// 6.3: the published `GetFederationToken` response (the same shape).
const FEDERATION_TOKEN: &str = r#"{
    "Response": {
        "Credentials": {
            "Token": "kTRt***",
            "TmpSecretId": "AKID***",
            "TmpSecretKey": "Eo28***"
        },
        "Expiration": "2023-06-14T05:06:57Z",
        "ExpiredTime": 1686719217,
        "RequestId": "59a5e07e-4147-4d2e-a808-dca76ac5b3fd"
    }
}"#;

/// 6.5: the synthetic `AssumeRole` success.
const FAKE_ASSUME_ROLE: &str = concat!(
    r#"{"Response":{"Credentials":{"Token":"FAKE-TOKEN-0000","TmpSecretId":"AKIDFAKETMPSECRETID0000","#,
    r#""TmpSecretKey":"FAKETMPSECRETKEY0000"},"ExpiredTime":4102444800,"#,
    r#""Expiration":"2100-01-01T00:00:00Z","RequestId":"00000000-0000-0000-0000-000000000001"}}"#
);

/// 6.5: the synthetic `AssumeRoleWithWebIdentity` success.
const FAKE_WEB_IDENTITY: &str = concat!(
    r#"{"Response":{"ExpiredTime":4102444800,"Expiration":"2100-01-01T00:00:00Z","#,
    r#""Credentials":{"Token":"FAKE-OIDC-TOKEN-0000","TmpSecretId":"AKIDFAKEOIDCSECRETID0000","#,
    r#""TmpSecretKey":"FAKEOIDCSECRETKEY0000"},"RequestId":"00000000-0000-0000-0000-000000000002"}}"#
);

/// 6.5: the synthetic STS error.
const FAKE_STS_ERROR: &str = concat!(
    r#"{"Response":{"Error":{"Code":"InvalidParameter.WebIdentityTokenError","#,
    r#""Message":"fake message for tests"},"RequestId":"00000000-0000-0000-0000-000000000003"}}"#
);

/// 7: the published metadata credentials document of role `CVMas`.
const CVM_DOCUMENT: &str = r#"{
  "TmpSecretId": "AKIDoQMxF8OPg0gA7pyZIA6cW447p225cIt9NW8dhA1dwl5UvxxxxxxxxxUqRlEb5_",
  "TmpSecretKey": "Q9z24VucjF4xQQNV64qwF6uWY71PEsH3exxxxxxxxxgA=",
  "ExpiredTime": 1615590047,
  "Expiration": "2021-03-12T23:00:47Z",
  "Token": "xxxxxxxxxxx",
  "Code": "Success"
}"#;

/// 8: the published signature failure (sent with HTTP 200).
const SIGNATURE_FAILURE: &str = r#"{
    "Response": {
        "Error": {
            "Code": "AuthFailure.SignatureFailure",
            "Message": "The provided credentials could not be validated. Please check your signature is correct."
        },
        "RequestId": "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6"
    }
}"#;

/// 8: the synthetic expired-signature error.
const SIGNATURE_EXPIRE: &str = concat!(
    r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"fake: signature expired"},"#,
    r#""RequestId":"00000000-0000-0000-0000-000000000004"}}"#
);

/// 8: the published success shape of another API.
const OTHER_SUCCESS: &str = r#"{
    "Response": {
        "TotalCount": 0,
        "InstanceStatusSet": [],
        "RequestId": "b5b41468-520d-4192-b42f-595cc34b6c1c"
    }
}"#;

/// 9: the SDK credentials file.
const SDK_INI: &str = "[default]
secret_id = AKIDFAKEFILESECRETID0000
secret_key = FAKEFILESECRETKEY0000";

/// 9: the Go SDK's INI parser test file, verbatim.
const GO_INI: &str = "app=tencentcloud-sdk-go

# default
[default]
key1 = value1
 key2 = 2

;section 2
[custom]
customKey1 = 3.1415
customKey2 = true";

fn world_at(now: u64, vars: &[(&str, &str)], files: &[(&str, &[u8])]) -> World {
    let mut w = World::new(vars, files);
    w.clock.0 = now;
    w
}

/// Runs `provider` at `now` against one STS reply.
fn sts_run(
    provider: &mut dyn Provider,
    now: u64,
    status: u16,
    reply: &str,
) -> (Result<Credential, Error>, World) {
    let mut w = world_at(now, &[], &[]);
    w.http = w.http.reply(status, reply);
    let outcome = w.resolve(provider);
    (outcome, w)
}

fn assume_role(role: &str, session: &str) -> StsProvider {
    StsProvider::new(Credential::new(ID, KEY, None).unwrap(), role, session)
}

fn web_identity() -> OidcProvider {
    OidcProvider::new(
        "ap-guangzhou",
        "OIDC",
        "eyJraWQiOiJkT**********CNOQ",
        "qcs::cam::uin/7989***:roleName/OneLogin-Role",
        "test_OIDC",
    )
    .with_duration(1800)
}

fn only(w: &World) -> &Seen {
    assert_eq!(w.http.seen.len(), 1);
    &w.http.seen[0]
}

fn header_list(seen: &Seen) -> Vec<(&str, &str)> {
    seen.headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

fn info(c: &Credential) -> (&str, &str, Option<&str>, Option<u64>) {
    let (id, key, token) = c.credential_info();
    (id, key, token, c.expires_at())
}

#[test]
fn published_assume_role_reply_through_sts() {
    // Two hours before the fixture's expiry.
    let now = 1_543_914_376 - 7200;
    let mut sts = assume_role("qcs::cam::uin/100015158414:roleName/readOnlyRole", "cts");
    let (outcome, w) = sts_run(&mut sts, now, 200, ASSUME_ROLE);
    let credential = outcome.unwrap();
    assert_eq!(
        info(&credential),
        ("AKID***", "q95K***", Some("da1e***"), Some(1_543_914_376))
    );

    // The published request, with the duration the reference always sends.
    let seen = only(&w);
    assert_eq!(
        (seen.method, seen.url.as_str()),
        ("POST", "https://sts.tencentcloudapi.com/")
    );
    assert_eq!(
        std::str::from_utf8(&seen.body).unwrap(),
        concat!(
            r#"{"RoleArn": "qcs::cam::uin/100015158414:roleName/readOnlyRole", "#,
            r#""RoleSessionName": "cts", "DurationSeconds": 7200}"#
        )
    );
    // The signature was computed apart, with Python's hmac and hashlib, from
    // the documented algorithm (the same code reproduces vector A's 72e494ea...).
    let authorization = "TC3-HMAC-SHA256 \
        Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2018-12-04/sts/tc3_request, \
        SignedHeaders=content-type;host, \
        Signature=111f038e595deb34a456c4cf042a113634c2f35bb931c4771321627481339b55";
    assert_eq!(
        header_list(seen),
        [
            ("Authorization", authorization),
            ("Content-Type", "application/json"),
            ("Host", "sts.tencentcloudapi.com"),
            ("X-TC-Action", "AssumeRole"),
            ("X-TC-Timestamp", "1543907176"),
            ("X-TC-Version", "2018-08-13"),
            ("X-TC-Region", "ap-guangzhou"),
            ("X-TC-RequestClient", REQUEST_CLIENT),
        ]
    );
}

#[test]
fn published_web_identity_reply_through_oidc() {
    let now = 1_543_914_376 - 1800;
    let (outcome, w) = sts_run(&mut web_identity(), now, 200, WEB_IDENTITY);
    assert_eq!(
        info(&outcome.unwrap()),
        ("AKID***", "q95K***", Some("1siMD***"), Some(1_543_914_376))
    );
    // The published request, but `DurationSeconds` as the integer it is typed.
    let seen = only(&w);
    assert_eq!(
        std::str::from_utf8(&seen.body).unwrap(),
        concat!(
            r#"{"ProviderId": "OIDC", "WebIdentityToken": "eyJraWQiOiJkT**********CNOQ", "#,
            r#""RoleArn": "qcs::cam::uin/7989***:roleName/OneLogin-Role", "#,
            r#""RoleSessionName": "test_OIDC", "DurationSeconds": 1800}"#
        )
    );
    assert_eq!(
        seen.header("X-TC-Action"),
        Some("AssumeRoleWithWebIdentity")
    );
    assert_eq!(seen.header("Authorization"), Some("SKIP"));
}

#[test]
fn published_replies_read_by_the_parser() {
    // (reply, now, id, key, token, expiry)
    let cases = [
        (
            ASSUME_ROLE,
            1_543_914_375,
            "AKID***",
            "q95K***",
            "da1e***",
            1_543_914_376,
        ),
        (
            WEB_IDENTITY,
            1_543_914_375,
            "AKID***",
            "q95K***",
            "1siMD***",
            1_543_914_376,
        ),
        (
            FEDERATION_TOKEN,
            1_686_719_216,
            "AKID***",
            "Eo28***",
            "kTRt***",
            1_686_719_217,
        ),
        (
            FAKE_ASSUME_ROLE,
            NOW,
            "AKIDFAKETMPSECRETID0000",
            "FAKETMPSECRETKEY0000",
            "FAKE-TOKEN-0000",
            4_102_444_800,
        ),
        (
            FAKE_WEB_IDENTITY,
            NOW,
            "AKIDFAKEOIDCSECRETID0000",
            "FAKEOIDCSECRETKEY0000",
            "FAKE-OIDC-TOKEN-0000",
            4_102_444_800,
        ),
    ];
    for (reply, now, id, key, token, expiry) in cases {
        let credential = sts_reply::parse(200, reply.as_bytes(), now).unwrap();
        assert_eq!(info(&credential), (id, key, Some(token), Some(expiry)));
        // At its expiry a published credential is refused.
        let e = sts_reply::parse(200, reply.as_bytes(), expiry).unwrap_err();
        assert_eq!(e.to_string(), "credentials expired on arrival");
        assert_eq!(e.kind(), ErrorKind::Expired);
    }
}

#[test]
fn synthetic_successes_through_sts_and_oidc() {
    let (outcome, _) = sts_run(&mut assume_role("arn", "sess"), NOW, 200, FAKE_ASSUME_ROLE);
    assert_eq!(
        info(&outcome.unwrap()),
        (
            "AKIDFAKETMPSECRETID0000",
            "FAKETMPSECRETKEY0000",
            Some("FAKE-TOKEN-0000"),
            Some(4_102_444_800)
        )
    );
    let (outcome, _) = sts_run(&mut web_identity(), NOW, 200, FAKE_WEB_IDENTITY);
    assert_eq!(
        info(&outcome.unwrap()),
        (
            "AKIDFAKEOIDCSECRETID0000",
            "FAKEOIDCSECRETKEY0000",
            Some("FAKE-OIDC-TOKEN-0000"),
            Some(4_102_444_800)
        )
    );
}

#[test]
fn tke_sends_the_headers_of_the_published_demo() {
    // TKE-DOC's demo: sts.internal, X-TC-Timestamp 1659944952, the region of TKE_REGION.
    let token = "/var/run/secrets/tke.cloud.tencent.com/identity/token";
    let vars = [
        ("TKE_REGION", "ap-guangzhou"),
        ("TKE_PROVIDER_ID", "OIDC"),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", token),
        (
            "TKE_ROLE_ARN",
            "qcs::cam::uin/7989***:roleName/OneLogin-Role",
        ),
        ("TKE_ROLE_SESSION_NAME", "test_OIDC"),
        (
            "TENCENTCLOUD_STS_ENDPOINT",
            "sts.internal.tencentcloudapi.com",
        ),
    ];
    let mut w = world_at(
        1_659_944_952,
        &vars,
        &[(token, b"eyJraWQiOiJkT**********CNOQ\n")],
    );
    w.http = w.http.reply(200, FAKE_WEB_IDENTITY);
    let credential = w.resolve(&mut TkeProvider::new()).unwrap();
    assert_eq!(credential.token(), Some("FAKE-OIDC-TOKEN-0000"));
    let seen = only(&w);
    assert_eq!(seen.url, "https://sts.internal.tencentcloudapi.com/");
    assert_eq!(
        header_list(seen),
        [
            ("Authorization", "SKIP"),
            ("Content-Type", "application/json"),
            ("Host", "sts.internal.tencentcloudapi.com"),
            ("X-TC-Action", "AssumeRoleWithWebIdentity"),
            ("X-TC-Timestamp", "1659944952"),
            ("X-TC-Version", "2018-08-13"),
            ("X-TC-Region", "ap-guangzhou"),
            ("X-TC-RequestClient", REQUEST_CLIENT),
        ]
    );
    // The same names as the demo's, case aside.
    let mut published = [
        "authorization",
        "x-tc-action",
        "host",
        "x-tc-requestclient",
        "x-tc-version",
        "x-tc-region",
        "x-tc-timestamp",
        "content-type",
    ];
    published.sort_unstable();
    let mut sent: Vec<String> = seen.headers.iter().map(|(n, _)| n.to_lowercase()).collect();
    sent.sort_unstable();
    assert_eq!(sent, published);
}

#[test]
fn error_replies_carry_code_message_and_request_id() {
    let failure = "The provided credentials could not be validated. \
                   Please check your signature is correct.";
    // (reply, code, message, request id)
    let cases = [
        (
            SIGNATURE_FAILURE,
            "AuthFailure.SignatureFailure",
            failure,
            "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6",
        ),
        (
            SIGNATURE_EXPIRE,
            "AuthFailure.SignatureExpire",
            "fake: signature expired",
            "00000000-0000-0000-0000-000000000004",
        ),
        (
            FAKE_STS_ERROR,
            "InvalidParameter.WebIdentityTokenError",
            "fake message for tests",
            "00000000-0000-0000-0000-000000000003",
        ),
    ];
    for (reply, code, message, request_id) in cases {
        let expected = format!(
            "sts returned an error (code {code}, message {message}, request id {request_id})"
        );
        let e = sts_reply::parse(200, reply.as_bytes(), NOW).unwrap_err();
        assert_eq!(e.to_string(), expected);

        let runs: [(ProviderKind, Box<dyn Provider>); 2] = [
            (ProviderKind::Sts, Box::new(assume_role("arn", "sess"))),
            (ProviderKind::Oidc, Box::new(web_identity())),
        ];
        for (name, mut provider) in runs {
            let (outcome, _) = sts_run(&mut *provider, NOW, 200, reply);
            let e = outcome.unwrap_err();
            assert_eq!(e.to_string(), format!("{name}: {expected}"));
            assert_eq!((e.kind(), e.provider()), (ErrorKind::Api, Some(name)));
            let api = e.api().unwrap();
            assert_eq!(
                (
                    api.code.as_str(),
                    api.message.as_str(),
                    api.request_id.as_str()
                ),
                (code, message, request_id)
            );
            assert_eq!(e.status(), None);
        }
    }
}

#[test]
fn another_apis_success_is_no_api_error() {
    // `tccred call` reads replies with the STS parser to find API errors: a
    // success of another API must not look like one.
    let e = sts_reply::parse(200, OTHER_SUCCESS.as_bytes(), NOW).unwrap_err();
    assert_eq!(
        e.to_string(),
        "sts reply lacks a field (key Response.Credentials)"
    );
    assert_eq!((e.kind(), e.api()), (ErrorKind::Parse, None));
}

/// The role list and the published document, through a standalone CVM provider.
fn cvm_run(document: &str, now: u64) -> (Result<Credential, Error>, World) {
    let mut w = world_at(now, &[], &[]);
    w.http = w.http.reply(200, "CVMas").reply(200, document);
    let outcome = w.resolve(&mut CvmProvider::new());
    (outcome, w)
}

#[test]
fn published_metadata_document_through_cvm() {
    let (outcome, w) = cvm_run(CVM_DOCUMENT, 1_615_590_047 - 3600);
    assert_eq!(
        info(&outcome.unwrap()),
        (
            "AKIDoQMxF8OPg0gA7pyZIA6cW447p225cIt9NW8dhA1dwl5UvxxxxxxxxxUqRlEb5_",
            "Q9z24VucjF4xQQNV64qwF6uWY71PEsH3exxxxxxxxxgA=",
            Some("xxxxxxxxxxx"),
            Some(1_615_590_047)
        )
    );
    let urls: Vec<(&str, &str)> = w
        .http
        .seen
        .iter()
        .map(|s| (s.method, s.url.as_str()))
        .collect();
    assert_eq!(
        urls,
        [
            (
                "GET",
                "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/"
            ),
            (
                "GET",
                "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/CVMas"
            ),
        ]
    );

    // The shorter masked forms of the translated copies read the same way.
    let short = CVM_DOCUMENT
        .replace(
            "AKIDoQMxF8OPg0gA7pyZIA6cW447p225cIt9NW8dhA1dwl5UvxxxxxxxxxUqRlEb5_",
            "AKIDoQMxA6cW447p225cIt9NW8dhA1dwl5UvxxxxxxxxxUqRlEb5_",
        )
        .replace(
            "Q9z24VucjF4xQQNV64qwF6uWY71PEsH3exxxxxxxxxgA=",
            "Q9z24VucjF4xQQN1PEsH3exxxxxxxxxgA=",
        );
    let (outcome, _) = cvm_run(&short, 1_615_590_046);
    assert_eq!(
        outcome.unwrap().credential_info(),
        (
            "AKIDoQMxA6cW447p225cIt9NW8dhA1dwl5UvxxxxxxxxxUqRlEb5_",
            "Q9z24VucjF4xQQN1PEsH3exxxxxxxxxgA=",
            Some("xxxxxxxxxxx")
        )
    );

    // Read at its expiry, the document is refused.
    let (outcome, _) = cvm_run(CVM_DOCUMENT, 1_615_590_047);
    let e = outcome.unwrap_err();
    assert_eq!(e.to_string(), "cvm: credentials expired on arrival");
    assert_eq!(e.kind(), ErrorKind::Expired);
}

#[test]
fn sdk_credentials_file_parses() {
    let found = profile::parse(SDK_INI.as_bytes(), "default").unwrap();
    assert!(found.found);
    assert_eq!(
        found.secret_id,
        Some(Entry {
            value: "AKIDFAKEFILESECRETID0000",
            line: 2
        })
    );
    assert_eq!(
        found.secret_key,
        Some(Entry {
            value: "FAKEFILESECRETKEY0000",
            line: 3
        })
    );
    assert_eq!(found.token, None);
    assert!(!profile::parse(SDK_INI.as_bytes(), "Default").unwrap().found);
}

#[test]
fn sdk_credentials_file_through_profile_from_each_place() {
    let file = SDK_INI.as_bytes();
    // (variables, the one file there is)
    let cases: [(&[(&str, &str)], &str); 3] = [
        (&[], "~/.tencentcloud/credentials"),
        (&[], "/etc/tencentcloud/credentials"),
        (
            &[("TENCENTCLOUD_CREDENTIALS_FILE", "/srv/credentials")],
            "/srv/credentials",
        ),
    ];
    for (vars, path) in cases {
        let mut w = world_at(NOW, vars, &[(path, file)]);
        let credential = w.resolve(&mut ProfileProvider::new()).unwrap();
        assert_eq!(
            info(&credential),
            (
                "AKIDFAKEFILESECRETID0000",
                "FAKEFILESECRETKEY0000",
                None,
                None
            )
        );
        assert_eq!(w.files.asked.last().map(String::as_str), Some(path));
    }
}

#[test]
fn go_sdk_ini_test_file_parses() {
    // Both sections are found; neither holds a credential key, and `app`
    // before the first section belongs to none.
    for name in ["default", "custom"] {
        let found = profile::parse(GO_INI.as_bytes(), name).unwrap();
        assert_eq!(
            (found.found, found.secret_id, found.secret_key, found.token),
            (true, None, None, None),
            "{name}"
        );
    }
    for name in ["app", "section 2", "Custom"] {
        assert!(!profile::parse(GO_INI.as_bytes(), name).unwrap().found);
    }
}

#[test]
fn go_sdk_ini_test_file_through_profile() {
    let path = "/srv/testdata_valid.ini";
    // (profile chosen, message, kind)
    let cases = [
        (
            None,
            "profile: key is missing (file /srv/testdata_valid.ini, profile default, key secret_id)",
            ErrorKind::InvalidInput,
        ),
        (
            Some("custom"),
            "profile: key is missing (file /srv/testdata_valid.ini, profile custom, key secret_id)",
            ErrorKind::InvalidInput,
        ),
        (
            Some("app"),
            "profile: profile not found (file /srv/testdata_valid.ini, profile app)",
            ErrorKind::InvalidInput,
        ),
    ];
    for (chosen, message, kind) in cases {
        let mut vars = vec![("TENCENTCLOUD_CREDENTIALS_FILE", path)];
        vars.extend(chosen.map(|name| ("TENCENTCLOUD_PROFILE", name)));
        let mut w = world_at(NOW, &vars, &[(path, GO_INI.as_bytes())]);
        let e = w.resolve(&mut ProfileProvider::new()).unwrap_err();
        assert_eq!(e.to_string(), message);
        assert_eq!(
            (e.kind(), e.provider()),
            (kind, Some(ProviderKind::Profile))
        );
    }
}
