//! The async driver runs the same machines as the blocking one.

mod support;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use support::{MapEnv, MapFiles, ScriptedTransport};
use tencentcloud_credential::async_io::{AsyncClock, AsyncTransport, Blocking};
use tencentcloud_credential::io::{HttpRequest, HttpResponse, Transport, TransportError};
use tencentcloud_credential::{resolve_async, CvmProvider, EnvProvider};

/// Runs a future to completion by polling it; the futures here make progress
/// on every poll, so no waker is needed.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// A transport whose every exchange is pending once before it answers, as a
/// network stack's would be.
struct Yielding(ScriptedTransport);

impl AsyncTransport for Yielding {
    async fn exchange(
        &mut self,
        request: &HttpRequest<'_>,
    ) -> Result<HttpResponse<'_>, TransportError> {
        YieldOnce(false).await;
        self.0.exchange(request)
    }
}

struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            Poll::Pending
        }
    }
}

/// A clock that records the sleeps asked of it.
struct RecordingClock {
    now: u64,
    slept: std::cell::RefCell<Vec<u32>>,
}

impl AsyncClock for RecordingClock {
    fn now(&self) -> u64 {
        self.now
    }

    async fn sleep(&self, millis: u32) {
        self.slept.borrow_mut().push(millis);
    }
}

const ROLE_LIST: &str = "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/";

#[test]
fn env_provider_through_blocking_capabilities() {
    let mut env = Blocking(MapEnv::new(&[
        ("TENCENTCLOUD_SECRET_ID", "AKID1"),
        ("TENCENTCLOUD_SECRET_KEY", "KEY1"),
    ]));
    let credential = block_on(resolve_async(
        &mut EnvProvider::new(),
        &mut env,
        &mut Blocking(MapFiles::default()),
        &mut Blocking(ScriptedTransport::new()),
        &Blocking(support::FixedClock(1_700_000_000)),
    ))
    .unwrap();
    assert_eq!(credential.credential_info(), ("AKID1", "KEY1", None));
    assert_eq!(
        env.0.asked,
        [
            "TENCENTCLOUD_SECRET_ID",
            "TENCENTCLOUD_SECRET_KEY",
            "TENCENTCLOUD_SESSION_TOKEN",
            "TENCENTCLOUD_TOKEN"
        ]
    );
}

#[test]
fn cvm_provider_awaits_its_exchanges_and_backoff() {
    let now = 1_700_000_000;
    let document = format!(
        r#"{{"TmpSecretId":"AKIDcvm","TmpSecretKey":"cvmkey","Token":"cvmtoken",
            "ExpiredTime":{},"Code":"Success"}}"#,
        now + 3600
    );
    let mut transport = Yielding(
        ScriptedTransport::new()
            .reply(503, "busy")
            .reply(200, "roleA\n")
            .reply(200, document),
    );
    let clock = RecordingClock {
        now,
        slept: Default::default(),
    };
    let credential = block_on(resolve_async(
        &mut CvmProvider::new(),
        &mut Blocking(MapEnv::default()),
        &mut Blocking(MapFiles::default()),
        &mut transport,
        &clock,
    ))
    .unwrap();

    assert_eq!(
        credential.credential_info(),
        ("AKIDcvm", "cvmkey", Some("cvmtoken"))
    );
    assert_eq!(credential.expires_at(), Some(now + 3600));
    assert_eq!(*clock.slept.borrow(), [200]);
    let urls: Vec<&str> = transport.0.seen.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(
        urls,
        [ROLE_LIST, ROLE_LIST, &format!("{ROLE_LIST}roleA")[..]]
    );
}
