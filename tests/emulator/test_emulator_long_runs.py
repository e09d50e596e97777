"""What keeps one emulator process flat over a long run (benchmarks/soak.py measures it): nothing it keeps
per request or per deployment grows without bound."""

from __future__ import annotations

import requests

from pulumi_alaya.emulator.throttle import Throttle

API = "/api/serverless-infer/v1"
AUTH = {"Authorization": "plain Credential=demo-ak,Signature=demo-sk"}
BODY = {"baseServiceId": "base-qwen2-7b", "modelId": "m", "name": "reused-name", "servedName": ["s"]}


def test_a_deleted_deployment_is_forgotten_once_gone_even_if_never_read_again(emulator):
    emulator.set_timing(0, 0)
    for _ in range(3):  # each create finds the last one's name free: the deleted one was dropped, not kept
        created = requests.post(emulator.url + API + "/deployment/lora", json=BODY, headers=AUTH, timeout=10)
        assert created.status_code == 200, created.text
        sid = created.json()["data"]["serviceId"]
        assert requests.delete(f"{emulator.url}{API}/deployment/{sid}", headers=AUTH, timeout=10).status_code == 200


def test_come_back_times_are_kept_for_a_bounded_number_of_requests():
    throttle = Throttle()
    for n in range(10_050):
        throttle.told("ak", "GET", f"/deployment/{n}", b"", 600)
    assert len(throttle._told) <= 10_000
    assert throttle.report()["answered429"] == 10_050
