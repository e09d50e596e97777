"""examples/gitops on a real control plane: kube-apiserver, etcd and the ESO controller on 127.0.0.1, the
project's emulator as the Alaya API (issue #23). One cluster and one emulator for the module, a namespace per test;
each test uses deployments of its own, so none depends on another's order.
"""

from __future__ import annotations

import json
import secrets
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from pulumi_alaya.client import AlayaClient, AlayaError

from support.kubernetes.alaya import LoggedEmulator, alaya_cli, alaya_cli_in_process
from support.kubernetes.cluster import ROOT, Cluster
from support.kubernetes.processes import wait_for
from support.kubernetes.recipe import EXTERNAL_SECRET, Recipe

SUPPORT = "38fbfc3d-6a88-4c35-b8b6-9efc83949d47"  # the recipe's serviceId: the emulator's seed support-bot
SYNC_TIMEOUT = 30.0  # a first sync: ESO sees the ExternalSecret and calls the emulator
# Bound for changes ESO picks up on its next refresh (1 s in tests/gitops/overlay): a few intervals of slack for a
# loaded 2-core machine; tests record the time it took (`followed_in`), they do not assert it.
FOLLOW_TIMEOUT = 20.0
POLICY = ROOT / "examples" / "gitops" / "policy"
OPENAI_KEYS = ("OPENAI_BASE_URL", "OPENAI_API_KEY", "MODEL")

# One control plane serves the whole module: its tests share a pytest-xdist worker instead of each starting one.
pytestmark = pytest.mark.xdist_group("gitops")


@pytest.fixture(scope="module", autouse=True)
def store_policy(cluster: Cluster) -> None:
    """examples/gitops/policy, applied as committed before any recipe, effective once a bad store is refused."""
    cluster.kubectl("apply", "-k", str(POLICY))
    bad = {"apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
           "metadata": {"name": "policy-probe", "namespace": "default"},
           "spec": {"provider": {"webhook": {"url": "http://example.invalid/api/serverless-infer/v1/x"}}}}

    def refused() -> bool:
        done = cluster.kubectl("apply", "--dry-run=server", "-f", "-", input=json.dumps(bad), check=False)
        return done.returncode != 0 and "https://" in done.stderr

    wait_for(refused, "the admission policy to refuse a plain-http store", SYNC_TIMEOUT)


def new_deployment(api: LoggedEmulator, **fields: Any) -> str:
    """A running LoRA deployment of this test's own (the emulator gives it a serviceUrl and a random apiKey)."""
    item = {"status": "running", "name": "support-bot-lora", "namespace": "vks-demo", "baseServiceId": "base-qwen2-7b",
            "modelId": "lora-support-v3", "servedName": ["support-bot"], **fields}
    (service_id,) = api.add_deployments(item)
    return service_id


def cli_reading(api: LoggedEmulator, service_id: str) -> dict[str, Any]:
    """What `alaya lora get --output json --show-secrets` says about the deployment: the expected values.
    (The CLI's main() in this process; the first test checks the `alaya` process says the same.)"""
    return dict(json.loads(alaya_cli_in_process(api, "lora", "get", service_id, "--output", "json",
                                                "--show-secrets")))


def expected_secret(reading: dict[str, Any]) -> dict[str, str]:
    return {"OPENAI_BASE_URL": reading["openaiBaseUrl"], "OPENAI_API_KEY": reading["apiKey"],
            "MODEL": reading["model"]}


def wait_for_secret(recipe: Recipe, expected: dict[str, str], what: str, timeout: float = SYNC_TIMEOUT) -> float:
    """Wait until the Secret's three OpenAI values are ``expected``; returns the seconds it took."""
    start = time.monotonic()

    def matches() -> bool:
        data = recipe.secret()
        return data is not None and {k: data.get(k) for k in OPENAI_KEYS} == expected

    wait_for(matches, what, timeout, recipe.describe)
    return time.monotonic() - start


def wait_for_failure(recipe: Recipe, event_text: str, name: str = EXTERNAL_SECRET) -> list[str]:
    """Wait until the ExternalSecret is Ready=False and one of its events contains ``event_text``."""
    def failed() -> list[str]:
        events = recipe.cluster.events(recipe.namespace, name)
        if recipe.ready(name).get("status") == "False" and any(event_text in e for e in events):
            return events
        return []

    return list(wait_for(failed, f"Ready=False with an event containing {event_text!r}", SYNC_TIMEOUT,
                         lambda: recipe.describe(name)))


def test_secret_holds_the_deployments_openai_values(recipe: Recipe, alaya_api: LoggedEmulator) -> None:
    recipe.apply(SUPPORT)
    reading = json.loads(alaya_cli(alaya_api, "lora", "get", SUPPORT, "--output", "json", "--show-secrets").stdout)
    assert reading == cli_reading(alaya_api, SUPPORT)  # the process and the in-process main() agree
    wait_for_secret(recipe, expected_secret(reading), "the Secret of the seed's support-bot")
    data = recipe.secret()
    assert data is not None
    assert data["OPENAI_MODEL"] == data["MODEL"] == "support-bot"
    assert (data["ALAYA_SERVICE_ID"], data["ALAYA_SERVICE_URL"], data["ALAYA_STATUS"]) == (
        SUPPORT, reading["serviceUrl"], "running")
    condition = recipe.ready()
    assert (condition.get("status"), condition.get("reason")) == ("True", "SecretSynced")
    # Applied in the recipe's order (sortOptions fifo): the store existed before the ExternalSecret's first sync.
    assert recipe.cluster.events(recipe.namespace, EXTERNAL_SECRET) == ["secret created"]


# Each documented answer variant (docs/alaya-api.md), produced by the emulator's per-deployment answer options.
VARIANTS = {
    "envelope": {},
    "envelope-code-string": {"code_string": True},
    "bare": {"style": "bare"},
    "apikey-spelling": {"key_spelling": "apikey"},
    "served-name-string": {"served_name_string": True},
    "bare-apikey-served-name-string": {"style": "bare", "key_spelling": "apikey", "served_name_string": True},
}


@pytest.fixture(scope="module")
def variants(cluster: Cluster, alaya_api: LoggedEmulator,
             tmp_path_factory: pytest.TempPathFactory) -> tuple[Recipe, dict[str, dict[str, str]]]:
    """One namespace: the recipe plus one ExternalSecret per variant (the recipe's, renamed and re-keyed), all
    applied at once; returns the recipe and, per variant, the Secret values the CLI reads for its deployment."""
    recipe = Recipe(cluster, "answer-variants", tmp_path_factory.mktemp("variants"), alaya_api.url,
                    alaya_api.access_key, alaya_api.secret_key)
    recipe.create_namespace()
    recipe.create_credentials()
    api_key = "sk-variants-" + secrets.token_hex(8)  # one key for all: only the serviceId and URL may differ
    ids = {variant: new_deployment(alaya_api, apiKey=api_key, servedName=["support-bot", "support-bot-v3"])
           for variant in VARIANTS}
    alaya_api.set_faults({ids[variant]: fault for variant, fault in VARIANTS.items() if fault})
    template = next(doc for doc in recipe.rendered(ids["envelope"]) if doc["kind"] == "ExternalSecret")
    documents = []
    for variant, service_id in ids.items():
        doc = json.loads(json.dumps(template))
        doc["metadata"]["name"] = doc["spec"]["target"]["name"] = f"variant-{variant}"
        doc["spec"]["dataFrom"][0]["extract"]["key"] = service_id
        documents.append(doc)
    recipe.apply(ids["envelope"])
    cluster.kubectl("apply", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "List", "items": documents}))
    # One CLI call reads them all (a list in the order given), each through the client's own normalising.
    readings = json.loads(alaya_cli(alaya_api, "lora", "get", *ids.values(), "--output", "json",
                                    "--show-secrets").stdout)
    return recipe, {variant: expected_secret(reading) for variant, reading in zip(ids, readings, strict=True)}


def variant_secret(recipe: Recipe, variant: str, expected: dict[str, str]) -> dict[str, str]:
    name = f"variant-{variant}"

    def written() -> dict[str, str] | None:
        data = recipe.secret(name)
        return data if data and {k: data.get(k) for k in OPENAI_KEYS} == expected else None

    return dict(wait_for(written, f"the Secret of variant {variant}", SYNC_TIMEOUT,
                         lambda: recipe.describe(name, name)))


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_answer_variant_gives_the_same_secret(
        variant: str, variants: tuple[Recipe, dict[str, dict[str, str]]]) -> None:
    recipe, expected = variants
    data = variant_secret(recipe, variant, expected[variant])
    assert data["MODEL"] == "support-bot"  # the first served name, whether the answer gave a list or a string
    per_deployment = ("OPENAI_BASE_URL", "ALAYA_SERVICE_ID", "ALAYA_SERVICE_URL")
    baseline = variant_secret(recipe, "envelope", expected["envelope"])
    assert {k: v for k, v in data.items() if k not in per_deployment} == {
        k: v for k, v in baseline.items() if k not in per_deployment}


def test_secret_follows_a_replaced_deployment(recipe: Recipe, alaya_api: LoggedEmulator) -> None:
    old = new_deployment(alaya_api)
    recipe.apply(old)
    old_values = expected_secret(cli_reading(alaya_api, old))
    wait_for_secret(recipe, old_values, "the Secret of the first deployment")
    # The replacement as a pipeline makes it today (no `alaya lora rotate` yet): create, wait, delete the old one.
    created = json.loads(alaya_cli(alaya_api, "lora", "create", "--base-service-id", "base-qwen2-7b", "--model-id",
                                   "lora-support-v4", "--name", "support-bot-v4", "--served-name", "support-bot-v4",
                                   "--wait", "--output", "json", "--show-secrets").stdout)
    alaya_cli(alaya_api, "lora", "delete", old)
    recipe.apply(created["serviceId"])  # the serviceId changed in git; Argo CD / Flux re-apply
    new_values = expected_secret(cli_reading(alaya_api, created["serviceId"]))
    assert all(new_values[k] != old_values[k] for k in OPENAI_KEYS)
    followed_in = wait_for_secret(recipe, new_values, "the Secret of the replacement", FOLLOW_TIMEOUT)
    print(f"followed the replacement in {followed_in:.1f} s")


def test_secret_follows_a_rotated_key(recipe: Recipe, alaya_api: LoggedEmulator) -> None:
    service_id = new_deployment(alaya_api)
    recipe.apply(service_id)
    before = expected_secret(cli_reading(alaya_api, service_id))
    wait_for_secret(recipe, before, "the Secret before the rotation")
    rotated = {"serviceId": service_id, "status": "running", "name": "support-bot-lora", "servedName": ["support-bot"],
               "baseServiceId": "base-qwen2-7b", "modelId": "lora-support-v3",
               "apiKey": "sk-rotated-" + secrets.token_hex(8)}
    alaya_api.add_deployments(rotated)  # the same deployment, a new key: nothing changes in git
    after = expected_secret(cli_reading(alaya_api, service_id))
    assert after["OPENAI_API_KEY"] != before["OPENAI_API_KEY"]
    followed_in = wait_for_secret(recipe, after, "the rotated key in the Secret", FOLLOW_TIMEOUT)
    print(f"followed the rotated key in {followed_in:.1f} s (refreshInterval 1s)")


WRONG_SECRET_KEY = "wrong-sk-" + secrets.token_hex(6)


def test_wrong_secret_key_reports_401_and_keeps_the_secret(recipe: Recipe, alaya_api: LoggedEmulator) -> None:
    service_id = new_deployment(alaya_api)
    recipe.apply(service_id)
    values = expected_secret(cli_reading(alaya_api, service_id))
    wait_for_secret(recipe, values, "the Secret before the key goes wrong")
    recipe.create_credentials(secret_key=WRONG_SECRET_KEY)  # the manual's command again, with a wrong key
    events = wait_for_failure(recipe, "endpoint gave error 401 Unauthorized")
    assert any("401" in e for e in events)
    assert any(r["status"] == 401 for r in alaya_api.requests(contains=service_id)), "the API never saw a 401"
    data = recipe.secret()
    assert data is not None and {k: data[k] for k in OPENAI_KEYS} == values  # the old Secret is kept


def test_deleted_deployment_keeps_the_secret_under_retain(recipe: Recipe, alaya_api: LoggedEmulator) -> None:
    service_id = new_deployment(alaya_api)
    rendered = next(d for d in recipe.rendered(service_id) if d["kind"] == "ExternalSecret")
    assert rendered["spec"]["target"]["deletionPolicy"] == "Retain"  # what the committed recipe says
    recipe.apply(service_id)
    values = expected_secret(cli_reading(alaya_api, service_id))
    wait_for_secret(recipe, values, "the Secret before the deletion")
    alaya_cli(alaya_api, "lora", "delete", service_id, "--wait")
    wait_for_failure(recipe, "Secret does not exist")
    data = recipe.secret()
    assert data is not None and {k: data[k] for k in OPENAI_KEYS} == values


def test_deleted_deployment_removes_the_secret_under_delete(recipe: Recipe, alaya_api: LoggedEmulator) -> None:
    service_id = new_deployment(alaya_api)
    recipe.apply(service_id, deletion_policy="Delete")
    wait_for_secret(recipe, expected_secret(cli_reading(alaya_api, service_id)), "the Secret before the deletion")
    alaya_cli(alaya_api, "lora", "delete", service_id, "--wait")
    wait_for(lambda: recipe.secret() is None, "ESO to delete the Secret", FOLLOW_TIMEOUT, recipe.describe)
    condition = recipe.ready()
    assert (condition.get("status"), condition.get("reason")) == ("True", "SecretDeleted")


@pytest.mark.parametrize(("fault", "message"), [
    ({"override": {"serviceUrl": ""}}, "the Alaya answer has no serviceUrl"),
    ({"code_error": "quota exceeded"}, "the Alaya API answered code -1"),  # HTTP 200 with {code: -1, msg}
])
def test_unusable_answer_fails_the_sync_and_keeps_the_secret(recipe: Recipe, alaya_api: LoggedEmulator,
                                                             fault: dict[str, Any], message: str) -> None:
    service_id = new_deployment(alaya_api)
    recipe.apply(service_id)
    values = expected_secret(cli_reading(alaya_api, service_id))
    wait_for_secret(recipe, values, "the Secret before the answer goes bad")
    alaya_api.set_faults({service_id: fault})
    wait_for_failure(recipe, message)
    data = recipe.secret()
    assert data is not None and {k: data[k] for k in OPENAI_KEYS} == values  # never overwritten with blanks


def test_cluster_secret_store_variant_gives_the_same_secret(recipe: Recipe, alaya_api: LoggedEmulator) -> None:
    credentials = recipe.namespace[:40] + "-credentials"
    recipe.cluster.kubectl("create", "namespace", credentials)
    recipe.create_credentials(namespace=credentials)
    service_id = new_deployment(alaya_api)
    recipe.apply(service_id, cluster_store_credentials=credentials)
    wait_for_secret(recipe, expected_secret(cli_reading(alaya_api, service_id)), "the Secret through the store")
    store = recipe.cluster.get("clustersecretstore", "alaya", "")
    assert store is not None and "namespace" not in store["metadata"]


def test_cli_k8s_secret_is_accepted_by_the_api_server(recipe: Recipe, alaya_api: LoggedEmulator) -> None:
    service_id = new_deployment(alaya_api)
    bin_dir = str(Path(sys.executable).parent)
    recipe.cluster.shell(
        f"alaya lora get {service_id} --output k8s-secret --show-secrets --secret-name support-bot "
        f"--namespace {recipe.namespace} | kubectl apply -f -",
        env={**alaya_api.env, "PATH": f"{recipe.cluster.tools}:{bin_dir}:/usr/bin:/bin"})
    reading = cli_reading(alaya_api, service_id)
    data = recipe.secret("support-bot")
    assert data == {"OPENAI_BASE_URL": reading["openaiBaseUrl"], "OPENAI_MODEL": reading["model"],
                    "OPENAI_API_KEY": reading["apiKey"], "ALAYA_SERVICE_URL": reading["serviceUrl"]}


def test_service_id_that_names_no_deployment_shows_not_found(recipe: Recipe) -> None:
    recipe.apply("not-a-deployment")  # a well-formed serviceId the API does not know: 404
    wait_for_failure(recipe, "Secret does not exist")
    assert recipe.secret() is None


def test_service_id_that_is_not_one_is_refused_by_the_policy(recipe: Recipe) -> None:
    refused = recipe.cluster.kubectl("apply", "-n", recipe.namespace, "-k",
                                     str(recipe.kustomization("../base-qwen2-7b")), check=False)
    assert refused.returncode != 0
    assert "needs a serviceId as its key" in refused.stderr
    assert recipe.cluster.get("externalsecret", EXTERNAL_SECRET, recipe.namespace) is None


@pytest.mark.parametrize(("url", "accepted"), [
    ("http://api.alayanew.com/api/serverless-infer/v1/deployment/{{ .remoteRef.key }}", False),
    ("https://api.alayanew.com/api/serverless-infer/v1/deployment/{{ .remoteRef.key }}", True),
    ("http://127.0.0.1:8780/api/serverless-infer/v1/deployment/{{ .remoteRef.key }}", True),
])
def test_store_url_that_is_not_https_is_refused_by_the_policy(cluster: Cluster, alaya_api: LoggedEmulator,
                                                              tmp_path: Path, url: str, accepted: bool) -> None:
    rendering = Recipe(cluster, "default", tmp_path, alaya_api.url, alaya_api.access_key, alaya_api.secret_key)
    store = next(d for d in rendering.rendered(SUPPORT) if d["kind"] == "SecretStore")
    store["spec"]["provider"]["webhook"]["url"] = url
    # --dry-run=server: admission runs, nothing is stored, so ESO never calls the non-loopback address.
    done = cluster.kubectl("apply", "--dry-run=server", "-f", "-", input=json.dumps(store), check=False)
    assert (done.returncode == 0) == accepted, done.stderr
    if not accepted:
        assert "must start with https://" in done.stderr


def test_credentials_secret_without_label_is_refused(recipe: Recipe, alaya_api: LoggedEmulator) -> None:
    recipe.cluster.kubectl("label", "secret", "alaya-api-credentials", "-n", recipe.namespace,
                           "external-secrets.io/type-")
    recipe.apply(new_deployment(alaya_api))
    wait_for_failure(recipe, "secret does not contain needed label 'external-secrets.io/type: webhook'")
    assert recipe.secret() is None


def test_logs_carry_no_secret(recipe: Recipe, alaya_api: LoggedEmulator, cluster: Cluster,
                              capfd: pytest.CaptureFixture[str]) -> None:
    # Its own sync and 401 first, so the logs scanned hold both paths even when this test runs alone.
    service_id = new_deployment(alaya_api)
    recipe.apply(service_id)
    wait_for_secret(recipe, expected_secret(cli_reading(alaya_api, service_id)), "a synced Secret")
    recipe.create_credentials(secret_key=WRONG_SECRET_KEY)
    wait_for_failure(recipe, "401 Unauthorized")
    api_keys = set()
    with AlayaClient(alaya_api.access_key, alaya_api.secret_key, alaya_api.url) as client:
        for listed in alaya_api.deployments():
            try:
                api_keys.add(client.get_deployment(listed["serviceId"]).api_key)
            except AlayaError:  # deleted by an earlier test
                pass
    forbidden = {alaya_api.secret_key, WRONG_SECRET_KEY, *api_keys}
    logs = {**cluster.logs(), "emulator": alaya_api.logged.log.read_text(errors="replace"),
            "test commands": (cluster.command_log.read_text() if cluster.command_log else "")}
    captured = capfd.readouterr()
    logs["test output"] = captured.out + captured.err
    assert "401 Unauthorized" in logs["external-secrets"], "ESO's log does not show the failure it should"
    leaks = sorted(f"{where}: {len(secret)}-character secret" for where, text in logs.items()
                   for secret in forbidden if secret and secret in text)
    assert not leaks, f"secrets found in logs: {leaks}"
    assert len(api_keys) >= 2
