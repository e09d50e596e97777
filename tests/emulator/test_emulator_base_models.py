"""Base-model deployments in the emulator: QuickStart create, states, offline update, refusals, delete order."""

from __future__ import annotations

import pytest
import requests

from support.seed import SUPPORT

API = "/api/serverless-infer/v1"
AUTH = {"Authorization": "plain Credential=demo-ak,Signature=demo-sk"}
BODY = {"vksId": "vks-1", "namespace": "ns-a", "name": "qwen-base", "servedName": ["qwen"], "modelId": "qwen2-7b",
        "backend": "vllm", "backendVersion": "0.6.3", "backendArgs": ["--max-model-len=4096"],
        "resource": {"workers": 2, "cpu": "8", "mem": "32Gi", "gpu": {"count": 1, "gpuType": "A100"}}}


def call(emulator, method, path, body=None):
    return requests.request(method, emulator.url + API + path, json=body, headers=AUTH, timeout=10)


def create(emulator, **changes):
    answer = call(emulator, "POST", "/deployment", {**BODY, **changes})
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]["serviceId"]


def read(emulator, sid):
    return call(emulator, "GET", f"/deployment/{sid}").json()["data"]


def test_base_create_starts_then_runs_and_shows_the_base_fields(emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0)
    sid = create(emulator)
    data = read(emulator, sid)
    assert data["status"] == "running" and data["vksId"] == "vks-1" and data["mode"] == "quickStart"
    assert data["quickStart"] == {k: BODY[k] for k in ("backend", "backendVersion", "backendArgs", "resource")}
    assert [i["baseModelReady"] for i in data["instance"]] == [True, True]  # one instance per worker
    assert "baseServiceId" not in data


def test_a_new_base_is_starting_until_its_startup_time_passes(emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=600.0)
    sid = create(emulator)
    assert read(emulator, sid)["status"] == "starting"
    assert read(emulator, sid)["instance"][0]["baseModelReady"] is False


def test_more_gpus_than_the_cluster_has_fails_while_starting(emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0, gpu_capacity=2)
    sid = create(emulator, resource={**BODY["resource"], "gpu": {"count": 3, "gpuType": "A100"}})
    assert read(emulator, sid)["status"] == "failed"


@pytest.mark.parametrize("change,words", [
    ({"backend": "tgi"}, "backend"), ({"resource": {"gpu": {"count": 0}}}, "gpu.count"),
    ({"resource": {"gpu": {"count": "1"}}}, "gpu.count"), ({"vksId": ""}, "missing fields: vksId"),
    ({"servedName": "qwen"}, "servedName")])
def test_bad_base_bodies_are_400_naming_the_field(emulator, change, words):
    answer = call(emulator, "POST", "/deployment", {**BODY, **change})
    assert answer.status_code == 400 and words in answer.json()["msg"]


def test_a_base_name_is_unique_in_its_namespace(emulator):
    create(emulator)
    taken = call(emulator, "POST", "/deployment", BODY)
    assert taken.status_code == 400 and "already taken" in taken.json()["msg"]
    create(emulator, namespace="ns-b")


def test_lora_on_a_base_that_is_not_running_is_refused(emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=600.0)
    sid = create(emulator)
    lora = {"baseServiceId": sid, "modelId": "lora-x", "name": "x-lora", "servedName": ["x"]}
    answer = call(emulator, "POST", "/deployment/lora", lora)
    assert answer.status_code == 400 and "starting, not running" in answer.json()["msg"]


def test_base_update_is_offline_only_and_restarts_it(emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0)
    sid = create(emulator)
    changed = {**BODY, "backendVersion": "0.7.0"}
    refused = call(emulator, "PUT", f"/deployment/{sid}", changed)
    assert refused.status_code == 400 and "stop it before updating" in refused.json()["msg"]
    assert call(emulator, "POST", f"/deployment/{sid}/cancel").ok
    assert call(emulator, "PUT", f"/deployment/{sid}", changed).ok
    data = read(emulator, sid)
    assert data["quickStart"]["backendVersion"] == "0.7.0" and data["status"] == "running"


def test_put_on_a_lora_path_is_not_a_base_update(emulator):
    assert call(emulator, "PUT", f"/deployment/{SUPPORT}", BODY).status_code == 404


def test_deleting_a_base_that_carries_loras_is_refused_until_they_are_gone(emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0)
    sid = create(emulator)
    read(emulator, sid)  # running now
    lora = call(emulator, "POST", "/deployment/lora",
                {"baseServiceId": sid, "modelId": "lora-x", "name": "x-lora", "servedName": ["x"]}).json()
    lora_id = lora["data"]["serviceId"]
    refused = call(emulator, "DELETE", f"/deployment/{sid}")
    assert refused.status_code == 400 and lora_id in refused.json()["msg"]
    assert read(emulator, sid)["status"] == "running"
    assert call(emulator, "DELETE", f"/deployment/{lora_id}").ok
    assert call(emulator, "DELETE", f"/deployment/{sid}").ok
    assert call(emulator, "GET", f"/deployment/{sid}").status_code == 404


def test_the_request_log_names_the_status_each_read_showed(emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0)
    sid = create(emulator)
    emulator.clear_requests()
    read(emulator, sid)
    assert [e["deploymentStatus"] for e in emulator.requests(sid, "GET")] == ["running"]
