"""The core client on a hostile network: each test names the guard it holds (remove the guard, the test fails)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from pulumi_alaya.client import (
    AlayaAPIError,
    AlayaClient,
    AlayaInputError,
    AlayaMalformedResponseError,
    AlayaNotFoundError,
    AlayaProbeError,
    AlayaTransportError,
    AlayaWaitTimeoutError,
)
from pulumi_alaya.client.errors import AlayaRedirectError
from pulumi_alaya.client.transport import MAX_BODY_BYTES, Transport
from pulumi_alaya.emulator.recorder import Recorder

from support.seed import SUMMARY, SUPPORT, SUPPORT_KEY


@pytest.fixture
def recorder():
    with Recorder() as other_host:
        yield other_host


def quick_client(emulator, **options):
    settings = {"backoff": 0.01, "max_backoff": 0.05, "timeout": 5, **options}
    return AlayaClient(emulator.access_key, emulator.secret_key, emulator.url, **settings)


# -- 1. the URL check uses the parser that sends --------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://attacker.invalid\\@127.0.0.1:8780",  # urllib.parse sees 127.0.0.1, urllib3 sends to attacker.invalid
    "http://user:hunter2@127.0.0.1:8780",
    "http://127.0.0.1:8780@attacker.invalid",
    "http://127.0.0.1:8780/\napi",
    "http://127.0.0.1:8780/?next=x",
    "http://127.0.0.1:8780/#x",
    "http://127.0.0.1:99999",
    "http://127.0.0.1:65536",
    "http://127.0.0.1:abc",
    "http:127.0.0.1",
])
def test_unsafe_base_urls_are_refused_before_any_request(url, recorder):
    with pytest.raises(AlayaInputError) as info:
        AlayaClient("ak", "sk-secret", url).get_deployment(SUPPORT)
    assert "hunter2" not in str(info.value) and "\n" not in str(info.value)
    assert recorder.log == []


# -- 2. redirects are never followed ----------------------------------------------------------------------

@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_an_api_redirect_is_an_error_naming_the_other_host_and_nothing_reaches_it(client, emulator, recorder,
                                                                                  status):
    emulator.set_faults({SUPPORT: {"times": -1, "status": status, "location": recorder.url + "/steal?token=abc"}})
    with pytest.raises(AlayaRedirectError) as info:
        client.get_deployment(SUPPORT)
    assert recorder.url.removeprefix("http://") in str(info.value)
    assert "token=abc" not in str(info.value)
    assert recorder.log == []
    assert len(emulator.requests("/deployment/" + SUPPORT)) == 1


def test_a_probe_redirect_keeps_the_api_key_and_body_at_home(client, emulator, recorder):
    with Recorder() as redirector:
        redirector.redirect_to = recorder.url
        dep = client.get_deployment(SUPPORT)
        dep = type(dep)(**{**dep.__dict__, "service_url": redirector.url})
        with pytest.raises(AlayaProbeError, match="redirect") as info:
            client.probe(dep)
    assert recorder.log == []
    assert SUPPORT_KEY not in str(info.value)


def test_a_cookie_a_host_sets_is_never_sent_back(recorder):
    """A session would keep it and send it with every later request (to any path of that host)."""
    recorder.cookie = "session=stolen-if-sent; Path=/"
    with AlayaClient("ak", "sk-secret", recorder.url + "/api/serverless-infer/v1", timeout=5) as alaya:
        assert [alaya.get_deployment(sid).service_id for sid in (SUPPORT, SUMMARY)] == [SUPPORT, SUMMARY]
    first, second = (entry["headers"] for entry in recorder.log)
    assert "Cookie" not in second and "stolen" not in recorder.text()
    for sent in (first, second):  # what every request carries: the signed header and the session's own
        assert sent["Authorization"].startswith("plain Credential=ak,")
        assert sent["User-Agent"].startswith("pulumi-alaya") and sent["Accept-Encoding"] == "gzip, deflate"


# -- 3. no ambient auth, no proxy for loopback, proxies and CA bundles resolved once -------------------------

def test_netrc_never_replaces_the_signed_header(emulator, tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login netrc-user password netrc-password\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    with quick_client(emulator) as alaya:
        assert alaya.get_deployment(SUPPORT).api_key == SUPPORT_KEY  # a Basic header would be a 401


def test_loopback_is_never_proxied(emulator, recorder, monkeypatch):
    for variable in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.setenv(variable, recorder.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with quick_client(emulator) as alaya:
        assert alaya.get_deployment(SUPPORT).service_id == SUPPORT
    assert recorder.log == []


def test_https_proxy_and_no_proxy_are_honoured_for_remote_hosts(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "bypass.example")
    transport = Transport(verify=True, pool_size=1, user_agent="t")
    assert transport.proxies_for("https://api.alayanew.com/x") == {"https": "http://proxy.internal:3128"}
    assert transport.proxies_for("https://bypass.example/x") == {}
    monkeypatch.setenv("HTTPS_PROXY", "http://changed:1")  # looked up once per host, not per request
    assert transport.proxies_for("https://api.alayanew.com/y") == {"https": "http://proxy.internal:3128"}


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"])
def test_ca_bundle_variables_are_honoured(variable, monkeypatch, tmp_path):
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, str(tmp_path / "ca.pem"))
    assert Transport(verify=True, pool_size=1, user_agent="t").session.verify == str(tmp_path / "ca.pem")


# -- 4. secrets never in messages, not even in part, not through __context__ --------------------------------

def test_an_echoed_secret_key_is_scrubbed(client, emulator):
    emulator.set_faults({SUPPORT: {"times": -1, "status": 400, "echo_secret": True}})
    with pytest.raises(AlayaAPIError) as info:
        client.get_deployment(SUPPORT)
    assert emulator.secret_key not in str(info.value) and "***" in str(info.value)


def test_a_secret_key_straddling_the_message_cut_leaves_no_prefix(client, emulator):
    # The message keeps 200 characters of the API's msg: the key starts at 196, so a cut before scrubbing
    # would leave its first four characters behind.
    emulator.set_faults({SUPPORT: {"code_error": "x" * 196 + emulator.secret_key}})
    with pytest.raises(AlayaAPIError) as info:
        client.get_deployment(SUPPORT)
    assert "x" * 196 + "***"[:4] in str(info.value) and emulator.secret_key[:4] not in str(info.value)


def test_an_api_key_straddling_the_message_cut_leaves_no_prefix(client, emulator):
    client.get_deployment(SUPPORT)  # the client now knows this deployment's apiKey
    emulator.set_faults({SUPPORT: {"code_error": "x" * 196 + SUPPORT_KEY}})
    with pytest.raises(AlayaAPIError) as info:
        client.get_deployment(SUPPORT)
    assert SUPPORT_KEY[:4] not in str(info.value)


def test_errors_carry_no_request_through_their_context(emulator):
    with AlayaClient("ak", "sk-context-secret", "http://127.0.0.1:9", retries=0) as alaya:
        with pytest.raises(AlayaTransportError) as info:
            alaya.get_deployment(SUPPORT)
    assert info.value.__context__ is None and info.value.__cause__ is None


# -- 6. bodies are bounded in time and memory ------------------------------------------------------------

@pytest.mark.parametrize("fault,error", [
    ({"endless": True}, AlayaMalformedResponseError),
    ({"huge": 100 * 1024 * 1024}, AlayaMalformedResponseError),
    ({"gzip_bomb": 100 * 1024 * 1024}, AlayaMalformedResponseError),
    ({"bad_gzip": True}, AlayaMalformedResponseError),
    ({"deep_json": 100_000}, AlayaMalformedResponseError),
])
def test_hostile_bodies_are_one_clear_error(client, emulator, fault, error):
    emulator.set_faults({SUPPORT: {"times": -1, **fault}})
    with pytest.raises(error) as info:
        client.get_deployment(SUPPORT)
    assert SUPPORT in str(info.value)


@pytest.mark.parametrize("fault", [{"cut": True}, {"cut_chunked": True}])
def test_cut_bodies_are_retried_like_resets(client, emulator, fault):
    emulator.set_faults({SUPPORT: {"times": 1, **fault}})
    assert client.get_deployment(SUPPORT).api_key == SUPPORT_KEY
    emulator.set_faults({SUPPORT: {"times": -1, **fault}})
    with pytest.raises(AlayaTransportError):
        client.get_deployment(SUPPORT)
    assert len(emulator.requests("/deployment/" + SUPPORT)) == 2 + (client.retries + 1)


def test_a_trickling_body_is_cut_off_by_the_request_timeout(emulator):
    emulator.set_faults({SUPPORT: {"times": -1, "trickle": 0.2}})  # ~80 bytes: 16 s if nothing cuts it off
    with quick_client(emulator, timeout=1, retries=0) as alaya, pytest.raises(AlayaTransportError, match="timed out"):
        alaya.get_deployment(SUPPORT)


def test_a_100_mb_body_never_reaches_memory(emulator):
    # Peak RSS growth across the read, in a fresh process: the endless body would be 1 GiB without the bound.
    emulator.set_faults({SUPPORT: {"times": -1, "endless": True}})
    program = (
        "import resource\n"
        "from pulumi_alaya.client import AlayaClient, AlayaError\n"
        f"c = AlayaClient('{emulator.access_key}', '{emulator.secret_key}', '{emulator.url}', retries=0)\n"
        f"c.get_deployment('{SUMMARY}')  # warm: imports, pool, buffers\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        f"    c.get_deployment('{SUPPORT}')\n"
        "except AlayaError as e:\n"
        "    print(type(e).__name__)\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)\n"
    )
    kind, growth_mb = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                                     check=True).stdout.split()
    assert kind == "AlayaMalformedResponseError"
    assert int(growth_mb) < 50
    assert MAX_BODY_BYTES <= 8 * 1024 * 1024


# -- 7/8. the wait budget is wall-clock, transient answers keep it polling --------------------------------

def test_a_retry_after_beyond_the_wait_budget_ends_the_wait_with_the_true_reason(client, emulator):
    emulator.set_faults({SUMMARY: {"times": -1, "status": 429, "retry_after": 50}})
    with pytest.raises(AlayaAPIError, match="retry after 50s") as info:
        client.wait_until_running(SUMMARY, timeout=5)
    assert not isinstance(info.value, AlayaWaitTimeoutError)
    assert len(emulator.requests("/deployment/" + SUMMARY)) == 1


def test_a_hung_server_cannot_stretch_the_wait(emulator):
    emulator.set_faults({SUMMARY: {"latency": 30}})
    with quick_client(emulator, timeout=30, retries=3) as alaya, pytest.raises(AlayaWaitTimeoutError):
        alaya.wait_until_running(SUMMARY, timeout=1.5)


def test_transient_answers_inside_a_wait_keep_it_polling(emulator):
    emulator.add_deployments({"serviceId": "flaky", "status": "running"})
    emulator.set_faults({"flaky": {"times": 6, "status": 503}})
    with quick_client(emulator, retries=0) as alaya:
        dep = alaya.wait_until_running("flaky", timeout=60, interval=0.01, max_interval=0.02)
    assert dep.status.value == "running"
    assert len(emulator.requests("/deployment/flaky")) == 7


def test_a_batch_wait_stops_at_the_first_hard_failure(emulator):
    emulator.add_deployments({"serviceId": "forever-starting", "status": "starting", "statuses": ["starting"]})
    with quick_client(emulator) as alaya, pytest.raises(AlayaNotFoundError):
        # Input order puts the slow one first: waiting it out would raise its wait timeout instead.
        alaya.get_deployments(["forever-starting", "no-such-deployment"], wait=True, wait_timeout=120)


# -- 9/10/11. clean failures and values that cannot be right ---------------------------------------------

def test_a_404_that_is_not_the_apis_is_not_not_found(emulator):
    with quick_client(emulator, retries=0) as alaya:
        alaya.base_url = emulator.url + "/wrong-prefix"
        with pytest.raises(AlayaAPIError) as info:
            alaya.get_deployment(SUPPORT)
    assert not isinstance(info.value, AlayaNotFoundError)
    assert "did not come from the Alaya API" in str(info.value)


def test_a_post_meeting_503_is_not_retried(client, emulator):
    dep = client.get_deployment(SUMMARY)  # starting: its model endpoint answers 503
    with pytest.raises(AlayaProbeError):
        client.probe(dep)
    assert len(emulator.requests("/svc/" + SUMMARY)) == 1


@pytest.mark.parametrize("override", [
    {"serviceUrl": ""},
    {"serviceUrl": "ftp://files.example/x"},
    {"servedName": [""]},
    {"servedName": []},
    {"name": "ok\n::set-env name=X::y"},
    {"apiKey": "sk-line1\nline2"},
])
def test_values_that_cannot_be_right_are_malformed(client, emulator, override):
    emulator.set_faults({SUPPORT: {"override": override}})
    with pytest.raises(AlayaMalformedResponseError):
        client.get_deployment(SUPPORT)


def test_a_lone_surrogate_is_malformed(client, emulator):
    body = json.dumps({"code": 0, "data": {"serviceId": SUPPORT, "status": "starting", "name": "x"}})
    emulator.set_faults({SUPPORT: {"body": body.replace('"x"', '"\\ud800"')}})
    with pytest.raises(AlayaMalformedResponseError, match="not valid Unicode"):
        client.get_deployment(SUPPORT)


def test_an_undocumented_status_is_kept_and_a_wait_reports_it(client, emulator):
    emulator.add_deployments({"serviceId": "odd", "status": "running", "statuses": ["deleting", "running"]})
    seen = []
    dep = client.wait_until_running("odd", timeout=30, on_status=lambda d: seen.append(d.to_dict()["status"]),
                                    interval=0.01, max_interval=0.02)
    assert seen == ["deleting", "running"] and dep.status_name == "running"


def test_a_smoke_test_of_an_unusable_service_url_is_a_probe_failure(client, emulator):
    dep = client.get_deployment(SUPPORT)
    dep = type(dep)(**{**dep.__dict__, "service_url": "http://198.51.100.7/svc"})
    with pytest.raises(AlayaProbeError, match="not sent"):
        client.probe(dep)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 0, -1])
def test_timeouts_must_be_finite_and_positive(emulator, value):
    with pytest.raises(AlayaInputError):
        quick_client(emulator, timeout=value)
    with quick_client(emulator) as alaya, pytest.raises(AlayaInputError):
        alaya.wait_until_running(SUPPORT, timeout=value)


def test_interrupting_a_wait_from_a_thread_is_possible(emulator):
    # The batch's cancel event is what stops siblings: a wait must look at it on every poll.
    stop = threading.Event()
    stop.set()
    with quick_client(emulator) as alaya, pytest.raises(Exception, match="cancelled"):
        alaya.wait_until_running(SUMMARY, timeout=30, cancel=stop)


def test_the_environment_is_not_rescanned_per_request(emulator, monkeypatch):
    calls = []
    import requests.utils

    real = requests.utils.get_environ_proxies
    monkeypatch.setattr(requests.utils, "get_environ_proxies", lambda *a, **k: calls.append(a) or real(*a, **k))
    with quick_client(emulator) as alaya:
        for _ in range(5):
            alaya.get_deployment(SUPPORT)
    assert calls == []  # loopback: never even looked up; remote hosts: once (see the proxy test)
