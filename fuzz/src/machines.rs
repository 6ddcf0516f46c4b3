//! Targets for the provider state machines: each is fed a script of answers
//! (variables, files, HTTP replies, transport errors, sleeps, times, early
//! finishes), right or wrong, in whatever order the fuzzer picks.
//!
//! Input layout: the provider's settings (per target), `now` (`u64`), then
//! actions. An action is a tag byte: its low four bits pick the kind (0
//! answers whatever was asked, 1 a variable, 2 a file, 3 an HTTP exchange,
//! 4 "slept", 5 calls `finish` early, 6 sets the clock to the next `u64`,
//! 7 polls again), its high four bits the outcome (0 unset / not found /
//! refused, ...; see [`answer`]). Answers of kinds 0 to 3 then read a status
//! (`u16`) and a blob. When the script runs out, each step gets the plain
//! failing answer of its kind, so every run must end.
//!
//! Properties, at every step: polling twice gives the same step; neither
//! the provider's nor the step's `Debug` shows a secret; header values hold
//! no CR, LF or NUL; a POST body is JSON. At the end of a run: `Step::Done`
//! within [`MAX_ANSWERS`] answers; `finish` gives a credential that
//! re-validates or an error naming a provider and showing no secret; a
//! second `finish` is an error; `finish` before `Done` is an error.

use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use tencentcloud_credential::io::{EnvError, FileError, FileRef, HttpResponse, TransportError};
use tencentcloud_credential::{
    limits, Credential, CvmProvider, DefaultChain, EnvProvider, Error, ErrorKind, OidcProvider,
    ProfileProvider, Provider, Step, StsProvider, TkeProvider,
};

use super::parsers::revalidates;
use super::reader::Reader;
use super::secrets::Secrets;

/// Most answers one run may take before `Step::Done` (the default chain
/// needs about 30 at most: 4 variables, 4 for the profile, 9 for TKE, 12
/// for the metadata service with its retries and sleeps).
pub const MAX_ANSWERS: usize = 64;
/// Most runs of one provider per input.
const MAX_RUNS: usize = 4;
/// Variables whose values are secret.
const SECRET_VARIABLES: [&str; 3] = [
    "TENCENTCLOUD_SECRET_KEY",
    "TENCENTCLOUD_SESSION_TOKEN",
    "TENCENTCLOUD_TOKEN",
];

/// An HTTP request as a provider asked for it, owned.
#[derive(Debug, PartialEq)]
pub struct HttpSnap {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The URL.
    pub url: String,
    /// The headers, in order.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// Timeouts, proxy use and the body limit.
    pub settings: (u32, u32, bool, usize),
    /// The request's `Debug` text.
    pub debug: String,
}

impl HttpSnap {
    /// The value of header `name` (exact name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A step, owned, so that two polls can be compared and the provider answered.
#[derive(Debug, PartialEq)]
pub enum Snap {
    /// `Step::Env`.
    Env(&'static str),
    /// `Step::File`: path (`~/` not added), whether home-relative, limit.
    File(String, bool, usize),
    /// `Step::Http`.
    Http(HttpSnap),
    /// `Step::Sleep`.
    Sleep(u32),
    /// `Step::Done`.
    Done,
}

/// Copies a step out of the provider.
pub fn snap(step: Step<'_>) -> Snap {
    match step {
        Step::Env(name) => Snap::Env(name),
        Step::File(request) => {
            let (path, home) = match request.file {
                FileRef::Path(path) => (path, false),
                FileRef::Home(path) => (path, true),
            };
            Snap::File(path.to_string(), home, request.limit)
        }
        Step::Http(request) => Snap::Http(HttpSnap {
            method: request.method.as_str(),
            url: request.url.to_string(),
            headers: request
                .headers
                .iter()
                .map(|(n, v)| (*n, v.to_string()))
                .collect(),
            body: request.body.to_vec(),
            settings: (
                request.connect_timeout_ms,
                request.total_timeout_ms,
                request.allow_proxy,
                request.max_body,
            ),
            debug: format!("{request:?}"),
        }),
        Step::Sleep(millis) => Snap::Sleep(millis),
        Step::Done => Snap::Done,
        other => panic!("a step this harness does not know: {other:?}"),
    }
}

/// What one run was told, for the per-provider judges.
#[derive(Default)]
pub struct RunLog {
    /// Each variable answered, with its value (`Err` for not unicode).
    pub env: Vec<(&'static str, Result<Option<String>, ()>)>,
    /// The earliest time the run was polled with.
    pub min_now: u64,
    /// Whether some answer was of another kind than the step asked.
    pub wrong: bool,
}

impl RunLog {
    /// The last value answered for `name`: `None` when never asked.
    pub fn var(&self, name: &str) -> Option<&Result<Option<String>, ()>> {
        self.env
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

/// An action of a script.
enum Action<'a> {
    Answer(Kind, u8, u16, &'a [u8]),
    Slept,
    Finish,
    Clock(u64),
    Poll,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Asked,
    Env,
    File,
    Http,
}

fn next_action<'a>(r: &mut Reader<'a>) -> Action<'a> {
    let tag = r.u8();
    let outcome = tag >> 4;
    let kind = match tag & 0x0f {
        1 => Kind::Env,
        2 => Kind::File,
        3 => Kind::Http,
        4 => return Action::Slept,
        5 => return Action::Finish,
        6 => return Action::Clock(r.u64()),
        7 => return Action::Poll,
        _ => Kind::Asked,
    };
    let status = r.u16();
    Action::Answer(kind, outcome, status, r.blob())
}

/// The plain failing answer to `step`, once the script has run out.
fn default_action(step: &Snap) -> Action<'static> {
    match step {
        Snap::Sleep(_) => Action::Slept,
        _ => Action::Answer(Kind::Asked, 0, 0, &[]),
    }
}

/// Hands `p` one answer of `kind` (read for `step`), noting secrets and the log.
fn answer<P: Provider + ?Sized>(
    p: &mut P,
    step: &Snap,
    (kind, outcome, status, bytes): (Kind, u8, u16, &[u8]),
    secrets: &mut Secrets,
    log: &mut RunLog,
) {
    let kind = match (kind, step) {
        (Kind::Asked, Snap::Env(_)) => Kind::Env,
        (Kind::Asked, Snap::File(..)) => Kind::File,
        (Kind::Asked, Snap::Http(_)) => Kind::Http,
        (Kind::Asked, _) => {
            // A sleep (or nothing) was asked: "slept" is its answer.
            log.wrong |= !matches!(step, Snap::Sleep(_));
            return p.handle_slept();
        }
        (kind, _) => kind,
    };
    log.wrong |= !matches!(
        (kind, step),
        (Kind::Env, Snap::Env(_)) | (Kind::File, Snap::File(..)) | (Kind::Http, Snap::Http(_))
    );
    match kind {
        Kind::Env => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let value: Result<Option<&str>, EnvError> = match outcome {
                0 => Ok(None),
                1 => Err(EnvError::NotUnicode),
                2 => Ok(Some("")),
                _ => Ok(Some(&text)),
            };
            let name = match step {
                Snap::Env(name) => Some(*name),
                _ => None,
            };
            // A value answered to the wrong step counts as secret: it should go nowhere.
            match name {
                Some(name) if !SECRET_VARIABLES.contains(&name) => secrets.public(text.as_bytes()),
                _ => secrets.secret(text.as_bytes()),
            }
            if let Some(name) = name {
                let logged = value.map(|v| v.map(str::to_string)).map_err(|_| ());
                log.env.push((name, logged));
            }
            p.handle_env(value);
        }
        Kind::File => {
            secrets.secret(bytes);
            let result = match outcome {
                0 => Err(FileError::NotFound),
                1 => Err(FileError::NoHome),
                2 => Err(FileError::PermissionDenied),
                3 => Err(FileError::IsDirectory),
                4 => Err(FileError::Other),
                _ => Ok(bytes),
            };
            p.handle_file(result);
        }
        Kind::Http | Kind::Asked => {
            secrets.json_body(bytes);
            let result = match outcome {
                0 => Err(TransportError::Refused),
                1 => Err(TransportError::UnknownHost),
                2 => Err(TransportError::Timeout),
                3 => Err(TransportError::Tls),
                4 => Err(TransportError::Unsupported),
                5 => Err(TransportError::Other),
                _ => Ok(HttpResponse {
                    status,
                    body: bytes,
                }),
            };
            p.handle_http(result);
        }
    }
}

/// What every step must satisfy.
fn check_step(step: &Snap, secrets: &Secrets) {
    match step {
        Snap::Http(request) => {
            secrets.check("request Debug", &request.debug);
            for (name, value) in &request.headers {
                assert!(
                    !value.contains(['\r', '\n', '\0']),
                    "header {name} holds CR, LF or NUL"
                );
            }
            let url = request.url.to_ascii_lowercase();
            assert!(
                url.starts_with("http://") || url.starts_with("https://"),
                "url {url:?}"
            );
            assert!(
                !url.chars().any(|c| c.is_whitespace() || c.is_control()),
                "url {url:?}"
            );
            assert_eq!(request.settings.3, limits::RESPONSE_BODY);
            if request.method == "POST" {
                let json = serde_json::from_slice::<serde_json::Value>(&request.body);
                assert!(
                    json.is_ok_and(|v| v.is_object()),
                    "a POST body that is not a JSON object"
                );
            }
        }
        Snap::File(path, _, limit) => {
            assert!(!path.is_empty(), "a file step without a path");
            assert!(*limit == limits::PROFILE_FILE || *limit == limits::TOKEN);
        }
        Snap::Sleep(millis) => assert!(*millis <= 60_000, "sleep of {millis} ms"),
        Snap::Env(_) | Snap::Done => {}
    }
}

/// What every outcome must satisfy.
fn check_outcome(outcome: &Result<Credential, Error>, log: &RunLog, secrets: &Secrets) {
    match outcome {
        Ok(c) => {
            revalidates(c, secrets);
            if let Some(at) = c.expires_at() {
                assert!(
                    at > log.min_now,
                    "expired credential: {at} <= {}",
                    log.min_now
                );
            }
        }
        Err(e) => {
            secrets.check_error("outcome", e);
            assert!(
                e.provider().is_some(),
                "an outcome error names no provider: {e}"
            );
        }
    }
}

/// Runs `p` on the script left in `r`, showing each step to `on_step` and
/// judging each outcome with `judge`.
pub fn drive<P: Provider + core::fmt::Debug>(
    p: &mut P,
    r: &mut Reader<'_>,
    secrets: &mut Secrets,
    mut now: u64,
    mut on_step: impl FnMut(&Snap),
    mut judge: impl FnMut(&Result<Credential, Error>, &RunLog),
) {
    for _ in 0..MAX_RUNS {
        let mut log = RunLog {
            min_now: now,
            ..RunLog::default()
        };
        let mut answers = 0;
        loop {
            let step = snap(p.poll(now));
            let again = snap(p.poll(now));
            assert!(
                step == again,
                "poll is not repeatable: {step:?}, then {again:?}"
            );
            secrets.check("provider Debug", &format!("{p:?}"));
            check_step(&step, secrets);
            on_step(&step);
            if step == Snap::Done {
                let outcome = p.finish();
                check_outcome(&outcome, &log, secrets);
                if !log.wrong {
                    judge(&outcome, &log);
                }
                let second = p.finish();
                assert!(second.is_err(), "finish after finish gave a credential");
                break;
            }
            assert!(
                answers < MAX_ANSWERS,
                "no Step::Done after {MAX_ANSWERS} answers"
            );
            let action = if r.is_empty() {
                default_action(&step)
            } else {
                next_action(r)
            };
            match action {
                Action::Clock(t) => {
                    now = t;
                    log.min_now = log.min_now.min(t);
                }
                Action::Poll => {}
                Action::Finish => {
                    let outcome = p.finish();
                    assert!(outcome.is_err(), "finish before Done gave a credential");
                    check_outcome(&outcome, &log, secrets);
                    break;
                }
                Action::Slept => {
                    answers += 1;
                    log.wrong |= !matches!(step, Snap::Sleep(_));
                    p.handle_slept();
                }
                Action::Answer(kind, outcome, status, bytes) => {
                    answers += 1;
                    answer(p, &step, (kind, outcome, status, bytes), secrets, &mut log);
                }
            }
        }
        if r.is_empty() {
            break;
        }
    }
}

/// A value answered for `name` that counts as set: not unset, not empty.
fn set(log: &RunLog, name: &str) -> bool {
    !matches!(log.var(name), None | Some(Ok(None)))
        && log.var(name) != Some(&Ok(Some(String::new())))
}

/// Target `machine_env`: `now`, then actions.
pub fn env(data: &[u8]) {
    let mut r = Reader::new(data);
    let mut secrets = Secrets::new();
    let now = r.u64();
    let mut provider = EnvProvider::new();
    drive(
        &mut provider,
        &mut r,
        &mut secrets,
        now,
        |_| {},
        |outcome, log| {
            let id_or_key =
                set(log, "TENCENTCLOUD_SECRET_ID") || set(log, "TENCENTCLOUD_SECRET_KEY");
            match outcome {
                Ok(c) => {
                    let value = |name| match log.var(name) {
                        Some(Ok(Some(v))) => Some(v.as_str()),
                        _ => None,
                    };
                    assert_eq!(Some(c.secret_id()), value("TENCENTCLOUD_SECRET_ID"));
                    assert_eq!(Some(c.secret_key()), value("TENCENTCLOUD_SECRET_KEY"));
                    let token = value("TENCENTCLOUD_SESSION_TOKEN")
                        .filter(|t| !t.is_empty())
                        .or_else(|| value("TENCENTCLOUD_TOKEN").filter(|t| !t.is_empty()));
                    assert_eq!(c.token(), token);
                    assert_eq!(c.expires_at(), None);
                }
                Err(e) => assert_eq!(e.is_not_configured(), !id_or_key, "{e}"),
            }
        },
    );
}

/// Target `machine_profile`: flags (bit 0: a file blob follows, bit 1: a
/// profile blob follows), `now`, then actions.
pub fn profile(data: &[u8]) {
    let mut r = Reader::new(data);
    let mut secrets = Secrets::new();
    let flags = r.u8();
    let mut built = Ok(ProfileProvider::new());
    if flags & 1 != 0 {
        let path = r.text();
        secrets.public(path.as_bytes());
        built = built.and_then(|p| p.with_file(&path));
    }
    if flags & 2 != 0 {
        let name = r.text();
        secrets.public(name.as_bytes());
        built = built.and_then(|p| p.with_profile(&name));
    }
    let now = r.u64();
    let mut provider = match built {
        Ok(provider) => provider,
        Err(e) => return secrets.check_error("profile builder", &e),
    };
    drive(
        &mut provider,
        &mut r,
        &mut secrets,
        now,
        |_| {},
        |outcome, _| {
            if let Ok(c) = outcome {
                assert_eq!(c.expires_at(), None);
            }
        },
    );
}

/// Target `machine_cvm`: flags (bit 0: in a chain, bit 1: a role blob
/// follows, bit 2: an endpoint blob follows), `now`, then actions.
pub fn cvm(data: &[u8]) {
    let mut r = Reader::new(data);
    let mut secrets = Secrets::new();
    let flags = r.u8();
    let mut provider = match flags & 1 {
        0 => CvmProvider::new(),
        _ => CvmProvider::in_chain(),
    };
    if flags & 2 != 0 {
        let role = r.text();
        secrets.public(role.as_bytes());
        provider = provider.with_role_name(&role);
    }
    if flags & 4 != 0 {
        let endpoint = r.text();
        secrets.public(endpoint.as_bytes());
        provider = provider.with_endpoint(&endpoint);
    }
    let now = r.u64();
    drive(
        &mut provider,
        &mut r,
        &mut secrets,
        now,
        |_| {},
        |outcome, _| {
            if let Ok(c) = outcome {
                assert!(c.expires_at().is_some() && c.token().is_some());
            }
        },
    );
}

/// Target `machine_sts`: source id, key and token (blobs; an empty token is
/// none), role ARN and session name (blobs), flags (bit 0: duration `u64`,
/// bit 1: policy blob, bit 2: external id blob, bit 3: region blob, bit 4:
/// endpoint blob follow, in that order), `now`, then actions.
pub fn sts(data: &[u8]) {
    let mut r = Reader::new(data);
    let mut secrets = Secrets::new();
    let (id, key, token) = (r.text(), r.text(), r.text());
    secrets.public(id.as_bytes());
    secrets.secret(key.as_bytes());
    secrets.secret(token.as_bytes());
    let (role_arn, session) = (r.text(), r.text());
    secrets.public(role_arn.as_bytes());
    secrets.public(session.as_bytes());
    let flags = r.u8();
    let source = Credential::new(&id, &key, Some(&token));
    let mut provider = match source {
        Ok(source) => StsProvider::new(source, &role_arn, &session),
        Err(e) => return secrets.check_error("source credential", &e),
    };
    if flags & 1 != 0 {
        provider = provider.with_duration(r.u64());
    }
    if flags & 2 != 0 {
        let policy = r.text();
        secrets.public(policy.as_bytes());
        provider = provider.with_policy(&policy);
    }
    if flags & 4 != 0 {
        let external_id = r.text();
        secrets.secret(external_id.as_bytes());
        provider = provider.with_external_id(&external_id);
    }
    if flags & 8 != 0 {
        let region = r.text();
        secrets.public(region.as_bytes());
        provider = provider.with_region(&region);
    }
    if flags & 16 != 0 {
        let endpoint = r.text();
        secrets.public(endpoint.as_bytes());
        provider = provider.with_endpoint(&endpoint);
    }
    let now = r.u64();
    let token = (!token.is_empty()).then_some(token);
    let prefix = format!("TC3-HMAC-SHA256 Credential={id}/");
    let on_step = |step: &Snap| {
        if let Snap::Http(request) = step {
            // The source token is sent as it is, and the request is signed by the source id.
            assert_eq!(request.header("X-TC-Token"), token.as_deref());
            let authorization = request.header("Authorization").unwrap_or_default();
            assert!(authorization.starts_with(&prefix), "{authorization}");
        }
    };
    drive(
        &mut provider,
        &mut r,
        &mut secrets,
        now,
        on_step,
        |outcome, _| {
            if let Ok(c) = outcome {
                assert!(c.expires_at().is_some() && c.token().is_some());
            }
        },
    );
}

/// Target `machine_oidc`: region, provider id, web identity token, role ARN
/// and session name (blobs), flags (bit 0: duration `u64`, bit 1: endpoint
/// blob follow), `now`, then actions.
pub fn oidc(data: &[u8]) {
    let mut r = Reader::new(data);
    let mut secrets = Secrets::new();
    let (region, provider_id, token) = (r.text(), r.text(), r.text());
    let (role_arn, session) = (r.text(), r.text());
    for public in [&region, &provider_id, &role_arn, &session] {
        secrets.public(public.as_bytes());
    }
    secrets.secret(token.as_bytes());
    let flags = r.u8();
    let mut provider = OidcProvider::new(&region, &provider_id, &token, &role_arn, &session);
    if flags & 1 != 0 {
        provider = provider.with_duration(r.u64());
    }
    if flags & 2 != 0 {
        let endpoint = r.text();
        secrets.public(endpoint.as_bytes());
        provider = provider.with_endpoint(&endpoint);
    }
    let now = r.u64();
    let on_step = |step: &Snap| {
        if let Snap::Http(request) = step {
            let body: serde_json::Value =
                serde_json::from_slice(&request.body).expect("the request body is JSON");
            let sent = body.get("WebIdentityToken").and_then(|t| t.as_str());
            assert_eq!(
                sent,
                Some(token.as_str()),
                "the token sent is not the one given"
            );
            assert_eq!(request.header("Authorization"), Some("SKIP"));
            assert_eq!(request.header("X-TC-Token"), None);
        }
    };
    drive(
        &mut provider,
        &mut r,
        &mut secrets,
        now,
        on_step,
        |outcome, _| {
            if let Ok(c) = outcome {
                assert!(c.expires_at().is_some() && c.token().is_some());
            }
        },
    );
}

/// Target `machine_tke`: flags (bit 0: an endpoint blob follows), `now`, then actions.
pub fn tke(data: &[u8]) {
    let mut r = Reader::new(data);
    let mut secrets = Secrets::new();
    let flags = r.u8();
    let mut provider = TkeProvider::new();
    if flags & 1 != 0 {
        let endpoint = r.text();
        secrets.public(endpoint.as_bytes());
        provider = provider.with_endpoint(&endpoint);
    }
    let now = r.u64();
    let on_step = |step: &Snap| {
        if let Snap::Http(request) = step {
            assert_eq!(request.header("Authorization"), Some("SKIP"));
            assert_eq!(request.header("X-TC-Token"), None);
        }
    };
    drive(
        &mut provider,
        &mut r,
        &mut secrets,
        now,
        on_step,
        |outcome, log| {
            let required = [
                "TKE_REGION",
                "TKE_PROVIDER_ID",
                "TKE_WEB_IDENTITY_TOKEN_FILE",
                "TKE_IDENTITY_TOKEN_FILE",
                "TKE_ROLE_ARN",
            ];
            let any = required.iter().any(|name| set(log, name));
            match outcome {
                Ok(c) => assert!(c.expires_at().is_some() && c.token().is_some()),
                Err(e) => assert_eq!(e.is_not_configured(), !any, "{e}"),
            }
        },
    );
}

/// Target `machine_chain`: `now`, then actions, for the default chain.
pub fn chain(data: &[u8]) {
    let mut r = Reader::new(data);
    let mut secrets = Secrets::new();
    let now = r.u64();
    let mut provider = DefaultChain::new();
    drive(
        &mut provider,
        &mut r,
        &mut secrets,
        now,
        |_| {},
        |outcome, _| {
            if let Err(e) = outcome {
                if e.kind() != ErrorKind::NotConfigured {
                    assert!(
                        e.passed().is_empty(),
                        "a member's error lists passed providers"
                    );
                }
            }
        },
    );
}
