//! The `tccred` binary, run with a clean environment: `resolve -v` through
//! the chain, `sign` against published and official-SDK signatures, `export`
//! in both formats, usage errors, the `emulate` child process serving
//! `export` and `call`, and hostile STS and TKE replies from a loopback server.
//!
//! The binary needs the `cli` feature (`cargo test --all-features`), which
//! Cargo.toml requires of this test.
// The crate's `Error` is large by design (bounded context, no allocation).
#![allow(clippy::result_large_err)]

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;
use support::loopback::{http_200, scratch_dir, serve};
use tencentcloud_credential::sign::request::REQUEST_CLIENT;
use tencentcloud_credential::sign::UtcDate;

/// Tencent's published example credential.
const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
/// The payload of the published TC3 example (vector A), exactly.
const PAYLOAD_A: &str =
    r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
/// Vector A's published Authorization.
const AUTHORIZATION_A: &str = "TC3-HMAC-SHA256 \
    Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, \
    SignedHeaders=content-type;host, \
    Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168";
/// The 600 requests signed by the official Python SDK.
const ORACLE: &str = include_str!("data/python-sdk-oracle.jsonl");
/// The SDK credentials file of the spec's fixtures (section 9).
const SDK_INI: &str = "[default]
secret_id = AKIDFAKEFILESECRETID0000
secret_key = FAKEFILESECRETKEY0000
";
/// Nothing listens here, so the chain's metadata step passes at once.
const NO_METADATA: &str = "http://127.0.0.1:1";

/// How a run of `tccred` ended.
#[derive(Debug, PartialEq)]
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// `tccred export` through the STS provider, the source from the environment.
const EXPORT_STS: [&str; 7] = [
    "export",
    "--provider",
    "sts",
    "--role-arn",
    ROLE_ARN,
    "--role-session-name",
    "cli-test",
];

/// A run that failed with exit code 1, printing `stderr` and nothing else.
fn failed(stderr: &str) -> Ran {
    Ran {
        code: Some(1),
        stdout: String::new(),
        stderr: stderr.into(),
    }
}

/// A `tccred` command with only `HOME` (an empty directory unless `home` is
/// given), a metadata endpoint nobody answers, and `vars` set.
fn command(args: &[&str], vars: &[(&str, &str)], home: Option<&Path>) -> Command {
    let home = home.map_or_else(scratch_dir, Path::to_path_buf);
    let mut command = Command::new(env!("CARGO_BIN_EXE_tccred"));
    command
        .args(args)
        .env_clear()
        .env("HOME", &home)
        .env("TENCENTCLOUD_METADATA_ENDPOINT", NO_METADATA);
    for (name, value) in vars {
        command.env(name, value);
    }
    command
}

fn run_in(args: &[&str], vars: &[(&str, &str)], home: Option<&Path>) -> Ran {
    let output = command(args, vars, home).output().unwrap();
    Ran {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn run(args: &[&str], vars: &[(&str, &str)]) -> Ran {
    run_in(args, vars, None)
}

/// A success: exit 0, nothing on stderr; returns stdout.
fn succeeds(ran: Ran) -> String {
    assert_eq!((ran.code, ran.stderr.as_str()), (Some(0), ""), "{ran:?}");
    ran.stdout
}

/// The published example credential in the environment.
const EXAMPLE_ENV: [(&str, &str); 2] = [
    ("TENCENTCLOUD_SECRET_ID", ID),
    ("TENCENTCLOUD_SECRET_KEY", KEY),
];

/// `Name: value` lines as `tccred sign` prints them.
fn header_lines(headers: &[(&str, &str)]) -> String {
    headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\n"))
        .collect()
}

/// The headers of vector A, in the order `tccred sign` prints them.
fn vector_a_headers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("Authorization", AUTHORIZATION_A),
        ("Content-Type", "application/json; charset=utf-8"),
        ("Host", "cvm.tencentcloudapi.com"),
        ("X-TC-Action", "DescribeInstances"),
        ("X-TC-Timestamp", "1551113065"),
        ("X-TC-Version", "2017-03-12"),
        ("X-TC-Region", "ap-guangzhou"),
        ("X-TC-RequestClient", REQUEST_CLIENT),
    ]
}

/// The flags of vector A, but the payload.
const SIGN_A: [&str; 13] = [
    "sign",
    "--service",
    "cvm",
    "--action",
    "DescribeInstances",
    "--version",
    "2017-03-12",
    "--region",
    "ap-guangzhou",
    "--timestamp",
    "1551113065",
    "--content-type",
    "application/json; charset=utf-8",
];

// --- resolve -------------------------------------------------------------

#[test]
fn resolve_verbose_names_each_provider_passed_over_and_who_answered() {
    let home = scratch_dir();
    std::fs::create_dir_all(home.join(".tencentcloud")).unwrap();
    std::fs::write(home.join(".tencentcloud/credentials"), SDK_INI).unwrap();

    let ran = run_in(&["resolve", "-v"], &[], Some(&home));
    assert_eq!(
        ran,
        Ran {
            code: Some(0),
            stdout: "provider: profile\nsecret_id: AKID****0000\ntoken: none\nexpires: never\n"
                .into(),
            stderr: concat!(
                "env: passed: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are unset\n",
                "profile: answered\n"
            )
            .into(),
        }
    );
    assert!(!ran.stdout.contains("FAKEFILESECRETKEY0000"));

    // Without -v, stderr stays empty.
    let ran = run_in(&["resolve"], &[], Some(&home));
    assert_eq!(
        succeeds(ran),
        "provider: profile\nsecret_id: AKID****0000\ntoken: none\nexpires: never\n"
    );
}

#[test]
fn resolve_verbose_through_a_chosen_profile_with_a_token() {
    let dir = scratch_dir();
    let file = dir.join("credentials");
    std::fs::write(
        &file,
        "[default]\nsecret_id = AKIDdefault\nsecret_key = k\n\n\
         [work]\nsecret_id = AKIDwork00001234\nsecret_key = workkey\ntoken = worktoken\n",
    )
    .unwrap();
    let vars = [
        ("TENCENTCLOUD_CREDENTIALS_FILE", file.to_str().unwrap()),
        ("TENCENTCLOUD_PROFILE", "work"),
    ];
    let ran = run(&["resolve", "-v"], &vars);
    assert_eq!(
        ran,
        Ran {
            code: Some(0),
            stdout: "provider: profile\nsecret_id: AKID****1234\ntoken: present\nexpires: never\n"
                .into(),
            stderr: "env: passed: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are unset\n\
                     profile: answered\n"
                .into(),
        }
    );
    for secret in ["workkey", "worktoken"] {
        assert!(!ran.stdout.contains(secret) && !ran.stderr.contains(secret));
    }
}

#[test]
fn resolve_verbose_with_nothing_configured_lists_every_reason() {
    let passed = [
        (
            "env",
            "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are unset",
        ),
        (
            "profile",
            "no credentials file at ~/.tencentcloud/credentials or /etc/tencentcloud/credentials",
        ),
        ("tke", "TKE_* variables are unset"),
        ("cvm", "metadata service not found: connection refused"),
    ];
    let mut stderr: String = passed
        .iter()
        .map(|(name, why)| format!("{name}: passed: {why}\n"))
        .collect();
    let listed: Vec<String> = passed
        .iter()
        .map(|(name, why)| format!("{name}: {why}"))
        .collect();
    stderr.push_str(&format!(
        "tccred: chain: no credential found; {}\n",
        listed.join("; ")
    ));
    assert_eq!(run(&["resolve", "-v"], &[]), failed(&stderr));
}

#[test]
fn resolve_verbose_stops_at_a_half_configured_provider() {
    let passed = "env: passed: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are unset\n\
                  profile: passed: no credentials file at ~/.tencentcloud/credentials \
                  or /etc/tencentcloud/credentials\n";
    let tke = [("TKE_REGION", "ap-guangzhou"), ("TKE_ROLE_ARN", "arn")];
    assert_eq!(
        run(&["resolve", "-v"], &tke),
        failed(&format!(
            "{passed}tccred: tke: some TKE_* variables are unset \
             (variables TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE)\n"
        ))
    );
    // Only an id: the first provider stops the chain, nothing passed.
    assert_eq!(
        run(
            &["resolve", "-v"],
            &[("TENCENTCLOUD_SECRET_ID", "AKIDonly")]
        ),
        failed(
            "tccred: env: secret key is unset while the secret id is set \
             (variable TENCENTCLOUD_SECRET_KEY)\n"
        )
    );
}

// --- sign ----------------------------------------------------------------

#[test]
fn sign_reproduces_the_published_example() {
    let mut args = SIGN_A.to_vec();
    args.extend(["--payload", PAYLOAD_A]);
    let out = succeeds(run(&args, &EXAMPLE_ENV));
    assert_eq!(out, header_lines(&vector_a_headers()));
}

#[test]
fn sign_json_format_prints_one_object_in_send_order() {
    let mut args = SIGN_A.to_vec();
    args.extend(["--payload", PAYLOAD_A, "--format", "json"]);
    let out = succeeds(run(&args, &EXAMPLE_ENV));
    let fields: Vec<String> = vector_a_headers()
        .iter()
        .map(|(name, value)| format!("\"{name}\":\"{value}\""))
        .collect();
    assert_eq!(out, format!("{{{}}}\n", fields.join(",")));
    let parsed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(parsed["Authorization"], AUTHORIZATION_A);
}

#[test]
fn sign_payload_file_hashes_the_file() {
    let dir = scratch_dir();
    let file = dir.join("payload.json");
    std::fs::write(&file, PAYLOAD_A).unwrap();
    let mut args = SIGN_A.to_vec();
    args.extend(["--payload-file", file.to_str().unwrap()]);
    let out = succeeds(run(&args, &EXAMPLE_ENV));
    assert_eq!(out, header_lines(&vector_a_headers()));

    // A body past the 64 KiB read chunk signs as the same text given inline.
    let long = format!("{{\"Note\": \"{}\"}}", "x".repeat(100 * 1024));
    std::fs::write(&file, &long).unwrap();
    let from_file = succeeds(run(&args, &EXAMPLE_ENV));
    let mut inline = SIGN_A.to_vec();
    inline.extend(["--payload", &long]);
    assert_eq!(from_file, succeeds(run(&inline, &EXAMPLE_ENV)));
    assert_ne!(from_file, header_lines(&vector_a_headers()));
}

#[test]
fn sign_get_with_a_query_matches_the_derived_vector() {
    // test-vectors.md 5.3: GET, query `Limit=10&Offset=0`, empty payload.
    let args = [
        "sign",
        "--service",
        "cvm",
        "--action",
        "DescribeInstances",
        "--version",
        "2017-03-12",
        "--region",
        "ap-guangzhou",
        "--timestamp",
        "1551113065",
        "--method",
        "GET",
        "--query",
        "Limit=10&Offset=0",
    ];
    let out = succeeds(run(&args, &EXAMPLE_ENV));
    let authorization = "TC3-HMAC-SHA256 \
        Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, \
        SignedHeaders=content-type;host, \
        Signature=9867b291561db17491c01f0d7f06be3ccd45e91ecd3ce5434330e00ece036f64";
    assert_eq!(
        out,
        header_lines(&[
            ("Authorization", authorization),
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Host", "cvm.tencentcloudapi.com"),
            ("X-TC-Action", "DescribeInstances"),
            ("X-TC-Timestamp", "1551113065"),
            ("X-TC-Version", "2017-03-12"),
            ("X-TC-Region", "ap-guangzhou"),
            ("X-TC-RequestClient", REQUEST_CLIENT),
        ])
    );
}

/// The oracle line with `id`.
fn oracle(id: &str) -> Value {
    ORACLE
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|line| line["id"] == id)
        .unwrap_or_else(|| panic!("no oracle line {id}"))
}

fn text<'a>(line: &'a Value, field: &str) -> &'a str {
    line[field].as_str().unwrap_or_default()
}

/// Runs `tccred sign` with the inputs of an oracle line; `payload_flag`
/// false leaves the payload to the tool's default.
fn sign_like(line: &Value, payload_flag: bool) -> Ran {
    let timestamp = line["timestamp"].as_u64().unwrap().to_string();
    let mut args = vec![
        "sign",
        "--service",
        text(line, "service"),
        "--host",
        text(line, "host"),
        "--action",
        text(line, "action"),
        "--version",
        text(line, "version"),
        "--timestamp",
        &timestamp,
        "--method",
        text(line, "method"),
        "--content-type",
        text(line, "content_type"),
        "--language",
        text(line, "language"),
    ];
    if !text(line, "region").is_empty() {
        args.extend(["--region", text(line, "region")]);
    }
    if !text(line, "query").is_empty() {
        args.extend(["--query", text(line, "query")]);
    }
    if line["unsigned_payload"] == true {
        args.push("--unsigned-payload");
    }
    if payload_flag {
        args.extend(["--payload", text(line, "payload")]);
    }
    let mut vars = vec![
        ("TENCENTCLOUD_SECRET_ID", text(line, "secret_id")),
        ("TENCENTCLOUD_SECRET_KEY", text(line, "secret_key")),
    ];
    if let Some(token) = line["token"].as_str() {
        vars.push(("TENCENTCLOUD_SESSION_TOKEN", token));
    }
    run(&args, &vars)
}

/// The oracle line's headers in the order `tccred sign` prints them, with
/// this crate's `X-TC-RequestClient`.
fn oracle_headers(line: &Value) -> String {
    let sent = line["headers"].as_object().unwrap();
    let order = [
        "Authorization",
        "Content-Type",
        "Host",
        "X-TC-Action",
        "X-TC-Timestamp",
        "X-TC-Version",
        "X-TC-Region",
        "X-TC-Token",
        "X-TC-Language",
        "X-TC-RequestClient",
        "X-TC-Content-SHA256",
    ];
    assert!(sent.keys().all(|name| order.contains(&name.as_str())));
    let mut out = String::new();
    for name in order {
        if name == "X-TC-RequestClient" {
            out.push_str(&format!("{name}: {REQUEST_CLIENT}\n"));
        } else if let Some(value) = sent.get(name) {
            out.push_str(&format!("{name}: {}\n", value.as_str().unwrap()));
        }
    }
    out
}

#[test]
fn sign_unsigned_payload_and_language_match_the_official_sdk() {
    // seed1-3: UNSIGNED-PAYLOAD, zh-CN; seed1-102: UNSIGNED-PAYLOAD, en-US.
    let out = succeeds(sign_like(&oracle("seed1-3"), true));
    assert_eq!(
        out,
        header_lines(&[
            (
                "Authorization",
                "TC3-HMAC-SHA256 \
                 Credential=AKIDasWYwFE32jgGXYueG8QllXjj03ut/2023-12-31/cos/tc3_request, \
                 SignedHeaders=content-type;host, \
                 Signature=13630701a4142aa23fc7e853a07d8022705b71be6c0653a1860888e5b0213037"
            ),
            ("Content-Type", "application/json"),
            ("Host", "cos.tencentcloudapi.com"),
            ("X-TC-Action", "RunInstances"),
            ("X-TC-Timestamp", "1704067199"),
            ("X-TC-Version", "2017-03-12"),
            ("X-TC-Region", "ap-guangzhou"),
            ("X-TC-Language", "zh-CN"),
            ("X-TC-RequestClient", REQUEST_CLIENT),
            ("X-TC-Content-SHA256", "UNSIGNED-PAYLOAD"),
        ])
    );
    // Unsigned, the payload given does not matter.
    let line = oracle("seed1-102");
    let given = succeeds(sign_like(&line, true));
    assert_eq!(given, oracle_headers(&line));
    assert_eq!(succeeds(sign_like(&line, false)), given);
    assert!(given
        .contains("Signature=d99464a162273084dd308944e52dd780c86313a1f4178179a9d596bdb601e451\n"));
}

#[test]
fn sign_default_payload_and_language_match_the_official_sdk() {
    // seed1-66 signed `{}`, the tool's default POST body, and sent en-US.
    let line = oracle("seed1-66");
    assert_eq!(line["payload"], "{}");
    let out = succeeds(sign_like(&line, false));
    assert_eq!(
        out,
        header_lines(&[
            (
                "Authorization",
                "TC3-HMAC-SHA256 \
                 Credential=AKIDwwkVWggUmtp0Oec/2023-11-01/cos/tc3_request, \
                 SignedHeaders=content-type;host, \
                 Signature=6fe5910d76bf2a9689fcad9435d5a5b1133b45ce726b89b2e39ed2bb34c278e2"
            ),
            ("Content-Type", "application/json"),
            ("Host", "cos.tencentcloudapi.com"),
            // The SDK and the tool upper-case the first letter of `describeZones`.
            ("X-TC-Action", "DescribeZones"),
            ("X-TC-Timestamp", "1698807582"),
            ("X-TC-Version", "2018-08-13"),
            ("X-TC-Region", "ap-guangzhou"),
            ("X-TC-Language", "en-US"),
            ("X-TC-RequestClient", REQUEST_CLIENT),
        ])
    );
}

#[test]
fn sign_matches_official_sdk_lines_with_queries_and_tokens() {
    // GET with a query; tokens from TENCENTCLOUD_SESSION_TOKEN; no region.
    for id in [
        "seed1-12",
        "seed1-21",
        "seed1-174",
        "seed1-195",
        "seed1-186",
        "seed1-96",
    ] {
        let line = oracle(id);
        let out = succeeds(sign_like(&line, true));
        assert_eq!(out, oracle_headers(&line), "{id}");
        let authorization = format!("Authorization: {}\n", text(&line, "authorization"));
        assert!(out.starts_with(&authorization), "{id}");
    }
    // The lines cover what they are picked for.
    assert_eq!(oracle("seed1-174")["method"], "GET");
    assert!(oracle("seed1-174")["token"].is_string());
    assert_eq!(oracle("seed1-96")["region"], "");
}

// --- export --------------------------------------------------------------

#[test]
fn export_json_and_env_print_the_credential_exactly() {
    let out = succeeds(run(&["export"], &EXAMPLE_ENV));
    assert_eq!(
        out,
        "{\"SecretId\":\"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE\",\
         \"SecretKey\":\"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE\",\
         \"Token\":null,\"ExpiredTime\":null,\"Provider\":\"env\"}\n"
    );
    let out = succeeds(run(&["export", "--format", "env"], &EXAMPLE_ENV));
    assert_eq!(
        out,
        "export TENCENTCLOUD_SECRET_ID='AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE'\n\
         export TENCENTCLOUD_SECRET_KEY='Gu5t9xGARNpq86cd98joQYCN3EXAMPLE'\n"
    );
}

#[test]
fn export_quotes_what_json_and_the_shell_would_misread() {
    let token = r#"to'k"e\n"#;
    let mut vars = EXAMPLE_ENV.to_vec();
    vars.push(("TENCENTCLOUD_TOKEN", token));
    let out = succeeds(run(
        &["export", "--provider", "env", "--format", "json"],
        &vars,
    ));
    assert_eq!(
        out,
        "{\"SecretId\":\"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE\",\
         \"SecretKey\":\"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE\",\
         \"Token\":\"to'k\\\"e\\\\n\",\"ExpiredTime\":null,\"Provider\":\"env\"}\n"
    );
    let parsed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(parsed["Token"], token);

    let out = succeeds(run(&["export", "--format", "env"], &vars));
    assert_eq!(
        out,
        "export TENCENTCLOUD_SECRET_ID='AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE'\n\
         export TENCENTCLOUD_SECRET_KEY='Gu5t9xGARNpq86cd98joQYCN3EXAMPLE'\n\
         export TENCENTCLOUD_SESSION_TOKEN='to'\\''k\"e\\n'\n"
    );
    // A shell reading the lines gets the token back as it was.
    let shell = Command::new("sh")
        .arg("-c")
        .arg(format!("{out}printf %s \"$TENCENTCLOUD_SESSION_TOKEN\""))
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(shell.stdout).unwrap(), token);
}

#[test]
fn export_names_the_profile_provider() {
    let home = scratch_dir();
    std::fs::create_dir_all(home.join(".tencentcloud")).unwrap();
    std::fs::write(home.join(".tencentcloud/credentials"), SDK_INI).unwrap();
    let out = succeeds(run_in(&["export"], &[], Some(&home)));
    assert_eq!(
        out,
        "{\"SecretId\":\"AKIDFAKEFILESECRETID0000\",\"SecretKey\":\"FAKEFILESECRETKEY0000\",\
         \"Token\":null,\"ExpiredTime\":null,\"Provider\":\"profile\"}\n"
    );
}

// --- usage errors --------------------------------------------------------

/// A usage error: exit 2, nothing on stdout, `stderr` exactly.
fn usage_error(args: &[&str], vars: &[(&str, &str)], stderr: &str) {
    assert_eq!(
        run(args, vars),
        Ran {
            code: Some(2),
            stdout: String::new(),
            stderr: stderr.into(),
        },
        "{args:?}"
    );
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    usage_error(
        &["resolve", "--bogus"],
        &EXAMPLE_ENV,
        "error: unexpected argument '--bogus' found\n\n\
         Usage: tccred resolve [OPTIONS]\n\n\
         For more information, try '--help'.\n",
    );
    usage_error(
        &["export", "--provider", "nope"],
        &EXAMPLE_ENV,
        "error: invalid value 'nope' for '--provider <PROVIDER>'\n  \
         [possible values: chain, env, profile, tke, cvm, sts, oidc]\n\n\
         For more information, try '--help'.\n",
    );
}

#[test]
fn payload_with_payload_file_is_a_usage_error() {
    let mut args = SIGN_A.to_vec();
    args.extend(["--payload", "{}", "--payload-file", "/dev/null"]);
    usage_error(
        &args,
        &EXAMPLE_ENV,
        "error: the argument '--payload <PAYLOAD>' cannot be used with \
         '--payload-file <PAYLOAD_FILE>'\n\n\
         Usage: tccred sign --service <SERVICE> --action <ACTION> --version <VERSION> \
         --region <REGION> --timestamp <TIMESTAMP> --content-type <CONTENT_TYPE> \
         --payload <PAYLOAD>\n\n\
         For more information, try '--help'.\n",
    );
}

#[test]
fn impossible_requests_are_usage_errors_from_the_tool() {
    usage_error(
        &["export", "--provider", "sts"],
        &EXAMPLE_ENV,
        "tccred: --provider sts needs --role-arn\n",
    );
    usage_error(
        &["export", "--provider", "oidc", "--role-arn", "arn"],
        &EXAMPLE_ENV,
        "tccred: --provider oidc needs --provider-id\n",
    );
    let missing = scratch_dir().join("missing.json");
    let mut args = SIGN_A.to_vec();
    args.extend(["--payload-file", missing.to_str().unwrap()]);
    usage_error(
        &args,
        &EXAMPLE_ENV,
        &format!(
            "tccred: cannot read {}: No such file or directory (os error 2)\n",
            missing.display()
        ),
    );
}

// --- the emulator as a child process ------------------------------------

/// A running `tccred emulate`; killed when dropped, also on a panic.
struct Emulator {
    child: Child,
    /// `http://127.0.0.1:PORT`, read from its `export` lines.
    base: String,
}

impl Emulator {
    fn start(args: &[&str]) -> Self {
        let mut full = vec!["emulate", "--listen", "127.0.0.1:0"];
        full.extend(args);
        let mut child = command(&full, &[], None)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        // Owned from here, so a failed read below still kills it.
        let mut emulator = Self {
            child,
            base: String::new(),
        };
        let mut lines = BufReader::new(stdout).lines();
        let mut next = || lines.next().expect("emulator output").unwrap();
        let metadata = next();
        let base = metadata
            .strip_prefix("export TENCENTCLOUD_METADATA_ENDPOINT=")
            .unwrap_or_else(|| panic!("{metadata}"))
            .to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        assert_eq!(next(), format!("export TENCENTCLOUD_STS_ENDPOINT={base}"));
        emulator.base = base;
        emulator
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
fn iso8601(unix: u64) -> String {
    let second = unix % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        UtcDate::from_unix(unix).as_str(),
        second / 3600,
        second / 60 % 60,
        second % 60
    )
}

const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/reader";

#[test]
fn emulator_serves_export_resolve_and_call() {
    let mut emulator = Emulator::start(&[
        "--role",
        "my-role",
        "--secret",
        "AKIDlong=longkey",
        "--lifetime",
        "900",
    ]);
    let base = emulator.base.clone();
    let metadata = [("TENCENTCLOUD_METADATA_ENDPOINT", base.as_str())];

    // CVM: the first credential issued.
    let before = unix_now();
    let out = succeeds(run(&["export", "--provider", "cvm"], &metadata));
    let after = unix_now();
    let found: Value = serde_json::from_str(&out).unwrap();
    let expires = found["ExpiredTime"].as_u64().unwrap();
    assert!((before + 900..=after + 900).contains(&expires), "{out}");
    assert_eq!(
        out,
        format!(
            "{{\"SecretId\":\"AKIDtmpMetadata-1\",\"SecretKey\":\"tmpkeyMetadata-1\",\
             \"Token\":\"emulated-token-Metadata-1\",\"ExpiredTime\":{expires},\
             \"Provider\":\"cvm\"}}\n"
        )
    );

    // STS: AssumeRole signed with the long-term credential from the environment.
    let sts_vars = [
        ("TENCENTCLOUD_SECRET_ID", "AKIDlong"),
        ("TENCENTCLOUD_SECRET_KEY", "longkey"),
        ("TENCENTCLOUD_STS_ENDPOINT", base.as_str()),
    ];
    let mut args = EXPORT_STS.to_vec();
    args.extend(["--format", "env"]);
    assert_eq!(
        succeeds(run(&args, &sts_vars)),
        "export TENCENTCLOUD_SECRET_ID='AKIDtmpAssumeRole-2'\n\
         export TENCENTCLOUD_SECRET_KEY='tmpkeyAssumeRole-2'\n\
         export TENCENTCLOUD_SESSION_TOKEN='emulated-token-AssumeRole-2'\n"
    );
    let out = succeeds(run(&EXPORT_STS, &sts_vars));
    let found: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (&found["SecretId"], &found["Provider"]),
        (&Value::from("AKIDtmpAssumeRole-3"), &Value::from("sts"))
    );

    // The chain passes env, profile and TKE, and CVM answers.
    let before = unix_now();
    let ran = run(&["resolve", "-v"], &metadata);
    let after = unix_now();
    assert_eq!(ran.code, Some(0), "{ran:?}");
    assert_eq!(
        ran.stderr,
        "env: passed: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are unset\n\
         profile: passed: no credentials file at ~/.tencentcloud/credentials \
         or /etc/tencentcloud/credentials\n\
         tke: passed: TKE_* variables are unset\n\
         cvm: answered\n"
    );
    let expires = (before + 900..=after + 900)
        .find(|t| {
            ran.stdout
                .ends_with(&format!("expires: {} ({t})\n", iso8601(*t)))
        })
        .unwrap_or_else(|| panic!("{}", ran.stdout));
    assert_eq!(
        ran.stdout,
        format!(
            "provider: cvm\nsecret_id: AKID****ta-4\ntoken: present\n\
             expires: {} ({expires})\n",
            iso8601(expires)
        )
    );

    // `call` signs, sends and prints the reply: the third POST, the fifth credential.
    let call = [
        "call",
        "sts",
        "AssumeRole",
        "--version",
        "2018-08-13",
        "--endpoint",
        &base,
        "--payload",
        r#"{"RoleArn": "qcs::cam::uin/100000000001:roleName/reader", "RoleSessionName": "c"}"#,
    ];
    let out = succeeds(run(&call, &sts_vars[..2]));
    let reply: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        reply["Response"]["Credentials"],
        serde_json::json!({
            "Token": "emulated-token-AssumeRole-5",
            "TmpSecretId": "AKIDtmpAssumeRole-5",
            "TmpSecretKey": "tmpkeyAssumeRole-5",
        })
    );
    assert_eq!(reply["Response"]["RequestId"], "req-emulator-3");

    // It serves until killed.
    assert!(emulator.child.try_wait().unwrap().is_none());
}

#[test]
fn emulated_sts_errors_reach_call_and_export() {
    let emulator = Emulator::start(&[
        "--secret",
        "AKIDlong=longkey",
        "--sts-error",
        "AuthFailure.SignatureExpire:fake: signature expired",
    ]);
    let long_term = [
        ("TENCENTCLOUD_SECRET_ID", "AKIDlong"),
        ("TENCENTCLOUD_SECRET_KEY", "longkey"),
    ];
    let call = [
        "call",
        "sts",
        "AssumeRole",
        "--version",
        "2018-08-13",
        "--endpoint",
        &emulator.base,
        "--payload",
        r#"{"RoleArn": "qcs::cam::uin/100000000001:roleName/reader", "RoleSessionName": "c"}"#,
    ];
    assert_eq!(
        run(&call, &long_term),
        failed(
            "tccred: the call returned an error (code AuthFailure.SignatureExpire, \
             message fake: signature expired, request id req-emulator-1)\n"
        )
    );

    // Through the STS provider, the error names it.
    let mut vars = long_term.to_vec();
    vars.push(("TENCENTCLOUD_STS_ENDPOINT", &emulator.base));
    let export = EXPORT_STS;
    assert_eq!(
        run(&export, &vars),
        failed(
            "tccred: sts: sts returned an error (code AuthFailure.SignatureExpire, \
             message fake: signature expired, request id req-emulator-2)\n"
        )
    );

    // A wrong key fails the emulator's signature check before the fault.
    let wrong = [
        ("TENCENTCLOUD_SECRET_ID", "AKIDlong"),
        ("TENCENTCLOUD_SECRET_KEY", "not-the-key"),
    ];
    assert_eq!(
        run(&call, &wrong),
        failed(
            "tccred: the call returned an error (code AuthFailure.SignatureFailure, \
             message The provided credentials could not be validated., \
             request id req-emulator-3)\n"
        )
    );
}

/// `--metadata-body` and `--sts-body` serve a file verbatim: a malformed
/// document and a reply without credentials each end in their exact error.
#[test]
fn emulated_bodies_from_files_reach_the_providers() {
    let dir = scratch_dir();
    let document = dir.join("document.json");
    std::fs::write(&document, r#"{"TmpSecretId":"AKIDx","Code":"Success""#).unwrap();
    let reply = dir.join("reply.json");
    std::fs::write(&reply, r#"{"Response":{"RequestId":"req-file"}}"#).unwrap();
    let emulator = Emulator::start(&[
        "--role",
        "reader",
        "--secret",
        "AKIDlong=longkey",
        "--metadata-body",
        document.to_str().unwrap(),
        "--sts-body",
        reply.to_str().unwrap(),
    ]);
    let cvm = [("TENCENTCLOUD_METADATA_ENDPOINT", emulator.base.as_str())];
    assert_eq!(
        run(&["export", "--provider", "cvm"], &cvm),
        failed("tccred: cvm: metadata credentials document is malformed\n")
    );
    let sts = [
        ("TENCENTCLOUD_SECRET_ID", "AKIDlong"),
        ("TENCENTCLOUD_SECRET_KEY", "longkey"),
        ("TENCENTCLOUD_STS_ENDPOINT", emulator.base.as_str()),
    ];
    let export = EXPORT_STS;
    assert_eq!(
        run(&export, &sts),
        failed("tccred: sts: sts reply lacks a field (key Response.Credentials)\n")
    );
}

// --- hostile replies from a loopback server ------------------------------

/// An STS success whose secrets all hold `HIDDEN`, with `token` as written.
fn sts_body(token: &str) -> String {
    format!(
        concat!(
            r#"{{"Response":{{"Credentials":{{"Token":"{}","TmpSecretId":"AKIDHIDDEN1","#,
            r#""TmpSecretKey":"HIDDEN-tmp-key"}},"ExpiredTime":4102444800,"RequestId":"r-1"}}}}"#
        ),
        token
    )
}

/// Hostile replies and the message each must end in (after the provider).
fn hostile_replies() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let good = sts_body("HIDDEN-token");
    let half = &good.as_bytes()[..good.len() / 2];
    let mut long_cut = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        good.len()
    )
    .into_bytes();
    long_cut.extend_from_slice(half);
    let mib = format!(
        r#"{{"Response":{{"Note":"{}","Credentials":{{}}}}}}"#,
        "HIDDEN".repeat(1024 * 1024 / 6)
    );
    let mut not_utf8 = good.clone().into_bytes();
    let at = good.find("HIDDEN-token").unwrap() + 6;
    not_utf8.splice(at..at, *b"\xff\xfe");
    let raw_nul = good.replace("HIDDEN-token", "HIDDEN\0token");
    vec![
        ("truncated body", http_200(half), "sts reply is malformed"),
        (
            "body cut before its length",
            long_cut,
            "sts request failed: connection closed before the response ended",
        ),
        (
            "1 MiB body",
            http_200(mib.as_bytes()),
            "sts reply is too long (limit 16384 bytes)",
        ),
        (
            "invalid utf-8",
            http_200(&not_utf8),
            "sts reply is malformed",
        ),
        (
            "raw NUL",
            http_200(raw_nul.as_bytes()),
            "sts reply is malformed",
        ),
        (
            "escaped NUL",
            http_200(sts_body(r"HIDDEN\u0000token").as_bytes()),
            "token should not contain control characters (key Response.Credentials.Token)",
        ),
    ]
}

/// A failed run: exit 1, nothing on stdout, `stderr` exactly, and no secret.
fn fails_without_secrets(ran: &Ran, stderr: &str, case: &str) {
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (Some(1), "", stderr),
        "{case}"
    );
    assert!(!ran.stderr.contains("HIDDEN"), "{case}");
}

#[test]
fn hostile_sts_replies_are_clear_errors_without_secrets() {
    for (case, reply, message) in hostile_replies() {
        let base = serve(reply);
        let vars = [
            ("TENCENTCLOUD_SECRET_ID", "AKIDsource"),
            ("TENCENTCLOUD_SECRET_KEY", "HIDDEN-source-key"),
            ("TENCENTCLOUD_STS_ENDPOINT", base.as_str()),
        ];
        let args = EXPORT_STS;
        let ran = run(&args, &vars);
        fails_without_secrets(&ran, &format!("tccred: sts: {message}\n"), case);
    }
}

#[test]
fn hostile_tke_replies_are_clear_errors_without_secrets() {
    let dir = scratch_dir();
    let token_file = dir.join("token");
    std::fs::write(&token_file, "HIDDEN-web-identity-token\n").unwrap();
    for (case, reply, message) in hostile_replies() {
        let base = serve(reply);
        let vars = [
            ("TKE_REGION", "ap-guangzhou"),
            ("TKE_PROVIDER_ID", "OIDC"),
            ("TKE_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
            ("TKE_ROLE_ARN", ROLE_ARN),
            ("TENCENTCLOUD_STS_ENDPOINT", base.as_str()),
        ];
        let ran = run(&["export", "--provider", "tke"], &vars);
        fails_without_secrets(&ran, &format!("tccred: tke: {message}\n"), case);
        // Through the chain, TKE's error stops it, named the same.
        let ran = run(&["resolve"], &vars);
        fails_without_secrets(&ran, &format!("tccred: tke: {message}\n"), case);
    }
}

#[test]
fn a_good_reply_from_the_same_server_is_exported() {
    // The server and flags above do work: the same setup with a good reply succeeds.
    let base = serve(http_200(sts_body("tok-1").as_bytes()));
    let dir = scratch_dir();
    let token_file = dir.join("token");
    std::fs::write(&token_file, "jwt\n").unwrap();
    let vars = [
        ("TKE_REGION", "ap-guangzhou"),
        ("TKE_PROVIDER_ID", "OIDC"),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
        ("TKE_ROLE_ARN", ROLE_ARN),
        ("TENCENTCLOUD_STS_ENDPOINT", base.as_str()),
    ];
    assert_eq!(
        succeeds(run(&["export", "--provider", "tke"], &vars)),
        "{\"SecretId\":\"AKIDHIDDEN1\",\"SecretKey\":\"HIDDEN-tmp-key\",\"Token\":\"tok-1\",\
         \"ExpiredTime\":4102444800,\"Provider\":\"tke\"}\n"
    );
    let vars = [
        ("TENCENTCLOUD_SECRET_ID", "AKIDsource"),
        ("TENCENTCLOUD_SECRET_KEY", "source-key"),
        ("TENCENTCLOUD_STS_ENDPOINT", base.as_str()),
    ];
    let args = [EXPORT_STS.as_slice(), &["--format", "env"]].concat();
    assert_eq!(
        succeeds(run(&args, &vars)),
        "export TENCENTCLOUD_SECRET_ID='AKIDHIDDEN1'\n\
         export TENCENTCLOUD_SECRET_KEY='HIDDEN-tmp-key'\n\
         export TENCENTCLOUD_SESSION_TOKEN='tok-1'\n"
    );
}
