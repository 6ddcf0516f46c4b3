//! `tccred sign`: the headers of a signed API 3.0 request.

use std::fs::File;
use std::io::Read;
use std::string::String;

use tencentcloud_credential::sign::request::{headers, ApiRequest, Signer};
use tencentcloud_credential::sign::tc3::{Payload, PayloadHasher};
use tencentcloud_credential::{Clock, Credential};

use crate::args::{HttpMethod, SignArgs, SignFormat};
use crate::output::json_string;
use crate::Failure;

/// Signs the request described by `args` with `credential` and prints its headers.
pub fn run(args: &SignArgs, credential: &Credential) -> Result<(), Failure> {
    let (method, default_type, default_body) = match args.method {
        HttpMethod::Post => ("POST", "application/json", "{}"),
        HttpMethod::Get => ("GET", "application/x-www-form-urlencoded", ""),
    };
    let host = args
        .host
        .clone()
        .unwrap_or_else(|| format!("{}.tencentcloudapi.com", args.service));
    let payload = if args.unsigned_payload {
        Payload::Unsigned
    } else if let Some(path) = &args.payload_file {
        Payload::Hashed(hash_file(path)?)
    } else {
        Payload::Bytes(args.payload.as_deref().unwrap_or(default_body).as_bytes())
    };
    let request = ApiRequest {
        service: &args.service,
        host: &host,
        action: &args.action,
        version: &args.version,
        region: &args.source.region,
        method,
        content_type: args.content_type.as_deref().unwrap_or(default_type),
        query: &args.query,
        payload,
        timestamp: args
            .timestamp
            .unwrap_or_else(|| tencentcloud_credential::adapters::SystemClock.now()),
        language: args.language.as_deref(),
        sign_action: false,
    };
    let signed = headers(&request, Signer::Tc3(credential)).map_err(Failure::Credential)?;

    let mut out = String::new();
    match args.format {
        SignFormat::Headers => {
            for (name, value) in signed.iter() {
                out.push_str(&format!("{name}: {value}\n"));
            }
        }
        SignFormat::Json => {
            let fields: std::vec::Vec<String> = signed
                .iter()
                .map(|(name, value)| format!("{}:{}", json_string(name), json_string(value)))
                .collect();
            out.push_str(&format!("{{{}}}\n", fields.join(",")));
        }
    }
    print!("{out}");
    Ok(())
}

fn hash_file(
    path: &std::path::Path,
) -> Result<tencentcloud_credential::sign::tc3::PayloadHash, Failure> {
    let fail = |e: std::io::Error| Failure::Usage(format!("cannot read {}: {e}", path.display()));
    let mut file = File::open(path).map_err(fail)?;
    let mut hasher = PayloadHasher::new();
    let mut chunk = [0u8; 64 * 1024];
    loop {
        let n = file.read(&mut chunk).map_err(fail)?;
        if n == 0 {
            return Ok(hasher.finish());
        }
        hasher.update(chunk.get(..n).unwrap_or_default());
    }
}
