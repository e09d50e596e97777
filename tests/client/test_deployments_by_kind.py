"""The client by composition: ``client.lora_deployments`` and ``client.base_model_deployments`` are one class
built from a ``Kind``, with the same verbs; every case here runs for every kind."""

from __future__ import annotations

import warnings

import pytest

from pulumi_alaya.client import (
    AlayaConflictError,
    AlayaCreatedNotReadyError,
    AlayaDeploymentFailedError,
    AlayaInputError,
    AlayaWaitTimeoutError,
    BaseDeployment,
    BaseModelDeployment,
    BaseModelSpec,
    BaseSpec,
    Deployments,
    LoraSpec,
)
from pulumi_alaya.client.kinds import KINDS

from support.kind_specimens import specimen

BY_KIND = pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)


@pytest.fixture
def alaya(client, emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0)
    return client


def test_one_class_per_client_and_kind(alaya):
    assert type(alaya.lora_deployments) is type(alaya.base_model_deployments) is Deployments
    assert [alaya.deployments(kind).kind for kind in KINDS] == list(KINDS)
    assert alaya.deployments("base_model").kind is alaya.base_model_deployments.kind is KINDS[1]


@BY_KIND
def test_create_get_update_cancel_delete_with_the_same_verbs(alaya, emulator, kind):
    deployments, case = alaya.deployments(kind), specimen(kind)
    running = deployments.deploy(deployments.spec(**case.fields), wait_timeout=30)
    assert running.status_name == "running" and isinstance(running, kind.record_type or object)
    with pytest.raises(AlayaConflictError, match="updates only stopped deployments"):
        deployments.update(running.service_id, case.change)
    updated = deployments.update(running.service_id, case.change, restart=True, wait_timeout=30)
    assert updated.status_name == "running"
    assert all(getattr(updated, field) == value for field, value in case.change.items())
    deployments.cancel(running.service_id)
    assert deployments.wait_until_stopped(running.service_id, 30).status_name == "stopped"
    assert deployments.delete(running.service_id) is True
    deployments.wait_until_deleted(running.service_id, 30)
    assert deployments.delete(running.service_id) is False


@BY_KIND
def test_input_keys_and_spec_fields_are_both_understood(alaya, kind):
    case = specimen(kind)
    as_keys = {("served_names" if f == "served_name" else f): v for f, v in case.fields.items()}
    assert alaya.deployments(kind).spec(**as_keys) == alaya.deployments(kind).spec(**case.fields)


@BY_KIND
def test_a_bad_update_is_refused_before_any_request(alaya, emulator, kind):
    emulator.clear_requests()
    with pytest.raises(AlayaInputError, match="name 'bad name' is invalid"):
        alaya.deployments(kind).update("any-id", {"name": "bad name"})
    assert emulator.requests() == []


@BY_KIND
def test_a_create_whose_wait_runs_out_names_what_it_created(alaya, emulator, kind):
    emulator.set_timing(60.0, 0.0, base_startup_seconds=60.0)
    deployments, case = alaya.deployments(kind), specimen(kind)
    with pytest.raises(AlayaCreatedNotReadyError) as caught:
        deployments.deploy(deployments.spec(**case.fields), wait_timeout=0.5)
    error = caught.value
    assert isinstance(error.cause, AlayaWaitTimeoutError) and error.service_id
    assert error.deployment is not None and error.deployment.service_id == error.service_id
    assert f"{error.service_id!r} was created but is not ready" in str(error)
    assert "still starting, not running, after waiting 0.5s" in str(error)
    assert [d["name"] for d in emulator.deployments()].count(case.fields["name"]) == 1


@BY_KIND
def test_a_create_that_fails_names_what_it_created(alaya, emulator, kind):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0, gpu_capacity=0)
    # A LoRA fails by its create fault, a base model for want of GPUs; another kind by its own create fault.
    emulator.set_faults({"lora:create": {"will_fail": True}, f"{kind.name}:create": {"will_fail": True}})
    deployments, case = alaya.deployments(kind), specimen(kind)
    with pytest.raises(AlayaCreatedNotReadyError) as caught:
        deployments.deploy(deployments.spec(**case.fields), wait_timeout=30)
    assert isinstance(caught.value.cause, AlayaDeploymentFailedError) and caught.value.service_id


def test_the_04_names_still_work_and_say_their_replacement(alaya):
    assert BaseSpec is BaseModelSpec and BaseDeployment is BaseModelDeployment
    with pytest.warns(DeprecationWarning, match=r"create_lora_deployment .*use client\.lora_deployments\.create"):
        service_id = alaya.create_lora_deployment("base-qwen2-7b", "lora-x", "x-lora", ["x"])
    with pytest.warns(DeprecationWarning, match=r"read_deployment .*lora_deployments\.get"):
        assert alaya.read_deployment(service_id, wait=True, wait_timeout=30).model == "x"
    with pytest.warns(DeprecationWarning, match=r"delete_deployment .*lora_deployments\.delete"):
        assert alaya.delete_deployment(service_id) is True
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        alaya.lora_deployments.get("38fbfc3d-6a88-4c35-b8b6-9efc83949d47")  # the new names never warn
    from pulumi_alaya.client.base_spec import BaseSpec as OldModule  # noqa: PLC0415 - the 0.4 module path

    assert OldModule is BaseModelSpec and LoraSpec.updated
