"""``alaya base ...`` and ``alaya lora rotate`` as a pipeline runs them: a real process against the emulator."""

from __future__ import annotations

import json

import pytest
import requests
from test_cli import alaya

from support.seed import SUPPORT, SUPPORT_KEY

SPEC = ["--vks-id", "vks-1", "--vks-namespace", "ns-a", "--name", "qwen-base", "--served-name", "qwen",
        "--model-id", "qwen2-7b", "--backend", "vllm", "--backend-version", "0.6.3",
        "--backend-arg=--max-model-len=4096", "--cpu", "8", "--mem", "32Gi", "--gpu-type", "A100", "--gpu-count", "1"]


def chat(deployment, key):
    return requests.post(deployment["openaiBaseUrl"] + "/chat/completions", headers={"apiKey": key}, timeout=10,
                         json={"model": deployment["model"], "messages": [{"role": "user", "content": "hi"}]})


def test_base_create_get_update_delete(emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0)
    run = alaya(emulator, "base-model", "create", *SPEC, "--wait", "-o", "json")
    assert run.returncode == 0, run.stderr
    base = json.loads(run.stdout)
    assert (base["status"], base["backend"], base["gpuCount"], base["backendArgs"], base["apiKey"]) == (
        "running", "vllm", 1, ["--max-model-len=4096"], "***")
    sid = base["serviceId"]
    env = alaya(emulator, "base-model", "get", sid, "-o", "env")
    assert "export ALAYA_GPU_TYPE=A100" in env.stdout and "export ALAYA_READY_INSTANCES=1" in env.stdout
    running = alaya(emulator, "base-model", "update", sid, "--backend-version", "0.7.0")
    assert running.returncode == 7 and "updates only stopped deployments" in running.stderr
    updated = alaya(emulator, "base-model", "update", sid, "--backend-version", "0.7.0", "--restart", "-o", "json")
    assert updated.returncode == 0, updated.stderr
    assert json.loads(updated.stdout)["backendVersion"] == "0.7.0"
    lora = alaya(emulator, "lora", "create", "--base-service-id", sid, "--model-id", "lora-x", "--name", "x-lora",
                 "--served-name", "x", "-o", "json")
    refused = alaya(emulator, "base-model", "delete", sid)
    assert refused.returncode == 7 and len(refused.stderr.strip().splitlines()) == 1
    assert "Delete the LoRA deployments on it first" in refused.stderr
    assert alaya(emulator, "lora", "delete", json.loads(lora.stdout)["serviceId"], "--wait").returncode == 0
    deleted = alaya(emulator, "base-model", "delete", sid, "--wait")
    assert deleted.returncode == 0 and "deleted" in deleted.stderr
    assert alaya(emulator, "base-model", "get", sid).returncode == 3


@pytest.mark.parametrize("flag,value,words", [
    ("--gpu-count", "0", "gpu_count must be a positive whole number"),
    ("--gpu-count", "1.5", "gpu_count must be a positive whole number"),
    ("--backend", "tgi", "backend 'tgi' is unknown"),
    ("--mem", "32GB", "mem '32GB' is not understood"),
    ("--cpu", "lots", "cpu 'lots' is not understood"),
    ("--name", "bad name", "name 'bad name' is invalid"),
])
def test_bad_base_input_is_exit_2_with_one_line_and_sends_nothing(emulator, flag, value, words):
    args = [*SPEC]
    args[args.index(flag) + 1] = value
    run = alaya(emulator, "base-model", "create", *args)
    assert run.returncode == 2 and words in run.stderr and len(run.stderr.strip().splitlines()) == 1
    update = alaya(emulator, "base-model", "update", "base-qwen2-7b", flag, value)
    assert update.returncode == 2 and words in update.stderr
    assert emulator.requests() == []


def test_base_get_of_a_lora_says_so(emulator):
    run = alaya(emulator, "base-model", "get", SUPPORT)
    assert run.returncode == 7 and "is a LoRA deployment" in run.stderr


def test_rotate_serves_throughout_and_retires_the_old_key(emulator):
    emulator.set_timing(0.0, 0.0)
    emulator.clear_requests()
    old = json.loads(alaya(emulator, "lora", "get", SUPPORT, "-o", "json", "--show-secrets").stdout)
    run = alaya(emulator, "lora", "rotate", SUPPORT, "-o", "json", "--show-secrets")
    assert run.returncode == 0, run.stderr
    new = json.loads(run.stdout)
    assert new["serviceId"] != SUPPORT and new["apiKey"] != SUPPORT_KEY and new["status"] == "running"
    assert (new["modelId"], new["servedName"], new["baseServiceId"]) == (
        old["modelId"], old["servedName"], old["baseServiceId"])
    assert new["name"].startswith("support-bot-lora-r")
    assert chat(new, new["apiKey"]).status_code == 200
    assert chat(old, SUPPORT_KEY).status_code != 200 and chat(new, SUPPORT_KEY).status_code == 401
    # At no moment without a running deployment: the old one is deleted only after a read showed the new running.
    log = emulator.requests()
    delete_at = next(i for i, e in enumerate(log) if e["method"] == "DELETE")
    assert log[delete_at]["path"].endswith(SUPPORT)
    assert any(e["path"].endswith(new["serviceId"]) and e.get("deploymentStatus") == "running"
               for e in log[:delete_at])
    assert SUPPORT_KEY not in run.stderr


def test_rotate_that_fails_before_the_twin_runs_names_the_twin_and_keeps_the_old(emulator):
    emulator.set_timing(0.0, 0.0)
    emulator.set_faults({"lora:create": {"will_fail": True}})
    run = alaya(emulator, "lora", "rotate", SUPPORT)
    assert run.returncode == 5 and run.stdout == ""
    twin = run.stderr.split("alaya lora delete ")[1].split()[0]
    assert twin != SUPPORT and f"{SUPPORT} is untouched" in run.stderr
    assert emulator.requests(SUPPORT, "DELETE") == []


def test_rotate_that_cannot_delete_the_old_prints_the_new_and_names_the_old(emulator):
    emulator.set_timing(0.0, 0.0)
    emulator.set_faults({SUPPORT: {"times": -1, "status": 403, "methods": ["DELETE"]}})
    run = alaya(emulator, "lora", "rotate", SUPPORT, "-o", "json")
    assert run.returncode == 4
    new = json.loads(run.stdout)  # the consumers still get the new deployment's outputs
    assert new["serviceId"] != SUPPORT and new["status"] == "running"
    assert f"Delete it: alaya lora delete {SUPPORT} --wait" in run.stderr
    assert len(emulator.requests(SUPPORT, "DELETE")) == 1


def test_rotate_refuses_an_output_it_cannot_write_before_creating_anything(emulator):
    run = alaya(emulator, "lora", "rotate", SUPPORT, "-o", "k8s-secret")
    assert run.returncode == 2 and "--show-secrets" in run.stderr
    assert emulator.requests("/deployment/lora", "POST") == []
