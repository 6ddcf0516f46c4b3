//! A loopback emulator of the CVM metadata service and STS, for tests.
//!
//! [`Emulator::start`] listens on 127.0.0.1 and answers from an
//! [`EmulatorScript`]: GET requests go to the metadata service, POST
//! requests to STS. `AssumeRole` must carry a valid TC3 signature by one of
//! the script's secrets (checked independently of the crate's signer);
//! `AssumeRoleWithWebIdentity` must carry `Authorization: SKIP`. Each
//! issued credential is numbered, `AKIDtmp<Action>-<n>` with key
//! `tmpkey<Action>-<n>` and token `emulated-token-<Action>-<n>` (action
//! `Metadata` for the metadata service), so a test can check that the three
//! belong together. Every request is logged.
//!
//! Bounds: one thread per connection, at most [`MAX_CONNECTIONS`] at once;
//! one request per connection; request heads over 16 KiB and bodies over
//! 64 KiB are refused; a client has 10 s to send its request. A blackholed
//! connection is held until the emulator stops.

mod calendar;
mod metadata;
mod script;
mod sts;
mod tc3;
mod wire;

pub use metadata::CREDENTIALS_PATH;
pub use script::{CredsReply, EmulatorScript, MetadataScript, StsScript};

use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::string::String;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use std::vec::Vec;

use wire::{RawRequest, ReadError, Reply};

/// Most connections served at once; more are closed on arrival.
pub const MAX_CONNECTIONS: usize = 64;

/// How often a waiting connection looks at the stop flag.
const POLL: Duration = Duration::from_millis(20);

/// A running emulator; stops when dropped.
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

/// One request the emulator received, and what it made of it.
///
/// `Debug` shows header names and the body length only: requests carry
/// signatures and tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct Logged {
    /// `GET` or `POST` (as sent).
    pub method: String,
    /// The request target: path, and `?query` when there is one.
    pub path: String,
    /// Headers in arrival order, names lower-cased, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
    /// `X-TC-Action` of an STS request; empty for metadata.
    pub action: String,
    /// Whether an STS request passed its check (TC3 signature, or
    /// `Authorization: SKIP`); false for metadata requests.
    pub signature_ok: bool,
    /// What the emulator made of it: `role list`, `credentials`, `unknown path`,
    /// `blackholed`, `signed`, `unsigned`, or why a check failed
    /// (`signature mismatch`, `unknown secret id`, `body too large`, ...).
    pub verdict: &'static str,
}

impl Logged {
    /// The first value of header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        wire::header(&self.headers, name)
    }
}

impl fmt::Debug for Logged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Logged")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &names)
            .field("body_len", &self.body.len())
            .field("action", &self.action)
            .field("signature_ok", &self.signature_ok)
            .field("verdict", &self.verdict)
            .finish()
    }
}

/// What a handler decided.
pub(crate) struct Outcome {
    pub answer: Answer,
    pub action: String,
    pub signature_ok: bool,
    pub verdict: &'static str,
    pub delay_ms: u64,
}

/// Answer, or hold the connection until the emulator stops.
pub(crate) enum Answer {
    Reply(Reply),
    Hold,
}

struct Shared {
    script: EmulatorScript,
    log: Mutex<Vec<Logged>>,
    issued: AtomicU64,
    replies: AtomicU64,
    stopping: AtomicBool,
    live: AtomicUsize,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl Shared {
    fn log(&self) -> MutexGuard<'_, Vec<Logged>> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn workers(&self) -> MutexGuard<'_, Vec<JoinHandle<()>>> {
        self.workers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Sleeps for `duration` (forever when `None`), or until stopping.
    fn hold(&self, duration: Option<Duration>) {
        let start = Instant::now();
        while !self.stopping() && duration.is_none_or(|d| start.elapsed() < d) {
            let left = duration.map_or(POLL, |d| d.saturating_sub(start.elapsed()));
            thread::sleep(left.min(POLL));
        }
    }
}

impl Emulator {
    /// Starts an emulator on `127.0.0.1` at a free port.
    pub fn start(script: EmulatorScript) -> io::Result<Self> {
        Self::start_at("127.0.0.1:0", script)
    }

    /// Starts an emulator on `addr`; keep it on loopback.
    pub fn start_at(addr: impl ToSocketAddrs, script: EmulatorScript) -> io::Result<Self> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            script,
            log: Mutex::new(Vec::new()),
            issued: AtomicU64::new(0),
            replies: AtomicU64::new(0),
            stopping: AtomicBool::new(false),
            live: AtomicUsize::new(0),
            workers: Mutex::new(Vec::new()),
        });
        let accepting = Arc::clone(&shared);
        let acceptor = thread::Builder::new()
            .name("emulator-accept".into())
            .spawn(move || accept(&listener, &accepting))?;
        Ok(Self {
            addr,
            shared,
            acceptor: Some(acceptor),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`, without a trailing slash: a metadata base or STS endpoint.
    pub fn base_url(&self) -> String {
        std::format!("http://{}", self.addr)
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Logged> {
        self.shared.log().clone()
    }

    /// How many requests were received so far.
    pub fn request_count(&self) -> usize {
        self.shared.log().len()
    }

    /// Stops accepting, releases held connections and waits for every
    /// connection thread. Calling it again does nothing; the log stays.
    pub fn stop(&mut self) {
        let Some(acceptor) = self.acceptor.take() else {
            return;
        };
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wake the accept loop, which sees the flag on its next connection.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        let _ = acceptor.join();
        let workers = std::mem::take(&mut *self.shared.workers());
        for worker in workers {
            let _ = worker.join();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .field("requests", &self.request_count())
            .finish_non_exhaustive()
    }
}

fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping() {
            break;
        }
        let Ok(stream) = stream else {
            // Out of descriptors, or the like: let it pass.
            thread::sleep(POLL);
            continue;
        };
        if shared.live.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            continue;
        }
        shared.live.fetch_add(1, Ordering::SeqCst);
        let serving = Arc::clone(shared);
        let spawned = thread::Builder::new()
            .name("emulator-conn".into())
            .spawn(move || {
                serve(stream, &serving);
                serving.live.fetch_sub(1, Ordering::SeqCst);
            });
        let mut workers = shared.workers();
        workers.retain(|w| !w.is_finished());
        match spawned {
            Ok(worker) => workers.push(worker),
            Err(_) => {
                shared.live.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

fn serve(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(POLL));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let refuse = |request: RawRequest, verdict, status, text| {
        record(shared, request, String::new(), false, verdict);
        Reply::text(status, text)
    };
    let request = match wire::read_request(&mut stream, &shared.stopping) {
        Ok(request) => request,
        Err(ReadError::Gone) => return,
        Err(ReadError::Malformed) => {
            return wire::write_reply(&mut stream, &Reply::text(400, "bad request"));
        }
        Err(ReadError::HeadTooLarge) => {
            return wire::write_reply(&mut stream, &Reply::text(431, "head too large"));
        }
        Err(ReadError::Chunked(request)) => {
            let reply = refuse(request, "chunked body refused", 411, "length required");
            return wire::write_reply(&mut stream, &reply);
        }
        Err(ReadError::BodyTooLarge(request)) => {
            let reply = refuse(request, "body too large", 413, "body too large");
            return wire::write_reply(&mut stream, &reply);
        }
    };

    let now = unix_now();
    let script = &shared.script;
    let issue = || {
        shared
            .issued
            .fetch_add(1, Ordering::SeqCst)
            .saturating_add(1)
    };
    let outcome = match request.method.as_str() {
        "GET" => metadata::answer(&request, &script.metadata, now, issue),
        "POST" => {
            let id = shared
                .replies
                .fetch_add(1, Ordering::SeqCst)
                .saturating_add(1);
            sts::answer(&request, &script.sts, now, issue, id)
        }
        _ => Outcome {
            answer: Answer::Reply(Reply::text(405, "method not allowed")),
            action: String::new(),
            signature_ok: false,
            verdict: "method not allowed",
            delay_ms: 0,
        },
    };
    record(
        shared,
        request,
        outcome.action,
        outcome.signature_ok,
        outcome.verdict,
    );

    match outcome.answer {
        Answer::Hold => shared.hold(None),
        Answer::Reply(reply) => {
            shared.hold(Some(Duration::from_millis(outcome.delay_ms)));
            if !shared.stopping() {
                wire::write_reply(&mut stream, &reply);
            }
        }
    }
}

fn record(
    shared: &Shared,
    request: RawRequest,
    action: String,
    signature_ok: bool,
    verdict: &'static str,
) {
    shared.log().push(Logged {
        method: request.method,
        path: request.target,
        headers: request.headers,
        body: request.body,
        action,
        signature_ok,
        verdict,
    });
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
