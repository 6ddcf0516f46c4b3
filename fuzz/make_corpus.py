#!/usr/bin/env python3
"""Writes the seed corpora, fuzz/corpus/<target>/seed-*, from the real formats.

Sources: ../shared/spec/test-vectors.md (signing vectors, STS and metadata
examples, error replies, profile files) and ../shared/cases/cli-cases.json
(profile files, variables, metadata and STS replies), plus hostile variants
of each. Secret values carry the marker U+00A4 so that the leak checks in
fuzz/src/secrets.rs can see them (see there). The byte layout of each target
is documented beside its function in fuzz/src; `Script` below writes the
layout of the machine targets.

Run from anywhere: python3 fuzz/make_corpus.py. Files the fuzzer added
(other names than seed-*) are left alone.
"""

import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "shared")
NOW = 1_700_000_000
FAR = 4_102_444_800


def u16(n):
    return struct.pack("<H", n)


def u64(n):
    return struct.pack("<Q", n % (1 << 64))


def blob(value):
    if isinstance(value, str):
        value = value.encode()
    return u16(len(value)) + value


def js(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


class Script:
    """Actions for the machine targets (fuzz/src/machines.rs)."""

    def __init__(self):
        self.out = b""

    def env(self, value):
        # Kind 0 (whatever was asked); outcome 0 unset, 1 not unicode, 3 a value.
        if value is None:
            self.out += bytes([0x00]) + u16(0) + blob(b"")
        elif value is False:
            self.out += bytes([0x10]) + u16(0) + blob(b"")
        else:
            self.out += bytes([0x30]) + u16(0) + blob(value)
        return self

    def file(self, content=None, error=0):
        if content is None:
            self.out += bytes([error << 4]) + u16(0) + blob(b"")
        else:
            self.out += bytes([0x50]) + u16(0) + blob(content)
        return self

    def http(self, status, body=b""):
        if isinstance(body, (dict, list)):
            body = js(body)
        self.out += bytes([0x60]) + u16(status) + blob(body)
        return self

    def fail(self, error):
        self.out += bytes([error << 4]) + u16(0) + blob(b"")
        return self

    def slept(self):
        self.out += bytes([0x04])
        return self

    def finish(self):
        self.out += bytes([0x05])
        return self

    def clock(self, now):
        self.out += bytes([0x06]) + u64(now)
        return self

    def poll(self):
        self.out += bytes([0x07])
        return self

    def wrong(self, kind):
        # An answer of another kind than asked (1 env, 2 file, 3 http).
        self.out += bytes([0x60 | kind]) + u16(200) + blob(b"x")
        return self


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data)


def cases():
    with open(os.path.join(SHARED, "cases", "cli-cases.json")) as f:
        return json.load(f)


def file_bytes(content):
    """A file of the cases: text, or `b64:` and its bytes in Base64."""
    if content.startswith("b64:"):
        import base64
        return base64.b64decode(content[4:])
    return content.encode()


def expiry(value):
    if isinstance(value, str) and value.startswith("NOW"):
        return NOW + int(value[3:])
    return value


def doc(**fields):
    base = {
        "TmpSecretId": "AKIDfuzzmetadata",
        "TmpSecretKey": "meta¤key¤secret¤value",
        "ExpiredTime": FAR,
        "Expiration": "2100-01-01T00:00:00Z",
        "Token": "meta¤token¤secret¤value",
        "Code": "Success",
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def sts_ok(**fields):
    creds = {
        "Token": "sts¤token¤secret¤value",
        "TmpSecretId": "AKIDfuzzsts",
        "TmpSecretKey": "sts¤key¤secret¤value",
    }
    creds.update(fields.pop("creds", {}))
    response = {
        "Credentials": creds,
        "ExpiredTime": FAR,
        "Expiration": "2100-01-01T00:00:00Z",
        "RequestId": "00000000-0000-0000-0000-000000000001",
    }
    response.update(fields)
    return {"Response": response}


def sts_error(code, message, request_id="req-1"):
    return {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id}}


# --- profile_parse -------------------------------------------------------

def profile_seeds():
    n = 0
    for case in cases():
        files = case.get("files") or {}
        for name, content in files.items():
            if "credentials" in name or name == "cred":
                profile = (case.get("env") or {}).get("TENCENTCLOUD_PROFILE", "default")
                raw = file_bytes(content)
                write("profile_parse", case["id"], blob(profile) + raw)
                n += 1
    extra = {
        "marked": "[default]\nsecret_id = AKIDmarked0000\nsecret_key = key¤¤secret¤value\ntoken = tok¤¤secret¤token\n",
        "marked-bad-line": "[default]\nsecret_key = key¤¤secret¤value\nthis¤¤line¤is¤bad\n",
        "marked-quoted": "[default]\nsecret_id: \"AKID quoted\"\nsecret_key = ' key¤¤secret¤value '  ; note\n",
        "marked-control": "[default]\nsecret_id = AKID1\nsecret_key = key¤¤\x01secret¤value\n",
        "marked-long-token": "[default]\nsecret_id = AKID1\nsecret_key = k\ntoken = " + "t¤" * 2100 + "\n",
        "go-sdk-ini": "app=tencentcloud-sdk-go\n\n# default\n[default]\nkey1 = value1\n key2 = 2\n\n;section 2\n[custom]\ncustomKey1 = 3.1415\ncustomKey2 = true\n",
        "spec-ini": "[default]\nsecret_id = AKIDFAKEFILESECRETID0000\nsecret_key = FAKEFILESECRETKEY0000\n",
        "unclosed-section": "[default\nsecret_id = a\n",
        "empty-section": "[]\n",
        "text-after-section": "[default] x\n",
        "continuation": "[default]\nsecret_id = AKID1\nsecret_key = KEY1\n  continued¤¤secret\n",
        "bom-crlf": "\ufeff[default]\r\nsecret_id = AKID1\r\nsecret_key = KEY1\r\n",
        "nul": "[default]\nsecret_id = AKID\x001\nsecret_key = KEY1\n",
    }
    for name, text in extra.items():
        write("profile_parse", name, blob("default") + text.encode())
    write("profile_parse", "invalid-utf8", blob("default") + b"[default]\nsecret_key = \xff\xfe\n")
    write("profile_parse", "named-profile", blob("work¤¤profile") + b"[work\xc2\xa4\xc2\xa4profile]\nsecret_id=a\n")
    return n


# --- STS replies ---------------------------------------------------------

def sts_seeds():
    published_ar = {"Response": {"Credentials": {"Token": "da1e***", "TmpSecretId": "AKID***", "TmpSecretKey": "q95K***"}, "ExpiredTime": 1543914376, "Expiration": "2018-12-04T09:06:16Z", "RequestId": "4daec797-9cd2-4f09-9e7a-7d4c43b2a74c"}}
    published_wi = {"Response": {"ExpiredTime": 1543914376, "Expiration": "2018-12-04T09:06:16Z", "Credentials": {"Token": "1siMD***", "TmpSecretId": "AKID***", "TmpSecretKey": "q95K***"}, "RequestId": "f6e7cbcb-add1-47bd-9097-d08cf8f3a919"}}
    synth_ar = b'{"Response":{"Credentials":{"Token":"FAKE-TOKEN-0000","TmpSecretId":"AKIDFAKETMPSECRETID0000","TmpSecretKey":"FAKETMPSECRETKEY0000"},"ExpiredTime":4102444800,"Expiration":"2100-01-01T00:00:00Z","RequestId":"00000000-0000-0000-0000-000000000001"}}'
    synth_wi = b'{"Response":{"ExpiredTime":4102444800,"Expiration":"2100-01-01T00:00:00Z","Credentials":{"Token":"FAKE-OIDC-TOKEN-0000","TmpSecretId":"AKIDFAKEOIDCSECRETID0000","TmpSecretKey":"FAKEOIDCSECRETKEY0000"},"RequestId":"00000000-0000-0000-0000-000000000002"}}'

    def put(target, name, body, status=200, now=NOW):
        if isinstance(body, (dict, list)):
            body = js(body)
        write(target, name, u16(status) + u64(now) + body)

    for target, published, synth in [
        ("sts_assume_role_reply", published_ar, synth_ar),
        ("sts_web_identity_reply", published_wi, synth_wi),
    ]:
        put(target, "published", json.dumps(published, indent=4).encode(), now=1543900000)
        put(target, "published-expired", js(published), now=NOW)
        put(target, "synthetic", synth)
        put(target, "marked", sts_ok())
        put(target, "float-expiry", js(sts_ok()).replace(b"4102444800", b"4.1024448e9"))
        put(target, "fraction-expiry", js(sts_ok()).replace(b"4102444800", b"4102444800.5"))
        put(target, "negative-expiry", js(sts_ok()).replace(b"4102444800", b"-1"))
        put(target, "huge-expiry", js(sts_ok()).replace(b"4102444800", b"1" + b"0" * 400))
        put(target, "string-expiry", sts_ok(ExpiredTime="4102444800"))
        put(target, "escaped", js(sts_ok()).replace(b"sts\xc2\xa4key", b"sts\\u00a4k\\u0065y"))
        put(target, "duplicate-keys", js(sts_ok()).replace(b'"Token":', '"Token":"x¤¤duplicate¤","Token":'.encode()))
        put(target, "truncated", js(sts_ok())[:60])
        put(target, "nested", b"[" * 10000)
        put(target, "nested-objects", b'{"Response":' * 200 + b"{}" + b"}" * 200)
        put(target, "null-credentials", {"Response": {"Credentials": None, "ExpiredTime": FAR}})
        put(target, "crlf-token", sts_ok(creds={"Token": "abc\r\nX-Evil: 1¤¤"}))
        put(target, "long-token", sts_ok(creds={"Token": "t¤" * 2100}))
        put(target, "empty", b"")
    errors = {
        "published-signature-failure": json.dumps(sts_error("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.", "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6"), indent=4).encode(),
        "web-identity-token-error": js(sts_error("InvalidParameter.WebIdentityTokenError", "fake message for tests", "00000000-0000-0000-0000-000000000003")),
        "signature-expire": js(sts_error("AuthFailure.SignatureExpire", "fake: signature expired", "00000000-0000-0000-0000-000000000004")),
        "role-not-exist": js(sts_error("InvalidParameter.RoleNotExist", "role not exist", "req-42")),
        "without-credentials": js({"Response": {"RequestId": "req-7"}}),
        "caller-identity": js({"Response": {"Type": "CAMUser", "AccountId": "1000262***", "UserId": "1000261***", "PrincipalId": "1000261****", "Arn": "qcs::cam:1000262***:uin/1000261***", "RequestId": "1c875b55-128b-4152-9e73-0984fd489ba2"}}),
        "long-message": js(sts_error("C" * 100, "m¤" * 400, "r" * 100)),
        "control-message": js(sts_error("Bad\nCode", "line\r\nX-Evil: 1", "r\x00")),
        "error-and-credentials": js({"Response": dict(sts_ok()["Response"], Error={"Code": "E¤¤code¤", "Message": "x"})}),
        "error-not-object": js({"Response": {"Error": "boom", "RequestId": "r"}}),
        "html": b"<html><body>502 Bad Gateway</body></html>",
    }
    for name, body in errors.items():
        put("sts_error_reply", name, body)
    put("sts_error_reply", "status-429", js(sts_error("RequestLimitExceeded", "slow down")), status=429)
    put("sts_error_reply", "status-500-text", b"internal error", status=500)
    put("sts_error_reply", "status-403-success-body", sts_ok(), status=403)


# --- metadata ------------------------------------------------------------

def cvm_seeds():
    published = b'{\n  "TmpSecretId": "AKIDoQMxF8OPg0gA7pyZIA6cW447p225cIt9NW8dhA1dwl5UvxxxxxxxxxUqRlEb5_",\n  "TmpSecretKey": "Q9z24VucjF4xQQNV64qwF6uWY71PEsH3exxxxxxxxxgA=",\n  "ExpiredTime": 1615590047,\n  "Expiration": "2021-03-12T23:00:47Z",\n  "Token": "xxxxxxxxxxx",\n  "Code": "Success"\n}'
    synth = b'{"TmpSecretId":"AKIDFAKEMETADATAID0000","TmpSecretKey":"FAKEMETADATAKEY0000","ExpiredTime":4102444800,"Expiration":"2100-01-01T00:00:00Z","Token":"FAKE-METADATA-TOKEN","Code":"Success"}'

    def put(name, body, now=NOW):
        if isinstance(body, (dict, list)):
            body = js(body)
        write("cvm_document", name, u64(now) + body)

    put("published", published, now=1615590000)
    put("published-expired", published)
    put("synthetic", synth)
    for case in cases():
        creds = ((case.get("emulator") or {}).get("metadata") or {}).get("creds")
        if isinstance(creds, dict):
            creds = dict(creds, ExpiredTime=expiry(creds.get("ExpiredTime")))
            put(case["id"], creds)
        elif isinstance(creds, str):
            put(case["id"], creds.encode())
    put("marked", doc())
    put("code-failed", doc(Code="Failed¤¤code"))
    put("code-only", {"Code": "InternalError"})
    put("expiry-string", doc(ExpiredTime="4102444800"))
    put("expiry-float", js(doc()).replace(b"4102444800", b"4102444800.0"))
    put("expiry-negative", js(doc()).replace(b"4102444800", b"-5"))
    put("expiry-huge", js(doc()).replace(b"4102444800", b"99999999999999999999999"))
    put("expiry-year-10000", doc(ExpiredTime=253402300800))
    put("token-number", doc(Token=12345))
    put("token-empty", doc(Token=""))
    put("token-crlf", doc(Token="tok\r\nX-Evil: 1¤¤"))
    put("escaped", js(doc()).replace(b"meta\xc2\xa4key", b"meta\\u00a4k\\u0065y"))
    put("duplicate-keys", js(doc()).replace(b'"Token":', '"Token":"x¤¤duplicate¤","Token":'.encode()))
    put("nested", b"[" * 10000)
    put("truncated", js(doc())[:50])
    put("long-token", doc(Token="t¤" * 2100))
    put("empty", b"")

    roles = {
        "published": b"CVMas",
        "newline": b"roleA\n",
        "slash": b"../../user-data",
        "several": b"\n\n  role-b \r\nrole-c\n",
        "too-long": b"r" * 129,
        "longest": b"r" * 128,
        "marked": "role¤¤secret¤name".encode(),
        "empty": b"",
        "spaces": b"  \n\t\n",
        "invalid-utf8": b"role\xff",
        "nul": b"ro\x00le",
        "query": b"role?x=1#y",
    }
    for name, body in roles.items():
        write("cvm_role_list", name, body)


# --- TKE token file ------------------------------------------------------

def tke_seeds():
    files = {
        "jwt": b"header.payload.sig\n",
        "published-like": b"eyJraWQiOiJkT**********CNOQ",
        "marked": "eyJ¤¤token¤secret¤value\n".encode(),
        "empty": b"",
        "newline": b"\n",
        "spaces": b" \t\r\n ",
        "invalid-utf8": b"eyJ\xff\xfe",
        "nul": "eyJ\x00¤¤token\x00secret".encode(),
        "crlf-inside": "tok¤¤en\r\nX-Evil: 1".encode(),
        "longest": b"t" * 4096,
        "too-long": b"t" * 4097,
        "escapes": "\x01¤".encode() * 1000,
    }
    for name, content in files.items():
        write("tke_token_file", name, content)


# --- signers -------------------------------------------------------------

PAYLOAD = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
ID_A, KEY_A = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
ID_B, KEY_B = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", "Gu5t9xGARNpq86cd98joQYCN3*******"
ID_C, KEY_C = "AKID" + "*" * 32, "*" * 32


def tc3(id_, key, method, path, query, host, ctype, service, ts, extra, choice, body):
    out = b"".join(blob(x) for x in [id_, key, method, path, query, host, ctype, service])
    out += u64(ts) + bytes([len(extra)])
    for name, value in extra:
        out += blob(name) + blob(value)
    return out + bytes([choice]) + body


def signer_seeds():
    host, ctype, ts = "cvm.tencentcloudapi.com", "application/json; charset=utf-8", 1551113065
    action = [("X-TC-Action", "DescribeInstances")]
    seeds = {
        "vector-a": tc3(ID_A, KEY_A, "POST", "/", "", host, ctype, "cvm", ts, [], 0, PAYLOAD),
        "vector-b": tc3(ID_B, KEY_B, "POST", "/", "", host, ctype, "cvm", ts, action, 0, PAYLOAD),
        "vector-c": tc3(ID_C, KEY_C, "POST", "/", "", host, ctype, "cvm", ts, action, 0, PAYLOAD),
        "get": tc3(ID_A, KEY_A, "GET", "/", "Limit=10&Offset=0", host, "application/x-www-form-urlencoded", "cvm", ts, [], 0, b""),
        "unsigned": tc3(ID_A, KEY_A, "POST", "/", "", host, ctype, "cvm", ts, [], 2, b""),
        "hashed": tc3(ID_A, KEY_A, "POST", "/", "", host, ctype, "cvm", ts, [], 1, bytes(range(32))),
        "marked-key": tc3(ID_A, "key¤¤secret¤value", "POST", "/", "", host, ctype, "cvm", ts, action, 0, b"{}"),
        "long-key": tc3(ID_A, "k¤" * 40, "POST", "/", "", host, ctype, "cvm", 0, [], 0, b""),
        "duplicate-header": tc3(ID_A, KEY_A, "POST", "/", "", host, ctype, "cvm", ts, [("HOST", "x")], 0, b""),
        "crlf-value": tc3(ID_A, KEY_A, "POST", "/", "", host, "a\r\nX-Evil: 1", "cvm", ts, [], 0, b""),
        "bad-name": tc3(ID_A, KEY_A, "POST", "/", "", host, ctype, "cvm", ts, [("x y", "v")], 0, b""),
        "bad-path": tc3(ID_A, KEY_A, "POST", "a b", "", host, ctype, "cvm", ts, [], 0, b""),
        "bad-service": tc3(ID_A, KEY_A, "POST", "/", "", host, ctype, "c/vm", ts, [], 0, b""),
        "empty-id": tc3(" ", KEY_A, "POST", "/", "", host, ctype, "cvm", ts, [], 0, b""),
        "long-id": tc3("A" * 400, KEY_A, "POST", "/", "", host, ctype, "cvm", ts, [], 0, b""),
        "max-time": tc3(ID_A, KEY_A, "POST", "/", "", host, ctype, "cvm", (1 << 64) - 1, [], 0, b""),
        "mixed-case": tc3(ID_A, KEY_A, "GET", "/", "", host, "Application/JSON ", "cvm", ts, [("X-TC-Region", " AP-Guangzhou ")], 0, b""),
    }
    for name, data in seeds.items():
        write("sign_tc3", name, data)

    def api(service, host_, action_, version, region, method, ctype_, query, ts_, flags, language=None, cred=None, body=b""):
        out = b"".join(blob(x) for x in [service, host_, action_, version, region, method, ctype_, query])
        out += u64(ts_) + bytes([flags])
        if language is not None:
            out += blob(language)
        if cred is not None:
            out += b"".join(blob(x) for x in cred)
        return out + body

    a = (ID_A, KEY_A, "")
    heads = {
        "vector-a": api("cvm", host, "DescribeInstances", "2017-03-12", "ap-guangzhou", "POST", ctype, "", ts, 4, cred=a, body=PAYLOAD),
        "vector-c": api("cvm", host, "DescribeInstances", "2017-03-12", "ap-guangzhou", "POST", ctype, "", ts, 4 | 2, cred=(ID_C, KEY_C, ""), body=PAYLOAD),
        "skip": api("sts", "sts.tencentcloudapi.com", "AssumeRoleWithWebIdentity", "2018-08-13", "ap-guangzhou", "POST", "application/json", "", 1659944952, 0, body=b"{}"),
        "token-language": api("cvm", host, "describeInstances", "2017-03-12", "", "POST", ctype, "", ts, 4 | 1, language="zh-CN", cred=(ID_A, "key¤¤secret¤value", "tok¤¤secret¤token"), body=b"{}"),
        "unsigned": api("cos", host, "PutObject", "2017-03-12", "ap-guangzhou", "POST", ctype, "", ts, 4 | (2 << 3), cred=a),
        "crlf-region": api("cvm", host, "DescribeInstances", "2017-03-12", "ap\r\nX: 1", "POST", ctype, "", ts, 4, cred=a),
        "empty-action": api("cvm", host, "", "2017-03-12", "ap-guangzhou", "POST", ctype, "", ts, 0),
        "long-action": api("cvm", host, "a" * 129, "2017-03-12", "", "POST", ctype, "", ts, 0),
        "sharp-s-action": api("cvm", host, "ß" * 64, "2017-03-12", "", "POST", ctype, "", ts, 0),
        "get": api("cvm", host, "DescribeInstances", "2017-03-12", "ap-guangzhou", "GET", "application/x-www-form-urlencoded", "Limit=10&Offset=0", ts, 4, cred=a),
    }
    for name, data in heads.items():
        write("sign_headers", name, data)

    def v1(alg, key, method, host_, path, params, rotation=0):
        out = bytes([alg]) + blob(key) + blob(method) + blob(host_) + blob(path) + bytes([len(params)])
        for k, v in params:
            out += blob(k) + blob(v)
        return out + bytes([rotation])

    params = [("Action", "DescribeInstances"), ("InstanceIds.0", "ins-09dx96dg"), ("Limit", "20"), ("Nonce", "11886"), ("Offset", "0"), ("Region", "ap-guangzhou"), ("SecretId", ID_A), ("Timestamp", "1465185768"), ("Version", "2017-03-12")]
    legacy = {
        "v1-a": v1(0, KEY_A, "GET", host, "/", params),
        "v1-b": v1(0, KEY_B, "GET", host, "/", [(k, ID_B if k == "SecretId" else v) for k, v in params], 3),
        "v1-c": v1(0, KEY_C, "GET", host, "/", [(k, ID_C if k == "SecretId" else v) for k, v in params], 5),
        "hmac-sha256": v1(1, KEY_A, "GET", host, "/", params + [("SignatureMethod", "HmacSHA256")], 7),
        "post": v1(0, KEY_A, "POST", host, "/", params, 1),
        "underscores": v1(1, "k", "GET", "h", "/", [("A_b", "x"), ("A.a", "y"), ("Ab", "z"), ("A", "w"), ("A_b", "a"), ("A.b", "x")], 2),
        "empty": v1(0, "", "", "", "", []),
        "unicode": v1(1, "key¤¤secret", "GET", "h", "/", [("ü", "ß"), ("_", "."), (".", "_")], 9),
    }
    for name, data in legacy.items():
        write("sign_legacy", name, data)


# --- machines ------------------------------------------------------------

def env_script(values, names):
    s = Script()
    for name in names:
        value = values.get(name)
        s.env(value)
        if name == "TENCENTCLOUD_SESSION_TOKEN" and value:
            break
    return s


ENV_NAMES = ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_TOKEN"]
TKE_NAMES = ["TKE_REGION", "TKE_PROVIDER_ID", "TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_IDENTITY_TOKEN_FILE", "TKE_ROLE_ARN", "TKE_ROLE_SESSION_NAME"]


def tke_answers(s, values, token_file=None, reply=None):
    for name in TKE_NAMES:
        if name == "TKE_IDENTITY_TOKEN_FILE" and values.get("TKE_WEB_IDENTITY_TOKEN_FILE"):
            continue
        s.env(values.get(name))
    if token_file is not None:
        s.file(token_file)
        s.env(None)  # TENCENTCLOUD_STS_ENDPOINT
        if reply is not None:
            s.http(200, reply)
    return s


def machine_seeds():
    # machine_env
    for case in cases():
        if case["id"].startswith("env-"):
            values = case.get("env") or {}
            write("machine_env", case["id"], u64(NOW) + env_script(values, ENV_NAMES).out)
    marked = {"TENCENTCLOUD_SECRET_ID": "AKIDmarked", "TENCENTCLOUD_SECRET_KEY": "key¤¤secret¤value", "TENCENTCLOUD_SESSION_TOKEN": "tok¤¤secret\r\n¤token"}
    write("machine_env", "marked", u64(NOW) + env_script(marked, ENV_NAMES).out)
    s = Script().env("AKID1").env(False).env(None).env("t" * 4097)
    write("machine_env", "not-unicode-and-long", u64(NOW) + s.out)
    s = Script().env("AKID1").wrong(3).poll().finish().env("a").env("b").env(None).env(None)
    write("machine_env", "wrong-answer-then-run", u64(NOW) + s.out)

    # machine_profile (flags 0: both variables are asked)
    for case in cases():
        if not case["id"].startswith("profile-"):
            continue
        values = case.get("env") or {}
        files = case.get("files") or {}
        s = Script()
        path = values.get("TENCENTCLOUD_CREDENTIALS_FILE")
        s.env(path.replace("{tmp}", "/tmp/fuzz") if path else None)
        s.env(values.get("TENCENTCLOUD_PROFILE"))
        content = files.get("cred") or files.get("home/.tencentcloud/credentials")
        if content is None:
            s.file(None, 0)
            if not path:
                s.file(None, 0)
        else:
            s.file(file_bytes(content))
        write("machine_profile", case["id"], bytes([0]) + u64(NOW) + s.out)
    s = Script().env(None).env(None).file(None, 1).file("[default]\nsecret_id=AKID1\nsecret_key=key¤¤secret¤value\n".encode())
    write("machine_profile", "no-home-system-file", bytes([0]) + u64(NOW) + s.out)
    s = Script().file(None, 2)
    write("machine_profile", "given-file-denied", bytes([3]) + blob("/etc/x¤¤path") + blob("work") + u64(NOW) + s.out)
    s = Script().env("/p").env(False)
    write("machine_profile", "profile-not-unicode", bytes([0]) + u64(NOW) + s.out)

    # machine_cvm (flags: bit 0 in chain)
    for case in cases():
        meta = (case.get("emulator") or {}).get("metadata")
        if not meta or not case["id"].startswith("cvm-"):
            continue
        in_chain = 1 if "chain" in case["id"] else 0
        s = Script()
        if in_chain:
            s.env(None)
        s.env(None)
        roles = meta.get("roles")
        if roles is None:
            s.http(404, b"")
        else:
            s.http(200, roles.encode())
            creds = meta.get("creds")
            if isinstance(creds, dict):
                creds = dict(creds, ExpiredTime=expiry(creds.get("ExpiredTime")))
                s.http(200, creds)
            elif isinstance(creds, str):
                s.http(200, creds.encode())
        write("machine_cvm", case["id"], bytes([in_chain]) + u64(NOW) + s.out)
    s = Script().env(None).fail(2).slept().http(503).slept().http(200, b"roleA").fail(0).slept().http(200, doc())
    write("machine_cvm", "retries", bytes([0]) + u64(NOW) + s.out)
    s = Script().env(" TRUE ")
    write("machine_cvm", "disabled", bytes([1]) + u64(NOW) + s.out)
    s = Script().env(None).env("http://127.0.0.1:8080/").fail(0)
    write("machine_cvm", "chain-refused", bytes([1]) + u64(NOW) + s.out)
    s = Script().http(200, doc()).http(404).http(200, b"roleB").http(200, doc(Code="Failed"))
    write("machine_cvm", "given-role-endpoint", bytes([6]) + blob("roleA") + blob("http://10.0.0.1") + u64(NOW) + s.out)
    s = Script().env("ftp://x").finish().env(None).clock(FAR + 1).http(200, b"r").http(200, doc())
    write("machine_cvm", "bad-endpoint-expired", bytes([0]) + u64(NOW) + s.out)

    # machine_sts
    def sts_head(key="long¤¤term¤key", token="", flags=0, extra=b""):
        return (blob("AKIDlongterm") + blob(key) + blob(token) + blob("qcs::cam::uin/100000000001:roleName/reader")
                + blob("nightly-job") + bytes([flags]) + extra)

    write("machine_sts", "basic", sts_head() + u64(NOW) + Script().env(None).http(200, sts_ok()).out)
    for case in cases():
        reply = ((case.get("emulator") or {}).get("sts") or {}).get("reply")
        if reply and case["id"].startswith("sts-"):
            write("machine_sts", case["id"], sts_head() + u64(NOW) + Script().env(None).http(200, reply).out)
    write("machine_sts", "token-policy-region", sts_head(token="src¤¤token¤secret", flags=1 | 2 | 4 | 8, extra=u64(3600) + blob("%7B%22version%22%3A%222.0%22%7D") + blob("ext¤¤id¤secret") + blob("ap-shanghai")) + u64(NOW) + Script().env("sts.internal.tencentcloudapi.com").http(200, sts_ok()).out)
    write("machine_sts", "endpoint-given", sts_head(flags=16, extra=blob("http://127.0.0.1:9")) + u64(NOW) + Script().fail(2).out)
    write("machine_sts", "bad-endpoint-variable", sts_head() + u64(NOW) + Script().env("https://x/path").out)
    write("machine_sts", "duration-too-long", sts_head(flags=1, extra=u64(50000)) + u64(NOW))
    write("machine_sts", "status-500", sts_head() + u64(NOW) + Script().env(None).http(500, b"oops").out)

    # machine_oidc
    def oidc_head(token="eyJ¤¤web¤identity¤token", flags=0, extra=b""):
        return (blob("ap-guangzhou") + blob("OIDC") + blob(token) + blob("qcs::cam::uin/7989:roleName/OneLogin-Role")
                + blob("test_OIDC") + bytes([flags]) + extra)

    write("machine_oidc", "basic", oidc_head() + u64(NOW) + Script().env(None).http(200, sts_ok()).out)
    write("machine_oidc", "api-error", oidc_head() + u64(NOW) + Script().env(None).http(200, sts_error("InvalidParameter.WebIdentityTokenError", "fake message for tests")).out)
    write("machine_oidc", "duration-endpoint", oidc_head(flags=3, extra=u64(1800) + blob("sts.internal.tencentcloudapi.com")) + u64(NOW) + Script().http(200, sts_ok()).out)
    write("machine_oidc", "escaped-token", oidc_head(token="\"\\\n\x00é😀¤¤" * 20) + u64(NOW) + Script().env(None).http(200, sts_ok()).out)
    write("machine_oidc", "empty-region", blob("") + blob("OIDC") + blob("t") + blob("arn") + blob("s1") + bytes([0]) + u64(NOW))

    # machine_tke
    for case in cases():
        if not case["id"].startswith("tke-"):
            continue
        values = case.get("env") or {}
        token = (case.get("files") or {}).get("token")
        s = tke_answers(Script(), values, token.encode() if token is not None else None, sts_ok())
        write("machine_tke", case["id"], bytes([0]) + u64(NOW) + s.out)
    values = {"TKE_REGION": "ap-shanghai", "TKE_PROVIDER_ID": "tke-oidc-provider", "TKE_IDENTITY_TOKEN_FILE": "/var/run/token", "TKE_ROLE_ARN": "qcs::cam::uin/1:roleName/r", "TKE_ROLE_SESSION_NAME": "my-session"}
    s = tke_answers(Script(), values, "eyJ¤¤token¤secret\n".encode(), sts_error("InvalidParameter.WebIdentityTokenError", "bad token"))
    write("machine_tke", "alias-and-session", bytes([0]) + u64(NOW) + s.out)
    s = Script().env(None).env(False).env("/t").env("arn").env(None)
    write("machine_tke", "not-unicode", bytes([0]) + u64(NOW) + s.out)
    s = tke_answers(Script(), dict(values, TKE_WEB_IDENTITY_TOKEN_FILE="/t"), None).file(None, 2)
    write("machine_tke", "file-denied", bytes([1]) + blob("sts.tencentcloudapi.com") + u64(NOW) + s.out)

    # machine_chain: env (4), profile (2 variables, home, system), TKE (6), CVM
    def chain(env=None, profile_file=None, tke=None, token=None, cvm=None):
        s = env_script(env or {}, ENV_NAMES)
        if env and env.get("TENCENTCLOUD_SECRET_ID") and env.get("TENCENTCLOUD_SECRET_KEY"):
            return s
        if env and (env.get("TENCENTCLOUD_SECRET_ID") or env.get("TENCENTCLOUD_SECRET_KEY")):
            return s
        s.env(None).env(None)
        if profile_file is not None:
            return s.file(profile_file)
        s.file(None, 0).file(None, 0)
        tke_answers(s, tke or {}, token, sts_ok())
        if tke:
            return s
        s.env(None).env(None)
        for answer in cvm or []:
            answer(s)
        return s

    for case in cases():
        if not case["id"].startswith("chain-"):
            continue
        values = case.get("env") or {}
        files = case.get("files") or {}
        env = {k: v for k, v in values.items() if k.startswith("TENCENTCLOUD_")}
        tke = {k: v for k, v in values.items() if k.startswith("TKE_")}
        home = files.get("home/.tencentcloud/credentials")
        token = files.get("token")
        s = chain(env, home.encode() if home and not env else None, tke, token.encode() if token else None)
        write("machine_chain", case["id"], u64(NOW) + s.out)
    s = chain(cvm=[lambda s: s.http(200, b"roleA"), lambda s: s.http(200, doc())])
    write("machine_chain", "cvm-answers", u64(NOW) + s.out)
    s = chain(cvm=[lambda s: s.fail(0)])
    write("machine_chain", "nothing-refused", u64(NOW) + s.out)
    s = chain(env={"TENCENTCLOUD_SECRET_ID": "AKID1", "TENCENTCLOUD_SECRET_KEY": "key¤¤secret\n¤value"})
    write("machine_chain", "env-bad-key", u64(NOW) + s.out)
    s = Script().env(None).env(None).env(None).env(None).env(None).env(None).file("[default]\nsecret_id = a¤¤b¤c¤d\nsecret_key = key¤¤secret¤value\nbad¤¤line¤here\n".encode())
    write("machine_chain", "profile-bad-line", u64(NOW) + s.out)


def main():
    profile_seeds()
    sts_seeds()
    cvm_seeds()
    tke_seeds()
    signer_seeds()
    machine_seeds()
    for target in sorted(os.listdir(os.path.join(HERE, "corpus"))):
        folder = os.path.join(HERE, "corpus", target)
        files = os.listdir(folder)
        size = sum(os.path.getsize(os.path.join(folder, f)) for f in files)
        print(f"{target:24} {len(files):4} files {size:8} bytes")


if __name__ == "__main__":
    main()
