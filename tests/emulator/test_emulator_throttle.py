"""The emulator's rate-limit mode: a token bucket per access key, 429 with Retry-After, early arrivals counted."""

from __future__ import annotations

import subprocess
import sys

import requests

from pulumi_alaya.emulator import start_emulator

from support.seed import SUMMARY, SUPPORT

API = "/api/serverless-infer/v1"
AUTH = {"Authorization": "plain Credential=demo-ak,Signature=demo-sk"}


def get(emulator, service_id):
    return requests.get(f"{emulator.url}{API}/deployment/{service_id}", headers=AUTH, timeout=10)


def test_an_empty_bucket_answers_429_with_retry_after_in_the_api_error_shape(emulator):
    emulator.set_rate_limit(1, burst=2)
    assert [get(emulator, SUPPORT).status_code for _ in range(2)] == [200, 200]
    refused = get(emulator, SUPPORT)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    assert refused.json()["code"] == -1 and refused.json()["msg"]
    assert emulator.throttling()["answered429"] == 1


def test_a_request_back_before_its_retry_after_is_counted_early_and_others_inside_the_window(emulator):
    emulator.set_rate_limit(1, burst=1)
    get(emulator, SUPPORT)
    assert get(emulator, SUPPORT).status_code == 429
    get(emulator, SUPPORT)  # the same request again at once: early
    get(emulator, SUMMARY)  # another request of the key while it was told to wait
    throttling = emulator.throttling()
    assert throttling["early"] == 1 and throttling["earlyRequests"][0]["path"] == f"/deployment/{SUPPORT}"
    assert throttling["insideWindow"] == 2


def test_an_injected_429_is_a_come_back_time_too(emulator):
    emulator.set_faults({SUPPORT: {"times": 1, "status": 429, "retry_after": 30}})
    assert get(emulator, SUPPORT).status_code == 429
    assert get(emulator, SUPPORT).status_code == 200
    assert emulator.throttling()["early"] == 1


def test_reset_returns_to_the_rate_the_emulator_started_with():
    with start_emulator(rate_limit=1) as emulator:
        emulator.set_rate_limit(0)
        assert [get(emulator, SUPPORT).status_code for _ in range(3)] == [200, 200, 200]
        emulator.reset()
        assert emulator.throttling()["rate"] == 1.0 and emulator.throttling()["answered429"] == 0
        assert [get(emulator, SUPPORT).status_code for _ in range(2)] == [200, 429]


def test_a_negative_rate_is_a_usage_error_in_one_line():
    run = subprocess.run([sys.executable, "-m", "pulumi_alaya.cli", "emulator", "--rate-limit", "-1"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "--rate-limit must be" in run.stderr and "Traceback" not in run.stderr
