"""Owning a base-model deployment (``owning/owner.py`` over ``BASE_MODEL``) against the emulator: the rules every
front end shares, including which input changes replace and which update offline, the operation's own time limit,
and what happens to a create whose wait fails (kept and named, never created twice)."""

from __future__ import annotations

import pytest

from pulumi_alaya.client import AlayaConflictError, AlayaDeploymentFailedError, AlayaWaitTimeoutError
from pulumi_alaya.client.kinds import BASE_MODEL, LORA
from pulumi_alaya.owning import CreatedNotReady, Owner

PROGRAM = {"vks_id": "vks-1", "namespace": "ns-a", "name": "qwen-base", "served_names": ["qwen"],
           "model_id": "qwen2-7b", "backend": "vllm", "backend_version": "0.6.3", "cpu": "8", "mem": "32Gi",
           "gpu_type": "A100", "gpu_count": 1, "wait_timeout": 30}


@pytest.fixture
def owner(client, emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0)
    return Owner(BASE_MODEL, lambda: client)


def names(emulator):
    return [d["name"] for d in emulator.deployments()]


def test_check_names_each_bad_input_and_sends_nothing(owner, emulator):
    emulator.clear_requests()
    _, failures = owner.check({**PROGRAM, "gpu_count": 0, "backend": "tgi", "served_names": [], "mem": "lots"})
    assert set(failures) == {"gpu_count", "backend", "served_names", "mem"}
    assert "positive whole number" in failures["gpu_count"] and emulator.requests() == []
    assert owner.check(PROGRAM)[1] == {}


def test_create_import_and_an_unchanged_program_is_no_diff(owner):
    service_id, outputs = owner.create(PROGRAM)
    assert outputs["status"] == "running" and outputs["gpu_count"] == 1 and outputs["service_id"] == service_id
    imported, inputs = owner.read(service_id, {})
    as_written = {key: value for key, value in PROGRAM.items() if key != "wait_timeout"}
    assert owner.diff(imported, as_written).changed == []
    assert inputs["backend"] == "vllm" and inputs["served_names"] == ["qwen"]


def test_which_changes_replace_and_which_update_offline(owner):
    _, outputs = owner.create(PROGRAM)
    offline = owner.diff(outputs, {**PROGRAM, "backend_version": "0.7.0", "gpu_count": 2, "name": "other"})
    assert offline.changed == ["name", "backend_version", "gpu_count"] and offline.replaces == []
    moved = owner.diff(outputs, {**PROGRAM, "namespace": "ns-b"})
    assert moved.replaces == ["namespace"] and not moved.delete_before_replace
    cluster = owner.diff(outputs, {**PROGRAM, "vks_id": "vks-2"})
    assert cluster.replaces == ["vks_id"] and cluster.delete_before_replace  # same name, same namespace


def test_update_is_offline_with_restart(owner):
    service_id, outputs = owner.create(PROGRAM)
    updated = owner.update(service_id, outputs, {**PROGRAM, "backend_version": "0.7.0"})
    assert updated["backend_version"] == "0.7.0" and updated["status"] == "running"


def posts(emulator):
    return [r for r in emulator.requests() if r["method"] == "POST" and not r["path"].endswith("/cancel")]


def test_a_base_that_fails_while_starting_is_kept_named_and_replaced_on_the_next_run(owner, emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0, gpu_capacity=1)
    emulator.clear_requests()
    with pytest.raises(CreatedNotReady, match="was created and is kept") as caught:
        owner.create({**PROGRAM, "gpu_count": 2})
    error = caught.value
    assert isinstance(error.cause, AlayaDeploymentFailedError) and error.outputs["service_id"] == error.service_id
    assert error.outputs["status"] == "failed" and len(posts(emulator)) == 1
    # The next run's diff sees it failed since: a replacement, by the same rules as a change.
    plan = owner.diff(error.outputs, {**PROGRAM, "gpu_count": 2})
    assert plan.replaces == ["status"]


def test_past_the_operations_own_timeout_the_deployment_is_kept_and_resumed(owner, emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=600.0)
    emulator.clear_requests()
    kept = r"create timeout \(0.3s: customTimeouts.*passed.*was created and is kept"
    with pytest.raises(CreatedNotReady, match=kept):
        owner.create(PROGRAM, timeout=0.3)
    assert [d["status"] for d in emulator.deployments() if d["name"] == "qwen-base"] == ["starting"]
    # waitTimeout bounds it the same way, and says so.
    emulator.set_timing(0.0, 0.0, base_startup_seconds=3.0)
    with pytest.raises(CreatedNotReady, match=r"waitTimeout \(0.3s\) passed") as caught:
        owner.create({**PROGRAM, "namespace": "ns-b", "wait_timeout": 0.3})
    kept = caught.value
    assert isinstance(kept.cause, AlayaWaitTimeoutError) and kept.outputs["status"] == "starting"
    # The next run resumes it: an update with nothing to change writes nothing and waits until it runs.
    resumed = owner.update(kept.service_id, kept.outputs, {**PROGRAM, "namespace": "ns-b"})
    assert resumed["status"] == "running"
    assert len(posts(emulator)) == 2 and not [r for r in emulator.requests() if r["method"] == "PUT"]


def test_the_dynamic_providers_owner_deletes_a_create_that_never_runs(client, emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0, gpu_capacity=1)
    dynamic = Owner(BASE_MODEL, lambda: client, keep_unready=False)
    with pytest.raises(AlayaDeploymentFailedError, match="it was deleted again"):
        dynamic.create({**PROGRAM, "gpu_count": 2})
    assert "qwen-base" not in [d["name"] for d in emulator.deployments() if d["status"] != "stopping"]


def test_the_lora_owner_keeps_a_create_past_its_timeout_too(client, emulator):
    emulator.set_timing(600.0, 0.0)
    lora = Owner(LORA, lambda: client)
    with pytest.raises(CreatedNotReady, match="create timeout"):
        lora.create({"base_service_id": "base-qwen2-7b", "model_id": "m", "served_names": ["s"],
                     "name": "slow-lora", "name_prefix": "slow"}, timeout=0.3)
    assert [d["status"] for d in emulator.deployments() if d["name"] == "slow-lora"] == ["starting"]


def test_delete_is_refused_while_a_lora_runs_on_it(owner, client):
    service_id, outputs = owner.create(PROGRAM)
    lora = client.create_lora_deployment(service_id, "lora-x", "x-lora", ["x"])
    with pytest.raises(AlayaConflictError, match="Delete the LoRA deployments on it first"):
        owner.delete(service_id, outputs)
    client.delete_deployment(lora)
    owner.delete(service_id, outputs)
    assert owner.read(service_id, outputs) is None
