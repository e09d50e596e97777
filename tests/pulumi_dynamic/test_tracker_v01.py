"""The 0.1 tracker (``LoraDeploymentProvider``, kept for stacks made with 0.1) through the SDK's real provider
server, driven over gRPC as the engine does. The live provider is tested in ``test_dynamic_provider.py``."""

from __future__ import annotations

import base64
import subprocess
import sys

import dill
import grpc
import pytest
import requests
from pulumi.runtime.proto import provider_pb2

from pulumi_alaya.dynamic.tracker_v01 import LoraDeploymentProvider

from support.dynamic_grpc import ProviderProcess, plain, secret
from support.seed import SUPPORT, SUPPORT_KEY

SENTINEL_SECRET = "sk-SENTINEL-secret-key-0042"
OUTPUT_FIELDS = {"service_id", "wait_until_running", "wait_timeout", "status", "service_url", "api_key",
                 "served_name", "model", "base_service_id", "model_id", "name", "namespace", "openai_base_url",
                 "__provider"}


@pytest.fixture
def engine(emulator):
    server = ProviderProcess(provider=LoraDeploymentProvider())
    answer = server.configure({"alaya:accessKey": "demo-ak", "alaya:secretKey": secret("demo-sk"),
                               "alaya:baseUrl": emulator.url})
    assert answer.acceptSecrets is False
    yield server
    server.stop()



def _plain(message):
    return {k: v for k, v in plain(message).items() if k != "__provider"}


def test_create_reads_the_deployment_with_every_output(engine, emulator):
    inputs = _plain(engine.check({"service_id": SUPPORT}).inputs)
    assert inputs == {"service_id": SUPPORT, "wait_until_running": True, "wait_timeout": 600.0}
    created = engine.create(inputs)
    outs = _plain(created.properties)
    assert created.id == SUPPORT
    assert set(outs) | {"__provider"} == OUTPUT_FIELDS
    assert outs["api_key"] == SUPPORT_KEY  # the engine encrypts it: LoraDeployment sets additional_secret_outputs
    assert outs["served_name"] == ["support-bot"] and outs["model"] == "support-bot"
    assert outs["service_url"] == f"{emulator.url}/svc/{SUPPORT}"
    assert outs["openai_base_url"] == outs["service_url"] + "/v1"
    non_secret = repr({k: v for k, v in outs.items() if k != "api_key"}) + repr(inputs)
    assert SUPPORT_KEY not in non_secret and "demo-sk" not in non_secret


def test_create_waits_until_running(engine, emulator):
    emulator.add_deployments({"serviceId": "warming", "statuses": ["starting", "running"]})
    outs = _plain(engine.create({"service_id": "warming", "wait_until_running": True, "wait_timeout": 30}).properties)
    assert outs["status"] == "running"
    assert len(emulator.requests("/warming")) == 2


def test_check_refuses_a_bad_service_id_before_any_request(engine, emulator):
    emulator.clear_requests()
    answer = engine.check({"service_id": "../etc", "wait_timeout": -5})
    failures = {f.property: f.reason for f in answer.failures}
    assert "is invalid" in failures["service_id"] and "wait_timeout" in failures
    assert emulator.requests() == []


def test_identical_inputs_do_not_diff_even_with_a_new_provider_pickle(engine):
    olds = {"service_id": SUPPORT, "wait_until_running": True, "wait_timeout": 600.0, "status": "running"}
    assert engine.diff(SUPPORT, olds, {"service_id": SUPPORT}).changes == provider_pb2.DiffResponse.DIFF_NONE
    # State written by another SDK/dill version holds other bytes for the same provider.
    other_pickle = base64.b64encode(dill.dumps(LoraDeploymentProvider(), protocol=2)).decode()
    assert other_pickle != engine.provider
    assert engine.diff(SUPPORT, olds, {"service_id": SUPPORT}, other_pickle).changes == \
        provider_pb2.DiffResponse.DIFF_NONE
    changed_wait = engine.diff(SUPPORT, olds, {"service_id": SUPPORT, "wait_timeout": 5})
    assert changed_wait.changes == provider_pb2.DiffResponse.DIFF_NONE


def test_a_new_service_id_replaces(engine):
    answer = engine.diff(SUPPORT, {"service_id": SUPPORT}, {"service_id": "another-one"})
    assert answer.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(answer.replaces) == ["service_id"] and answer.deleteBeforeReplace is False


def test_refresh_rereads_and_returns_inputs(engine, emulator):
    inputs = {"service_id": SUPPORT, "wait_until_running": True, "wait_timeout": 600.0}
    outs = _plain(engine.create(inputs).properties)
    answer = engine.read(SUPPORT, outs, inputs)
    assert answer.id == SUPPORT
    assert _plain(answer.inputs) == inputs
    assert _plain(answer.properties)["status"] == "running"


def test_refresh_after_remote_delete_drops_the_resource(engine, emulator):
    inputs = {"service_id": SUPPORT, "wait_until_running": False, "wait_timeout": 600.0}
    outs = _plain(engine.create(inputs).properties)
    emulator.set_timing(3.0, 0.0)  # gone at once, no stopping phase
    gone = requests.delete(f"{emulator.url}/api/serverless-infer/v1/deployment/{SUPPORT}", timeout=5,
                           headers={"Authorization": "plain Credential=demo-ak,Signature=demo-sk"})
    assert gone.status_code == 200
    assert engine.read(SUPPORT, outs, inputs).id == ""


def test_get_reads_by_id_alone(engine):
    answer = engine.read(SUPPORT, {}, {})
    assert answer.id == SUPPORT and _plain(answer.properties)["model"] == "support-bot"


def test_update_rereads(engine, emulator):
    inputs = {"service_id": SUPPORT, "wait_until_running": True, "wait_timeout": 600.0}
    answer = engine.update(SUPPORT, inputs, inputs)
    assert _plain(answer.properties)["api_key"] == SUPPORT_KEY


def test_delete_leaves_the_remote_deployment_alone(engine, emulator):
    engine.delete(SUPPORT, {"service_id": SUPPORT})
    assert [r for r in emulator.requests() if r["method"] == "DELETE"] == []
    assert requests.get(f"{emulator.url}/api/serverless-infer/v1/deployment/{SUPPORT}", timeout=5,
                        headers={"Authorization": "plain Credential=demo-ak,Signature=demo-sk"}).status_code == 200


def test_errors_end_with_the_clients_one_line_message(engine):
    with pytest.raises(grpc.RpcError) as info:
        engine.create({"service_id": "no-such-lora", "wait_until_running": False})
    details = info.value.details()
    assert info.value.code() == grpc.StatusCode.UNKNOWN
    last = details.strip().splitlines()[-1]
    assert last.startswith("AlayaNotFoundError: Alaya API answered HTTP 404")
    assert "'no-such-lora'" in last and "demo-sk" not in details


def test_missing_credentials_are_one_clear_message(emulator):
    server = ProviderProcess(provider=LoraDeploymentProvider())
    try:
        server.configure({"alaya:baseUrl": emulator.url})
        with pytest.raises(grpc.RpcError) as info:
            server.create({"service_id": SUPPORT})
        assert "access_key is missing" in info.value.details().strip().splitlines()[-1]
    finally:
        server.stop()


def test_env_fallback_when_config_is_absent(emulator):
    server = ProviderProcess(env=emulator.env, provider=LoraDeploymentProvider())
    try:
        server.configure({})
        assert server.create({"service_id": SUPPORT}).id == SUPPORT
    finally:
        server.stop()


def test_no_secret_in_the_pickled_provider_even_after_configure(emulator):
    server = ProviderProcess(provider=LoraDeploymentProvider())
    try:
        server.configure({"alaya:accessKey": "demo-ak", "alaya:secretKey": secret(SENTINEL_SECRET),
                          "alaya:baseUrl": emulator.url})
        with pytest.raises(grpc.RpcError) as info:  # wrong secret: 401, and the secret is not echoed
            server.create({"service_id": SUPPORT, "wait_until_running": False})
        assert "HTTP 401" in info.value.details() and SENTINEL_SECRET not in info.value.details()
        pickled = base64.b64decode(server.provider)
        assert SENTINEL_SECRET.encode() not in pickled and SUPPORT_KEY.encode() not in pickled
        # The engine unpickles in a fresh process: the class must resolve by reference and carry no state.
        probe = subprocess.run(
            [sys.executable, "-c", "import base64, sys, dill; p = dill.loads(base64.b64decode(sys.stdin.read())); "
             "print(type(p).__module__, type(p).__name__, sorted(vars(p)))"],
            input=server.provider, capture_output=True, text=True, timeout=60)
        assert probe.stdout.split() == ["pulumi_alaya.dynamic.tracker_v01", "LoraDeploymentProvider", "[]"]
        assert "pulumi_alaya.dynamic.tracker_v01" in pickled.decode("latin-1")  # by reference, not by value
    finally:
        server.stop()


def test_timeout_and_retries_come_from_stack_config(emulator):
    emulator.set_faults({SUPPORT: {"times": -1, "status": 503}})
    server = ProviderProcess(provider=LoraDeploymentProvider())
    try:
        server.configure({"alaya:accessKey": "demo-ak", "alaya:secretKey": secret("demo-sk"),
                          "alaya:baseUrl": emulator.url, "alaya:retries": "1", "alaya:timeout": "5"})
        with pytest.raises(grpc.RpcError, match="HTTP 503"):
            server.create({"service_id": SUPPORT, "wait_until_running": False})
        assert len(emulator.requests("/deployment/" + SUPPORT)) == 2  # 1 + retries
    finally:
        server.stop()


def test_bad_retries_config_is_one_clear_message(emulator):
    server = ProviderProcess(env=emulator.env, provider=LoraDeploymentProvider())
    try:
        server.configure({"alaya:retries": "many"})
        with pytest.raises(grpc.RpcError) as info:
            server.create({"service_id": SUPPORT})
        assert info.value.details().strip().splitlines()[-1].endswith(
            "alaya:requestTimeout must be a number of seconds and alaya:retries a whole number.")
    finally:
        server.stop()
