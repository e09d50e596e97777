"""The whole stack with the dynamic resources through the real engine: a base model, two LoRAs on it, a key
rotation with Pulumi's own ``replacement_trigger`` option, and ``destroy`` in dependency order. One stack run."""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import requests

import pulumi_alaya as alaya


def whole_stack() -> None:
    config = pulumi.Config()
    base = alaya.BaseModelDeployment("qwen", vks_id="vks-1", namespace="ns-a", name="qwen-base",
                                     served_names=["qwen"], model_id="qwen2-7b", backend="vllm",
                                     backend_version="0.6.3", cpu="8", mem="32Gi", gpu_type="A100", gpu_count=1)
    # A new value of "rotation" asks for a fresh deployment (and apiKey) of the same model: Pulumi's own option,
    # served create-before-delete because the LoRA is auto-named.
    support = alaya.LoraDeployment("support", base_service_id=base.service_id, model_id="lora-support-v3",
                                   served_names=["support-bot"],
                                   opts=pulumi.ResourceOptions(replacement_trigger=config.get("rotation") or "1"))
    summary = alaya.LoraDeployment("summary", base_service_id=base.service_id, model_id="lora-summarise-v1",
                                   served_names=["summariser"])
    pulumi.export("baseId", base.service_id)
    pulumi.export("baseGpus", base.gpu_count)
    pulumi.export("supportId", support.service_id)
    pulumi.export("supportUrl", support.openai_base_url)
    pulumi.export("supportKey", support.api_key)
    pulumi.export("summaryId", summary.service_id)


def chat(url: str, key: str) -> int:
    return requests.post(url + "/chat/completions", headers={"apiKey": key}, timeout=10,
                         json={"model": "support-bot", "messages": [{"role": "user", "content": "hi"}]}).status_code


def test_base_loras_rotation_and_destroy_order(engine, emulator):
    emulator.set_timing(0.2, 0.1, base_startup_seconds=0.3)
    stack = engine.stack("alaya-whole", whole_stack, name="whole")
    stack.up()
    first = {key: value.value for key, value in stack.outputs().items()}
    assert first["baseGpus"] == 1 and chat(first["supportUrl"], first["supportKey"]) == 200
    writes = [(r["method"], r["path"]) for r in emulator.requests() if r["method"] in ("POST", "DELETE")]
    assert writes[0] == ("POST", "/api/serverless-infer/v1/deployment")  # the base first: the LoRAs need its id
    state = engine.export(stack)
    assert first["supportKey"] not in state and "ciphertext" in state

    emulator.clear_requests()
    engine.cli("config", "set", "rotation", "2", "--stack", "whole", cwd=Path(stack.workspace.work_dir))
    stack.up()
    second = {key: value.value for key, value in stack.outputs().items()}
    assert second["supportId"] != first["supportId"] and second["supportKey"] != first["supportKey"]
    assert second["summaryId"] == first["summaryId"] and second["baseId"] == first["baseId"]
    log = emulator.requests()
    delete_at = next(i for i, e in enumerate(log) if e["method"] == "DELETE")
    assert log[delete_at]["path"].endswith(first["supportId"])
    # create-before-delete: the twin was seen running before the old one was deleted
    assert any(e["path"].endswith(second["supportId"]) and e.get("deploymentStatus") == "running"
               for e in log[:delete_at])
    assert chat(second["supportUrl"], second["supportKey"]) == 200
    assert chat(first["supportUrl"], first["supportKey"]) != 200

    emulator.clear_requests()
    stack.destroy()
    deletes = [r["path"].rsplit("/", 1)[1] for r in emulator.requests() if r["method"] == "DELETE"]
    assert set(deletes[:2]) == {second["supportId"], second["summaryId"]} and deletes[2:] == [second["baseId"]]
    assert all(d["name"] != "qwen-base" for d in emulator.deployments())
    assert json.loads(engine.export(stack))["deployment"].get("resources") in (None, [])
