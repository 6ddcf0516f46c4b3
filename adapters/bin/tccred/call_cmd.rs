//! `tccred call`: sign a request, send it, print the response.

use std::string::String;

use tencentcloud_credential::adapters::{SystemClock, UreqTransport};
use tencentcloud_credential::io::{HttpRequest, Method, Transport, MAX_REQUEST_HEADERS};
use tencentcloud_credential::provider::sts_reply;
use tencentcloud_credential::sign::request::{headers, ApiRequest, Signer};
use tencentcloud_credential::sign::tc3::Payload;
use tencentcloud_credential::{Clock, Credential, Error, ErrorKind};

use crate::args::CallArgs;
use crate::Failure;

/// Largest response `call` prints, in bytes.
const MAX_RESPONSE: usize = 16 * 1024 * 1024;

/// Signs the call with `credential`, sends it and prints the response body.
///
/// A reply carrying `Response.Error` is a failure showing its code, message
/// and request id.
pub fn run(args: &CallArgs, credential: &Credential) -> Result<(), Failure> {
    let (url, host) = endpoint(args)?;
    let body = args.payload.as_deref().unwrap_or("{}");
    let request = ApiRequest {
        service: &args.service,
        host: &host,
        action: &args.action,
        version: &args.version,
        region: &args.source.region,
        method: "POST",
        content_type: "application/json",
        query: "",
        payload: Payload::Bytes(body.as_bytes()),
        timestamp: SystemClock.now(),
        language: args.language.as_deref(),
        sign_action: false,
    };
    let signed = headers(&request, Signer::Tc3(credential)).map_err(Failure::Credential)?;
    let mut list = heapless::Vec::<(&'static str, &str), MAX_REQUEST_HEADERS>::new();
    for header in signed.iter() {
        let _ = list.push(header);
    }
    let exchange = HttpRequest {
        method: Method::Post,
        url: &url,
        headers: list,
        body: body.as_bytes(),
        connect_timeout_ms: 5_000,
        total_timeout_ms: 30_000,
        allow_proxy: true,
        max_body: MAX_RESPONSE,
    };
    let mut transport = UreqTransport::new();
    let response = transport
        .exchange(&exchange)
        .map_err(|e| Failure::Credential(Error::new(ErrorKind::Transport, e.message())))?;

    // Error replies are small; a success may be large and is printed as is.
    if response.body.len() <= tencentcloud_credential::limits::RESPONSE_BODY {
        if let Err(e) = sts_reply::parse(response.status, response.body, 0) {
            if let Some(api) = e.api() {
                return Err(Failure::Credential(
                    Error::new(ErrorKind::Api, "the call returned an error").with_api(api.clone()),
                ));
            }
        }
    }
    if response.body.len() > MAX_RESPONSE {
        return Err(Failure::Credential(Error::capacity(
            "response is too long",
            MAX_RESPONSE,
        )));
    }
    let text = String::from_utf8_lossy(response.body);
    if response.status != 200 {
        return Err(Failure::Credential(
            Error::new(ErrorKind::HttpStatus, "unexpected http status")
                .with_status(response.status),
        ));
    }
    println!("{text}");
    Ok(())
}

/// The URL to post to and the Host to sign.
fn endpoint(args: &CallArgs) -> Result<(String, String), Failure> {
    let url = match &args.endpoint {
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => url.clone(),
        Some(host) => format!("https://{host}/"),
        None => format!("https://{}.tencentcloudapi.com/", args.service),
    };
    let rest = url.split_once("://").map_or("", |(_, rest)| rest);
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() {
        return Err(Failure::Usage(format!("--endpoint {url} has no host")));
    }
    let url = if rest.contains('/') {
        url.clone()
    } else {
        format!("{url}/")
    };
    Ok((url.clone(), host.into()))
}
