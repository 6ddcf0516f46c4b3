//! The default chain, scenario by scenario: each one a row of environment,
//! files, scripted HTTP replies, and the outcome and provider expected.
//! Then the same chain over real HTTP to a machine with no metadata service.
// The crate's `Error` is large by design (bounded context, no allocation).
#![allow(clippy::result_large_err)]

mod support;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use support::{MapEnv, MapFiles, World};
use tencentcloud_credential::adapters::emulator::{Emulator, EmulatorScript};
use tencentcloud_credential::adapters::{SystemClock, UreqTransport};
use tencentcloud_credential::io::TransportError;
use tencentcloud_credential::{resolve, DefaultChain, Error, ErrorKind, ProviderKind};

const NOW: u64 = 1_700_000_000;
const HOME_FILE: &str = "~/.tencentcloud/credentials";
const TOKEN_PATH: &str = "/var/run/secrets/tke/token";
const METADATA: &str =
    "GET http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/";

const ENV_ID: (&str, &str) = ("TENCENTCLOUD_SECRET_ID", "AKIDenv");
const ENV_KEY: (&str, &str) = ("TENCENTCLOUD_SECRET_KEY", "env-key");
const PROFILE: &[u8] = b"[default]\nsecret_id = AKIDprofile\nsecret_key = profile-key\n";
const TKE: [(&str, &str); 4] = [
    ("TKE_REGION", "ap-shanghai"),
    ("TKE_PROVIDER_ID", "tke-oidc"),
    ("TKE_WEB_IDENTITY_TOKEN_FILE", TOKEN_PATH),
    ("TKE_ROLE_ARN", "qcs::cam::uin/1:roleName/pod"),
];

/// An STS answer to `AssumeRoleWithWebIdentity`, valid for two hours.
const STS_REPLY: &str = concat!(
    r#"{"Response": {"ExpiredTime": 1700007200, "Expiration": "2023-11-15T00:13:20Z", "#,
    r#""Credentials": {"Token": "tke-token", "TmpSecretId": "AKIDtke", "#,
    r#""TmpSecretKey": "tke-key"}, "RequestId": "req-1"}}"#
);
/// A metadata credentials document, valid for an hour.
const CVM_REPLY: &str = concat!(
    r#"{"TmpSecretId": "AKIDcvm", "TmpSecretKey": "cvm-key", "Token": "cvm-token", "#,
    r#""ExpiredTime": 1700003600, "Expiration": "2023-11-14T23:13:20Z", "Code": "Success"}"#
);

/// The reasons of the four providers when nothing at all is configured.
const ENV_UNSET: &str = "env: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are unset";
const NO_PROFILE: &str =
    "profile: no credentials file at ~/.tencentcloud/credentials or /etc/tencentcloud/credentials";
const TKE_UNSET: &str = "tke: TKE_* variables are unset";

/// One scripted HTTP answer.
#[derive(Clone, Copy)]
enum Reply {
    Status(u16, &'static str),
    Fail(TransportError),
}

/// What the chain should end with.
enum Expect {
    /// A credential with this secret id, from this provider.
    Credential(ProviderKind, &'static str),
    /// This error, exactly as displayed, from the provider that stopped the
    /// chain; or, when every provider passed (`None`), the chain's summary
    /// error whose last reason, CVM's, is this.
    Error(Option<ProviderKind>, &'static str),
}

struct Scenario {
    name: &'static str,
    env: &'static [(&'static str, &'static str)],
    files: &'static [(&'static str, &'static [u8])],
    http: &'static [Reply],
    expect: Expect,
    /// The providers passed over, in order.
    passed: &'static [ProviderKind],
    /// Every request sent, as `METHOD url`.
    requests: &'static [&'static str],
    /// Variables the chain must never read (it stopped before).
    never_asked: &'static [&'static str],
}

fn scenarios() -> Vec<Scenario> {
    use Expect::{Credential, Error};
    use ProviderKind::{Cvm, Env, Profile, Tke};
    const SOME_TKE: &[(&str, &str)] = &[TKE[0], TKE[1], TKE[2], TKE[3]];
    const ENV_AND_TKE: &[(&str, &str)] = &[ENV_ID, ENV_KEY, TKE[0], TKE[1], TKE[2], TKE[3]];
    vec![
        Scenario {
            name: "the environment wins over the profile",
            env: &[ENV_ID, ENV_KEY],
            files: &[(HOME_FILE, PROFILE)],
            http: &[],
            expect: Credential(Env, "AKIDenv"),
            passed: &[],
            requests: &[],
            never_asked: &["TENCENTCLOUD_CREDENTIALS_FILE", "TKE_REGION"],
        },
        Scenario {
            name: "the environment wins over TKE",
            env: ENV_AND_TKE,
            files: &[(TOKEN_PATH, b"jwt")],
            http: &[],
            expect: Credential(Env, "AKIDenv"),
            passed: &[],
            requests: &[],
            never_asked: &["TKE_REGION"],
        },
        Scenario {
            name: "a half-set environment stops the chain",
            env: &[ENV_ID],
            files: &[(HOME_FILE, PROFILE)],
            http: &[],
            expect: Error(
                Some(Env),
                "env: secret key is unset while the secret id is set \
                 (variable TENCENTCLOUD_SECRET_KEY)",
            ),
            passed: &[],
            requests: &[],
            never_asked: &["TENCENTCLOUD_CREDENTIALS_FILE"],
        },
        Scenario {
            name: "the profile answers when the environment is unset",
            env: &[],
            files: &[(HOME_FILE, PROFILE)],
            http: &[],
            expect: Credential(Profile, "AKIDprofile"),
            passed: &[Env],
            requests: &[],
            never_asked: &["TKE_REGION"],
        },
        Scenario {
            name: "an error in the profile stops the chain before TKE",
            env: &[
                ("TENCENTCLOUD_PROFILE", "prod"),
                TKE[0],
                TKE[1],
                TKE[2],
                TKE[3],
            ],
            files: &[(HOME_FILE, PROFILE)],
            http: &[],
            expect: Error(
                Some(Profile),
                "profile: profile not found (file ~/.tencentcloud/credentials, profile prod)",
            ),
            passed: &[Env],
            requests: &[],
            never_asked: &["TKE_REGION", "TENCENTCLOUD_METADATA_DISABLED"],
        },
        Scenario {
            name: "TKE wins over CVM",
            env: SOME_TKE,
            files: &[(TOKEN_PATH, b"jwt\n")],
            http: &[Reply::Status(200, STS_REPLY)],
            expect: Credential(Tke, "AKIDtke"),
            passed: &[Env, Profile],
            requests: &["POST https://sts.tencentcloudapi.com/"],
            never_asked: &[
                "TENCENTCLOUD_METADATA_DISABLED",
                "TENCENTCLOUD_METADATA_ENDPOINT",
            ],
        },
        Scenario {
            name: "a half-set TKE stops the chain before CVM",
            env: &[TKE[0], TKE[3]],
            files: &[],
            http: &[],
            expect: Error(
                Some(Tke),
                "tke: some TKE_* variables are unset \
                 (variables TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE)",
            ),
            passed: &[Env, Profile],
            requests: &[],
            never_asked: &["TENCENTCLOUD_METADATA_DISABLED"],
        },
        Scenario {
            name: "CVM answers when nothing else is configured",
            env: &[],
            files: &[],
            http: &[
                Reply::Status(200, "reader\n"),
                Reply::Status(200, CVM_REPLY),
            ],
            expect: Credential(Cvm, "AKIDcvm"),
            passed: &[Env, Profile, Tke],
            requests: &[
                "GET http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/",
                concat!(
                    "GET http://metadata.tencentyun.com",
                    "/latest/meta-data/cam/security-credentials/reader"
                ),
            ],
            never_asked: &[],
        },
        Scenario {
            name: "nothing configured lists all four reasons in order",
            env: &[],
            files: &[],
            http: &[Reply::Fail(TransportError::Refused)],
            expect: Error(None, "metadata service not found: connection refused"),
            passed: &[Env, Profile, Tke, Cvm],
            requests: &[METADATA],
            never_asked: &[],
        },
        Scenario {
            name: "an unknown metadata host means not on CVM",
            env: &[],
            files: &[],
            http: &[Reply::Fail(TransportError::UnknownHost)],
            expect: Error(None, "metadata service not found: unknown host"),
            passed: &[Env, Profile, Tke, Cvm],
            requests: &[METADATA],
            never_asked: &[],
        },
        Scenario {
            name: "a metadata timeout means not on CVM",
            env: &[],
            files: &[],
            http: &[Reply::Fail(TransportError::Timeout)],
            expect: Error(None, "metadata service not found: timed out"),
            passed: &[Env, Profile, Tke, Cvm],
            requests: &[METADATA],
            never_asked: &[],
        },
        Scenario {
            name: "no role bound (404 on the role list) means not configured",
            env: &[],
            files: &[],
            http: &[Reply::Status(404, "not found")],
            expect: Error(None, "no role bound to this instance (http status 404)"),
            passed: &[Env, Profile, Tke, Cvm],
            requests: &[METADATA],
            never_asked: &[],
        },
        Scenario {
            name: "a failing metadata service is an error, not a fall-through",
            env: &[],
            files: &[],
            http: &[Reply::Status(500, "oops")],
            expect: Error(
                Some(Cvm),
                "cvm: metadata role list request failed (http status 500)",
            ),
            passed: &[Env, Profile, Tke],
            requests: &[METADATA],
            never_asked: &[],
        },
        Scenario {
            name: "TENCENTCLOUD_METADATA_DISABLED=true removes the CVM step",
            env: &[("TENCENTCLOUD_METADATA_DISABLED", "true")],
            files: &[],
            http: &[Reply::Status(200, "reader\n")],
            expect: Error(None, "metadata disabled by TENCENTCLOUD_METADATA_DISABLED"),
            passed: &[Env, Profile, Tke, Cvm],
            requests: &[],
            never_asked: &["TENCENTCLOUD_METADATA_ENDPOINT"],
        },
        Scenario {
            name: "TENCENTCLOUD_METADATA_ENDPOINT moves the metadata service",
            env: &[("TENCENTCLOUD_METADATA_ENDPOINT", "http://127.0.0.1:9/")],
            files: &[],
            http: &[
                Reply::Status(200, "reader\n"),
                Reply::Status(200, CVM_REPLY),
            ],
            expect: Credential(Cvm, "AKIDcvm"),
            passed: &[Env, Profile, Tke],
            requests: &[
                "GET http://127.0.0.1:9/latest/meta-data/cam/security-credentials/",
                "GET http://127.0.0.1:9/latest/meta-data/cam/security-credentials/reader",
            ],
            never_asked: &[],
        },
    ]
}

fn world(scenario: &Scenario) -> World {
    let mut world = World::new(scenario.env, scenario.files);
    world.clock.0 = NOW;
    for reply in scenario.http {
        world.http = match *reply {
            Reply::Status(status, body) => world.http.reply(status, body),
            Reply::Fail(error) => world.http.fail(error),
        };
    }
    world
}

#[test]
fn default_chain_scenarios() {
    for scenario in scenarios() {
        let name = scenario.name;
        let mut world = world(&scenario);
        let mut chain = DefaultChain::new();
        let outcome = world.resolve(&mut chain);

        match (&scenario.expect, outcome) {
            (Expect::Credential(provider, id), Ok(credential)) => {
                assert_eq!(credential.secret_id(), *id, "{name}");
                assert_eq!(chain.answered_by(), Some(*provider), "{name}");
            }
            (Expect::Error(provider, message), Err(error)) => {
                if provider.is_some() {
                    assert_eq!(error.to_string(), *message, "{name}");
                } else {
                    assert_eq!(error.to_string(), nothing_found(message), "{name}");
                    assert_eq!(error.kind(), ErrorKind::NotConfigured, "{name}");
                    assert_eq!(error.provider(), Some(ProviderKind::Chain), "{name}");
                }
                assert_eq!(chain.answered_by(), *provider, "{name}");
            }
            (_, outcome) => panic!("{name}: unexpected outcome {outcome:?}"),
        }
        let passed: Vec<_> = chain.passed().iter().map(|p| p.provider).collect();
        assert_eq!(passed, scenario.passed, "{name}");
        let requests: Vec<_> = world
            .http
            .seen
            .iter()
            .map(|seen| format!("{} {}", seen.method, seen.url))
            .collect();
        assert_eq!(requests, scenario.requests, "{name}");
        for variable in scenario.never_asked {
            assert!(
                !world.env.asked.iter().any(|asked| asked == variable),
                "{name}: asked {variable}"
            );
        }
    }
}

#[test]
fn every_provider_passed_gives_every_reason_in_order() {
    let mut world = World::new(&[], &[]);
    world.http = world.http.fail(TransportError::Refused);
    let mut chain = DefaultChain::new();
    let error = world.resolve(&mut chain).unwrap_err();
    let reasons: Vec<_> = error
        .passed()
        .iter()
        .map(|p| format!("{}: {}", p.provider, p.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            ENV_UNSET,
            NO_PROFILE,
            TKE_UNSET,
            "cvm: metadata service not found: connection refused",
        ]
    );
    assert_eq!(chain.passed(), error.passed());
    assert_eq!(
        error.to_string(),
        "chain: no credential found; env: TENCENTCLOUD_SECRET_ID and \
         TENCENTCLOUD_SECRET_KEY are unset; profile: no credentials file at \
         ~/.tencentcloud/credentials or /etc/tencentcloud/credentials; \
         tke: TKE_* variables are unset; \
         cvm: metadata service not found: connection refused"
    );
}

#[test]
fn a_refresh_reuses_the_role_the_metadata_service_named() {
    let mut world = World::new(&[], &[]);
    world.clock.0 = NOW;
    world.http = world
        .http
        .reply(200, "pod-role")
        .reply(200, CVM_REPLY)
        .reply(200, CVM_REPLY);
    let mut chain = DefaultChain::new();
    for run in 0..2 {
        let credential = world.resolve(&mut chain).unwrap();
        assert_eq!(credential.secret_id(), "AKIDcvm", "run {run}");
        assert_eq!(chain.answered_by(), Some(ProviderKind::Cvm), "run {run}");
    }
    let requests: Vec<_> = world
        .http
        .seen
        .iter()
        .map(|seen| seen.url.as_str())
        .collect();
    let role = "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/";
    let credentials = format!("{role}pod-role");
    assert_eq!(requests, [role, &credentials, &credentials]);
}

#[test]
fn a_run_finished_before_its_end_leaves_the_next_run_to_start_afresh() {
    use tencentcloud_credential::io::FileError;
    use tencentcloud_credential::{Provider, Step};

    // The TKE member has read TKE_REGION when the driver gives up.
    let mut chain = DefaultChain::new();
    let mut asked = Vec::new();
    loop {
        // The step borrows the chain: keep what it asks, then answer.
        let step = match chain.poll(NOW) {
            Step::Env(name) => Some(name),
            Step::File(_) => None,
            step => panic!("unexpected step {step:?}"),
        };
        match step {
            Some("TKE_PROVIDER_ID") => break,
            Some(name) => {
                asked.push(name);
                chain.handle_env(Ok((name == "TKE_REGION").then_some("ap-shanghai")));
            }
            None => chain.handle_file(Err(FileError::NotFound)),
        }
    }
    assert!(asked.contains(&"TKE_REGION"));
    let e = chain.finish().unwrap_err();
    assert_eq!(
        e.to_string(),
        "chain: driver answered a step the provider did not ask for"
    );

    // The next run asks every member again, TKE_REGION included.
    let mut world = World::new(&TKE, &[(TOKEN_PATH, b"jwt")]);
    world.clock.0 = NOW;
    world.http = world.http.reply(200, STS_REPLY);
    let credential = world.resolve(&mut chain).unwrap();
    assert_eq!(credential.secret_id(), "AKIDtke");
    assert_eq!(chain.answered_by(), Some(ProviderKind::Tke));
    assert!(world
        .env
        .asked
        .iter()
        .any(|name| name == "TENCENTCLOUD_SECRET_ID"));
    assert!(world.env.asked.iter().any(|name| name == "TKE_REGION"));
}

// ---------------------------------------------------------------------------
// Over real HTTP: a machine with no metadata service.

/// Runs the default chain with real HTTP, the metadata service at `base`.
fn resolve_with_metadata_at(
    base: &str,
) -> (Result<tencentcloud_credential::Credential, Error>, Duration) {
    let mut env = MapEnv::new(&[("TENCENTCLOUD_METADATA_ENDPOINT", base)]);
    let mut files = MapFiles::new(&[]);
    let started = Instant::now();
    let outcome = resolve(
        &mut DefaultChain::new(),
        &mut env,
        &mut files,
        &mut UreqTransport::new(),
        &SystemClock,
    );
    (outcome, started.elapsed())
}

/// The chain's error, with the summary of the three providers before CVM.
fn nothing_found(cvm: &str) -> String {
    format!("chain: no credential found; {ENV_UNSET}; {NO_PROFILE}; {TKE_UNSET}; cvm: {cvm}")
}

#[test]
fn a_refused_metadata_connection_ends_the_chain_at_once() {
    // A port that was free a moment ago: nothing listens there now.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (outcome, elapsed) = resolve_with_metadata_at(&format!("http://127.0.0.1:{port}"));
    assert_eq!(
        outcome.unwrap_err().to_string(),
        nothing_found("metadata service not found: connection refused")
    );
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[test]
fn an_unknown_metadata_host_ends_the_chain_within_three_seconds() {
    // `.invalid` is reserved: it never resolves.
    let (outcome, elapsed) = resolve_with_metadata_at("http://metadata.tencentyun.invalid");
    assert_eq!(
        outcome.unwrap_err().to_string(),
        nothing_found("metadata service not found: unknown host")
    );
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

/// A metadata service that accepts and never answers costs the chain's
/// exchange timeout, which keeps the whole chain within 3 s.
#[test]
fn a_metadata_service_that_never_answers_ends_the_chain_within_three_seconds() {
    let emulator = Emulator::start(EmulatorScript::new().blackhole()).unwrap();
    let (outcome, elapsed) = resolve_with_metadata_at(&emulator.base_url());
    assert_eq!(
        outcome.unwrap_err().to_string(),
        nothing_found("metadata service not found: timed out")
    );
    assert_eq!(emulator.request_count(), 1);
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}
