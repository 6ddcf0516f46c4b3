//! The workloads measured by `benches/perf.rs` and `examples/perf_report.rs`,
//! and the hashing floor of each signature: the SHA-256 and HMAC work that
//! no TC3 signer can skip, done with the same `sha2` and `hmac` crates.
//!
//! Both targets include this file, so the benchmark and the report measure
//! exactly the same requests and documents.
#![allow(dead_code)]

use std::hint::black_box;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use tencentcloud_credential::io::HttpResponse;
use tencentcloud_credential::provider::profile;
use tencentcloud_credential::sign::tc3::{self, Payload, PayloadHash, PayloadHasher, Tc3Request};
use tencentcloud_credential::sign::{legacy, request, KeyCache, UtcDate};
use tencentcloud_credential::{Credential, CvmProvider, Provider, Step};

/// A made-up key pair of the usual lengths (36 and 32 characters).
pub const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
/// See [`SECRET_ID`].
pub const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
/// 2019-02-25T16:44:25Z.
pub const TIMESTAMP: u64 = 1_551_113_065;
/// The body the Python SDK sends for `{"Limit": 10, "Offset": 0}`.
pub const SMALL_BODY: &[u8] = br#"{"Limit": 10, "Offset": 0}"#;
/// A GET query of the same call, as the SDK encodes it.
pub const GET_QUERY: &str =
    "Limit=10&Offset=0&Filters.0.Name=zone&Filters.0.Values.0=ap-guangzhou-3";
/// How the streamed payloads are cut: the size of a typical read.
pub const CHUNK: usize = 16 * 1024;

/// The small POST of an API 3.0 call (content-type and host signed, as the SDKs do).
pub fn small_request() -> Tc3Request<'static> {
    Tc3Request {
        method: "POST",
        path: "/",
        query: "",
        host: "cvm.tencentcloudapi.com",
        content_type: "application/json",
        extra_signed_headers: &[],
        payload: Payload::Bytes(SMALL_BODY),
        service: "cvm",
        timestamp: TIMESTAMP,
    }
}

/// The same call as a GET with a query string and an empty body.
pub fn get_request() -> Tc3Request<'static> {
    Tc3Request {
        method: "GET",
        query: GET_QUERY,
        content_type: "application/x-www-form-urlencoded",
        payload: Payload::Bytes(b""),
        ..small_request()
    }
}

/// A payload of `len` bytes (not all equal, so nothing special happens).
pub fn payload(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// Signs a large body the way a caller streams it: hashed in [`CHUNK`]
/// pieces as it is read, then signed with the hash.
pub fn sign_streamed(body: &[u8]) -> tc3::Authorization {
    let mut hasher = PayloadHasher::new();
    for piece in body.chunks(CHUNK) {
        hasher.update(piece);
    }
    let request = streamed_request(hasher.finish());
    tc3::sign(SECRET_ID, SECRET_KEY, &request).expect("the request is valid")
}

/// An upload whose body was hashed ahead.
pub fn streamed_request(hash: PayloadHash) -> Tc3Request<'static> {
    Tc3Request {
        payload: Payload::Hashed(hash),
        content_type: "application/octet-stream",
        ..small_request()
    }
}

/// Signs the small request, deriving the key (the naive path).
pub fn sign_small() -> tc3::Authorization {
    tc3::sign(SECRET_ID, SECRET_KEY, &black_box(small_request())).expect("valid")
}

/// Signs the small request with the key kept in `cache`.
pub fn sign_small_reusing(cache: &mut KeyCache) -> tc3::Authorization {
    cache
        .sign(SECRET_ID, SECRET_KEY, &black_box(small_request()))
        .expect("valid")
}

/// The whole header set of the small request as an API 3.0 call
/// (`DescribeInstances`, cvm 2017-03-12), signed: what the Python SDK's
/// `_build_req_inter` does for the same call.
pub fn build_small(credential: &Credential) -> request::Headers<'_> {
    request::headers(black_box(&small_call()), request::Signer::Tc3(credential)).expect("valid")
}

/// [`build_small`] with the day's key kept in `keys`.
pub fn build_small_reusing<'a>(
    credential: &'a Credential,
    keys: &mut KeyCache,
) -> request::Headers<'a> {
    request::headers_with_keys(black_box(&small_call()), credential, keys).expect("valid")
}

/// The small request as an API 3.0 call.
fn small_call() -> request::ApiRequest<'static> {
    request::ApiRequest {
        service: "cvm",
        host: "cvm.tencentcloudapi.com",
        action: "DescribeInstances",
        version: "2017-03-12",
        region: "",
        method: "POST",
        content_type: "application/json",
        query: "",
        payload: Payload::Bytes(SMALL_BODY),
        timestamp: TIMESTAMP,
        language: None,
        sign_action: false,
    }
}

/// The small request's signature as the Python SDK 3.1.195 computes it
/// (`benches/sdk_timeit.py`): the requests compared are the same.
pub const SDK_SIGNATURE: &str = "8831f029faabada3c14054191346cc59bc36978f335b6fec3ae92fd8f70fde6c";

/// The whole `Authorization` header the Python SDK 3.1.195 sends for the
/// small request (the `authorization` field `benches/sdk_timeit.py` prints).
pub const SDK_AUTHORIZATION: &str = "TC3-HMAC-SHA256 \
Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, \
SignedHeaders=content-type;host, \
Signature=8831f029faabada3c14054191346cc59bc36978f335b6fec3ae92fd8f70fde6c";

/// Signs the GET, deriving the key.
pub fn sign_get() -> tc3::Authorization {
    tc3::sign(SECRET_ID, SECRET_KEY, &black_box(get_request())).expect("valid")
}

/// The v1 HmacSHA256 signature of the same call as form parameters.
pub fn sign_legacy() -> legacy::Signature {
    let mut params = [
        ("Action", "DescribeInstances"),
        ("Nonce", "11886"),
        ("Region", "ap-guangzhou"),
        ("SecretId", SECRET_ID),
        ("SignatureMethod", "HmacSHA256"),
        ("Timestamp", "1551113065"),
        ("Version", "2017-03-12"),
        ("Limit", "10"),
        ("Offset", "0"),
    ];
    legacy::sign(
        legacy::Algorithm::HmacSha256,
        SECRET_KEY,
        "POST",
        "cvm.tencentcloudapi.com",
        "/",
        black_box(&mut params),
    )
}

/// The bytes a TC3 signer must hash for one request, prepared ahead so the
/// floor times hashing only.
pub struct Floor {
    /// `"TC3"` + secret key: the key of the first HMAC.
    first_key: Vec<u8>,
    date: String,
    service: String,
    canonical_request: Vec<u8>,
    string_to_sign: Vec<u8>,
}

impl Floor {
    /// The floor of signing `request` with [`SECRET_KEY`].
    pub fn of(request: &Tc3Request<'_>) -> Self {
        let mut canonical_request = String::new();
        tc3::write_canonical_request(request, &mut canonical_request).expect("valid");
        let mut string_to_sign = String::new();
        tc3::write_string_to_sign(request, &mut string_to_sign).expect("valid");
        Self {
            first_key: [b"TC3", SECRET_KEY.as_bytes()].concat(),
            date: UtcDate::from_unix(request.timestamp).to_string(),
            service: request.service.to_string(),
            canonical_request: canonical_request.into_bytes(),
            string_to_sign: string_to_sign.into_bytes(),
        }
    }

    /// SHA-256 of `payload` and of the canonical request, the three HMACs
    /// that derive the signing key, and the HMAC of the string to sign.
    pub fn hash(&self, payload: &[u8]) -> [u8; 32] {
        black_box(Sha256::digest(black_box(payload)));
        self.hash_request()
    }

    /// The floor of a body streamed as [`sign_streamed`] streams it.
    pub fn hash_streamed(&self, body: &[u8]) -> [u8; 32] {
        let mut hasher = Sha256::new();
        for piece in body.chunks(CHUNK) {
            hasher.update(black_box(piece));
        }
        black_box(hasher.finalize());
        self.hash_request()
    }

    /// Everything but the payload.
    fn hash_request(&self) -> [u8; 32] {
        black_box(Sha256::digest(black_box(&self.canonical_request)));
        let date_key = hmac(black_box(&self.first_key), self.date.as_bytes());
        let service_key = hmac(&date_key, self.service.as_bytes());
        let signing_key = hmac(&service_key, b"tc3_request");
        hmac(&signing_key, black_box(&self.string_to_sign))
    }
}

fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// A metadata credentials document with a token of the usual length.
pub fn metadata_document() -> Vec<u8> {
    format!(
        r#"{{"TmpSecretId": "AKIDtmp{id}", "TmpSecretKey": "{key}", "ExpiredTime": 1551120265,
"Expiration": "2019-02-25T18:44:25Z", "Token": "{token}", "Code": "Success"}}"#,
        id = "x".repeat(29),
        key = "k".repeat(32),
        token = token(),
    )
    .into_bytes()
}

/// An `AssumeRole` reply with the same credential.
pub fn sts_reply() -> Vec<u8> {
    format!(
        r#"{{"Response": {{"Credentials": {{"Token": "{token}", "TmpSecretId": "AKIDtmp{id}",
"TmpSecretKey": "{key}"}}, "ExpiredTime": 1551120265, "Expiration": "2019-02-25T18:44:25Z",
"RequestId": "4f4c2a6e-0a5d-4b5e-9d2f-1d6c7e8f9a0b"}}}}"#,
        id = "x".repeat(29),
        key = "k".repeat(32),
        token = token(),
    )
    .into_bytes()
}

/// A session token: 1 KiB of the characters real ones use.
fn token() -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    (0..1024)
        .map(|i| char::from(alphabet[i * 7 % alphabet.len()]))
        .collect()
}

/// A credentials file with three profiles and comments; [`parse_profile`]
/// picks the middle one.
pub const PROFILE_FILE: &[u8] = b"# Tencent Cloud credentials\n\
[default]\n\
secret_id = AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE\n\
secret_key = Gu5t9xGARNpq86cd98joQYCN3EXAMPLE\n\
\n\
; the staging account\n\
[work]\n\
secret_id = AKIDwork0krbsJ5yKBZQpn74WFkmLPEXAMPLE\n\
secret_key: \"Gu5t9xGARNpq86cd98joQYCNwEXAMPLE\" ; quoted\n\
token =\n\
\n\
[ci]\n\
secret_id = AKIDci000krbsJ5yKBZQpn74WFkmLPEXAMPLE\n\
secret_key = Gu5t9xGARNpq86cd98joQYCNcEXAMPLE\n";

/// Parses [`PROFILE_FILE`] for `work`.
pub fn parse_profile() -> profile::Profile<'static> {
    profile::parse(black_box(PROFILE_FILE), black_box("work")).expect("valid")
}

/// Parses an STS reply into a credential.
pub fn parse_sts(body: &[u8]) -> Credential {
    tencentcloud_credential::provider::sts_reply::parse(200, black_box(body), TIMESTAMP)
        .expect("valid")
}

/// A CVM provider that knows its endpoint and role, so that a run is one
/// request: the credentials document.
pub fn metadata_provider() -> CvmProvider {
    CvmProvider::new()
        .with_endpoint("http://metadata.tencentyun.com")
        .with_role_name("bench-role")
}

/// One run of `provider` answered with `document`: the URL is built, the
/// document parsed and checked, the credential built.
///
/// The document parser is private to the CVM provider, so this is the
/// closest public path to it.
pub fn parse_metadata(provider: &mut CvmProvider, document: &[u8]) -> Credential {
    match provider.poll(TIMESTAMP) {
        Step::Http(_) => {}
        other => panic!("expected the credentials request, got {other:?}"),
    }
    provider.handle_http(Ok(HttpResponse {
        status: 200,
        body: black_box(document),
    }));
    match provider.poll(TIMESTAMP) {
        Step::Done => {}
        other => panic!("expected the end of the run, got {other:?}"),
    }
    provider.finish().expect("valid")
}
