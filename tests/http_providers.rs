//! Every HTTP provider, driven through `UreqTransport` against the loopback
//! emulator: real sockets, real timeouts, signatures checked by the emulator.

mod support;

use std::net::TcpListener;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use support::MapEnv;
use tencentcloud_credential::adapters::emulator::{Emulator, EmulatorScript, Logged};
use tencentcloud_credential::adapters::{self, RealFiles, SystemClock, UreqTransport};
use tencentcloud_credential::provider::cvm::CvmProvider;
use tencentcloud_credential::provider::oidc::OidcProvider;
use tencentcloud_credential::provider::sts::StsProvider;
use tencentcloud_credential::provider::tke::TkeProvider;
use tencentcloud_credential::{resolve, Credential, Error, ErrorKind, Provider};

const ROLE_LIST: &str = "/latest/meta-data/cam/security-credentials/";
const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/emulated";
const LONG_ID: &str = "AKIDlongtermEXAMPLE";
const LONG_KEY: &str = "longterm-key-EXAMPLE";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Runs `provider` with these variables, real files, ureq and the system clock.
#[allow(clippy::result_large_err)] // The crate's Error is large by design: it never allocates.
fn run(provider: &mut impl Provider, vars: &[(&str, &str)]) -> Result<Credential, Error> {
    resolve(
        provider,
        &mut MapEnv::new(vars),
        &mut RealFiles::default(),
        &mut UreqTransport::new(),
        &SystemClock,
    )
}

/// A base URL where nothing listens.
fn dead_base() -> String {
    let free = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", free.local_addr().unwrap());
    drop(free);
    base
}

fn info(credential: &Credential) -> (&str, &str, Option<&str>) {
    credential.credential_info()
}

fn assert_fresh(credential: &Credential, lifetime: u64) {
    let at = credential.expires_at().unwrap();
    assert!(
        (now() + lifetime - 5..=now() + lifetime).contains(&at),
        "{at}"
    );
}

fn paths(log: &[Logged]) -> Vec<&str> {
    log.iter().map(|l| l.path.as_str()).collect()
}

#[test]
fn cvm_discovers_the_role_and_fetches_its_credentials() {
    let emulator = Emulator::start(EmulatorScript::new().roles("roleA\n")).unwrap();
    let mut cvm = CvmProvider::new().with_endpoint(&emulator.base_url());

    let credential = adapters::resolve(&mut cvm).unwrap();
    assert_eq!(
        info(&credential),
        (
            "AKIDtmpMetadata-1",
            "tmpkeyMetadata-1",
            Some("emulated-token-Metadata-1")
        )
    );
    assert_fresh(&credential, 3600);
    let role = format!("{ROLE_LIST}roleA");
    assert_eq!(paths(&emulator.requests()), [ROLE_LIST, &role]);

    // The role found is kept: a refresh asks for the credentials only.
    let again = adapters::resolve(&mut cvm).unwrap();
    assert_eq!(again.secret_id(), "AKIDtmpMetadata-2");
    assert_eq!(paths(&emulator.requests()), [ROLE_LIST, &role, &role]);
}

#[test]
fn cvm_without_a_role_is_an_error_alone_and_not_configured_in_a_chain() {
    let emulator = Emulator::start(EmulatorScript::new()).unwrap();
    let base = emulator.base_url();

    let alone = run(&mut CvmProvider::new().with_endpoint(&base), &[]).unwrap_err();
    assert_eq!(alone.kind(), ErrorKind::HttpStatus);
    assert_eq!(
        alone.to_string(),
        "cvm: no role bound to this instance (http status 404)"
    );

    let chained = run(&mut CvmProvider::in_chain().with_endpoint(&base), &[]).unwrap_err();
    assert_eq!(chained.kind(), ErrorKind::NotConfigured);
    assert_eq!(
        chained.to_string(),
        "cvm: no role bound to this instance (http status 404)"
    );
    assert_eq!(emulator.request_count(), 2);
}

#[test]
fn cvm_refused_connection() {
    let base = dead_base();
    let start = Instant::now();
    let alone = run(&mut CvmProvider::new().with_endpoint(&base), &[]).unwrap_err();
    // Three attempts, 200 ms and 400 ms apart.
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(600), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2000), "{elapsed:?}");
    assert_eq!(alone.kind(), ErrorKind::Transport);
    assert_eq!(alone.to_string(), "cvm: connection refused");

    let chained = run(&mut CvmProvider::in_chain().with_endpoint(&base), &[]).unwrap_err();
    assert_eq!(chained.kind(), ErrorKind::NotConfigured);
    assert_eq!(
        chained.to_string(),
        "cvm: metadata service not found: connection refused"
    );
}

#[test]
fn cvm_retries_a_server_error_alone_but_not_in_a_chain() {
    let emulator = Emulator::start(EmulatorScript::new().roles("r").role_status(503)).unwrap();
    let base = emulator.base_url();
    let alone = run(&mut CvmProvider::new().with_endpoint(&base), &[]).unwrap_err();
    assert_eq!(
        alone.to_string(),
        "cvm: metadata role list request failed (http status 503)"
    );
    assert_eq!(emulator.request_count(), 3);

    let chained = run(&mut CvmProvider::in_chain().with_endpoint(&base), &[]).unwrap_err();
    assert_eq!(
        chained.to_string(),
        "cvm: metadata role list request failed (http status 503)"
    );
    assert_eq!(emulator.request_count(), 4);
}

#[test]
fn cvm_blackhole_in_a_chain_gives_up_within_two_seconds() {
    let emulator = Emulator::start(EmulatorScript::new().blackhole()).unwrap();
    let mut cvm = CvmProvider::in_chain().with_endpoint(&emulator.base_url());

    let start = Instant::now();
    let error = run(&mut cvm, &[]).unwrap_err();
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(2000), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");
    assert_eq!(error.kind(), ErrorKind::NotConfigured);
    assert_eq!(
        error.to_string(),
        "cvm: metadata service not found: timed out"
    );
    assert_eq!(emulator.request_count(), 1);
}

#[test]
fn cvm_body_over_the_limit_is_a_capacity_error() {
    let big = format!(
        r#"{{"Code":"Success","Token":"{}"}}"#,
        "x".repeat(20 * 1024)
    );
    let emulator = Emulator::start(EmulatorScript::new().roles("r").creds_body(&big)).unwrap();
    let error = run(
        &mut CvmProvider::new().with_endpoint(&emulator.base_url()),
        &[],
    )
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Capacity);
    assert_eq!(
        error.to_string(),
        "cvm: metadata response is too long (limit 16384 bytes)"
    );
}

fn sts_emulator(script: EmulatorScript) -> Emulator {
    Emulator::start(script.sts_secret(LONG_ID, LONG_KEY)).unwrap()
}

fn sts_provider(emulator: &Emulator) -> StsProvider {
    let source = Credential::new(LONG_ID, LONG_KEY, Some("long-token")).unwrap();
    StsProvider::new(source, ROLE_ARN, "session-1").with_endpoint(&emulator.base_url())
}

#[test]
fn sts_assume_role_is_signed_and_sends_exact_params() {
    let emulator = sts_emulator(EmulatorScript::new());
    let credential = run(&mut sts_provider(&emulator), &[]).unwrap();
    assert_eq!(
        info(&credential),
        (
            "AKIDtmpAssumeRole-1",
            "tmpkeyAssumeRole-1",
            Some("emulated-token-AssumeRole-1")
        )
    );
    assert_fresh(&credential, 3600);

    let log = emulator.requests();
    assert_eq!(log.len(), 1);
    let sent = &log[0];
    assert_eq!((sent.method.as_str(), sent.path.as_str()), ("POST", "/"));
    assert_eq!(
        (sent.action.as_str(), sent.signature_ok, sent.verdict),
        ("AssumeRole", true, "signed")
    );
    assert_eq!(
        String::from_utf8(sent.body.clone()).unwrap(),
        format!(
            concat!(
                r#"{{"RoleArn": "{}", "RoleSessionName": "session-1", "#,
                r#""DurationSeconds": 7200}}"#
            ),
            ROLE_ARN
        )
    );
    let host = emulator.addr().to_string();
    for (name, value) in [
        ("content-type", "application/json"),
        ("host", host.as_str()),
        ("x-tc-action", "AssumeRole"),
        ("x-tc-version", "2018-08-13"),
        ("x-tc-region", "ap-guangzhou"),
        ("x-tc-token", "long-token"),
    ] {
        assert_eq!(sent.header(name), Some(value), "{name}");
    }
}

#[test]
fn sts_api_error_carries_code_message_and_request_id() {
    let script = EmulatorScript::new().sts_error("InvalidParameter.RoleArn", "role not found");
    let emulator = sts_emulator(script);
    let error = run(&mut sts_provider(&emulator), &[]).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    let api = error.api().unwrap();
    assert_eq!(
        (
            api.code.as_str(),
            api.message.as_str(),
            api.request_id.as_str()
        ),
        (
            "InvalidParameter.RoleArn",
            "role not found",
            "req-emulator-1"
        )
    );
    assert_eq!(
        error.to_string(),
        concat!(
            "sts: sts returned an error (code InvalidParameter.RoleArn, ",
            "message role not found, request id req-emulator-1)"
        )
    );
}

#[test]
fn sts_with_a_wrong_key_gets_a_signature_failure() {
    let emulator = Emulator::start(EmulatorScript::new().sts_secret(LONG_ID, "other")).unwrap();
    let error = run(&mut sts_provider(&emulator), &[]).unwrap_err();
    assert_eq!(error.api().unwrap().code, "AuthFailure.SignatureFailure");
    assert_eq!(emulator.requests()[0].verdict, "signature mismatch");
}

#[test]
fn sts_reply_over_the_limit_is_a_capacity_error() {
    let big = "x".repeat(20 * 1024);
    let emulator = sts_emulator(EmulatorScript::new().sts_reply(&big));
    let error = run(&mut sts_provider(&emulator), &[]).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Capacity);
    assert_eq!(
        error.to_string(),
        "sts: sts reply is too long (limit 16384 bytes)"
    );
}

/// Checks the one request of a web identity exchange.
fn assert_unsigned(log: &[Logged], region: &str, body: &str) {
    assert_eq!(log.len(), 1);
    let sent = &log[0];
    assert_eq!(
        (sent.action.as_str(), sent.signature_ok, sent.verdict),
        ("AssumeRoleWithWebIdentity", true, "unsigned")
    );
    assert_eq!(sent.header("authorization"), Some("SKIP"));
    assert_eq!(sent.header("x-tc-token"), None);
    assert_eq!(sent.header("x-tc-region"), Some(region));
    assert_eq!(String::from_utf8(sent.body.clone()).unwrap(), body);
}

#[test]
fn oidc_sends_an_unsigned_web_identity_request() {
    let emulator = Emulator::start(EmulatorScript::new()).unwrap();
    let mut oidc = OidcProvider::new("ap-shanghai", "tke-oidc", "jwt.token.here", ROLE_ARN, "s-1")
        .with_endpoint(&emulator.base_url());
    let credential = run(&mut oidc, &[]).unwrap();
    assert_eq!(
        info(&credential),
        (
            "AKIDtmpAssumeRoleWithWebIdentity-1",
            "tmpkeyAssumeRoleWithWebIdentity-1",
            Some("emulated-token-AssumeRoleWithWebIdentity-1")
        )
    );
    assert_unsigned(
        &emulator.requests(),
        "ap-shanghai",
        &format!(
            concat!(
                r#"{{"ProviderId": "tke-oidc", "WebIdentityToken": "jwt.token.here", "#,
                r#""RoleArn": "{}", "RoleSessionName": "s-1", "DurationSeconds": 7200}}"#
            ),
            ROLE_ARN
        ),
    );
}

#[test]
fn tke_reads_its_variables_and_token_file() {
    let emulator = Emulator::start(EmulatorScript::new()).unwrap();
    let dir = std::env::temp_dir().join(format!("tccred-tke-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let token_file = dir.join("token");
    std::fs::write(&token_file, "  tke.jwt.token\n").unwrap();
    let base = emulator.base_url();
    let vars = [
        ("TKE_REGION", "ap-beijing"),
        ("TKE_PROVIDER_ID", "tke-provider"),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
        ("TKE_ROLE_ARN", ROLE_ARN),
        ("TKE_ROLE_SESSION_NAME", "tke-session"),
        ("TENCENTCLOUD_STS_ENDPOINT", base.as_str()),
    ];

    let credential = run(&mut TkeProvider::new(), &vars).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(credential.secret_id(), "AKIDtmpAssumeRoleWithWebIdentity-1");
    assert_unsigned(
        &emulator.requests(),
        "ap-beijing",
        &format!(
            concat!(
                r#"{{"ProviderId": "tke-provider", "WebIdentityToken": "tke.jwt.token", "#,
                r#""RoleArn": "{}", "RoleSessionName": "tke-session", "DurationSeconds": 7200}}"#
            ),
            ROLE_ARN
        ),
    );
}
