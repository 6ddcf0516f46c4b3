//! Differential test: 600 requests signed by the official Python SDK
//! (`tests/data/python-sdk-oracle.jsonl`) must be signed identically here.

use serde_json::Value;
use tencentcloud_credential::sign::legacy::{self, Algorithm, Param};
use tencentcloud_credential::sign::request::{self, ApiRequest, Signer};
use tencentcloud_credential::sign::tc3::Payload;
use tencentcloud_credential::sign::UtcDate;
use tencentcloud_credential::Credential;

const ORACLE: &str = include_str!("data/python-sdk-oracle.jsonl");

fn text<'a>(line: &'a Value, field: &str) -> &'a str {
    line[field]
        .as_str()
        .unwrap_or_else(|| panic!("field {field} is not a string"))
}

/// Checks one TC3 line; returns what disagreed, if anything.
fn check_tc3(line: &Value) -> Result<(), String> {
    let credential = Credential::new(
        text(line, "secret_id"),
        text(line, "secret_key"),
        line["token"].as_str(),
    )
    .map_err(|e| format!("credential: {e}"))?;
    let timestamp = line["timestamp"].as_u64().ok_or("timestamp")?;
    let payload = if line["unsigned_payload"].as_bool() == Some(true) {
        Payload::Unsigned
    } else {
        Payload::Bytes(text(line, "payload").as_bytes())
    };
    let api = ApiRequest {
        service: text(line, "service"),
        host: text(line, "host"),
        action: text(line, "action"),
        version: text(line, "version"),
        region: text(line, "region"),
        method: text(line, "method"),
        content_type: text(line, "content_type"),
        query: text(line, "query"),
        payload,
        timestamp,
        language: line["language"].as_str(),
        sign_action: false,
    };
    let headers =
        request::headers(&api, Signer::Tc3(&credential)).map_err(|e| format!("headers: {e}"))?;

    if UtcDate::from_unix(timestamp).as_str() != text(line, "date") {
        return Err("date".into());
    }
    if headers.get("Authorization") != Some(text(line, "authorization")) {
        return Err("authorization".into());
    }
    let expected = line["headers"].as_object().ok_or("headers")?;
    for (name, value) in expected {
        if name == "X-TC-RequestClient" {
            continue;
        }
        if headers.get(name) != value.as_str() {
            return Err(format!("header {name}"));
        }
    }
    for (name, _) in headers.iter() {
        if name != "X-TC-RequestClient" && !expected.contains_key(name) {
            return Err(format!("extra header {name}"));
        }
    }
    Ok(())
}

/// Checks one v1 line; returns what disagreed, if anything.
fn check_v1(line: &Value, algorithm: Algorithm) -> Result<(), String> {
    let fields = line["v1_params"].as_object().ok_or("v1_params")?;
    let params: Vec<Param<'_>> = fields
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str().unwrap_or_default()))
        .collect();
    if fields.get("SignatureMethod").and_then(Value::as_str) != Some(algorithm.name()) {
        return Err("signature method".into());
    }
    let (method, host, path) = (text(line, "method"), text(line, "host"), text(line, "path"));

    let mut sorted = params.clone();
    let mut sign_string = String::new();
    legacy::write_sign_string(method, host, path, &mut sorted, &mut sign_string)
        .map_err(|_| "write")?;
    if sign_string != text(line, "sign_string") {
        return Err("sign string".into());
    }
    let mut sorted = params;
    let signature = legacy::sign(
        algorithm,
        text(line, "secret_key"),
        method,
        host,
        path,
        &mut sorted,
    );
    if signature.as_str() != text(line, "signature") {
        return Err("signature".into());
    }
    Ok(())
}

#[test]
fn every_oracle_line_agrees() {
    let (mut tc3, mut sha1, mut sha256) = (0, 0, 0);
    let mut disagreements = Vec::new();
    let mut lines = 0;
    for raw in ORACLE.lines().filter(|l| !l.trim().is_empty()) {
        lines += 1;
        let line: Value = serde_json::from_str(raw).expect("oracle line is JSON");
        let id = text(&line, "id").to_string();
        let (counter, outcome) = match text(&line, "style") {
            "tc3" => (&mut tc3, check_tc3(&line)),
            "v1-HmacSHA1" => (&mut sha1, check_v1(&line, Algorithm::HmacSha1)),
            "v1-HmacSHA256" => (&mut sha256, check_v1(&line, Algorithm::HmacSha256)),
            style => panic!("line {id}: unknown style {style}"),
        };
        match outcome {
            Ok(()) => *counter += 1,
            Err(what) => disagreements.push(format!("{id}: {what}")),
        }
    }
    println!(
        "oracle: {lines} lines, agreeing: tc3 {tc3}, v1-HmacSHA1 {sha1}, v1-HmacSHA256 {sha256}"
    );
    let first: Vec<&String> = disagreements.iter().take(10).collect();
    assert!(
        disagreements.is_empty(),
        "{} lines disagree, first: {first:?}",
        disagreements.len()
    );
    assert_eq!(lines, 600);
    assert_eq!(tc3 + sha1 + sha256, 600);
    // Every style is present, so none can pass by being absent.
    assert!(tc3 > 0 && sha1 > 0 && sha256 > 0);
}
