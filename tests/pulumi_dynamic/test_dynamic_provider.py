"""The live dynamic provider (``OwnedLoraDeploymentProvider``, what ``pulumi_alaya.LoraDeployment`` runs) through the
SDK's real provider server, driven over gRPC as the engine drives it. The engine itself runs it in
``test_dynamic_engine.py``; the 0.1 tracker kept for old stacks is in ``test_tracker_v01.py``."""

from __future__ import annotations

import base64
import subprocess
import sys

import grpc
import pytest
from pulumi.runtime.proto import provider_pb2

from support.dynamic_grpc import ProviderProcess, plain, secret

BASE = "base-qwen2-7b"
SENTINEL_SECRET = "sk-SENTINEL-secret-key-0042"
PROGRAM = {"base_service_id": BASE, "model_id": "lora-support-v3", "served_names": ["bot"], "name_prefix": "bot"}


@pytest.fixture
def engine(emulator):
    server = ProviderProcess()
    server.configure({"alaya:accessKey": emulator.access_key, "alaya:secretKey": secret(emulator.secret_key),
                      "alaya:baseUrl": emulator.url})
    yield server
    server.stop()


def _plain(message):
    return {k: v for k, v in plain(message).items() if k != "__provider"}


def _create(engine, **inputs):
    checked = _plain(engine.check({**PROGRAM, **inputs}).inputs)
    return checked, engine.create(checked)


def test_check_fills_every_default_from_the_one_declaration(engine):
    checked = _plain(engine.check(PROGRAM).inputs)
    assert checked["wait_until_running"] is True and checked["offline_update"] is False
    assert checked["wait_timeout"] == 600.0  # DEFAULT_WAIT_TIMEOUT, through owning.INPUTS


def test_check_refuses_bad_inputs_by_name_before_any_request(engine, emulator):
    emulator.clear_requests()
    answer = engine.check({**PROGRAM, "base_service_id": "../etc", "served_names": [], "wait_timeout": -5})
    failures = {f.property: f.reason for f in answer.failures}
    assert set(failures) == {"base_service_id", "served_names", "wait_timeout"}
    assert emulator.requests() == []


def test_create_makes_an_auto_named_deployment_and_waits_until_running(engine, emulator):
    checked, created = _create(engine)
    outs = _plain(created.properties)
    assert outs["status"] == "running" and outs["service_id"] == created.id
    assert outs["name"].startswith("bot-") and outs["auto_named"] is True
    assert outs["model"] == "bot" and outs["openai_base_url"] == outs["service_url"] + "/v1"
    assert len(emulator.requests(method="POST")) == 1  # one create, never repeated
    non_secret = repr({k: v for k, v in outs.items() if k != "api_key"}) + repr(checked)
    assert outs["api_key"] and outs["api_key"] not in non_secret and emulator.secret_key not in non_secret


def test_store_api_key_false_keeps_the_key_out_of_the_outputs(engine, client):
    checked, created = _create(engine, store_api_key=False)
    outs = _plain(created.properties)
    key = client.get_deployment(created.id).api_key
    assert checked["store_api_key"] is False and outs.get("api_key") is None
    assert outs["service_url"] and outs["model"] == "bot" and key not in repr(outs)
    refreshed = _plain(engine.read(created.id, outs, checked).properties)
    assert refreshed.get("api_key") is None and key not in repr(refreshed)


def test_a_model_change_replaces_create_before_delete_and_an_explicit_name_delete_first(engine):
    olds = {**PROGRAM, "wait_until_running": True, "wait_timeout": 600.0}
    auto = engine.diff("x", olds, {**PROGRAM, "model_id": "lora-support-v4"})
    assert auto.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(auto.replaces) == ["model_id"] and auto.deleteBeforeReplace is False
    named = engine.diff("x", {**olds, "name": "bot-a"}, {**PROGRAM, "name": "bot-a", "model_id": "lora-support-v4"})
    assert list(named.replaces) == ["model_id"] and named.deleteBeforeReplace is True
    assert engine.diff("x", olds, PROGRAM).changes == provider_pb2.DiffResponse.DIFF_NONE


def test_offline_update_changes_in_place_with_a_restart(engine, emulator):
    checked, created = _create(engine)
    olds = _plain(created.properties)
    news = {**checked, "model_id": "lora-support-v4", "offline_update": True}
    plan = engine.diff(created.id, olds, news)
    assert plan.changes == provider_pb2.DiffResponse.DIFF_SOME and list(plan.replaces) == []
    outs = _plain(engine.update(created.id, olds, news).properties)
    assert outs["model_id"] == "lora-support-v4" and outs["status"] == "running"
    assert [r["path"].rsplit("/", 1)[-1] for r in emulator.requests(method="POST")][-1] == "cancel"


def test_refresh_after_a_remote_delete_drops_the_resource(engine, client):
    _, created = _create(engine, wait_until_running=False)
    client.delete_deployment(created.id)
    client.wait_until_deleted(created.id, 30)
    assert engine.read(created.id, _plain(created.properties), PROGRAM).id == ""


def test_delete_deletes_and_waits_until_gone(engine, emulator, client):
    _, created = _create(engine)
    engine.delete(created.id, _plain(created.properties))
    assert len(emulator.requests(method="DELETE")) == 1
    with pytest.raises(Exception, match="HTTP 404"):
        client.get_deployment(created.id)


def test_errors_end_with_the_clients_one_line_message(engine):
    with pytest.raises(grpc.RpcError) as info:
        _create(engine, base_service_id="no-such-base", wait_until_running=False)
    last = info.value.details().strip().splitlines()[-1]
    assert last.startswith("AlayaAPIError: ") and "on base 'no-such-base'" in last
    assert "serviceId" not in last  # a create has none yet: the error names what was asked for instead
    assert "Traceback" not in info.value.details()


def test_no_secret_in_the_pickled_provider_and_it_resolves_by_reference(emulator):
    server = ProviderProcess()
    try:
        server.configure({"alaya:accessKey": emulator.access_key, "alaya:secretKey": secret(SENTINEL_SECRET),
                          "alaya:baseUrl": emulator.url})
        with pytest.raises(grpc.RpcError) as info:  # wrong secret: 401, and the secret is not echoed
            server.create({**PROGRAM, "wait_until_running": False})
        assert "HTTP 401" in info.value.details() and SENTINEL_SECRET not in info.value.details()
        pickled = base64.b64decode(server.provider)
        assert SENTINEL_SECRET.encode() not in pickled
        probe = subprocess.run(
            [sys.executable, "-c", "import base64, sys, dill; p = dill.loads(base64.b64decode(sys.stdin.read())); "
             "print(type(p).__module__, type(p).__name__, sorted(vars(p)))"],
            input=server.provider, capture_output=True, text=True, timeout=60)
        assert probe.stdout.split() == ["pulumi_alaya.dynamic.lora_provider", "OwnedLoraDeploymentProvider", "[]"]
    finally:
        server.stop()


def test_env_fallback_when_config_is_absent(emulator):
    server = ProviderProcess(env=emulator.env)
    try:
        server.configure({})
        assert _plain(server.create({**PROGRAM, "wait_until_running": False}).properties)["service_id"]
    finally:
        server.stop()


def test_request_timeout_and_retries_come_from_stack_config(emulator):
    server = ProviderProcess()
    try:
        server.configure({"alaya:accessKey": emulator.access_key, "alaya:secretKey": secret(emulator.secret_key),
                          "alaya:baseUrl": emulator.url, "alaya:retries": "1", "alaya:requestTimeout": "5"})
        _, created = _create(server, wait_until_running=False)
        emulator.set_faults({created.id: {"times": -1, "status": 503}})
        emulator.clear_requests()
        with pytest.raises(grpc.RpcError, match="HTTP 503"):
            server.read(created.id, {}, {})
        assert len(emulator.requests("/deployment/" + created.id)) == 2  # 1 + alaya:retries
    finally:
        server.stop()
