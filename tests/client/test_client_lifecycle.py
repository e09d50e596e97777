"""Owning deployments through the core client: create, update (offline), cancel, delete, with their waits."""

from __future__ import annotations

import pytest

from pulumi_alaya.client import (
    AlayaAPIError,
    AlayaClient,
    AlayaConflictError,
    AlayaInputError,
    AlayaNotFoundError,
    AlayaWriteUncertainError,
    DeploymentStatus,
)

from support.seed import SUPPORT

BASE = "base-qwen2-7b"
CREATE = "/deployment/lora"


@pytest.fixture
def alaya(emulator):
    emulator.set_timing(0.2, 0.2)
    with AlayaClient(emulator.access_key, emulator.secret_key, emulator.url, backoff=0.01, max_backoff=0.05,
                     timeout=5) as client:
        yield client


def posts(emulator):
    return [r for r in emulator.requests() if r["method"] == "POST" and r["path"].endswith(CREATE)]


def quick(client, service_id):
    return client.wait_until_running(service_id, 30, interval=0.05, max_interval=0.1)


def test_create_then_wait_gives_a_running_deployment_in_the_base_namespace(alaya, emulator):
    service_id = alaya.create_lora_deployment(BASE, "lora-new", "new-lora", ["new-model", "new-model-v2"])
    assert alaya.get_deployment(service_id).status is DeploymentStatus.STARTING
    dep = quick(alaya, service_id)
    assert (dep.base_service_id, dep.model_id, dep.name, dep.served_name) == (
        BASE, "lora-new", "new-lora", ("new-model", "new-model-v2"))
    assert dep.namespace == "vks-demo" and dep.api_key and dep.model == "new-model"
    alaya.probe(dep)


@pytest.mark.parametrize("args", [
    (BASE, "m", "bad name", ["s"]),
    (BASE, "m", "-leading-dash", ["s"]),
    (BASE, "m", "x" * 64, ["s"]),
    (BASE, "m", "ok", []),
    (BASE, "m", "ok", [""]),
    (BASE, "m", "ok", ["same", "same"]),
    ("../base", "m", "ok", ["s"]),
    (BASE, "", "ok", ["s"]),
])
def test_bad_create_inputs_are_refused_before_any_request(alaya, emulator, args):
    with pytest.raises(AlayaInputError):
        alaya.create_lora_deployment(*args)
    assert emulator.requests() == []


@pytest.mark.parametrize("base,name,needle", [
    ("no-such-base", "fresh", "not found"),
    ("stopped-base", "fresh", "not running"),
    (BASE, "support-bot-lora", "already taken"),
])
def test_the_api_refuses_what_the_docs_refuse(alaya, emulator, base, name, needle):
    emulator.add_deployments({"serviceId": "stopped-base", "status": "stopped", "namespace": "vks-demo"})
    with pytest.raises(AlayaAPIError, match=needle) as info:
        alaya.create_lora_deployment(base, "m", name, ["s"])
    assert info.value.http_status == 400 and len(posts(emulator)) == 1


def test_a_create_rate_limited_once_is_retried(alaya, emulator):
    emulator.set_faults({"lora:create": {"times": 1, "status": 429, "retry_after": 0.05}})
    assert alaya.create_lora_deployment(BASE, "m", "after-429", ["s"])
    assert len(posts(emulator)) == 2


def test_a_create_whose_answer_is_lost_is_not_retried_and_says_how_to_find_it(alaya, emulator):
    emulator.set_faults({"lora:create": {"times": 1, "lost_after_create": True}})
    with pytest.raises(AlayaWriteUncertainError, match="'lost-lora'.*Alaya console"):
        alaya.create_lora_deployment(BASE, "m", "lost-lora", ["s"])
    assert len(posts(emulator)) == 1  # a retry would have made a second deployment (or hit "name taken")
    with pytest.raises(AlayaAPIError, match="already taken"):
        alaya.create_lora_deployment(BASE, "m", "lost-lora", ["s"])  # it was made


@pytest.mark.parametrize("status,error", [(503, AlayaAPIError), (502, AlayaWriteUncertainError),
                                          (504, AlayaWriteUncertainError)])
def test_a_create_meeting_5xx_is_not_retried(alaya, emulator, status, error):
    # 503 says "not processed"; a gateway's 502/504 cannot say whether the API behind it acted.
    emulator.set_faults({"lora:create": {"times": -1, "status": status}})
    with pytest.raises(error) as info:
        alaya.create_lora_deployment(BASE, "m", "five-oh", ["s"])
    assert isinstance(info.value, AlayaWriteUncertainError) == (status != 503)
    assert len(posts(emulator)) == 1


def test_delete_goes_through_stopping_and_is_idempotent(alaya, emulator):
    service_id = alaya.create_lora_deployment(BASE, "m", "short-lived", ["s"])
    assert alaya.delete_deployment(service_id) is True
    assert alaya.get_deployment(service_id).status is DeploymentStatus.STOPPING
    alaya.wait_until_deleted(service_id, 30, interval=0.05, max_interval=0.1)
    with pytest.raises(AlayaNotFoundError):
        alaya.get_deployment(service_id)
    assert alaya.delete_deployment(service_id) is False  # already gone: success, nothing to do


def test_a_delete_answered_by_an_html_404_is_not_already_gone(alaya, emulator):
    emulator.set_faults({SUPPORT: {"times": -1, "status": 404, "body": "html"}})
    with pytest.raises(AlayaAPIError) as info:
        alaya.delete_deployment(SUPPORT)
    assert not isinstance(info.value, AlayaNotFoundError)


def test_an_offline_update_of_a_running_deployment_is_refused_before_writing(alaya, emulator):
    with pytest.raises(AlayaConflictError, match="running"):
        alaya.update_lora_deployment(SUPPORT, model_id="lora-support-v4")
    assert [r for r in emulator.requests() if r["method"] in ("PUT", "POST")] == []


def test_an_update_with_restart_cancels_updates_and_runs_again(alaya, emulator):
    seen = []
    dep = alaya.update_lora_deployment(SUPPORT, model_id="lora-support-v4", served_name=["support-bot", "v4"],
                                       restart=True, wait_timeout=30, on_status=lambda d: seen.append(d.status_name))
    assert dep.status is DeploymentStatus.RUNNING and dep.model_id == "lora-support-v4"
    assert dep.served_name == ("support-bot", "v4") and dep.name == "support-bot-lora"
    assert "stopped" in seen and [r["method"] for r in emulator.requests() if r["method"] != "GET"] == ["POST", "PUT"]


def test_an_update_of_a_stopped_deployment_and_a_no_op(alaya, emulator):
    alaya.cancel_deployment(SUPPORT)
    dep = alaya.update_lora_deployment(SUPPORT, name="support-bot-renamed")
    assert dep.name == "support-bot-renamed"
    emulator.clear_requests()
    alaya.update_lora_deployment(SUPPORT, name="support-bot-renamed")
    assert [r["method"] for r in emulator.requests()] == ["GET"]  # nothing differs: nothing written


def test_an_update_the_api_did_not_apply_is_not_success(alaya, emulator):
    alaya.cancel_deployment(SUPPORT)
    emulator.set_faults({SUPPORT: {"ignore_update": True}})
    with pytest.raises(AlayaAPIError, match="still shows other model_id"):
        alaya.update_lora_deployment(SUPPORT, model_id="lora-support-v9")


def test_a_create_answer_without_a_service_id_is_malformed_and_says_where_to_look(alaya, emulator):
    from pulumi_alaya.client import AlayaMalformedResponseError

    emulator.set_faults({"lora:create": {"times": 1, "status": 200, "raw_data": {"id": 7}}})
    with pytest.raises(AlayaMalformedResponseError, match="names no serviceId.*Alaya console"):
        alaya.create_lora_deployment(BASE, "m", "no-id-lora", ["s"])


def test_a_create_answered_with_the_bare_id_string_is_understood(alaya, emulator):
    emulator.set_faults({"lora:create": {"times": 1, "raw_data": "lora-from-a-string"}})
    assert alaya.create_lora_deployment(BASE, "m", "string-lora", ["s"]) == "lora-from-a-string"
