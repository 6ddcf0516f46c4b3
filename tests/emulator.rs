//! The loopback emulator, served over `UreqTransport` and raw TCP.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tencentcloud_credential::adapters::emulator::{Emulator, EmulatorScript, CREDENTIALS_PATH};
use tencentcloud_credential::adapters::UreqTransport;
use tencentcloud_credential::io::{HttpRequest, Method, Transport, TransportError};
use tencentcloud_credential::sign::request::{headers, ApiRequest, Signer};
use tencentcloud_credential::sign::tc3::Payload;
use tencentcloud_credential::Credential;

const LONG_ID: &str = "AKIDlongtermEXAMPLE";
const LONG_KEY: &str = "longterm-key-EXAMPLE";
const ASSUME_BODY: &str =
    r#"{"RoleArn":"qcs::cam::uin/1:roleName/r","RoleSessionName":"s1","DurationSeconds":7200}"#;

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn request(method: Method, url: &str) -> HttpRequest<'_> {
    HttpRequest {
        method,
        url,
        headers: Default::default(),
        body: b"",
        connect_timeout_ms: 1000,
        total_timeout_ms: 3000,
        allow_proxy: false,
        max_body: 16 * 1024,
    }
}

/// Sends `request` and copies the answer out of the transport.
fn send(request: &HttpRequest<'_>) -> Result<(u16, String), TransportError> {
    let mut transport = UreqTransport::new();
    let response = transport.exchange(request)?;
    Ok((
        response.status,
        String::from_utf8(response.body.to_vec()).unwrap(),
    ))
}

fn get(url: &str) -> Result<(u16, String), TransportError> {
    send(&request(Method::Get, url))
}

fn metadata_url(emulator: &Emulator, role: &str) -> String {
    format!("{}{CREDENTIALS_PATH}{role}", emulator.base_url())
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn role_list_and_numbered_credentials() {
    let emulator = Emulator::start(EmulatorScript::new().roles("roleA\n")).unwrap();
    assert_eq!(
        get(&metadata_url(&emulator, "")),
        Ok((200, "roleA\n".to_string()))
    );

    for n in 1..=2 {
        let before = now();
        let (status, body) = get(&metadata_url(&emulator, "roleA")).unwrap();
        assert_eq!(status, 200);
        let doc = json(&body);
        assert_eq!(doc["TmpSecretId"], format!("AKIDtmpMetadata-{n}"));
        assert_eq!(doc["TmpSecretKey"], format!("tmpkeyMetadata-{n}"));
        assert_eq!(doc["Token"], format!("emulated-token-Metadata-{n}"));
        assert_eq!(doc["Code"], "Success");
        let expired = doc["ExpiredTime"].as_u64().unwrap();
        assert!(
            (before + 3600..=now() + 3600).contains(&expired),
            "{expired}"
        );
        let expiration = doc["Expiration"].as_str().unwrap();
        assert_eq!(
            expiration.len(),
            "2019-02-25T16:44:25Z".len(),
            "{expiration}"
        );
        assert!(expiration.ends_with('Z'), "{expiration}");
    }

    let log = emulator.requests();
    let seen: Vec<_> = log
        .iter()
        .map(|l| {
            (
                l.method.as_str(),
                l.path.as_str(),
                l.verdict,
                l.signature_ok,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("GET", CREDENTIALS_PATH, "role list", false),
            (
                "GET",
                &*format!("{CREDENTIALS_PATH}roleA"),
                "credentials",
                false
            ),
            (
                "GET",
                &*format!("{CREDENTIALS_PATH}roleA"),
                "credentials",
                false
            ),
        ]
    );
    assert_eq!(log[0].header("host"), Some(&*emulator.addr().to_string()));
    assert_eq!(emulator.request_count(), 3);
}

/// Name, script, role (or a path from `/`), expected status and body, verdict.
type MetadataCase = (
    &'static str,
    EmulatorScript,
    &'static str,
    (u16, &'static str),
    &'static str,
);

#[test]
fn metadata_faults_answer_as_scripted() {
    let raw = r#"{"Code":"Failure"}"#;
    let cases: [MetadataCase; 7] = [
        (
            "no role",
            EmulatorScript::new(),
            "",
            (404, "not found"),
            "role list",
        ),
        (
            "role list 500",
            EmulatorScript::new().roles("r").role_status(500),
            "",
            (500, "r"),
            "role list",
        ),
        (
            "creds 503",
            EmulatorScript::new().creds_body(raw).creds_status(503),
            "r",
            (503, raw),
            "credentials",
        ),
        (
            "raw creds",
            EmulatorScript::new().creds_body(raw),
            "r",
            (200, raw),
            "credentials",
        ),
        (
            "no creds",
            EmulatorScript::new().no_creds(),
            "r",
            (404, "not found"),
            "credentials",
        ),
        (
            "unknown path",
            EmulatorScript::new(),
            "/latest/other",
            (404, "not found"),
            "unknown path",
        ),
        (
            "query ignored",
            EmulatorScript::new().roles("q"),
            "?x=1",
            (200, "q"),
            "role list",
        ),
    ];
    for (name, script, role, (status, body), verdict) in cases {
        let emulator = Emulator::start(script).unwrap();
        let url = if role.starts_with('/') {
            emulator.base_url() + role
        } else {
            metadata_url(&emulator, role)
        };
        assert_eq!(get(&url), Ok((status, body.to_string())), "{name}");
        assert_eq!(emulator.requests()[0].verdict, verdict, "{name}");
    }
}

#[test]
fn expired_credentials_are_served_as_scripted() {
    let emulator = Emulator::start(EmulatorScript::new().creds_lifetime(-60)).unwrap();
    let (_, body) = get(&metadata_url(&emulator, "r")).unwrap();
    let expired = json(&body)["ExpiredTime"].as_u64().unwrap();
    assert!(expired <= now() - 60, "{expired}");
}

#[test]
fn delay_holds_the_answer_and_a_short_timeout_gives_up() {
    let emulator =
        Emulator::start(EmulatorScript::new().roles("r").metadata_delay_ms(400)).unwrap();
    let url = metadata_url(&emulator, "");

    let start = Instant::now();
    assert_eq!(get(&url), Ok((200, "r".to_string())));
    assert!(start.elapsed() >= Duration::from_millis(400));

    let mut hasty = request(Method::Get, &url);
    hasty.total_timeout_ms = 150;
    let start = Instant::now();
    assert_eq!(send(&hasty), Err(TransportError::Timeout));
    assert!(
        start.elapsed() < Duration::from_millis(400),
        "{:?}",
        start.elapsed()
    );
}

/// STS's delay and blackhole hold POSTs as the metadata ones hold GETs.
#[test]
fn sts_delay_and_blackhole_hold_the_answer() {
    let delayed = Emulator::start(EmulatorScript::new().sts_delay_ms(300)).unwrap();
    let url = delayed.base_url() + "/";
    let start = Instant::now();
    let (status, body) = send(&request(Method::Post, &url)).unwrap();
    assert!(start.elapsed() >= Duration::from_millis(300));
    assert_eq!(status, 200);
    assert_eq!(
        json(&body)["Response"]["Error"]["Code"].as_str(),
        Some("InvalidAction")
    );

    let held = Emulator::start(EmulatorScript::new().sts_blackhole()).unwrap();
    let url = held.base_url() + "/";
    let mut hasty = request(Method::Post, &url);
    hasty.total_timeout_ms = 300;
    assert_eq!(send(&hasty), Err(TransportError::Timeout));
    assert_eq!(held.requests()[0].verdict, "blackholed");
}

#[test]
fn blackhole_times_out_within_the_total_timeout() {
    let mut emulator = Emulator::start(EmulatorScript::new().roles("r").blackhole()).unwrap();
    let url = metadata_url(&emulator, "");
    let mut held = request(Method::Get, &url);
    held.total_timeout_ms = 700;

    let start = Instant::now();
    assert_eq!(send(&held), Err(TransportError::Timeout));
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(700), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1200), "{elapsed:?}");
    assert_eq!(emulator.requests()[0].verdict, "blackholed");

    // A connection still held is released by stop, which returns promptly.
    let mut socket = TcpStream::connect(emulator.addr()).unwrap();
    socket
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    while emulator.request_count() < 2 {
        std::thread::sleep(Duration::from_millis(10));
    }
    let start = Instant::now();
    emulator.stop();
    assert!(
        start.elapsed() < Duration::from_millis(500),
        "{:?}",
        start.elapsed()
    );
    let mut rest = Vec::new();
    socket
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    assert_eq!(socket.read_to_end(&mut rest).unwrap(), 0);
}

#[test]
fn transport_errors_are_told_apart() {
    let free = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    assert_eq!(
        get(&format!("http://127.0.0.1:{port}/")),
        Err(TransportError::Refused)
    );
    assert_eq!(
        get("http://nonexistent.invalid/"),
        Err(TransportError::UnknownHost)
    );
    assert_eq!(get("not a url"), Err(TransportError::Other));
}

#[test]
fn body_is_cut_after_max_body_plus_one() {
    let big = "x".repeat(20 * 1024);
    let emulator = Emulator::start(EmulatorScript::new().creds_body(&big)).unwrap();
    let url = metadata_url(&emulator, "r");
    let mut small = request(Method::Get, &url);
    small.max_body = 1000;
    assert_eq!(send(&small), Ok((200, "x".repeat(1001))));
    small.max_body = 20 * 1024;
    assert_eq!(send(&small), Ok((200, big)));
}

/// Posts an STS request, signed with `key` unless `skip`; `tamper` changes the
/// body after signing.
fn post_sts(
    emulator: &Emulator,
    action: &str,
    key: &str,
    signer: Option<bool>,
    tamper: bool,
) -> (u16, serde_json::Value) {
    let host = emulator.addr().to_string();
    let url = emulator.base_url() + "/";
    let credential = Credential::new(LONG_ID, key, Some("long-token")).unwrap();
    let api = ApiRequest {
        service: "sts",
        host: &host,
        action,
        version: "2018-08-13",
        region: "ap-guangzhou",
        method: "POST",
        content_type: "application/json",
        query: "",
        payload: Payload::Bytes(ASSUME_BODY.as_bytes()),
        timestamp: now(),
        language: None,
        sign_action: signer == Some(true),
    };
    let signed = match signer {
        Some(_) => headers(&api, Signer::Tc3(&credential)).unwrap(),
        None => headers(&api, Signer::Skip).unwrap(),
    };
    let tampered = ASSUME_BODY.replace("s1", "s2");
    let mut post = request(Method::Post, &url);
    post.body = if tamper {
        tampered.as_bytes()
    } else {
        ASSUME_BODY.as_bytes()
    };
    post.allow_proxy = false;
    for header in signed.iter() {
        post.headers.push(header).unwrap();
    }
    let (status, body) = send(&post).unwrap();
    (status, json(&body))
}

#[test]
fn assume_role_signature_is_verified() {
    let script = EmulatorScript::new().sts_secret(LONG_ID, LONG_KEY);
    let emulator = Emulator::start(script).unwrap();

    let (status, good) = post_sts(&emulator, "AssumeRole", LONG_KEY, Some(false), false);
    assert_eq!(status, 200);
    let creds = &good["Response"]["Credentials"];
    assert_eq!(creds["TmpSecretId"], "AKIDtmpAssumeRole-1");
    assert_eq!(creds["TmpSecretKey"], "tmpkeyAssumeRole-1");
    assert_eq!(creds["Token"], "emulated-token-AssumeRole-1");
    assert_eq!(good["Response"]["RequestId"], "req-emulator-1");

    let (_, with_action) = post_sts(&emulator, "AssumeRole", LONG_KEY, Some(true), false);
    assert_eq!(
        with_action["Response"]["Credentials"]["TmpSecretId"],
        "AKIDtmpAssumeRole-2"
    );

    let failure = serde_json::json!({"Response": {
        "Error": {
            "Code": "AuthFailure.SignatureFailure",
            "Message": "The provided credentials could not be validated.",
        },
        "RequestId": "req-emulator-3",
    }});
    let (status, tampered) = post_sts(&emulator, "AssumeRole", LONG_KEY, Some(false), true);
    assert_eq!((status, tampered), (200, failure));
    let (_, wrong_key) = post_sts(&emulator, "AssumeRole", "other-key", Some(false), false);
    assert_eq!(
        wrong_key["Response"]["Error"]["Code"],
        "AuthFailure.SignatureFailure"
    );

    let log = emulator.requests();
    let seen: Vec<_> = log
        .iter()
        .map(|l| (l.action.as_str(), l.signature_ok, l.verdict))
        .collect();
    assert_eq!(
        seen,
        [
            ("AssumeRole", true, "signed"),
            ("AssumeRole", true, "signed"),
            ("AssumeRole", false, "signature mismatch"),
            ("AssumeRole", false, "signature mismatch"),
        ]
    );
    assert_eq!(log[0].body, ASSUME_BODY.as_bytes());
    assert_eq!(log[0].header("x-tc-token"), Some("long-token"));
    assert_eq!(log[0].path, "/");
}

#[test]
fn web_identity_must_be_unsigned() {
    let emulator = Emulator::start(EmulatorScript::new()).unwrap();
    let action = "AssumeRoleWithWebIdentity";
    let (_, skipped) = post_sts(&emulator, action, LONG_KEY, None, false);
    assert_eq!(
        skipped["Response"]["Credentials"]["TmpSecretId"],
        "AKIDtmpAssumeRoleWithWebIdentity-1"
    );
    let (_, signed) = post_sts(&emulator, action, LONG_KEY, Some(false), false);
    assert_eq!(
        signed["Response"]["Error"]["Code"],
        "AuthFailure.SignatureFailure"
    );
    let (_, unknown) = post_sts(&emulator, "GetFederationToken", LONG_KEY, None, false);
    assert_eq!(unknown["Response"]["Error"]["Code"], "InvalidAction");

    let verdicts: Vec<_> = emulator
        .requests()
        .iter()
        .map(|l| (l.signature_ok, l.verdict))
        .collect();
    assert_eq!(
        verdicts,
        [
            (true, "unsigned"),
            (false, "token header on an unsigned request"),
            (false, "unknown action"),
        ]
    );
}

#[test]
fn sts_replies_as_scripted() {
    let script = EmulatorScript::new()
        .sts_secret(LONG_ID, LONG_KEY)
        .sts_error("InvalidParameter.RoleArn", "role \"r\" not found")
        .sts_status(400);
    let emulator = Emulator::start(script).unwrap();
    let (status, reply) = post_sts(&emulator, "AssumeRole", LONG_KEY, Some(false), false);
    assert_eq!(status, 400);
    assert_eq!(
        reply,
        serde_json::json!({"Response": {
            "Error": {"Code": "InvalidParameter.RoleArn", "Message": "role \"r\" not found"},
            "RequestId": "req-emulator-1",
        }})
    );

    let script = EmulatorScript::new().sts_reply(r#"{"Response":{}}"#);
    let emulator = Emulator::start(script).unwrap();
    let (_, raw) = post_sts(
        &emulator,
        "AssumeRoleWithWebIdentity",
        LONG_KEY,
        None,
        false,
    );
    assert_eq!(raw, serde_json::json!({"Response": {}}));

    let script = EmulatorScript::new().sts_expires_in(-5);
    let emulator = Emulator::start(script).unwrap();
    let (_, expired) = post_sts(
        &emulator,
        "AssumeRoleWithWebIdentity",
        LONG_KEY,
        None,
        false,
    );
    let at = expired["Response"]["ExpiredTime"].as_u64().unwrap();
    assert!(at <= now() - 5, "{at}");
}

/// Writes `raw` on a fresh connection and reads the whole answer.
fn raw_exchange(emulator: &Emulator, raw: &[u8]) -> String {
    let mut socket = TcpStream::connect(emulator.addr()).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    socket.write_all(raw).unwrap();
    let mut answer = Vec::new();
    socket.read_to_end(&mut answer).unwrap();
    String::from_utf8(answer).unwrap()
}

#[test]
fn misbehaving_clients_are_refused() {
    let emulator = Emulator::start(EmulatorScript::new()).unwrap();
    let big = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        64 * 1024 + 1
    );
    let answer = raw_exchange(&emulator, big.as_bytes());
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
    assert!(answer.ends_with("\r\n\r\nbody too large"), "{answer}");
    assert_eq!(emulator.requests()[0].verdict, "body too large");

    let answer = raw_exchange(&emulator, b"NONSENSE\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    let chunked = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    let answer = raw_exchange(&emulator, chunked);
    assert!(answer.starts_with("HTTP/1.1 411 "), "{answer}");
    let answer = raw_exchange(&emulator, b"PUT / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 405 "), "{answer}");

    let verdicts: Vec<_> = emulator.requests().iter().map(|l| l.verdict).collect();
    assert_eq!(
        verdicts,
        [
            "body too large",
            "chunked body refused",
            "method not allowed"
        ]
    );
}

#[test]
fn logged_debug_hides_headers_and_body() {
    let emulator = Emulator::start(EmulatorScript::new().sts_secret(LONG_ID, LONG_KEY)).unwrap();
    post_sts(&emulator, "AssumeRole", LONG_KEY, Some(false), false);
    let logged = format!("{:?}", emulator.requests()[0]);
    assert!(logged.contains("\"authorization\""), "{logged}");
    for secret in ["long-token", "Signature=", "RoleArn"] {
        assert!(!logged.contains(secret), "{logged}");
    }
    let script = format!("{:?}", EmulatorScript::new().sts_secret(LONG_ID, LONG_KEY));
    assert!(
        script.contains(LONG_ID) && !script.contains(LONG_KEY),
        "{script}"
    );
}

/// Run by `proxy_is_used_only_when_allowed` in a child process whose
/// environment names a proxy where nothing listens.
#[test]
#[ignore = "runs in a child process with HTTP_PROXY set"]
fn proxy_child() {
    let emulator = Emulator::start(EmulatorScript::new().roles("r")).unwrap();
    let url = metadata_url(&emulator, "");
    let mut direct = request(Method::Get, &url);
    assert_eq!(send(&direct), Ok((200, "r".to_string())));
    direct.allow_proxy = true;
    assert_eq!(send(&direct), Err(TransportError::Refused));
    assert_eq!(emulator.request_count(), 1);
}

#[test]
fn proxy_is_used_only_when_allowed() {
    let free = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", free.local_addr().unwrap());
    drop(free);
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["proxy_child", "--exact", "--ignored", "--test-threads=1"])
        .env("HTTP_PROXY", &proxy)
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("http_proxy")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("test result: ok. 1 passed"), "{stdout}");
}
