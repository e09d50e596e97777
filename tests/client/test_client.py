"""The core client against the real emulator: every documented variant, error class and retry rule."""

from __future__ import annotations

import dataclasses
import json
import pickle

import pytest

from pulumi_alaya.client import (
    AlayaAPIError,
    AlayaAuthError,
    AlayaClient,
    AlayaDeploymentFailedError,
    AlayaForbiddenError,
    AlayaInputError,
    AlayaMalformedResponseError,
    AlayaNotFoundError,
    AlayaProbeError,
    AlayaTransportError,
    AlayaWaitTimeoutError,
    DeploymentStatus,
)

from support.seed import BROKEN, SUMMARY, SUPPORT, SUPPORT_KEY


def api_calls(emulator, service_id=SUPPORT):
    return emulator.requests("/deployment/" + service_id)


@pytest.mark.parametrize(
    "fault",
    [
        {},  # envelope, code 0, apiKey, list
        {"style": "bare"},
        {"code_string": True},
        {"key_spelling": "apikey"},
        {"served_name_string": True},
        {"style": "bare", "key_spelling": "apikey", "served_name_string": True},
    ],
    ids=["envelope", "bare", "code-string", "apikey-spelling", "servedName-string", "all-bare-variants"],
)
def test_every_documented_variant_gives_the_same_record(client, emulator, fault):
    emulator.set_faults({SUPPORT: fault})
    dep = client.get_deployment(SUPPORT)
    assert dep.status is DeploymentStatus.RUNNING
    assert dep.api_key == SUPPORT_KEY
    assert dep.served_name == ("support-bot",)
    assert dep.model == "support-bot"
    assert dep.service_url == f"{emulator.url}/svc/{SUPPORT}"
    assert dep.openai_base_url == dep.service_url + "/v1"
    assert (dep.base_service_id, dep.model_id, dep.namespace) == ("base-qwen2-7b", "lora-support-v3", "vks-demo")


@pytest.mark.parametrize("status,expected", [("starting", "starting"), ("stopping", "stopping"),
                                             ("stopped", "stopped")])
def test_misspelled_statuses_are_understood(client, emulator, status, expected):
    emulator.add_deployments({"serviceId": "typo", "status": status, "statuses": [status]})
    emulator.set_faults({"typo": {"misspell_status": True}})
    assert client.get_deployment("typo").status is DeploymentStatus(expected)
    assert emulator.requests("/typo")[0]["status"] == 200


def test_code_minus_one_is_an_api_error_with_its_msg(client, emulator):
    emulator.set_faults({SUPPORT: {"code_error": "quota exceeded for namespace"}})
    with pytest.raises(AlayaAPIError, match="quota exceeded for namespace") as info:
        client.get_deployment(SUPPORT)
    assert info.value.code == -1 and info.value.service_id == SUPPORT


@pytest.mark.parametrize(
    "fault,error",
    [({"times": -1, "status": 403}, AlayaForbiddenError), ({"times": -1, "status": 400}, AlayaAPIError)],
)
def test_client_errors_are_typed_and_never_retried(client, emulator, fault, error):
    emulator.set_faults({SUPPORT: fault})
    with pytest.raises(error) as info:
        client.get_deployment(SUPPORT)
    assert SUPPORT in str(info.value) and f"HTTP {fault['status']}" in str(info.value)
    assert len(api_calls(emulator)) == 1


def test_not_found_names_the_service_and_is_not_retried(client, emulator):
    with pytest.raises(AlayaNotFoundError, match="HTTP 404 for serviceId 'gone-123'.*Check the serviceId"):
        client.get_deployment("gone-123")
    assert len(emulator.requests("/gone-123")) == 1


def test_wrong_keys_are_an_auth_error_without_the_secret(emulator):
    client = AlayaClient("demo-ak", "wrong-secret-value", emulator.url, retries=3)
    with pytest.raises(AlayaAuthError) as info:
        client.get_deployment(SUPPORT)
    assert "wrong-secret-value" not in str(info.value) and "HTTP 401" in str(info.value)
    assert len(api_calls(emulator)) == 1


def test_503_twice_then_success_takes_three_requests(client, emulator):
    emulator.set_faults({SUPPORT: {"times": 2, "status": 503}})
    assert client.get_deployment(SUPPORT).status is DeploymentStatus.RUNNING
    assert [r["status"] for r in api_calls(emulator)] == [503, 503, 200]


def test_429_honours_retry_after_then_succeeds(client, emulator):
    emulator.set_faults({SUPPORT: {"times": 1, "status": 429, "retry_after": 1}})
    assert client.get_deployment(SUPPORT).api_key == SUPPORT_KEY
    assert [r["status"] for r in api_calls(emulator)] == [429, 200]
    # The emulator noted when it told the client to come back; the retry was not earlier.
    throttling = emulator.throttling()
    assert throttling["answered429"] == 1 and throttling["early"] == 0, throttling


def test_persistent_502_html_gives_up_after_the_retry_budget(client, emulator):
    emulator.set_faults({SUPPORT: {"times": -1, "status": 502, "body": "html"}})
    with pytest.raises(AlayaAPIError, match="HTTP 502") as info:
        client.get_deployment(SUPPORT)
    assert "<html>" not in str(info.value)
    assert len(api_calls(emulator)) == client.retries + 1


def test_connection_reset_is_a_transport_error_after_bounded_retries(client, emulator):
    emulator.set_faults({SUPPORT: {"times": -1, "reset": True}})
    with pytest.raises(AlayaTransportError, match="lost the connection after 4 attempt"):
        client.get_deployment(SUPPORT)
    assert len(api_calls(emulator)) == 4


def test_read_timeout_is_a_transport_error(emulator):
    emulator.set_faults({SUPPORT: {"latency": 1.0}})
    client = AlayaClient("demo-ak", "demo-sk", emulator.url, timeout=0.2, retries=1, backoff=0.01)
    with pytest.raises(AlayaTransportError, match="timed out after 2 attempt"):
        client.get_deployment(SUPPORT)
    assert len(api_calls(emulator)) == 2


def test_truncated_json_is_malformed_and_not_retried(client, emulator):
    emulator.set_faults({SUPPORT: {"times": 1, "truncate": True}})
    with pytest.raises(AlayaMalformedResponseError, match="not JSON"):
        client.get_deployment(SUPPORT)
    assert len(api_calls(emulator)) == 1


@pytest.mark.parametrize("body", ['{"code": 0, "data": [1, 2]}', '"just a string"', '{"code": 0, "data": null}',
                                  '{"serviceId": "other", "status": "running"}',
                                  json.dumps({"code": 0, "data": {"serviceId": SUPPORT, "status": 7}})])
def test_wrong_shapes_are_malformed_errors(client, emulator, body):
    emulator.set_faults({SUPPORT: {"body": body}})
    with pytest.raises(AlayaMalformedResponseError, match=SUPPORT):
        client.get_deployment(SUPPORT)


@pytest.mark.parametrize("bad", ["", " ", "../x", "a/b", "?x=1", "x" * 10_000, "dép-1", "..", "a b", None, 42])
def test_bad_service_ids_are_refused_before_any_request(client, emulator, bad):
    emulator.clear_requests()
    with pytest.raises(AlayaInputError) as info:
        client.get_deployment(bad)
    assert "\n" not in str(info.value) and len(str(info.value)) < 300
    assert emulator.requests() == []


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"access_key": None}, "access_key is missing"),
        ({"secret_key": ""}, "secret_key is missing"),
        ({"base_url": "http://api.example.com"}, "plain http to a non-loopback host"),
        ({"base_url": "api.alayanew.com"}, "not an http"),
        ({"base_url": "ftp://127.0.0.1"}, "not an http"),
        ({"timeout": 0}, "timeout must be"),
        ({"retries": -1}, "retries must be"),
    ],
)
def test_bad_settings_are_refused_at_construction(kwargs, match):
    settings = {"access_key": "ak", "secret_key": "sk-sentinel-123", "base_url": "http://127.0.0.1:1"} | kwargs
    with pytest.raises(AlayaInputError, match=match) as info:
        AlayaClient(**settings)
    assert "sk-sentinel-123" not in str(info.value)


def test_from_env_reads_the_alaya_variables(emulator):
    client = AlayaClient.from_env(env=emulator.env)
    assert client.get_deployment(SUPPORT).status == "running"
    assert client.base_url == emulator.url + "/api/serverless-infer/v1"


def test_secrets_stay_out_of_repr_and_pickles(client):
    dep = client.get_deployment(SUPPORT)
    assert SUPPORT_KEY not in repr(dep) and "demo-sk" not in repr(client)
    with pytest.raises(TypeError):
        pickle.dumps(client)


def test_wait_reports_each_status_change_and_returns_running(client, emulator):
    emulator.add_deployments({"serviceId": "slow", "statuses": ["starting", "starting", "starting", "running"]})
    seen = []
    dep = client.wait_until_running("slow", timeout=30, on_status=lambda d: seen.append(d.status.value),
                                    interval=0.01, max_interval=0.02)
    assert dep.status is DeploymentStatus.RUNNING
    assert seen == ["starting", "running"]
    assert len(emulator.requests("/slow")) == 4


def test_wait_fails_fast_on_failed(client, emulator):
    with pytest.raises(AlayaDeploymentFailedError, match="is failed") as info:
        client.wait_until_running(BROKEN, timeout=600)
    assert info.value.status == "failed"
    assert len(emulator.requests("/" + BROKEN)) == 1


def test_wait_times_out_with_the_last_status(client, emulator):
    emulator.add_deployments({"serviceId": "stuck", "statuses": ["starting"]})
    with pytest.raises(AlayaWaitTimeoutError, match="still starting, not running, after waiting 0.2s") as info:
        client.wait_until_running("stuck", timeout=0.2, interval=0.05, max_interval=0.05)
    assert isinstance(info.value, TimeoutError) and info.value.last_status == "starting"


def test_wait_checks_its_arguments_first(client, emulator):
    emulator.clear_requests()
    with pytest.raises(AlayaInputError):
        client.wait_until_running(SUPPORT, timeout=-1)
    assert emulator.requests() == []


def test_probe_gets_an_answer_from_the_served_model(client):
    dep = client.wait_until_running(SUMMARY, timeout=30, interval=0.05)
    assert client.probe(dep).startswith("Hello from summariser")


def test_probe_with_a_wrong_key_fails_cleanly(client, emulator):
    emulator.add_deployments({"serviceId": "rotated", "apiKey": "sk-new-key-value",
                              "serviceUrl": f"{emulator.url}/svc/{SUPPORT}"})
    dep = client.get_deployment("rotated")  # its serviceUrl points at another deployment with another key
    with pytest.raises(AlayaProbeError, match="HTTP 401") as info:
        client.probe(dep)
    assert "sk-new-key-value" not in str(info.value)


def test_get_deployments_reads_many_concurrently_in_order(client, emulator):
    ids = emulator.add_deployments(*({"serviceId": f"many-{i}"} for i in range(40)))
    deployments = client.get_deployments(ids)
    assert [d.service_id for d in deployments] == ids
    assert len(emulator.requests("/many-")) == 40


def test_backoff_grows_with_jitter_and_is_capped():
    client = AlayaClient("ak", "sk", "http://127.0.0.1:1", backoff=0.5, max_backoff=4)
    for attempt, step in enumerate([0.5, 1, 2, 4, 4, 4]):
        delays = {client._backoff_delay(attempt) for _ in range(50)}
        assert all(step / 2 <= d <= step for d in delays) and len(delays) > 1


def test_retry_after_beyond_the_deadline_gives_up_at_once(emulator):
    emulator.set_faults({SUPPORT: {"times": -1, "status": 429, "retry_after": 120}})
    client = AlayaClient("demo-ak", "demo-sk", emulator.url, retries=5, deadline=5)
    slept = []
    client._sleep = slept.append
    with pytest.raises(AlayaAPIError, match="HTTP 429.*Rate limited"):
        client.get_deployment(SUPPORT)
    assert slept == [] and len(api_calls(emulator)) == 1


def test_probe_of_a_wrong_service_url_fails_after_one_request(client, emulator):
    dep = client.get_deployment(SUPPORT)
    broken = dataclasses.replace(dep, service_url=f"{emulator.url}/nowhere")
    with pytest.raises(AlayaProbeError, match="HTTP 404"):
        client.probe(broken)
    assert len(emulator.requests("/nowhere")) == 1
