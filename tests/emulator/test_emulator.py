"""The emulator as a product: documented endpoints, auth, errors, transitions, OpenAI-style model endpoints."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import requests

from pulumi_alaya.emulator import start_emulator

from support.seed import SUPPORT, SUPPORT_KEY

API = "/api/serverless-infer/v1"
AUTH = {"Authorization": "plain Credential=demo-ak,Signature=demo-sk"}


def call(emulator, method, path, body=None, headers=AUTH):
    return requests.request(method, emulator.url + API + path, json=body, headers=headers, timeout=10)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "plain Credential=demo-ak,Signature=nope"},
                                     {"Authorization": "Bearer demo-sk"}])
def test_wrong_or_missing_auth_is_401_in_the_envelope(emulator, headers):
    answer = call(emulator, "GET", f"/deployment/{SUPPORT}", headers=headers)
    assert answer.status_code == 401 and answer.json()["code"] == -1 and answer.json()["msg"]


def test_lora_lifecycle_create_cancel_update_delete(emulator):
    body = {"baseServiceId": "base-qwen2-7b", "modelId": "lora-x", "name": "x-lora", "servedName": ["x"]}
    created = call(emulator, "POST", "/deployment/lora", body).json()
    assert created["code"] == 0 and set(created["data"]) == {"serviceId"}
    sid = created["data"]["serviceId"]
    assert call(emulator, "GET", f"/deployment/{sid}").json()["data"]["status"] == "starting"
    assert call(emulator, "PUT", f"/deployment/lora/{sid}", body).status_code == 400  # only offline
    assert call(emulator, "POST", f"/deployment/{sid}/cancel").json()["code"] == 0
    assert call(emulator, "GET", f"/deployment/{sid}").json()["data"]["status"] == "stopped"
    updated = call(emulator, "PUT", f"/deployment/lora/{sid}", {**body, "servedName": ["x2"]})
    assert updated.status_code == 200
    data = call(emulator, "GET", f"/deployment/{sid}").json()["data"]
    assert data["status"] == "starting" and data["servedName"] == ["x2"]
    emulator.set_timing(3.0, 0.0)  # no stopping phase (test_lifecycle covers it)
    assert call(emulator, "DELETE", f"/deployment/{sid}").status_code == 200
    gone = call(emulator, "GET", f"/deployment/{sid}")
    assert gone.status_code == 404 and gone.json() == {"code": -1, "data": None, "msg": f"deployment {sid} not found"}


@pytest.mark.parametrize("path,body", [("/deployment/lora", {"name": "only"}), ("/deployment", {"name": "x"}),
                                       ("/deployment/lora", {"baseServiceId": "nope", "modelId": "m", "name": "n",
                                                             "servedName": ["s"]})])
def test_bad_bodies_are_400_with_a_message(emulator, path, body):
    answer = call(emulator, "POST", path, body)
    assert answer.status_code == 400 and answer.json()["code"] == -1 and answer.json()["msg"]


def test_base_model_deploy_returns_a_service_id(emulator):
    body = {"vksId": "vks-1", "namespace": "ns", "name": "base", "servedName": ["b"], "modelId": "qwen",
            "backend": "vllm", "resource": {"workers": 1, "gpu": {"count": 1, "gpuType": "A100"}}}
    answer = call(emulator, "POST", "/deployment", body).json()
    assert answer["code"] == 0 and call(emulator, "GET", f"/deployment/{answer['data']['serviceId']}").ok


def test_model_endpoint_checks_the_apikey_header_and_model(emulator):
    url = f"{emulator.url}/svc/{SUPPORT}/v1"
    chat = {"model": "support-bot", "messages": [{"role": "user", "content": "hi"}]}
    assert requests.post(url + "/chat/completions", json=chat, timeout=10).status_code == 401
    assert requests.post(url + "/chat/completions", json=chat, timeout=10,
                         headers={"Authorization": f"Bearer {SUPPORT_KEY}"}).status_code == 401
    wrong_model = requests.post(url + "/chat/completions", json={**chat, "model": "other"},
                                headers={"apiKey": SUPPORT_KEY}, timeout=10)
    assert wrong_model.status_code == 404 and wrong_model.json()["error"]["code"] == "model_not_found"
    answer = requests.post(url + "/chat/completions", json=chat, headers={"apiKey": SUPPORT_KEY}, timeout=10).json()
    assert answer["object"] == "chat.completion" and answer["choices"][0]["message"]["role"] == "assistant"
    models = requests.get(url + "/models", headers={"apiKey": SUPPORT_KEY}, timeout=10).json()
    assert [m["id"] for m in models["data"]] == ["support-bot"]


def test_starting_deployment_becomes_running_over_time(emulator):
    emulator.add_deployments({"serviceId": "timed", "status": "starting", "startupSeconds": 0})
    assert call(emulator, "GET", "/deployment/timed").json()["data"]["status"] == "running"


def test_failing_deployment_ends_failed(emulator):
    emulator.add_deployments({"serviceId": "doomed", "status": "starting", "startupSeconds": 0, "willFail": True})
    assert call(emulator, "GET", "/deployment/doomed").json()["data"]["status"] == "failed"


def test_state_file_seeds_and_records_changes(tmp_path):
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"accessKey": "k1", "secretKey": "s1",
                                 "deployments": [{"serviceId": "only-one", "servedName": ["m"]}]}))
    with start_emulator(state=str(state)) as emulator:
        assert emulator.secret_key == "s1"
        auth = {"Authorization": "plain Credential=k1,Signature=s1"}
        assert call(emulator, "GET", "/deployment/only-one", headers=auth).ok
        assert call(emulator, "DELETE", "/deployment/only-one", headers=auth).ok
    assert json.loads(state.read_text())["deployments"] == []


def test_cli_starts_the_emulator_and_prints_where_it_listens():
    process = subprocess.Popen([sys.executable, "-u", "-m", "pulumi_alaya.cli", "emulator", "--port", "0"],
                               stdout=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        assert first.startswith("alaya emulator listening on http://127.0.0.1:")
        url = first.rsplit(" ", 1)[1].strip()
        assert requests.get(url + "/_emulator/health", timeout=10).json()["ok"] is True
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def test_importing_the_client_does_not_import_pulumi_or_ansible():
    code = ("import sys, pulumi_alaya.client, pulumi_alaya.cli, pulumi_alaya.emulator; "
            "print(sorted(m for m in ('pulumi', 'ansible') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "[]", run.stderr


def test_concurrent_creates_of_one_name_make_one_deployment(emulator):
    from concurrent.futures import ThreadPoolExecutor

    body = {"baseServiceId": "base-qwen2-7b", "modelId": "m", "name": "only-once", "servedName": ["s"]}
    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda _: call(emulator, "POST", "/deployment/lora", body).status_code, range(8)))
    assert sorted(codes) == [200] + [400] * 7
