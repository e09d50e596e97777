"""Base-model deployments through the core client: input rules, create, typed read, offline update, delete."""

from __future__ import annotations

import pytest

from pulumi_alaya.client import (
    AlayaAPIError,
    AlayaClient,
    AlayaConflictError,
    AlayaDeploymentFailedError,
    AlayaInputError,
    AlayaMalformedResponseError,
    AlayaWriteUncertainError,
    BaseDeployment,
    BaseSpec,
    DeploymentStatus,
)
from pulumi_alaya.client.models import BASE_OUTPUTS

from support.seed import SUPPORT

SPEC = {"vks_id": "vks-1", "namespace": "ns-a", "name": "qwen-base", "served_name": ["qwen"],
        "model_id": "qwen2-7b", "backend": "vllm", "backend_version": "0.6.3", "backend_args": ["--max-model-len=4096"],
        "workers": 2, "cpu": "8", "mem": "32Gi", "gpu_type": "A100", "gpu_count": 1}


@pytest.fixture
def alaya(emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0)
    with AlayaClient(emulator.access_key, emulator.secret_key, emulator.url, backoff=0.01, max_backoff=0.05,
                     timeout=5) as client:
        yield client


def wait(client, service_id):
    return client.get_base_deployment(service_id, wait=True, wait_timeout=30)


@pytest.mark.parametrize("change,words", [
    ({"gpu_count": 0}, "gpu_count must be a positive whole number"),
    ({"gpu_count": "1"}, "gpu_count must be a positive whole number"),
    ({"gpu_count": True}, "gpu_count must be a positive whole number"),
    ({"backend": "tgi"}, "backend 'tgi' is unknown: use vllm or sglang"),
    ({"mem": "32GB"}, "mem '32GB' is not understood"),
    ({"mem": "0Gi"}, "mem '0Gi' is not understood"),
    ({"cpu": "8 cores"}, "cpu '8 cores' is not understood"),
    ({"cpu": 0}, "cpu 0 is not understood"),
    ({"name": "bad name"}, "name 'bad name' is invalid"),
    ({"namespace": "NS_A"}, "namespace 'NS_A' is invalid"),
    ({"backend_args": "--x"}, "backend_args must be a list"),
    ({"workers": 0}, "workers must be a positive whole number"),
    ({"gpu_type": None}, "needs gpu_type"),
    ({"colour": "red"}, "unknown base-model field(s): colour"),
])
def test_bad_input_is_one_line_and_nothing_is_sent(alaya, emulator, change, words):
    emulator.clear_requests()
    with pytest.raises(AlayaInputError) as caught:
        alaya.create_base_deployment(BaseSpec.build(**{**SPEC, **change}))
    assert words in str(caught.value) and "\n" not in str(caught.value)
    assert emulator.requests() == []


def test_cpu_as_a_number_and_default_workers_are_accepted():
    spec = BaseSpec.build(**{**SPEC, "cpu": 0.5, "workers": None, "backend_args": None})
    assert (spec.cpu, spec.workers, spec.backend_args) == ("0.5", 1, ())


def test_create_then_wait_gives_a_typed_base_deployment(alaya, emulator):
    service_id = alaya.create_base_deployment(BaseSpec.build(**SPEC))
    body = [r for r in emulator.requests("/deployment", "POST")]
    assert len(body) == 1
    base = wait(alaya, service_id)
    assert isinstance(base, BaseDeployment) and base.status is DeploymentStatus.RUNNING
    assert (base.vks_id, base.mode, base.backend, base.backend_version, base.backend_args) == (
        "vks-1", "quickStart", "vllm", "0.6.3", ("--max-model-len=4096",))
    assert (base.workers, base.cpu, base.mem, base.gpu_type, base.gpu_count) == (2, "8", "32Gi", "A100", 1)
    assert base.ready_instances == 2 and base.lora_models == ()
    assert list(base.to_dict()) == [f.key for f in BASE_OUTPUTS] and "base_service_id" not in base.to_dict()
    assert base.to_api_dict()["gpuCount"] == 1 and "api_key" not in repr(base)
    assert not BaseSpec.build(**SPEC).differences(base)
    lora = alaya.create_lora_deployment(service_id, "lora-x", "x-lora", ["x"])
    alaya.wait_until_running(lora, 30)
    assert alaya.get_base_deployment(service_id).lora_models == ("lora-x",)


@pytest.mark.parametrize("fault", [{"style": "bare"}, {"code_string": True}, {"key_spelling": "apikey"},
                                   {"served_name_string": True}, {"misspell_status": True},
                                   {"override": {"mode": "expert", "expert": {"backend": "sglang", "resource": {
                                       "cpu": 16, "gpu": {"count": "2", "gpuType": "H100"}}}, "quickStart": None}},
                                   {"override": {"mode": None}}])
def test_every_documented_variant_reads_as_a_base(alaya, emulator, fault):
    service_id = alaya.create_base_deployment(BaseSpec.build(**SPEC))
    wait(alaya, service_id)
    emulator.set_faults({service_id: fault})
    base = alaya.get_base_deployment(service_id)
    assert base.status is DeploymentStatus.RUNNING and base.api_key and base.served_name == ("qwen",)
    if fault.get("override", {}).get("mode") == "expert":
        assert (base.mode, base.backend, base.cpu, base.gpu_count, base.gpu_type) == (
            "expert", "sglang", "16", 2, "H100")
    else:
        assert (base.mode, base.backend, base.gpu_count) == ("quickStart", "vllm", 1)


@pytest.mark.parametrize("override,words", [({"instance": "x"}, "'instance' is not a list"),
                                            ({"quickStart": {"resource": {"gpu": {"count": 1.5}}}}, "gpuCount"),
                                            ({"vksId": 7}, "'vksId' is int")])
def test_a_malformed_base_answer_is_a_typed_error(alaya, emulator, override, words):
    service_id = alaya.create_base_deployment(BaseSpec.build(**SPEC))
    emulator.set_faults({service_id: {"override": override}})
    with pytest.raises(AlayaMalformedResponseError, match=words):
        alaya.get_base_deployment(service_id)


def test_a_lora_deployment_is_not_read_as_a_base(alaya):
    with pytest.raises(AlayaConflictError, match="is a LoRA deployment"):
        alaya.get_base_deployment(SUPPORT)


def test_more_gpus_than_available_fails_the_wait(alaya, emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0, gpu_capacity=1)
    service_id = alaya.create_base_deployment(BaseSpec.build(**{**SPEC, "gpu_count": 4}))
    with pytest.raises(AlayaDeploymentFailedError, match=service_id):
        wait(alaya, service_id)


def test_a_lost_create_answer_is_uncertain_and_never_repeated(alaya, emulator):
    emulator.set_faults({"base:create": {"times": 1, "lost_after_create": True}})
    with pytest.raises(AlayaWriteUncertainError, match="'qwen-base' in namespace ns-a may have succeeded"):
        alaya.create_base_deployment(BaseSpec.build(**SPEC))
    assert len(emulator.requests("/deployment", "POST")) == 1
    assert [d["name"] for d in emulator.deployments()].count("qwen-base") == 1


def test_offline_update_is_refused_while_running_and_applied_with_restart(alaya, emulator):
    service_id = alaya.create_base_deployment(BaseSpec.build(**SPEC))
    wait(alaya, service_id)
    with pytest.raises(AlayaConflictError, match="updates only stopped deployments"):
        alaya.update_base_deployment(service_id, {"backend_version": "0.7.0"})
    assert emulator.requests(service_id, "PUT") == []
    updated = alaya.update_base_deployment(service_id, {"backend_version": "0.7.0", "gpu_count": 2},
                                           restart=True, wait_timeout=30)
    assert (updated.backend_version, updated.gpu_count, updated.status) == ("0.7.0", 2, DeploymentStatus.RUNNING)
    assert updated.backend_args == ("--max-model-len=4096",)  # unchanged fields keep their values
    with pytest.raises(AlayaConflictError, match="namespace cannot change in place"):
        alaya.update_base_deployment(service_id, {"namespace": "ns-b"}, restart=True)


def test_an_update_the_api_ignores_is_an_error(alaya, emulator):
    service_id = alaya.create_base_deployment(BaseSpec.build(**SPEC))
    alaya.cancel_deployment(service_id)
    emulator.set_faults({service_id: {"override": {"status": "stopped"}, "ignore_update": True}})
    with pytest.raises(AlayaAPIError, match="still shows other backend_version"):
        alaya.update_base_deployment(service_id, {"backend_version": "0.7.0"})


def test_delete_is_refused_while_loras_run_on_it_then_succeeds(alaya):
    service_id = alaya.create_base_deployment(BaseSpec.build(**SPEC))
    wait(alaya, service_id)
    lora = alaya.create_lora_deployment(service_id, "lora-x", "x-lora", ["x"])
    with pytest.raises(AlayaConflictError, match=f"{lora}.*Delete the LoRA deployments on it first"):
        alaya.delete_base_deployment(service_id)
    assert alaya.delete_deployment(lora)
    alaya.wait_until_deleted(lora, 30)
    assert alaya.delete_base_deployment(service_id)
    alaya.wait_until_deleted(service_id, 30)
    assert alaya.delete_base_deployment(service_id) is False
