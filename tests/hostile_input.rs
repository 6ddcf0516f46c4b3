//! Hostile inputs, through the library and through `tccred`: bodies of
//! megabytes, values over the limits, invalid UTF-8, NUL and CR/LF, odd
//! `ExpiredTime`s, deeply nested and duplicate-keyed JSON, truncated bodies,
//! answers nobody asked for and a server that never answers. Each ends in a
//! clear error, in time, and nothing secret is printed: every secret below
//! holds `HIDDEN`, which no error or output may show.

// The crate's error is large by design (the core cannot box it).
#![allow(clippy::result_large_err)]

mod support;

use std::net::TcpListener;
use std::process::{Command, Output};
use std::thread;
use std::time::{Duration, Instant};

use support::loopback::{http_200, scratch_dir, serve};
use support::World;
use tencentcloud_credential::io::{FileError, HttpResponse};
use tencentcloud_credential::provider::profile::parse;
use tencentcloud_credential::provider::sts_reply;
use tencentcloud_credential::{
    Credential, CvmProvider, DefaultChain, EnvProvider, Error, OidcProvider, ProfileProvider,
    Provider, Step, StsProvider, TkeProvider,
};

const MB: usize = 1024 * 1024;
const NOW: u64 = 1_700_000_000;

/// The error's text, after checking that neither it nor its `Debug` shows a secret.
fn shown(e: &Error) -> String {
    let (text, debug) = (e.to_string(), format!("{e:?}"));
    assert!(!text.contains("HIDDEN"), "{text}");
    assert!(!debug.contains("HIDDEN"), "{debug}");
    text
}

fn sts_body(token: &str, expired_time: &str) -> String {
    format!(r#"{{"Response":{{"Credentials":{{"Token":"{token}","TmpSecretId":"AKIDtmp","#)
        + &format!(
            r#""TmpSecretKey":"HIDDEN-key"}},"ExpiredTime":{expired_time},"RequestId":"r1"}}}}"#
        )
}

fn metadata_body(token: &str, expired_time: &str) -> String {
    format!(r#"{{"TmpSecretId":"AKIDtmp","TmpSecretKey":"HIDDEN-key","Token":"{token}","#)
        + &format!(r#""ExpiredTime":{expired_time},"Code":"Success"}}"#)
}

/// The credentials document `body` run through a CVM provider with a given role.
fn metadata(body: &[u8]) -> Result<Credential, Error> {
    let mut world = World::new(&[], &[]);
    world.http = world.http.reply(200, body);
    let mut cvm = CvmProvider::new()
        .with_role_name("role")
        .with_endpoint("http://127.0.0.1:1");
    world.resolve(&mut cvm)
}

fn metadata_error(body: &[u8]) -> String {
    shown(&metadata(body).expect_err("hostile document accepted"))
}

fn sts_error(status: u16, body: &[u8]) -> String {
    shown(&sts_reply::parse(status, body, NOW).expect_err("hostile reply accepted"))
}

#[test]
fn bodies_of_megabytes_are_refused_by_their_limit() {
    let big = format!(r#"{{"Response":{{"Note":"{}"}}}}"#, "HIDDEN".repeat(MB));
    assert_eq!(
        sts_error(200, big.as_bytes()),
        "sts reply is too long (limit 16384 bytes)"
    );
    assert_eq!(
        sts_error(500, big.as_bytes()),
        "sts reply is too long (limit 16384 bytes, http status 500)"
    );
    assert_eq!(
        metadata_error(big.as_bytes()),
        "cvm: metadata response is too long (limit 16384 bytes)"
    );

    let mut world = World::new(&[], &[]);
    world.http = world.http.reply(200, "HIDDEN\n".repeat(MB));
    let mut cvm = CvmProvider::new().with_endpoint("http://127.0.0.1:1");
    let e = world.resolve(&mut cvm).unwrap_err();
    assert_eq!(
        shown(&e),
        "cvm: metadata response is too long (limit 16384 bytes)"
    );

    let file = format!(
        "[default]\nsecret_id = a\nsecret_key = HIDDEN\n{}",
        "#\n".repeat(MB)
    );
    let e = parse(file.as_bytes(), "default").unwrap_err();
    assert_eq!(
        shown(&e),
        "credentials file is too large (limit 65536 bytes)"
    );
    let mut world = World::new(&[], &[("/c", file.as_bytes())]);
    let mut profile = ProfileProvider::new().with_file("/c").unwrap();
    let e = world.resolve(&mut profile).unwrap_err();
    assert_eq!(
        shown(&e),
        "profile: credentials file is too large (file /c, limit 65536 bytes)"
    );
}

/// TKE variables naming the token file `/token`.
const TKE_VARS: [(&str, &str); 4] = [
    ("TKE_REGION", "ap-guangzhou"),
    ("TKE_PROVIDER_ID", "OIDC"),
    ("TKE_WEB_IDENTITY_TOKEN_FILE", "/token"),
    ("TKE_ROLE_ARN", "qcs::cam::uin/1:roleName/r"),
];

#[test]
fn values_over_the_limits_are_capacity_errors() {
    let long_token = "HIDDEN".repeat(700); // 4200 bytes, over the 4096 limit
    let mut world = World::new(
        &[
            ("TENCENTCLOUD_SECRET_ID", "AKID1"),
            ("TENCENTCLOUD_SECRET_KEY", "HIDDEN-key"),
            ("TENCENTCLOUD_SESSION_TOKEN", &long_token),
        ],
        &[],
    );
    let e = world.resolve(&mut EnvProvider::new()).unwrap_err();
    assert_eq!(
        shown(&e),
        "env: token is too long (variable TENCENTCLOUD_SESSION_TOKEN, limit 4096 bytes)"
    );

    type Reader = dyn Fn(&[u8]) -> String;
    let cases: [(&Reader, String, &str); 2] = [
        (
            &|b| sts_error(200, b),
            sts_body(&long_token, "4102444800"),
            "sts reply field is too long (key Response.Credentials.Token, limit 4096 bytes)",
        ),
        (
            &metadata_error,
            metadata_body(&long_token, "4102444800"),
            "cvm: metadata credentials field is too long (key Token, limit 4096 bytes)",
        ),
    ];
    for (run, body, expected) in cases {
        assert_eq!(run(body.as_bytes()), expected);
    }

    let mut world = World::new(&TKE_VARS, &[("/token", long_token.as_bytes())]);
    let e = world.resolve(&mut TkeProvider::new()).unwrap_err();
    assert_eq!(
        shown(&e),
        "tke: web identity token file is too long \
         (file /token, variable TKE_WEB_IDENTITY_TOKEN_FILE, limit 4096 bytes)"
    );

    let source = Credential::new("AKIDsource", "HIDDEN-source", None).unwrap();
    let mut sts = StsProvider::new(source, "arn", "session").with_policy(&"p".repeat(5000));
    let e = World::new(&[], &[]).resolve(&mut sts).unwrap_err();
    assert_eq!(shown(&e), "sts: policy is too long (limit 4096 bytes)");
    let mut oidc = OidcProvider::new("ap-guangzhou", "OIDC", &long_token, "arn", "session");
    let e = World::new(&[], &[]).resolve(&mut oidc).unwrap_err();
    assert_eq!(
        shown(&e),
        "oidc: web identity token is too long (limit 4096 bytes)"
    );
}

#[test]
fn invalid_utf8_is_refused_everywhere() {
    for variable in [
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "TENCENTCLOUD_SESSION_TOKEN",
    ] {
        let mut world = World::new(
            &[
                ("TENCENTCLOUD_SECRET_ID", "AKID1"),
                ("TENCENTCLOUD_SECRET_KEY", "HIDDEN-key"),
            ],
            &[],
        );
        world.env = world.env.not_unicode(variable);
        let e = world.resolve(&mut EnvProvider::new()).unwrap_err();
        assert_eq!(
            shown(&e),
            format!("env: value is not valid utf-8 (variable {variable})")
        );
    }

    let file = b"[default]\nsecret_id = AKID1\nsecret_key = HIDDEN\xff\xfe\n";
    let mut world = World::new(&[], &[("/c", file)]);
    let e = world
        .resolve(&mut ProfileProvider::new().with_file("/c").unwrap())
        .unwrap_err();
    assert_eq!(
        shown(&e),
        "profile: line is not valid utf-8 (file /c, line 3)"
    );

    let mut world = World::new(&TKE_VARS, &[("/token", b"HIDDEN\xff")]);
    let e = world.resolve(&mut TkeProvider::new()).unwrap_err();
    assert_eq!(
        shown(&e),
        "tke: web identity token file is not valid utf-8 \
         (file /token, variable TKE_WEB_IDENTITY_TOKEN_FILE)"
    );

    let mut world = World::new(&[], &[]);
    world.http = world.http.reply(200, b"role\xff");
    let e = world
        .resolve(&mut CvmProvider::new().with_endpoint("http://127.0.0.1:1"))
        .unwrap_err();
    assert_eq!(shown(&e), "cvm: metadata role list is not valid utf-8");

    let mut body = sts_body("HIDDEN-token", "4102444800").into_bytes();
    body.splice(40..40, *b"\xff");
    assert_eq!(sts_error(200, &body), "sts reply is malformed");
    let mut body = metadata_body("HIDDEN-token", "4102444800").into_bytes();
    body.splice(20..20, *b"\xc3");
    assert_eq!(
        metadata_error(&body),
        "cvm: metadata credentials document is malformed"
    );
}

#[test]
fn nul_and_crlf_are_refused_in_every_value() {
    for bad in ["HIDDEN\0x", "HIDDEN\r\nX-Evil: 1", "HIDDEN\n"] {
        for (variable, what) in [
            ("TENCENTCLOUD_SECRET_ID", "secret id"),
            ("TENCENTCLOUD_SECRET_KEY", "secret key"),
            ("TENCENTCLOUD_SESSION_TOKEN", "token"),
        ] {
            let mut vars = vec![
                ("TENCENTCLOUD_SECRET_ID", "AKID1"),
                ("TENCENTCLOUD_SECRET_KEY", "HIDDEN-key"),
            ];
            vars.retain(|(name, _)| *name != variable);
            vars.push((variable, bad));
            let e = World::new(&vars, &[])
                .resolve(&mut EnvProvider::new())
                .unwrap_err();
            let reason = if bad.ends_with('\n') {
                "spaces"
            } else {
                "control characters"
            };
            assert_eq!(
                shown(&e),
                format!("env: {what} should not contain {reason} (variable {variable})")
            );
        }
    }

    let file = "[default]\nsecret_id = AKID1\nsecret_key = HIDDEN\0key\n";
    let mut world = World::new(&[], &[("/c", file.as_bytes())]);
    let e = world
        .resolve(&mut ProfileProvider::new().with_file("/c").unwrap())
        .unwrap_err();
    assert_eq!(
        shown(&e),
        "profile: secret key should not contain control characters \
         (file /c, line 3, profile default, key secret_key)"
    );

    for token in [r"HIDDEN\u0000", r"HIDDEN\r\nX-Evil: 1"] {
        assert_eq!(
            sts_error(200, sts_body(token, "4102444800").as_bytes()),
            "token should not contain control characters (key Response.Credentials.Token)"
        );
        assert_eq!(
            metadata_error(metadata_body(token, "4102444800").as_bytes()),
            "cvm: token should not contain control characters (key Token)"
        );
    }

    let mut world = World::new(&[], &[]);
    world.http = world.http.reply(200, b"ro\0le");
    let e = world
        .resolve(&mut CvmProvider::new().with_endpoint("http://127.0.0.1:1"))
        .unwrap_err();
    assert_eq!(
        shown(&e),
        "cvm: role name has characters outside [A-Za-z0-9+=,.@_-]"
    );

    // A token file's inner CR/LF goes into the JSON body escaped, never into a header.
    let mut world = World::new(&TKE_VARS, &[("/token", b"HIDDEN\r\nX-Evil: 1\n")]);
    world.http = world.http.reply(200, sts_body("t", "4102444800"));
    world.resolve(&mut TkeProvider::new()).unwrap();
    let sent = &world.http.seen[0];
    assert!(sent.headers.iter().all(|(_, v)| !v.contains(['\r', '\n'])));
    assert!(String::from_utf8_lossy(&sent.body).contains(r#""HIDDEN\r\nX-Evil: 1""#));
}

#[test]
fn odd_expired_times_are_refused() {
    // (ExpiredTime as written, STS error, metadata error)
    let cases = [
        (
            "-1",
            "sts reply field has the wrong type (key Response.ExpiredTime)",
            "cvm: metadata credentials field is not a unix time (key ExpiredTime)",
        ),
        (
            "1e400",
            "sts reply field has the wrong type (key Response.ExpiredTime)",
            "cvm: metadata credentials field is not a unix time (key ExpiredTime)",
        ),
        (
            "99999999999999999999999",
            "sts reply field has the wrong type (key Response.ExpiredTime)",
            "cvm: metadata credentials field is not a unix time (key ExpiredTime)",
        ),
        (
            "253402300800",
            "",
            "cvm: metadata credentials field is not a unix time (key ExpiredTime)",
        ),
        (
            "\"4102444800\"",
            "sts reply field has the wrong type (key Response.ExpiredTime)",
            "cvm: metadata credentials field is not a unix time (key ExpiredTime)",
        ),
        (
            "4102444800.5",
            "sts reply field has the wrong type (key Response.ExpiredTime)",
            "cvm: metadata credentials field is not a unix time (key ExpiredTime)",
        ),
        (
            "null",
            "sts reply lacks a field (key Response.ExpiredTime)",
            "cvm: metadata credentials field is missing (key ExpiredTime)",
        ),
        (
            "1699999999",
            "credentials expired on arrival",
            "cvm: credentials expired on arrival",
        ),
    ];
    for (expired_time, sts, cvm) in cases {
        let body = sts_body("HIDDEN-token", expired_time);
        match sts_reply::parse(200, body.as_bytes(), NOW) {
            Ok(c) => assert_eq!((sts, c.expires_at()), ("", Some(253_402_300_800))),
            Err(e) => assert_eq!(shown(&e), sts, "{expired_time}"),
        }
        let body = metadata_body("HIDDEN-token", expired_time);
        assert_eq!(metadata_error(body.as_bytes()), cvm, "{expired_time}");
    }
    // A float that is a whole number of seconds is those seconds.
    let c = sts_reply::parse(200, sts_body("t", "4.1024448e9").as_bytes(), NOW).unwrap();
    assert_eq!(c.expires_at(), Some(4_102_444_800));
}

#[test]
fn deeply_nested_json_is_refused_before_it_is_read() {
    // The JSON reader recurses once per level: 5000 levels in a skipped
    // field once overflowed a test thread's stack. Now 16 levels is the most.
    let sts_deep = "sts reply is nested more than 16 levels deep";
    let cvm_deep = "cvm: metadata credentials document is nested more than 16 levels deep";
    for body in [
        "[".repeat(10_000),
        "{\"Response\":".repeat(10_000),
        format!("{}{}", "[".repeat(5000), "]".repeat(5000)),
        format!(
            r#"{{"Response":{{"Note":{}1{}}}}}"#,
            "[".repeat(5000),
            "]".repeat(5000)
        ),
        format!(
            r#"{{"Response":{{"Note":{}1{}}}}}"#,
            "[".repeat(15),
            "]".repeat(15)
        ),
    ] {
        let body = &body.as_bytes()[..body.len().min(16_000)];
        assert_eq!(sts_error(200, body), sts_deep);
        assert_eq!(metadata_error(body), cvm_deep);
    }
    // 16 levels are read as usual.
    let body = format!(
        r#"{{"Response":{{"Note":{}1{}}}}}"#,
        "[".repeat(14),
        "]".repeat(14)
    );
    assert_eq!(
        sts_error(200, body.as_bytes()),
        "sts reply lacks a field (key Response.Credentials)"
    );
}

#[test]
fn what_is_not_json_is_malformed_even_where_it_is_skipped() {
    for garbage in ["tru", "2100-01-01T00:00:00Z\"", "HIDDEN", "1.", "\"a\nb\""] {
        let body = sts_body("HIDDEN-token", "4102444800").replace(
            r#""RequestId""#,
            &format!(r#""Note":{garbage},"RequestId""#),
        );
        assert_eq!(
            sts_error(200, body.as_bytes()),
            "sts reply is malformed",
            "{garbage}"
        );
        let body = metadata_body("HIDDEN-token", "4102444800")
            .replace(r#""Code""#, &format!(r#""Note":{garbage},"Code""#));
        assert_eq!(
            metadata_error(body.as_bytes()),
            "cvm: metadata credentials document is malformed",
            "{garbage}"
        );
    }
}

#[test]
fn duplicate_json_keys_take_the_last_value_or_are_refused() {
    // STS: each field read again replaces the first reading, so the last wins.
    let body = sts_body("HIDDEN-token", "4102444800")
        .replace(r#""Token":"#, r#""Token":"HIDDEN-first","Token":"#);
    let c = sts_reply::parse(200, body.as_bytes(), NOW).unwrap();
    assert_eq!(c.token(), Some("HIDDEN-token"));
    // The metadata document is read by a derived reader, which refuses a field given twice.
    let body = metadata_body("HIDDEN-token", "4102444800")
        .replace(r#""Token":"#, r#""Token":"HIDDEN-first","Token":"#);
    assert_eq!(
        metadata_error(body.as_bytes()),
        "cvm: metadata credentials document is malformed"
    );
}

#[test]
fn every_truncation_of_a_good_body_is_an_error() {
    let sts = sts_body("HIDDEN-token", "4102444800");
    let document = metadata_body("HIDDEN-token", "4102444800");
    for end in 0..sts.len() {
        let e = sts_reply::parse(200, &sts.as_bytes()[..end], NOW).unwrap_err();
        shown(&e);
    }
    assert!(sts_reply::parse(200, sts.as_bytes(), NOW).is_ok());
    for end in 0..document.len() {
        shown(&metadata(&document.as_bytes()[..end]).unwrap_err());
    }
    assert!(metadata(document.as_bytes()).is_ok());
}

#[test]
fn an_answer_nobody_asked_for_ends_every_run() {
    let source = || Credential::new("AKIDsource", "HIDDEN-source", None).unwrap();
    let mut providers: Vec<(Box<dyn Provider>, &str)> = vec![
        (Box::new(EnvProvider::new()), "env"),
        (Box::new(ProfileProvider::new()), "profile"),
        (Box::new(TkeProvider::new()), "tke"),
        (Box::new(CvmProvider::new()), "cvm"),
        (
            Box::new(StsProvider::new(source(), "arn", "session")),
            "sts",
        ),
        (
            Box::new(OidcProvider::new(
                "ap-guangzhou",
                "OIDC",
                "HIDDEN",
                "arn",
                "session",
            )),
            "oidc",
        ),
        // The chain hands the answer to its first member, the environment.
        (Box::new(DefaultChain::new()), "env"),
    ];
    for (provider, name) in &mut providers {
        for answer in 0..4 {
            assert!(!matches!(provider.poll(NOW), Step::Done), "{name}");
            match answer {
                0 => provider.handle_slept(),
                1 => provider.handle_file(Err(FileError::Other)),
                2 => provider.handle_http(Ok(HttpResponse {
                    status: 200,
                    body: b"HIDDEN",
                })),
                _ => provider.handle_env(Ok(Some("HIDDEN"))),
            }
            // The environment variable is the one answer some providers did ask for.
            if answer == 3 {
                let mut steps = 0;
                while !matches!(provider.poll(NOW), Step::Done) && steps < 64 {
                    provider.handle_env(Ok(None));
                    steps += 1;
                }
                assert!(steps < 64, "{name} never finished");
                if let Err(e) = provider.finish() {
                    let shown = format!("{e} {e:?}");
                    assert!(!shown.contains("HIDDEN"), "{name}: {shown}");
                }
                continue;
            }
            assert!(matches!(provider.poll(NOW), Step::Done), "{name} {answer}");
            let e = provider.finish().unwrap_err();
            assert_eq!(
                shown(&e),
                format!("{name}: driver answered a step the provider did not ask for")
            );
        }
    }
}

// --- Through real sockets and the tccred binary --------------------------

/// A server that accepts connections and never answers.
fn silent() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    format!("http://{address}")
}

/// Runs `tccred args` with only `vars` set (and a home with nothing in it).
fn tccred(args: &[&str], vars: &[(&str, &std::ffi::OsStr)]) -> Output {
    let home = scratch_dir();
    let mut command = Command::new(env!("CARGO_BIN_EXE_tccred"));
    command
        .args(args)
        .env_clear()
        .env("HOME", &home)
        // Nothing listens here: the chain's metadata step passes at once.
        .env("TENCENTCLOUD_METADATA_ENDPOINT", "http://127.0.0.1:1");
    for (name, value) in vars {
        command.env(name, value);
    }
    command.output().unwrap()
}

/// Checks a failed run: exit 1, `message` on stderr, nothing secret anywhere.
fn fails_with(output: &Output, message: &str) {
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "stdout {out:?}, stderr {err:?}"
    );
    assert_eq!(out, "");
    assert_eq!(err, format!("tccred: {message}\n"));
    assert!(!err.contains("HIDDEN"));
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

#[test]
fn tccred_refuses_hostile_environment_values() {
    use std::os::unix::ffi::OsStrExt;
    let id = ("TENCENTCLOUD_SECRET_ID", os("AKID1"));
    let output = tccred(
        &["export", "--provider", "env"],
        &[id, ("TENCENTCLOUD_SECRET_KEY", os("HIDDEN\r\nX-Evil: 1"))],
    );
    fails_with(
        &output,
        "env: secret key should not contain control characters \
         (variable TENCENTCLOUD_SECRET_KEY)",
    );
    let not_utf8 = std::ffi::OsStr::from_bytes(b"HIDDEN\xff");
    let output = tccred(
        &["export", "--provider", "env"],
        &[id, ("TENCENTCLOUD_SECRET_KEY", not_utf8)],
    );
    fails_with(
        &output,
        "env: value is not valid utf-8 (variable TENCENTCLOUD_SECRET_KEY)",
    );
    let long = "HIDDEN".repeat(700);
    let output = tccred(
        &["resolve"],
        &[
            id,
            ("TENCENTCLOUD_SECRET_KEY", os("HIDDEN-key")),
            ("TENCENTCLOUD_TOKEN", os(&long)),
        ],
    );
    fails_with(
        &output,
        "env: token is too long (variable TENCENTCLOUD_TOKEN, limit 4096 bytes)",
    );
}

#[test]
fn tccred_refuses_hostile_files() {
    let dir = scratch_dir();
    let big = dir.join("credentials");
    let mut text = b"[default]\nsecret_id = AKID1\nsecret_key = HIDDEN\n".to_vec();
    text.resize(3 * MB, b'#');
    std::fs::write(&big, &text).unwrap();
    let output = tccred(
        &["export", "--provider", "profile"],
        &[("TENCENTCLOUD_CREDENTIALS_FILE", big.as_os_str())],
    );
    fails_with(
        &output,
        &format!(
            "profile: credentials file is too large (file {}, limit 65536 bytes)",
            big.display()
        ),
    );

    let token = dir.join("token");
    std::fs::write(&token, "HIDDEN".repeat(MB)).unwrap();
    let mut vars: Vec<(&str, &std::ffi::OsStr)> = TKE_VARS[..]
        .iter()
        .map(|(name, value)| (*name, os(value)))
        .collect();
    vars[2].1 = token.as_os_str();
    let output = tccred(&["export", "--provider", "tke"], &vars);
    fails_with(
        &output,
        &format!(
            "tke: web identity token file is too long (file {}, \
             variable TKE_WEB_IDENTITY_TOKEN_FILE, limit 4096 bytes)",
            token.display()
        ),
    );
}

#[test]
fn tccred_refuses_hostile_metadata_replies() {
    let cases: [(Vec<u8>, &str); 4] = [
        (
            http_200("HIDDEN".repeat(MB).as_bytes()),
            "cvm: metadata response is too long (limit 16384 bytes)",
        ),
        (
            http_200(b"\xffHIDDEN"),
            "cvm: metadata role list is not valid utf-8",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nHIDDEN".to_vec(),
            "cvm: connection closed before the response ended",
        ),
        (
            b"HIDDEN garbage that is not http\r\n\r\n".to_vec(),
            "cvm: response is not valid http",
        ),
    ];
    for (reply, message) in cases {
        let endpoint = serve(reply);
        let output = tccred(
            &["export", "--provider", "cvm"],
            &[("TENCENTCLOUD_METADATA_ENDPOINT", os(&endpoint))],
        );
        fails_with(&output, message);
    }

    let document = metadata_body("HIDDEN-token", "\"4102444800\"");
    let endpoint = serve(http_200(document.as_bytes()));
    let output = tccred(
        &["export", "--provider", "cvm", "--role-name", "role"],
        &[("TENCENTCLOUD_METADATA_ENDPOINT", os(&endpoint))],
    );
    fails_with(
        &output,
        "cvm: metadata credentials field is not a unix time (key ExpiredTime)",
    );
}

#[test]
fn a_server_that_never_answers_ends_in_time() {
    let endpoint = silent();
    // In the chain the metadata step waits 2 s once, then passes.
    let start = Instant::now();
    let output = tccred(
        &["resolve"],
        &[("TENCENTCLOUD_METADATA_ENDPOINT", os(&endpoint))],
    );
    let took = start.elapsed();
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.starts_with("tccred: chain: no credential found; env: "),
        "{err}"
    );
    assert!(
        err.contains("; cvm: metadata service not found: timed out"),
        "{err}"
    );
    // The chain's bound is 3 s; its metadata step gives up after 2 s.
    assert!(took >= Duration::from_secs(2), "took {took:?}");
    assert!(took < Duration::from_secs(3), "took {took:?}");

    // Through the library, an STS endpoint that never answers fails after its own timeout.
    let source = Credential::new("AKIDsource", "HIDDEN-source", None).unwrap();
    let mut sts = StsProvider::new(source, "arn", "session").with_endpoint(&endpoint);
    let start = Instant::now();
    let e = tencentcloud_credential::adapters::resolve(&mut sts).unwrap_err();
    assert_eq!(shown(&e), "sts: sts request failed: timed out");
    // STS's whole exchange may take 10 s.
    let took = start.elapsed();
    assert!(took >= Duration::from_secs(10), "took {took:?}");
    assert!(took < Duration::from_secs(12), "took {took:?}");
}
