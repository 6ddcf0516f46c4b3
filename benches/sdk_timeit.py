#!/usr/bin/env python3
"""Times the official Tencent Cloud Python SDK building and signing the small
request that `examples/perf_report.rs` signs (`sign_small_ns`, `build_small_ns`).

Set-up (once):  python3 -m venv .venv-oracle
                .venv-oracle/bin/pip install tencentcloud-sdk-python-common
Run:            .venv-oracle/bin/python benches/sdk_timeit.py

Prints one JSON line: the SDK version, the median nanoseconds per request
over several timeit repeats, and the Authorization header the SDK produced,
which must equal the one `tccred sign` prints for the same request.
"""
import json
import statistics
import timeit

import tencentcloud
from tencentcloud.common import abstract_client
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.credential import Credential
from tencentcloud.common.http.request import RequestInternal
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

# The request of benches/common/mod.rs: POST to cvm, body {"Limit": 10, "Offset": 0}.
SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
TIMESTAMP = 1551113065
HOST = "cvm.tencentcloudapi.com"
PARAMS = {"Limit": 10, "Offset": 0}


def make_client():
    profile = ClientProfile(signMethod="TC3-HMAC-SHA256",
                            httpProfile=HttpProfile(endpoint=HOST, reqMethod="POST"))
    return CommonClient("cvm", "2017-03-12", Credential(SECRET_ID, SECRET_KEY), "",
                        profile=profile)


def build_and_sign(client):
    request = RequestInternal(HOST, "POST", "/", header={})
    client._build_req_inter("DescribeInstances", PARAMS, request, {})
    return request


def main():
    # The SDK reads the time and a nonce itself: fix both, as a test would.
    abstract_client.time.time = lambda: TIMESTAMP
    abstract_client.random.randint = lambda low, high: 11886
    client = make_client()
    signed = build_and_sign(client)

    number, repeats = 2000, 15
    times = timeit.repeat(lambda: build_and_sign(client), number=number, repeat=repeats)
    per_request_ns = [t / number * 1e9 for t in times]
    print(json.dumps({
        "sdk": "tencentcloud-sdk-python-common " + tencentcloud.__version__,
        "build_and_sign_ns": round(statistics.median(per_request_ns)),
        "fastest_ns": round(min(per_request_ns)),
        "body": signed.data if isinstance(signed.data, str) else signed.data.decode(),
        "authorization": signed.header["Authorization"],
    }))


if __name__ == "__main__":
    main()
