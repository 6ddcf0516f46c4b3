//! Every signing vector of the spec: Tencent's published TC3 and v1 examples,
//! the derived ones, and the cases computed with the official Python SDK.

use tencentcloud_credential::sign::legacy::{self, Algorithm, Param};
use tencentcloud_credential::sign::request::{self, ApiRequest, Signer, REQUEST_CLIENT};
use tencentcloud_credential::sign::tc3::{
    self, Payload, PayloadHash, PayloadHasher, SigningKey, Tc3Request,
};
use tencentcloud_credential::sign::{KeyCache, UtcDate};
use tencentcloud_credential::{Credential, ErrorKind};

/// The documented body: the `\u672a` escapes are literal backslash sequences.
const DOC_BODY: &[u8] =
    br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
const DOC_BODY_HASH: &str = "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064";
const TIMESTAMP: u64 = 1_551_113_065;
const ID_A: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const KEY_A: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const ID_B: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******";
const KEY_B: &str = "Gu5t9xGARNpq86cd98joQYCN3*******";
const ID_C: &str = "AKID********************************";
const KEY_C: &str = "********************************";
const ACTION: &[(&str, &str)] = &[("X-TC-Action", "DescribeInstances")];

fn doc_request(extra: &'static [(&'static str, &'static str)]) -> Tc3Request<'static> {
    Tc3Request {
        method: "POST",
        path: "/",
        query: "",
        host: "cvm.tencentcloudapi.com",
        content_type: "application/json; charset=utf-8",
        extra_signed_headers: extra,
        payload: Payload::Bytes(DOC_BODY),
        service: "cvm",
        timestamp: TIMESTAMP,
    }
}

fn canonical_request(request: &Tc3Request<'_>) -> String {
    let mut out = String::new();
    tc3::write_canonical_request(request, &mut out).unwrap();
    out
}

fn string_to_sign(request: &Tc3Request<'_>) -> String {
    let mut out = String::new();
    tc3::write_string_to_sign(request, &mut out).unwrap();
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct Tc3Case {
    name: &'static str,
    id: &'static str,
    key: &'static str,
    request: Tc3Request<'static>,
    canonical: &'static str,
    canonical_hash: &'static str,
    signature: &'static str,
    authorization: &'static str,
}

fn tc3_cases() -> Vec<Tc3Case> {
    let canonical_bc = "POST\n/\n\ncontent-type:application/json; charset=utf-8\n\
        host:cvm.tencentcloudapi.com\nx-tc-action:describeinstances\n\n\
        content-type;host;x-tc-action\n\
        35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064";
    vec![
        Tc3Case {
            name: "A",
            id: ID_A,
            key: KEY_A,
            request: doc_request(&[]),
            canonical: "POST\n/\n\ncontent-type:application/json; charset=utf-8\n\
                host:cvm.tencentcloudapi.com\n\ncontent-type;host\n\
                35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
            canonical_hash: "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
            signature: "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
            authorization: "TC3-HMAC-SHA256 \
                Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, \
                SignedHeaders=content-type;host, \
                Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
        },
        Tc3Case {
            name: "B",
            id: ID_B,
            key: KEY_B,
            request: doc_request(ACTION),
            canonical: canonical_bc,
            canonical_hash: "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84",
            signature: "be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3",
            authorization: "TC3-HMAC-SHA256 \
                Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, \
                SignedHeaders=content-type;host;x-tc-action, \
                Signature=be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3",
        },
        Tc3Case {
            name: "C",
            id: ID_C,
            key: KEY_C,
            request: doc_request(ACTION),
            canonical: canonical_bc,
            canonical_hash: "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84",
            signature: "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f",
            authorization: "TC3-HMAC-SHA256 \
                Credential=AKID********************************/2019-02-25/cvm/tc3_request, \
                SignedHeaders=content-type;host;x-tc-action, \
                Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f",
        },
        Tc3Case {
            name: "5.3 GET",
            id: ID_A,
            key: KEY_A,
            request: Tc3Request {
                method: "GET",
                query: "Limit=10&Offset=0",
                content_type: "application/x-www-form-urlencoded",
                payload: Payload::Bytes(b""),
                ..doc_request(&[])
            },
            canonical: "GET\n/\nLimit=10&Offset=0\n\
                content-type:application/x-www-form-urlencoded\n\
                host:cvm.tencentcloudapi.com\n\ncontent-type;host\n\
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            canonical_hash: "91c9c192c14460df6c1ffc69e34e6c5e90708de2a6d282cccf957dbf1aa7f3a7",
            signature: "9867b291561db17491c01f0d7f06be3ccd45e91ecd3ce5434330e00ece036f64",
            authorization: "TC3-HMAC-SHA256 \
                Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, \
                SignedHeaders=content-type;host, \
                Signature=9867b291561db17491c01f0d7f06be3ccd45e91ecd3ce5434330e00ece036f64",
        },
    ]
}

#[test]
fn tc3_published_and_derived_vectors() {
    for case in tc3_cases() {
        let name = case.name;
        assert_eq!(canonical_request(&case.request), case.canonical, "{name}");
        let hash = tc3::canonical_request_hash(&case.request).unwrap();
        assert_eq!(hash.hex().as_str(), case.canonical_hash, "{name}");
        assert_eq!(
            string_to_sign(&case.request),
            format!(
                "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n{}",
                case.canonical_hash
            ),
            "{name}"
        );
        let authorization = tc3::sign(case.id, case.key, &case.request).unwrap();
        assert_eq!(authorization.signature(), case.signature, "{name}");
        assert_eq!(authorization.as_str(), case.authorization, "{name}");
        assert_eq!(
            authorization.credential_scope(),
            "2019-02-25/cvm/tc3_request"
        );
    }
}

#[test]
fn tc3_payload_hash_of_the_documented_body() {
    let request = doc_request(&[]);
    assert_eq!(request.payload.hash().hex().as_str(), DOC_BODY_HASH);
}

#[test]
fn tc3_derived_keys() {
    // (key, kDate, kService, kSigning): A and B derived, C published.
    let cases = [
        (
            KEY_A,
            "d1308c81fe71cfd4e06437bbc067b2b8a3d2d8c0e375d547f15c41d5214b395a",
            "3c7cb7c7795393edc14fd2e0e6434a518564b4504b88e94f5d11bf59ba3e7050",
            "ac658d5dde49e9bfdd14e04e062f66b05d9f637d44b8a8d845327d4a77f666b1",
        ),
        (
            KEY_B,
            "f1cb4d518a0eda9d5cbbfdb7850983f1e603eeae484edea76e4dd8d8deb5556e",
            "e7c609ce81bea53546bed2cc904778bef9ca14082e48e67883443ed64e227cd7",
            "8aa8ab5755582f576e94bcfe383b8e29325b0ca90c3590d569221c6a63a091ed",
        ),
        (
            KEY_C,
            "da98fb70dcf6b112dc21038d1eeeb3a95c74b4dcb12c1131f864f6066bd02be0",
            "8d70cbefb03939f929db64d32dc2ba89b1095620119fe3e050e2b18c5bd2752f",
            "b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af",
        ),
    ];
    let date = UtcDate::from_unix(TIMESTAMP);
    for (secret_key, k_date, k_service, k_signing) in cases {
        let key = SigningKey::derive(secret_key, &date, "cvm");
        assert_eq!(hex(key.date_key()), k_date);
        assert_eq!(hex(key.service_key()), k_service);
        assert_eq!(hex(key.signing_key()), k_signing);
        assert_eq!(key.date().as_str(), "2019-02-25");
    }
}

#[test]
fn a_derived_key_signs_like_sign() {
    let request = doc_request(&[]);
    let key = SigningKey::derive(KEY_A, &UtcDate::from_unix(TIMESTAMP), "cvm");
    let reused = tc3::sign_with(ID_A, &key, &request).unwrap();
    assert_eq!(reused, tc3::sign(ID_A, KEY_A, &request).unwrap());
}

#[test]
fn hash_constants() {
    let cases: [(&[u8], &str); 5] = [
        (
            b"",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            b"UNSIGNED-PAYLOAD",
            "438d4109ef0d676b8c2c7ed13cdfcb418e494d53b843d4634ce3b1085f07bb96",
        ),
        (
            // UTF-8 characters instead of the doc's escapes: a different hash.
            r#"{"Limit": 1, "Filters": [{"Values": ["未命名"], "Name": "instance-name"}]}"#
                .as_bytes(),
            "1e07682a01ae959704b7d77a9c0dd92ad8284fc90f9bb2ab5cc941be1d7ea716",
        ),
        (
            b"{}",
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        ),
        (DOC_BODY, DOC_BODY_HASH),
    ];
    for (bytes, expected) in cases {
        assert_eq!(PayloadHash::of(bytes).hex().as_str(), expected);
    }
    assert_eq!(
        Payload::Unsigned.hash().hex().as_str(),
        "438d4109ef0d676b8c2c7ed13cdfcb418e494d53b843d4634ce3b1085f07bb96"
    );
}

#[test]
fn utc_date_boundary() {
    // 2019-02-26 00:44:25 in UTC+8, but the scope takes the UTC day.
    assert_eq!(UtcDate::from_unix(TIMESTAMP).as_str(), "2019-02-25");
    let auth = tc3::sign(ID_A, KEY_A, &doc_request(&[])).unwrap();
    assert!(auth.as_str().contains("/2019-02-25/cvm/tc3_request,"));
}

#[test]
fn streamed_payloads_sign_the_same() {
    let whole = tc3::sign(ID_A, KEY_A, &doc_request(&[])).unwrap();
    for chunk in [1, 7, DOC_BODY.len()] {
        let mut hasher = PayloadHasher::new();
        for piece in DOC_BODY.chunks(chunk) {
            hasher.update(piece);
        }
        let request = Tc3Request {
            payload: Payload::Hashed(hasher.finish()),
            ..doc_request(&[])
        };
        assert_eq!(
            tc3::sign(ID_A, KEY_A, &request).unwrap(),
            whole,
            "chunks of {chunk}"
        );
    }

    let text = std::str::from_utf8(DOC_BODY).unwrap();
    let mut by_fmt = PayloadHasher::new();
    for c in text.chars() {
        std::fmt::Write::write_char(&mut by_fmt, c).unwrap();
    }
    assert_eq!(by_fmt.finish().hex().as_str(), DOC_BODY_HASH);
    let mut by_io = PayloadHasher::new();
    for piece in DOC_BODY.chunks(7) {
        embedded_io::Write::write_all(&mut by_io, piece).unwrap();
    }
    assert_eq!(by_io.finish().hex().as_str(), DOC_BODY_HASH);
}

/// The parameters of the v1 documentation examples, `SecretId` aside.
fn v1_params(secret_id: &'static str) -> Vec<Param<'static>> {
    vec![
        ("Version", "2017-03-12"),
        ("Timestamp", "1465185768"),
        ("SecretId", secret_id),
        ("Region", "ap-guangzhou"),
        ("Offset", "0"),
        ("Nonce", "11886"),
        ("Limit", "20"),
        ("InstanceIds.0", "ins-09dx96dg"),
        ("Action", "DescribeInstances"),
    ]
}

struct V1Case {
    name: &'static str,
    algorithm: Algorithm,
    key: &'static str,
    method: &'static str,
    params: Vec<Param<'static>>,
    sign_string: &'static str,
    signature: &'static str,
}

fn v1_cases() -> Vec<V1Case> {
    let mut with_method = v1_params(ID_A);
    with_method.push(("SignatureMethod", "HmacSHA256"));
    let sdk = |extra: &[Param<'static>]| {
        let mut params = vec![
            ("Limit", "20"),
            ("Offset", "0"),
            ("InstanceIds.0", "ins-09dx96dg"),
        ];
        params.extend_from_slice(extra);
        params.extend_from_slice(&[
            ("Action", "DescribeInstances"),
            ("RequestClient", "SDK_PYTHON_3.1.162"),
            ("Nonce", "11886"),
            ("Timestamp", "1551113065"),
            ("Version", "2017-03-12"),
            ("Region", "ap-guangzhou"),
        ]);
        params
    };
    let mut e = sdk(&[("Some_Key", "x y")]);
    e.extend_from_slice(&[
        ("Token", "tok-123"),
        ("SecretId", ID_A),
        ("SignatureMethod", "HmacSHA1"),
        ("Language", "zh-CN"),
    ]);
    let mut f = sdk(&[]);
    f.extend_from_slice(&[
        ("SecretId", ID_A),
        ("SignatureMethod", "HmacSHA256"),
        ("Language", "zh-CN"),
    ]);
    vec![
        V1Case {
            name: "V1-A",
            algorithm: Algorithm::HmacSha1,
            key: KEY_A,
            method: "GET",
            params: v1_params(ID_A),
            sign_string: "GETcvm.tencentcloudapi.com/?Action=DescribeInstances\
                &InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou\
                &SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768\
                &Version=2017-03-12",
            signature: "EliP9YW3pW28FpsEdkXt/+WcGeI=",
        },
        V1Case {
            name: "V1-B",
            algorithm: Algorithm::HmacSha1,
            key: KEY_B,
            method: "GET",
            params: v1_params(ID_B),
            sign_string: "GETcvm.tencentcloudapi.com/?Action=DescribeInstances\
                &InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou\
                &SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******&Timestamp=1465185768\
                &Version=2017-03-12",
            signature: "zmmjn35mikh6pM3V7sUEuX4wyYM=",
        },
        V1Case {
            name: "V1-C",
            algorithm: Algorithm::HmacSha1,
            key: KEY_C,
            method: "GET",
            params: v1_params(ID_C),
            sign_string: "GETcvm.tencentcloudapi.com/?Action=DescribeInstances\
                &InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou\
                &SecretId=AKID********************************&Timestamp=1465185768\
                &Version=2017-03-12",
            signature: "7RAM2xfNMO9EiVTNmPg06MRnCvQ=",
        },
        V1Case {
            name: "reference 6.2 HmacSHA256",
            algorithm: Algorithm::HmacSha256,
            key: KEY_A,
            method: "GET",
            params: v1_params(ID_A),
            sign_string: "GETcvm.tencentcloudapi.com/?Action=DescribeInstances\
                &InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou\
                &SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768\
                &Version=2017-03-12",
            signature: "bR/zQ3QqOmcEYeRv71IzG/NxfisUDgy9cqRMQC+UB5g=",
        },
        V1Case {
            name: "5.4 HmacSHA256",
            algorithm: Algorithm::HmacSha256,
            key: KEY_A,
            method: "GET",
            params: with_method,
            sign_string: "GETcvm.tencentcloudapi.com/?Action=DescribeInstances\
                &InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou\
                &SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&SignatureMethod=HmacSHA256\
                &Timestamp=1465185768&Version=2017-03-12",
            signature: "A8uy2/o7WBZXYCTWEFpMrVGhGBVlEGIOioeqRM+fzFs=",
        },
        V1Case {
            name: "5.5 POST",
            algorithm: Algorithm::HmacSha1,
            key: KEY_A,
            method: "POST",
            params: v1_params(ID_A),
            sign_string: "POSTcvm.tencentcloudapi.com/?Action=DescribeInstances\
                &InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou\
                &SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768\
                &Version=2017-03-12",
            signature: "/4JqpPkM1WMS/I5IvWzp5mqoqWY=",
        },
        V1Case {
            name: "reference E",
            algorithm: Algorithm::HmacSha1,
            key: KEY_A,
            method: "GET",
            params: e,
            sign_string: "GETcvm.tencentcloudapi.com/?Action=DescribeInstances\
                &InstanceIds.0=ins-09dx96dg&Language=zh-CN&Limit=20&Nonce=11886&Offset=0\
                &Region=ap-guangzhou&RequestClient=SDK_PYTHON_3.1.162\
                &SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&SignatureMethod=HmacSHA1\
                &Some.Key=x y&Timestamp=1551113065&Token=tok-123&Version=2017-03-12",
            signature: "xe/lvdzrUW0RxlX2Lz7J03OyQf0=",
        },
        V1Case {
            name: "reference F",
            algorithm: Algorithm::HmacSha256,
            key: KEY_A,
            method: "POST",
            params: f,
            sign_string: "POSTcvm.tencentcloudapi.com/?Action=DescribeInstances\
                &InstanceIds.0=ins-09dx96dg&Language=zh-CN&Limit=20&Nonce=11886&Offset=0\
                &Region=ap-guangzhou&RequestClient=SDK_PYTHON_3.1.162\
                &SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&SignatureMethod=HmacSHA256\
                &Timestamp=1551113065&Version=2017-03-12",
            signature: "LtlZxGl0ac/svcAIIDbk16OkySQyh+cMAYMOcdgZLS0=",
        },
    ]
}

#[test]
fn v1_vectors() {
    for case in v1_cases() {
        let name = case.name;
        let host = "cvm.tencentcloudapi.com";
        let mut params = case.params.clone();
        let mut text = String::new();
        legacy::write_sign_string(case.method, host, "/", &mut params, &mut text).unwrap();
        assert_eq!(text, case.sign_string, "{name}");

        let mut params = case.params.clone();
        let signature = legacy::sign(
            case.algorithm,
            case.key,
            case.method,
            host,
            "/",
            &mut params,
        );
        assert_eq!(signature.as_str(), case.signature, "{name}");
    }
}

#[test]
fn algorithm_names() {
    assert_eq!(Algorithm::HmacSha1.name(), "HmacSHA1");
    assert_eq!(Algorithm::HmacSha256.name(), "HmacSHA256");
}

fn credential(token: Option<&str>) -> Credential {
    Credential::new(ID_A, KEY_A, token).unwrap()
}

/// Case A of the reference SDK run: POST JSON, the doc body, `application/json`.
fn api_request() -> ApiRequest<'static> {
    ApiRequest {
        service: "cvm",
        host: "cvm.tencentcloudapi.com",
        action: "describeInstances",
        version: "2017-03-12",
        region: "ap-guangzhou",
        method: "POST",
        content_type: "application/json",
        query: "",
        payload: Payload::Bytes(DOC_BODY),
        timestamp: TIMESTAMP,
        language: Some("zh-CN"),
        sign_action: false,
    }
}

fn auth_a(signature: &str) -> String {
    format!(
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/\
         tc3_request, SignedHeaders=content-type;host, Signature={signature}"
    )
}

#[test]
fn reference_cases_a_to_d() {
    let b_query = "Limit=10&Offset=0&Filters.0.Name=zone&Filters.0.Values.0=ap-guangzhou-1\
                   &Filters.0.Values.1=a+b%2Fc&DryRun=True";
    let cases = [
        (
            "A",
            api_request(),
            "df142fa7176428137ac6a6b25b5efcb6b4c08a91fc30d75ecebe47877d3143d8",
            "683bd0b53659853c39699162253251192320a09b3937e27bf8e08a559b1465b8",
        ),
        (
            "B",
            ApiRequest {
                method: "GET",
                content_type: "application/x-www-form-urlencoded",
                query: b_query,
                payload: Payload::Bytes(b""),
                ..api_request()
            },
            "f695b60438b98403ace5effed0a664f65793622e7dd88b0fea325a36233834eb",
            "2963e2aed5310924c9b4bac9507927898fad80fc9493662dc4e4c59fa8dc8930",
        ),
        (
            "C",
            ApiRequest {
                payload: Payload::Unsigned,
                ..api_request()
            },
            "08ca61ccea5c4f36a3d4ba244ffe6984977e068524eacd007c466f121f299ad6",
            "6ca8818cc1b871a25d6f13dad67f0a6069a1979f11eddcd2087aee26addd80e6",
        ),
        (
            "D",
            ApiRequest {
                payload: Payload::Bytes(b"{}"),
                ..api_request()
            },
            "b7511c2a57e10458e52fe57af7b28c25796fc538db71eef3b256d94528d8834d",
            "62cc1203c112368345f8b9b9a19250a256ca9852dc3b62843e7e2be838551002",
        ),
    ];
    let credential = credential(None);
    for (name, api, canonical_hash, signature) in cases {
        let tc3 = Tc3Request {
            method: api.method,
            path: "/",
            query: api.query,
            host: api.host,
            content_type: api.content_type,
            extra_signed_headers: &[],
            payload: api.payload,
            service: api.service,
            timestamp: api.timestamp,
        };
        let hash = tc3::canonical_request_hash(&tc3).unwrap();
        assert_eq!(hash.hex().as_str(), canonical_hash, "{name}");
        let headers = request::headers(&api, Signer::Tc3(&credential)).unwrap();
        assert_eq!(
            headers.get("authorization"),
            Some(auth_a(signature).as_str()),
            "{name}"
        );
        let unsigned = headers.get("X-TC-Content-SHA256");
        assert_eq!(
            unsigned,
            (name == "C").then_some("UNSIGNED-PAYLOAD"),
            "{name}"
        );
    }
}

/// The headers but `X-TC-RequestClient`, in order.
fn listed(headers: &request::Headers<'_>) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, _)| *name != "X-TC-RequestClient")
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

#[test]
fn reference_header_variants() {
    let signature = "683bd0b53659853c39699162253251192320a09b3937e27bf8e08a559b1465b8";
    let auth = auth_a(signature);
    let plain = credential(None);
    let with_token = credential(Some("tok-123"));
    let english = ApiRequest {
        language: Some("en-US"),
        ..api_request()
    };
    let no_region = ApiRequest {
        region: "",
        ..api_request()
    };
    let cases = [
        (
            "A",
            api_request(),
            Signer::Tc3(&plain),
            vec![
                ("Authorization", auth.as_str()),
                ("Content-Type", "application/json"),
                ("Host", "cvm.tencentcloudapi.com"),
                ("X-TC-Action", "DescribeInstances"),
                ("X-TC-Timestamp", "1551113065"),
                ("X-TC-Version", "2017-03-12"),
                ("X-TC-Region", "ap-guangzhou"),
                ("X-TC-Language", "zh-CN"),
            ],
        ),
        (
            "A with token and language",
            english,
            Signer::Tc3(&with_token),
            vec![
                ("Authorization", auth.as_str()),
                ("Content-Type", "application/json"),
                ("Host", "cvm.tencentcloudapi.com"),
                ("X-TC-Action", "DescribeInstances"),
                ("X-TC-Timestamp", "1551113065"),
                ("X-TC-Version", "2017-03-12"),
                ("X-TC-Region", "ap-guangzhou"),
                ("X-TC-Token", "tok-123"),
                ("X-TC-Language", "en-US"),
            ],
        ),
        (
            "A with an empty region",
            no_region,
            Signer::Tc3(&plain),
            vec![
                ("Authorization", auth.as_str()),
                ("Content-Type", "application/json"),
                ("Host", "cvm.tencentcloudapi.com"),
                ("X-TC-Action", "DescribeInstances"),
                ("X-TC-Timestamp", "1551113065"),
                ("X-TC-Version", "2017-03-12"),
                ("X-TC-Language", "zh-CN"),
            ],
        ),
        (
            "SkipSign",
            api_request(),
            Signer::Skip,
            vec![
                ("Authorization", "SKIP"),
                ("Content-Type", "application/json"),
                ("Host", "cvm.tencentcloudapi.com"),
                ("X-TC-Action", "DescribeInstances"),
                ("X-TC-Timestamp", "1551113065"),
                ("X-TC-Version", "2017-03-12"),
                ("X-TC-Region", "ap-guangzhou"),
                ("X-TC-Language", "zh-CN"),
            ],
        ),
    ];
    for (name, api, signer, expected) in cases {
        let headers = request::headers(&api, signer).unwrap();
        assert_eq!(listed(&headers), owned(&expected), "{name}");
        assert_eq!(
            headers.get("x-tc-requestclient"),
            Some(REQUEST_CLIENT),
            "{name}"
        );
    }

    // SkipSign never sends a token, even with a temporary credential at hand.
    let skipped = request::headers(&api_request(), Signer::Skip).unwrap();
    assert_eq!(skipped.get("X-TC-Token"), None);
    assert!(skipped.authorization().is_none());
}

#[test]
fn headers_with_kept_keys_are_the_headers_signed_afresh() {
    let plain = credential(None);
    let with_token = credential(Some("tok-123"));
    let other_key = Credential::new(ID_A, "another-secret-key", None).unwrap();
    let next_day = ApiRequest {
        timestamp: 1_551_113_065 + 86_400,
        ..api_request()
    };
    let sts = ApiRequest {
        service: "sts",
        host: "sts.tencentcloudapi.com",
        ..next_day
    };
    let signed_action = ApiRequest {
        sign_action: true,
        payload: Payload::Unsigned,
        ..sts
    };
    // Each step changes the key's day, service or secret, or nothing.
    let steps = [
        (api_request(), &plain),
        (api_request(), &with_token),
        (next_day, &plain),
        (sts, &plain),
        (signed_action, &plain),
        (signed_action, &other_key),
        (api_request(), &plain),
    ];
    let mut keys = KeyCache::new();
    for (i, (api, credential)) in steps.into_iter().enumerate() {
        let kept = request::headers_with_keys(&api, credential, &mut keys).unwrap();
        let fresh = request::headers(&api, Signer::Tc3(credential)).unwrap();
        assert_eq!(listed(&kept), listed(&fresh), "step {i}");
    }
    // The published signature of the reference request, from a kept key.
    let kept = request::headers_with_keys(&api_request(), &plain, &mut keys).unwrap();
    let signature = "683bd0b53659853c39699162253251192320a09b3937e27bf8e08a559b1465b8";
    assert_eq!(kept.get("Authorization"), Some(auth_a(signature).as_str()));

    let no_action = ApiRequest {
        action: "",
        ..api_request()
    };
    let e = request::headers_with_keys(&no_action, &plain, &mut keys).unwrap_err();
    assert_eq!(
        e.to_string(),
        "action should not be empty (key x-tc-action)"
    );
    assert!(keys.is_warm(), "a refused request keeps the key");
}

#[test]
fn headers_in_full_order_with_every_optional_one() {
    let with_token = credential(Some("tok-123"));
    let api = ApiRequest {
        payload: Payload::Unsigned,
        ..api_request()
    };
    let headers = request::headers(&api, Signer::Tc3(&with_token)).unwrap();
    let names: Vec<&str> = headers.iter().map(|(name, _)| name).collect();
    assert_eq!(
        names,
        [
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
        ]
    );
    assert_eq!(headers.get("x-tc-content-sha256"), Some("UNSIGNED-PAYLOAD"));
    assert_eq!(headers.get("X-Unknown"), None);
    let empty_language = ApiRequest {
        language: Some(""),
        ..api_request()
    };
    let headers = request::headers(&empty_language, Signer::Skip).unwrap();
    assert_eq!(headers.get("X-TC-Language"), None);
}

#[test]
fn signing_the_action_follows_the_current_doc() {
    // Vector C's keys and headers, sent through the request builder.
    let credential = Credential::new(ID_C, KEY_C, None).unwrap();
    let api = ApiRequest {
        action: "DescribeInstances",
        content_type: "application/json; charset=utf-8",
        sign_action: true,
        ..api_request()
    };
    let headers = request::headers(&api, Signer::Tc3(&credential)).unwrap();
    assert_eq!(
        headers.get("Authorization"),
        Some(
            "TC3-HMAC-SHA256 Credential=AKID********************************/2019-02-25/cvm/\
             tc3_request, SignedHeaders=content-type;host;x-tc-action, \
             Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
        )
    );
}

#[test]
fn header_errors_name_the_header() {
    let plain = credential(None);
    let cases = [
        (
            ApiRequest {
                region: "ap-guangzhou\r\nX-Evil: 1",
                ..api_request()
            },
            "header value contains a control character (key x-tc-region)",
        ),
        (
            ApiRequest {
                host: "cvm.tencentcloudapi.com\n",
                ..api_request()
            },
            "header value contains a control character (key host)",
        ),
        (
            ApiRequest {
                content_type: "application/json\r",
                ..api_request()
            },
            "header value contains a control character (key content-type)",
        ),
        (
            ApiRequest {
                version: "2017-03-12\n",
                ..api_request()
            },
            "header value contains a control character (key x-tc-version)",
        ),
        (
            ApiRequest {
                language: Some("zh-CN\n"),
                ..api_request()
            },
            "header value contains a control character (key x-tc-language)",
        ),
        (
            ApiRequest {
                action: "Describe\nInstances",
                ..api_request()
            },
            "header value contains a control character (key x-tc-action)",
        ),
        (
            ApiRequest {
                action: "",
                ..api_request()
            },
            "action should not be empty (key x-tc-action)",
        ),
    ];
    for (api, expected) in cases {
        for signer in [Signer::Tc3(&plain), Signer::Skip] {
            let e = request::headers(&api, signer).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert_eq!(e.to_string(), expected);
        }
    }
}

#[test]
fn over_long_values_are_capacity_errors() {
    let long_action = "A".repeat(129);
    let api = ApiRequest {
        action: &long_action,
        ..api_request()
    };
    let e = request::headers(&api, Signer::Skip).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Capacity);
    assert_eq!(
        e.to_string(),
        "action is too long (key x-tc-action, limit 128 bytes)"
    );

    let long_service = "s".repeat(400);
    let tc3 = Tc3Request {
        service: &long_service,
        ..doc_request(&[])
    };
    let e = tc3::sign(ID_A, KEY_A, &tc3).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Capacity);
    assert_eq!(
        e.to_string(),
        "authorization header is too long (limit 512 bytes)"
    );

    // The longest secret id with room to spare fits.
    let long_id = "I".repeat(128);
    assert!(tc3::sign(&long_id, KEY_A, &doc_request(ACTION)).is_ok());
}

#[test]
fn tc3_errors_name_the_header() {
    let cases: [(&'static [(&'static str, &'static str)], &str); 3] = [
        (
            &[("X-TC-Action", "Describe\r\nInstances")],
            "header value contains a control character (key x-tc-action)",
        ),
        (
            &[("Content-Type", "text/plain")],
            "header is given twice (key content-type)",
        ),
        (
            &[("X TC", "v")],
            "header name is invalid (key extra signed header)",
        ),
    ];
    for (extra, expected) in cases {
        let e = tc3::sign(ID_A, KEY_A, &doc_request(extra)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(e.to_string(), expected);
    }
}

#[test]
fn debug_never_shows_signature_key_or_token() {
    let token = "tok-secret-0123456789";
    let with_token = credential(Some(token));
    let headers = request::headers(&api_request(), Signer::Tc3(&with_token)).unwrap();
    let signature = headers.authorization().unwrap().signature().to_string();

    let auth = format!("{:?}", headers.authorization().unwrap());
    assert_eq!(
        auth,
        "Authorization { secret_id: AKID****MPLE, scope: \"2019-02-25/cvm/tc3_request\", \
         signed_headers: \"content-type;host\", signature: <redacted> }"
    );

    let shown = format!("{headers:?}");
    assert_eq!(
        shown,
        format!(
            "{{\"Authorization\": <redacted>, \"Content-Type\": \"application/json\", \
             \"Host\": \"cvm.tencentcloudapi.com\", \"X-TC-Action\": \"DescribeInstances\", \
             \"X-TC-Timestamp\": \"1551113065\", \"X-TC-Version\": \"2017-03-12\", \
             \"X-TC-Region\": \"ap-guangzhou\", \"X-TC-Token\": <redacted>, \
             \"X-TC-Language\": \"zh-CN\", \"X-TC-RequestClient\": \"{REQUEST_CLIENT}\"}}"
        )
    );
    for text in [&auth, &shown] {
        assert!(!text.contains(&signature));
        assert!(!text.contains(token));
        assert!(!text.contains(KEY_A));
        assert!(!text.contains(ID_A));
    }

    let mut params = v1_params(ID_A);
    let v1 = legacy::sign(Algorithm::HmacSha1, KEY_A, "GET", "h", "/", &mut params);
    assert_eq!(format!("{v1:?}"), "Signature(<redacted>)");

    let key = SigningKey::derive(KEY_A, &UtcDate::from_unix(TIMESTAMP), "cvm");
    let shown = format!("{key:?}");
    assert!(!shown.contains(&hex(key.signing_key())) && !shown.contains(KEY_A));

    let body = Payload::Bytes(b"{\"WebIdentityToken\":\"jwt\"}");
    assert_eq!(format!("{body:?}"), "Bytes(26 bytes)");
}

#[test]
fn skip_sign_headers_show_skip_in_debug() {
    let headers = request::headers(&api_request(), Signer::Skip).unwrap();
    assert!(format!("{headers:?}").starts_with("{\"Authorization\": \"SKIP\", "));
}
