//! Targets for the signers: TC3 over arbitrary request parts, the API 3.0
//! header set, and the legacy v1 signature, each checked against an
//! independent computation from the documented algorithm.

use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use base64ct::{Base64, Encoding};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use tencentcloud_credential::sign::legacy::{self, Algorithm};
use tencentcloud_credential::sign::request::{self, ApiRequest, Signer};
use tencentcloud_credential::sign::tc3::{self, Payload, PayloadHash, SigningKey, Tc3Request};
use tencentcloud_credential::sign::UtcDate;
use tencentcloud_credential::Credential;

use super::reader::Reader;
use super::secrets::Secrets;

/// Lower-case hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hmac256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("hmac takes any key");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// True for the bytes of an HTTP token (RFC 9110 `tchar`).
fn tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// A payload chosen by `choice`: the bytes, a hash of 32 of them, or unsigned.
fn payload(choice: u8, body: &[u8]) -> Payload<'_> {
    match choice % 3 {
        0 => Payload::Bytes(body),
        1 => {
            let mut hash = [0u8; 32];
            for (slot, b) in hash.iter_mut().zip(body) {
                *slot = *b;
            }
            Payload::Hashed(PayloadHash::from_bytes(hash))
        }
        _ => Payload::Unsigned,
    }
}

fn payload_hex(payload: &Payload<'_>) -> String {
    match payload {
        Payload::Bytes(bytes) => sha256_hex(bytes),
        Payload::Hashed(hash) => hex(hash.as_bytes()),
        _ => sha256_hex(b"UNSIGNED-PAYLOAD"),
    }
}

/// What TC3 should make of a request, computed without the crate's signer.
struct Tc3Oracle {
    /// The request passes the checks (the secret id aside).
    request_valid: bool,
    /// The request and the secret id pass the checks.
    valid: bool,
    canonical: String,
    scope: String,
    signed_headers: String,
    string_to_sign: String,
    signature: String,
}

impl Tc3Oracle {
    fn new(secret_id: &str, secret_key: &str, r: &Tc3Request<'_>) -> Self {
        let mut headers: Vec<(&str, &str)> = Vec::from([("content-type", r.content_type)]);
        headers.push(("host", r.host));
        headers.extend(r.extra_signed_headers.iter().copied());
        let mut names: Vec<String> = headers
            .iter()
            .map(|(n, _)| n.to_ascii_lowercase())
            .collect();
        names.sort();
        let unique = names.windows(2).all(|w| w.first() != w.get(1));
        let id_valid = !secret_id.trim().is_empty() && !has_control(secret_id);
        let request_valid = !r.method.is_empty()
            && r.method.bytes().all(tchar)
            && r.path.starts_with('/')
            && !r.path.bytes().any(|b| b <= b' ' || b == 0x7f)
            && !has_control(r.query)
            && !r.service.is_empty()
            && !r.service.contains('/')
            && !r
                .service
                .chars()
                .any(|c| c.is_control() || c.is_whitespace())
            && headers
                .iter()
                .all(|(n, v)| !n.is_empty() && n.bytes().all(tchar) && !has_control(v))
            && unique;

        let mut lines: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.trim_ascii().to_ascii_lowercase()))
            .collect();
        lines.sort();
        let signed_headers = names.join(";");
        let mut canonical = format!("{}\n{}\n{}\n", r.method, r.path, r.query);
        for (name, value) in &lines {
            canonical.push_str(&format!("{name}:{value}\n"));
        }
        canonical.push_str(&format!("\n{signed_headers}\n{}", payload_hex(&r.payload)));

        let date = UtcDate::from_unix(r.timestamp);
        let scope = format!("{}/{}/tc3_request", date.as_str(), r.service);
        let string_to_sign = format!(
            "TC3-HMAC-SHA256\n{}\n{scope}\n{}",
            r.timestamp,
            sha256_hex(canonical.as_bytes())
        );
        let k_date = hmac256(
            format!("TC3{secret_key}").as_bytes(),
            date.as_str().as_bytes(),
        );
        let k_service = hmac256(&k_date, r.service.as_bytes());
        let k_signing = hmac256(&k_service, b"tc3_request");
        let signature = hex(&hmac256(&k_signing, string_to_sign.as_bytes()));
        Self {
            request_valid,
            valid: id_valid && request_valid,
            canonical,
            scope,
            signed_headers,
            string_to_sign,
            signature,
        }
    }

    fn authorization(&self, secret_id: &str) -> String {
        format!(
            "TC3-HMAC-SHA256 Credential={secret_id}/{}, SignedHeaders={}, Signature={}",
            self.scope, self.signed_headers, self.signature
        )
    }
}

/// Target `sign_tc3`: secret id and key, method, path, query, host,
/// content type and service (blobs), timestamp (`u64`), a count of extra
/// headers (`u8`, modulo 4) and their names and values (blobs), a payload
/// choice (`u8`: bytes, hashed, unsigned), then the body (the rest).
pub fn tc3(data: &[u8]) {
    let mut r = Reader::new(data);
    let (secret_id, secret_key) = (r.text(), r.text());
    let (method, path, query) = (r.text(), r.text(), r.text());
    let (host, content_type, service) = (r.text(), r.text(), r.text());
    let timestamp = r.u64();
    let extra: Vec<(String, String)> = (0..r.u8() % 4).map(|_| (r.text(), r.text())).collect();
    let extra: Vec<(&str, &str)> = extra
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let choice = r.u8();
    let body = r.rest();
    let mut secrets = Secrets::new();
    secrets.secret(secret_key.as_bytes());
    for public in [
        &secret_id,
        &method,
        &path,
        &query,
        &host,
        &content_type,
        &service,
    ] {
        secrets.public(public.as_bytes());
    }
    for (name, value) in &extra {
        secrets.public(name.as_bytes());
        secrets.public(value.as_bytes());
    }

    let request = Tc3Request {
        method: &method,
        path: &path,
        query: &query,
        host: &host,
        content_type: &content_type,
        extra_signed_headers: &extra,
        payload: payload(choice, body),
        service: &service,
        timestamp,
    };
    let oracle = Tc3Oracle::new(&secret_id, &secret_key, &request);
    let signed = tc3::sign(&secret_id, &secret_key, &request);
    assert!(
        signed == tc3::sign(&secret_id, &secret_key, &request),
        "signing is not deterministic"
    );
    let expected = oracle.authorization(&secret_id);
    let fits = expected.len() <= tc3::MAX_AUTHORIZATION;
    match &signed {
        Ok(authorization) => {
            assert!(oracle.valid && fits, "signed a request that is not valid");
            let signature = authorization.signature();
            assert!(
                signature.len() == 64
                    && signature
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
                "signature {signature:?}"
            );
            assert_eq!(authorization.as_str(), expected);
            assert_eq!(authorization.credential_scope(), oracle.scope);
            assert_eq!(authorization.signed_headers(), oracle.signed_headers);
            let shown = format!("{authorization:?}");
            assert!(!shown.contains(signature), "Debug shows the signature");
            secrets.check("authorization Debug", &shown);

            let date = UtcDate::from_unix(timestamp);
            let key = SigningKey::derive(&secret_key, &date, &service);
            assert!(tc3::sign_with(&secret_id, &key, &request) == signed);
            let other = SigningKey::derive(&secret_key, &date, &format!("{service}x"));
            assert!(tc3::sign_with(&secret_id, &other, &request).is_err());
            secrets.check("signing key Debug", &format!("{key:?}"));
        }
        Err(e) => {
            assert!(!(oracle.valid && fits), "refused a valid request: {e}");
            secrets.check_error("tc3", e);
        }
    }

    // The canonical request and string to sign, as the crate writes them.
    let hash = tc3::canonical_request_hash(&request);
    let mut canonical = String::new();
    let written = tc3::write_canonical_request(&request, &mut canonical);
    let mut string_to_sign = String::new();
    let sts_written = tc3::write_string_to_sign(&request, &mut string_to_sign);
    // These check the request but not the secret id.
    if oracle.request_valid {
        let hash = hash.map(|h| h.hex().as_str().to_string()).ok();
        assert_eq!(hash, Some(sha256_hex(oracle.canonical.as_bytes())));
        assert!(written.is_ok() && sts_written.is_ok());
        assert_eq!(canonical, oracle.canonical);
        assert_eq!(string_to_sign, oracle.string_to_sign);
    } else {
        assert!(hash.is_err() && written.is_err() && sts_written.is_err());
    }
}

/// `action` with its first character upper-cased.
fn capitalized(action: &str) -> String {
    let mut chars = action.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Target `sign_headers`: service, host, action, version, region, method,
/// content type and query (blobs), timestamp (`u64`), flags (`u8`: bit 0 a
/// language blob follows, bit 1 signs `x-tc-action`, bit 2 signs with TC3,
/// when id, key and token blobs follow; bits 3 and up pick the payload),
/// then the body (the rest).
pub fn headers(data: &[u8]) {
    let mut r = Reader::new(data);
    let (service, host, action) = (r.text(), r.text(), r.text());
    let (version, region, method) = (r.text(), r.text(), r.text());
    let (content_type, query) = (r.text(), r.text());
    let timestamp = r.u64();
    let flags = r.u8();
    let language = (flags & 1 != 0).then(|| r.text());
    let sign_action = flags & 2 != 0;
    let mut secrets = Secrets::new();
    for public in [
        &service,
        &host,
        &action,
        &version,
        &region,
        &method,
        &content_type,
        &query,
    ] {
        secrets.public(public.as_bytes());
    }
    if let Some(language) = &language {
        secrets.public(language.as_bytes());
    }
    // The action is sent with its first letter upper-cased: public too.
    secrets.public(capitalized(&action).as_bytes());
    let credential = if flags & 4 != 0 {
        let (id, key, token) = (r.text(), r.text(), r.text());
        secrets.public(id.as_bytes());
        secrets.secret(key.as_bytes());
        secrets.secret(token.as_bytes());
        match Credential::new(&id, &key, Some(&token)) {
            Ok(c) => Some(c),
            Err(e) => return secrets.check_error("credential", &e),
        }
    } else {
        None
    };
    let body = r.rest();
    let request = ApiRequest {
        service: &service,
        host: &host,
        action: &action,
        version: &version,
        region: &region,
        method: &method,
        content_type: &content_type,
        query: &query,
        payload: payload(flags >> 3, body),
        timestamp,
        language: language.as_deref(),
        sign_action,
    };
    let signer = match &credential {
        Some(c) => Signer::Tc3(c),
        None => Signer::Skip,
    };
    let token = credential.as_ref().and_then(Credential::token);
    let action_header = capitalized(&action);
    let header_ok = !action.is_empty()
        && action_header.len() <= request::MAX_ACTION
        && ![
            content_type.as_str(),
            &host,
            &action,
            &version,
            &region,
            token.unwrap_or_default(),
            language.as_deref().unwrap_or_default(),
        ]
        .iter()
        .any(|v| has_control(v));
    let extra = [("X-TC-Action", action_header.as_str())];
    let tc3_request = Tc3Request {
        method: &method,
        path: "/",
        query: &query,
        host: &host,
        content_type: &content_type,
        extra_signed_headers: if sign_action { &extra } else { &[] },
        payload: request.payload,
        service: &service,
        timestamp,
    };
    let authorization = credential
        .as_ref()
        .map(|c| tc3::sign(c.secret_id(), c.secret_key(), &tc3_request));

    let built = request::headers(&request, signer);
    let headers = match built {
        Err(e) => {
            let tc3_failed = authorization.is_some_and(|a| a.is_err());
            assert!(!header_ok || tc3_failed, "refused good headers: {e}");
            return secrets.check_error("headers", &e);
        }
        Ok(headers) => headers,
    };
    assert!(header_ok, "built headers from bad values");
    let mut names = Vec::new();
    for (name, value) in headers.iter() {
        assert!(
            !has_control(value),
            "header {name} holds a control character"
        );
        assert!(!names.contains(&name), "header {name} twice");
        names.push(name);
        assert_eq!(headers.get(name), Some(value));
        assert_eq!(headers.get(&name.to_ascii_uppercase()), Some(value));
    }
    match authorization {
        Some(signed) => {
            let signed = signed.expect("headers signed what tc3 refuses");
            assert_eq!(headers.get("Authorization"), Some(signed.as_str()));
            let shown = format!("{headers:?}");
            assert!(
                !shown.contains(signed.signature()),
                "Debug shows the signature"
            );
            secrets.check("headers Debug", &shown);
        }
        None => {
            assert_eq!(headers.get("Authorization"), Some("SKIP"));
            assert!(headers.authorization().is_none());
        }
    }
    assert_eq!(headers.get("X-TC-Token"), token.filter(|t| !t.is_empty()));
    assert_eq!(headers.get("X-TC-Action"), Some(action_header.as_str()));
    assert_eq!(
        headers.get("X-TC-Timestamp"),
        Some(timestamp.to_string().as_str())
    );
    assert_eq!(
        headers.get("X-TC-Region"),
        Some(region.as_str()).filter(|r| !r.is_empty())
    );
    assert_eq!(
        headers.get("X-TC-Language"),
        language.as_deref().filter(|l| !l.is_empty())
    );
    let unsigned = matches!(request.payload, Payload::Unsigned);
    assert_eq!(
        headers.get("X-TC-Content-SHA256"),
        unsigned.then_some("UNSIGNED-PAYLOAD")
    );
}

/// Target `sign_legacy`: algorithm (`u8`, even HmacSHA1, odd HmacSHA256),
/// key, method, host and path (blobs), a count of parameters (`u8`, modulo
/// 16) and their keys and values (blobs), then a rotation (`u8`).
pub fn legacy(data: &[u8]) {
    let mut r = Reader::new(data);
    let algorithm = match r.u8() % 2 {
        0 => Algorithm::HmacSha1,
        _ => Algorithm::HmacSha256,
    };
    let key = r.text();
    let (method, host, path) = (r.text(), r.text(), r.text());
    let params: Vec<(String, String)> = (0..r.u8() % 16).map(|_| (r.text(), r.text())).collect();
    let rotation = usize::from(r.u8());
    let mut params: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();

    // The sign string by the documented rule, sorted by an independent comparison.
    let mut sorted = params.clone();
    sorted.sort_by_key(|(k, v)| (k.replace('_', "."), k.to_string(), v.to_string()));
    let pairs: Vec<String> = sorted
        .iter()
        .map(|(k, v)| format!("{}={v}", k.replace('_', ".")))
        .collect();
    let expected = format!("{method}{host}{path}?{}", pairs.join("&"));
    let mac = match algorithm {
        Algorithm::HmacSha1 => {
            let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(key.as_bytes()).expect("any key");
            mac.update(expected.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        _ => hmac256(key.as_bytes(), expected.as_bytes()),
    };
    let mut buf = [0u8; 64];
    let expected_signature = Base64::encode(&mac, &mut buf).expect("fits").to_string();

    let mut written = String::new();
    legacy::write_sign_string(&method, &host, &path, &mut params.clone(), &mut written)
        .expect("a String takes any text");
    assert_eq!(written, expected);

    let signature = legacy::sign(algorithm, &key, &method, &host, &path, &mut params.clone());
    assert_eq!(signature.as_str(), expected_signature);
    let length = match algorithm {
        Algorithm::HmacSha1 => 28,
        _ => 44,
    };
    assert_eq!(signature.as_str().len(), length);
    assert_eq!(format!("{signature:?}"), "Signature(<redacted>)");

    // The order the parameters come in does not matter.
    if !params.is_empty() {
        let at = rotation % params.len();
        params.rotate_left(at);
        params.reverse();
    }
    let again = legacy::sign(algorithm, &key, &method, &host, &path, &mut params);
    assert!(
        again == signature,
        "the signature depends on the parameter order"
    );
}
