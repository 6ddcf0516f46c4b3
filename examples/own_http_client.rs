//! Bring your own HTTP stack: the providers never do I/O, so any client can
//! answer their requests. Here `minreq` answers them through the async driver,
//! against the in-process emulator.
//!
//! ```sh
//! cargo run --example own_http_client --features emulator
//! ```

use std::vec::Vec;

use tencentcloud_credential::adapters::emulator::{Emulator, EmulatorScript};
use tencentcloud_credential::adapters::{ProcessEnv, RealFiles, SystemClock};
use tencentcloud_credential::async_io::{AsyncTransport, Blocking};
use tencentcloud_credential::io::{HttpRequest, HttpResponse, Method, TransportError};
use tencentcloud_credential::{resolve_async, Credential, CvmProvider, StsProvider};

/// An [`AsyncTransport`] over `minreq`.
#[derive(Default)]
struct Minreq {
    body: Vec<u8>,
}

impl AsyncTransport for Minreq {
    async fn exchange(
        &mut self,
        request: &HttpRequest<'_>,
    ) -> Result<HttpResponse<'_>, TransportError> {
        let method = match request.method {
            Method::Get => minreq::Method::Get,
            Method::Post => minreq::Method::Post,
        };
        // minreq counts whole seconds; round the provider's budget up.
        let timeout = u64::from(request.total_timeout_ms).div_ceil(1000);
        let mut call = minreq::Request::new(method, request.url)
            .with_timeout(timeout)
            .with_body(request.body.to_vec());
        for (name, value) in &request.headers {
            call = call.with_header(*name, *value);
        }
        let response = call.send().map_err(|e| match e {
            minreq::Error::IoError(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                TransportError::Timeout
            }
            minreq::Error::IoError(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                TransportError::Refused
            }
            _ => TransportError::Other,
        })?;
        self.body = response.as_bytes().to_vec();
        Ok(HttpResponse {
            status: response.status_code,
            body: &self.body,
        })
    }
}

/// Runs `provider` with the process environment, real files, the system
/// clock and `minreq`.
fn resolve(provider: &mut impl tencentcloud_credential::Provider) -> Credential {
    let outcome = pollster::block_on(resolve_async(
        provider,
        &mut Blocking(ProcessEnv::default()),
        &mut Blocking(RealFiles::default()),
        &mut Minreq::default(),
        &Blocking(SystemClock),
    ));
    outcome.unwrap_or_else(|e| panic!("{e}"))
}

fn main() -> std::io::Result<()> {
    let script = EmulatorScript::new()
        .roles("example-role")
        .sts_secret("AKIDexamplelongterm", "example-long-term-key");
    let emulator = Emulator::start(script)?;
    let base = emulator.base_url();

    let cvm = resolve(&mut CvmProvider::new().with_endpoint(&base));
    println!("cvm: {:?}", cvm);

    let long_term = Credential::new("AKIDexamplelongterm", "example-long-term-key", None)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut sts = StsProvider::new(long_term, "qcs::cam::uin/1:roleName/example", "example")
        .with_endpoint(&base);
    println!("sts: {:?}", resolve(&mut sts));

    for logged in emulator.requests() {
        println!("emulator saw {} {}", logged.method, logged.path);
    }
    Ok(())
}
