"""`alaya controller` on a real control plane (kube-apiserver + etcd on 127.0.0.1) against the emulator (issue #29):
every reconcile case, as a GitOps tool would drive it (kubectl apply / delete), counted at the emulator.

One control plane, one emulator and one controller for the module (a namespace per test); the module shares one
pytest-xdist worker, as tests/gitops does.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import threading
from typing import Any

import pytest

from pulumi_alaya.client import AlayaClient
from pulumi_alaya.client.kinds import LORA
from pulumi_alaya.controller.discovery import unserved, wait_until_served
from pulumi_alaya.controller.kube import connect
from pulumi_alaya.controller.resource import Resource

from support.doc_blocks import block
from support.kubernetes.alaya import LoggedEmulator
from support.kubernetes.argocd import argocd_health
from support.kubernetes.cluster import ROOT, Cluster
from support.kubernetes.controller import Controller, apply
from support.kubernetes.processes import wait_for
from support.kubernetes.recipe import Recipe

pytestmark = pytest.mark.xdist_group("controller")

API = "serverless.alayanew.com/v1alpha1"
BASE = "base-qwen2-7b"  # the emulator's seed base model (running)
TIMEOUT = 60.0  # a bound, not a goal: the CI machine runs four workers on two cores
WRITES = ("POST", "PUT", "DELETE")


def lora(name: str, namespace: str, **spec: Any) -> dict[str, Any]:
    return {"apiVersion": API, "kind": "LoraDeployment", "metadata": {"name": name, "namespace": namespace},
            "spec": {"baseServiceId": BASE, "modelId": "lora-support-v3", "servedNames": [name],
                     "resyncInterval": "1s", **spec}}


def base_model(name: str, namespace: str, **spec: Any) -> dict[str, Any]:
    return {"apiVersion": API, "kind": "BaseModelDeployment", "metadata": {"name": name, "namespace": namespace},
            "spec": {"vksId": "vks-demo", "namespace": namespace, "name": name, "servedNames": [name],
                     "modelId": "Qwen/Qwen2-7B-Instruct", "backend": "vllm", "backendVersion": "v0.8.5",
                     "cpu": "8", "mem": "32Gi", "gpuType": "A100", "gpuCount": 1, "resyncInterval": "1s", **spec}}


def get(cluster: Cluster, kind: str, name: str, namespace: str) -> dict[str, Any]:
    return cluster.get(kind, name, namespace) or {}


def condition(obj: dict[str, Any], kind: str = "Ready") -> dict[str, Any]:
    return next((c for c in (obj.get("status") or {}).get("conditions") or [] if c["type"] == kind), {})


def wait_condition(cluster: Cluster, kind: str, name: str, namespace: str, type_: str = "Ready",
                   reason: str | None = None, timeout: float = TIMEOUT) -> dict[str, Any]:
    """Wait until condition ``type_`` is True (with ``reason``); the object."""
    def met() -> dict[str, Any]:
        obj = get(cluster, kind, name, namespace)
        found = condition(obj, type_)
        ok = found.get("status") == "True" and (reason is None or found.get("reason") == reason)
        return obj if ok else {}

    return dict(wait_for(met, f"{kind} {namespace}/{name} {type_}={reason or 'True'}", timeout,
                         lambda: json.dumps(get(cluster, kind, name, namespace).get("status") or {})[:600]))


def secret(cluster: Cluster, name: str, namespace: str) -> dict[str, str]:
    obj = cluster.get("secret", name, namespace) or {}
    return {k: base64.b64decode(v).decode() for k, v in (obj.get("data") or {}).items()}


def writes(api: LoggedEmulator) -> list[tuple[str, str]]:
    """Every write the emulator answered (method, path), oldest first."""
    return [(r["method"], r["path"]) for r in api.requests() if r["method"] in WRITES]


def live(api: LoggedEmulator) -> dict[str, str]:
    """The deployments the emulator has that are not being deleted: serviceId -> status."""
    return {d["serviceId"]: d["status"] for d in api.deployments() if d["status"] != "stopping"}


def test_kopf_starts_only_once_the_api_server_serves_every_resource(cluster: Cluster, monkeypatch) -> None:
    """kopf lists the API's resources once: the controller waits until ours are served (discovery lags behind a
    CRD's Established; CI saw a controller that never watched), and a stop ends the wait."""
    monkeypatch.setenv("KUBECONFIG", str(cluster.kubeconfig))
    kube = connect()
    assert unserved(kube) == [] and wait_until_served(kube, threading.Event())
    missing = Resource(dataclasses.replace(LORA, resource="NotInstalledDeployment"))
    assert unserved(kube, (missing,)) == ["notinstalleddeployments"]
    stopped = threading.Event()
    stopped.set()
    assert wait_until_served(kube, stopped, (missing,)) is False


def test_lora_ready_secret_as_esos_and_a_quiet_resync(cluster: Cluster, alaya_api: LoggedEmulator, namespace: str,
                                                      tmp_path) -> None:
    before = len(writes(alaya_api))
    apply(cluster, lora("support-bot", namespace))
    cluster.kubectl("wait", "--for=condition=Ready", "--timeout=30s", "-n", namespace, "loradeployment/support-bot")
    obj = get(cluster, "loradeployment", "support-bot", namespace)
    service_id = obj["status"]["serviceId"]
    assert writes(alaya_api)[before:] == [("POST", "/api/serverless-infer/v1/deployment/lora")]
    assert obj["status"]["observedGeneration"] == obj["metadata"]["generation"]
    assert (obj["status"]["alayaStatus"], obj["status"]["model"]) == ("running", "support-bot")
    assert argocd_health(obj)["status"] == "Healthy"
    # The same Secret as examples/gitops' ESO recipe makes of the same deployment.
    recipe = Recipe(cluster, namespace, tmp_path, alaya_api.url, alaya_api.access_key, alaya_api.secret_key)
    recipe.create_credentials()
    recipe.apply(service_id)
    wait_for(lambda: recipe.secret() is not None, "ESO's Secret", TIMEOUT, recipe.describe)
    assert secret(cluster, "support-bot", namespace) == recipe.secret()
    owner = (cluster.get("secret", "support-bot", namespace) or {})["metadata"]["ownerReferences"][0]
    assert (owner["kind"], owner["uid"]) == ("LoraDeployment", obj["metadata"]["uid"])
    # Resyncs read (every 1 s) and write nothing: not to the API, not to the object.
    version, reads = obj["metadata"]["resourceVersion"], len(alaya_api.requests(service_id, "GET"))
    wait_for(lambda: len(alaya_api.requests(service_id, "GET")) >= reads + 3, "three resync reads", TIMEOUT)
    assert writes(alaya_api)[before:] == [("POST", "/api/serverless-infer/v1/deployment/lora")]
    assert get(cluster, "loradeployment", "support-bot", namespace)["metadata"]["resourceVersion"] == version
    cluster.kubectl("delete", "externalsecrets", "--all", "-n", namespace, "--wait=false")


def test_base_model_then_its_lora_and_deletion_in_order(cluster: Cluster, alaya_api: LoggedEmulator,
                                                        namespace: str) -> None:
    apply(cluster, base_model("qwen", namespace))
    cluster.kubectl("wait", "--for=condition=Ready", "--timeout=30s", "-n", namespace, "basemodeldeployment/qwen")
    base_id = get(cluster, "basemodeldeployment", "qwen", namespace)["status"]["serviceId"]
    assert secret(cluster, "qwen", namespace)["ALAYA_SERVICE_ID"] == base_id
    apply(cluster, lora("on-qwen", namespace, baseServiceId=base_id))
    lora_id = wait_condition(cluster, "loradeployment", "on-qwen", namespace)["status"]["serviceId"]
    # The base is refused while its LoRA runs: the condition says why, it retries; then it goes after the LoRA.
    cluster.kubectl("delete", "basemodeldeployment", "qwen", "-n", namespace, "--wait=false")
    blocked = wait_condition(cluster, "basemodeldeployment", "qwen", namespace, "Reconciling", "DeleteBlocked")
    assert lora_id in condition(blocked, "Reconciling")["message"]
    assert argocd_health(blocked) == {"status": "Progressing", "message": condition(blocked, "Reconciling")["message"]}
    assert live(alaya_api).get(base_id) == "running"
    cluster.kubectl("delete", "loradeployment", "on-qwen", "-n", namespace, "--timeout=30s")
    assert lora_id not in live(alaya_api)
    cluster.kubectl("wait", "--for=delete", "--timeout=30s", "-n", namespace, "basemodeldeployment/qwen")
    assert base_id not in live(alaya_api)


def test_change_and_rotation_replace_create_before_delete(cluster: Cluster, alaya_api: LoggedEmulator,
                                                          namespace: str) -> None:
    apply(cluster, lora("bot", namespace))
    first = wait_condition(cluster, "loradeployment", "bot", namespace)["status"]["serviceId"]
    old_key = secret(cluster, "bot", namespace)["OPENAI_API_KEY"]
    apply(cluster, lora("bot", namespace, servedNames=["bot-v2"]))
    second = wait_for(lambda: (s := get(cluster, "loradeployment", "bot", namespace)["status"]).get("serviceId")
                      != first and condition({"status": s}).get("status") == "True" and s.get("serviceId"),
                      "the replacement", TIMEOUT)
    data = secret(cluster, "bot", namespace)
    assert (data["ALAYA_SERVICE_ID"], data["MODEL"]) == (second, "bot-v2")
    wait_for(lambda: first not in live(alaya_api), "the old deployment to go", TIMEOUT)
    # Rotation: a new deployment with a new key; the Secret follows, the old one goes.
    apply(cluster, lora("bot", namespace, servedNames=["bot-v2"], rotationToken="2026-12"))
    third = wait_for(lambda: (s := get(cluster, "loradeployment", "bot", namespace)["status"]).get("rotationToken")
                     == "2026-12" and condition({"status": s}).get("status") == "True" and s.get("serviceId"),
                     "the rotation", TIMEOUT)
    assert third not in (first, second)
    assert secret(cluster, "bot", namespace)["OPENAI_API_KEY"] not in (old_key, "")
    wait_for(lambda: second not in live(alaya_api), "the rotated-out deployment to go", TIMEOUT)


def test_offline_update_keeps_the_deployment(cluster: Cluster, alaya_api: LoggedEmulator, namespace: str) -> None:
    apply(cluster, lora("upd", namespace, offlineUpdate=True))
    service_id = wait_condition(cluster, "loradeployment", "upd", namespace)["status"]["serviceId"]
    before = len(writes(alaya_api))
    apply(cluster, lora("upd", namespace, offlineUpdate=True, modelId="lora-support-v4"))
    wait_for(lambda: secret(cluster, "upd", namespace).get("ALAYA_MODEL_ID") == "lora-support-v4", "the update",
             TIMEOUT)
    obj = wait_condition(cluster, "loradeployment", "upd", namespace)
    assert obj["status"]["serviceId"] == service_id
    assert [m for m, _ in writes(alaya_api)[before:]] == ["POST", "PUT"]  # stop (cancel), then the update


def test_a_deployment_slower_than_wait_timeout_stalls_and_is_kept(cluster: Cluster, alaya_api: LoggedEmulator,
                                                                   namespace: str) -> None:
    alaya_api.set_timing(600, 0.3)  # it will take ten minutes to run
    before = len(writes(alaya_api))
    apply(cluster, lora("slow", namespace, waitTimeout=2))
    stalled = wait_condition(cluster, "loradeployment", "slow", namespace, "Stalled", "WaitTimeout")
    message, service_id = condition(stalled, "Stalled")["message"], stalled["status"]["serviceId"]
    assert message.startswith(f"deployment {service_id} is still ") and "waitTimeout (2s) passed." in message
    assert condition(stalled, "Ready")["status"] == "False"
    assert [m for m, _ in writes(alaya_api)[before:]] == ["POST"]  # kept: nothing deleted, nothing made again


def test_drift_is_corrected(cluster: Cluster, alaya_api: LoggedEmulator, namespace: str) -> None:
    apply(cluster, lora("drift", namespace))
    first = wait_condition(cluster, "loradeployment", "drift", namespace)["status"]["serviceId"]
    client = AlayaClient.from_env(alaya_api.env)
    client.delete_deployment(first)  # behind the controller's back
    second = wait_for(lambda: (s := get(cluster, "loradeployment", "drift", namespace)["status"]).get("serviceId")
                      not in (None, first) and condition({"status": s}).get("status") == "True" and s.get("serviceId"),
                      "a new deployment", TIMEOUT)
    assert any("was deleted outside the controller" in e for e in cluster.events(namespace, "drift"))
    assert secret(cluster, "drift", namespace)["ALAYA_SERVICE_ID"] == second


def test_adopt_and_observe(cluster: Cluster, alaya_api: LoggedEmulator, namespace: str) -> None:
    (existing,) = alaya_api.add_deployments({"status": "running", "name": "adoptee", "baseServiceId": BASE,
                                             "modelId": "lora-support-v3", "servedName": ["adoptee"]})
    before = len(writes(alaya_api))
    apply(cluster, lora("adoptee", namespace, adoptServiceId=existing),
          lora("mismatch", namespace, adoptServiceId=existing, modelId="other-model"),
          {"apiVersion": API, "kind": "LoraDeployment", "metadata": {"name": "watcher", "namespace": namespace},
           "spec": {"managementPolicy": "Observe", "serviceId": existing, "resyncInterval": "1s"}})
    assert wait_condition(cluster, "loradeployment", "adoptee", namespace)["status"]["serviceId"] == existing
    assert wait_condition(cluster, "loradeployment", "watcher", namespace)["status"]["serviceId"] == existing
    stalled = wait_condition(cluster, "loradeployment", "mismatch", namespace, "Stalled", "AdoptMismatch")
    assert "modelId" in condition(stalled, "Stalled")["message"]
    assert secret(cluster, "watcher", namespace) == secret(cluster, "adoptee", namespace)
    # Observe never writes, not even when its resource is deleted.
    cluster.kubectl("delete", "loradeployment", "watcher", "mismatch", "-n", namespace, "--timeout=30s")
    assert writes(alaya_api)[before:] == []
    assert live(alaya_api)[existing] == "running"


def test_orphan_leaves_the_deployment(cluster: Cluster, alaya_api: LoggedEmulator, namespace: str) -> None:
    apply(cluster, lora("keep", namespace, deletionPolicy="Orphan"))
    service_id = wait_condition(cluster, "loradeployment", "keep", namespace)["status"]["serviceId"]
    cluster.kubectl("delete", "loradeployment", "keep", "-n", namespace, "--timeout=30s")
    assert live(alaya_api)[service_id] == "running"


def test_bad_input_stalls_before_any_request(cluster: Cluster, alaya_api: LoggedEmulator, namespace: str) -> None:
    # The schema refuses what it can (a pattern)...
    refused = cluster.kubectl("apply", "-f", "-", input=json.dumps(lora("bad", namespace, modelId="a b")),
                              check=False)
    assert refused.returncode != 0 and "spec.modelId" in refused.stderr
    # ...the kind's own check the rest: a model ID of dots only passes the pattern, not the client.
    before = len(writes(alaya_api))
    apply(cluster, lora("dots", namespace, modelId=".."))
    stalled = wait_condition(cluster, "loradeployment", "dots", namespace, "Stalled", "InvalidSpec")
    assert "spec.modelId" in condition(stalled, "Stalled")["message"]
    assert condition(stalled)["status"] == "False"
    assert argocd_health(stalled) == {"status": "Degraded", "message": condition(stalled, "Stalled")["message"]}
    wait_for(lambda: any("spec.modelId" in e for e in cluster.events(namespace, "dots")), "the InvalidSpec event",
             TIMEOUT)
    assert writes(alaya_api)[before:] == []


def test_credentials_secret_and_unauthorized(cluster: Cluster, alaya_api: LoggedEmulator, tmp_path) -> None:
    """The manual's credentials Secret, made with a wrong secret key: the controller reads it (its environment
    has the right one) and says the API refused it."""
    namespace = "other-unauthorized"
    cluster.kubectl("create", "namespace", namespace)
    cluster.kubectl("create", "namespace", "alaya-system", check=False)
    cluster.shell(block("controller-credentials"),
                  env={"ALAYA_ACCESS_KEY": alaya_api.access_key, "ALAYA_SECRET_KEY": "not-the-key"})
    wrong = Controller(cluster, alaya_api, tmp_path, "--namespace", namespace, "--lease-name", "wrong-key",
                       "--credentials-secret", "alaya-system/alaya-api-credentials")
    wrong.start()
    try:
        apply(cluster, lora("denied", namespace))
        stalled = wait_condition(cluster, "loradeployment", "denied", namespace, "Stalled", "Unauthorized")
        assert "401" in condition(stalled, "Stalled")["message"] or "credential" in condition(stalled, "Stalled")[
            "message"].lower()
    finally:
        wrong.stop()


def test_killed_between_post_and_answer_never_posts_twice(cluster: Cluster, alaya_api: LoggedEmulator,
                                                           controller: Controller, namespace: str) -> None:
    alaya_api.set_faults({"lora:create": {"latency": 3}})  # the POST is held 3 s, then made, its answer lost
    try:
        before = len(writes(alaya_api))
        apply(cluster, lora("cut", namespace))
        wait_for(lambda: "create-pending" in json.dumps(get(cluster, "loradeployment", "cut", namespace)
                                                        ["metadata"].get("annotations") or {}),
                 "the intent on the object", TIMEOUT)
        wait_for(lambda: len(writes(alaya_api)) > before, "the POST to arrive (it is held)", TIMEOUT)
        controller.kill()
        wait_for(lambda: any(d["name"].startswith("cut-") for d in alaya_api.deployments()),
                 "the held POST to create the deployment", TIMEOUT)
    finally:
        alaya_api.set_faults({"lora:create": {}})
    controller.start()
    stalled = wait_condition(cluster, "loradeployment", "cut", namespace, "Stalled", "CreatePending")
    made = next(d for d in alaya_api.deployments() if d["name"].startswith("cut-"))
    assert made["name"] in condition(stalled, "Stalled")["message"]
    assert [m for m, _ in writes(alaya_api)[before:]] == ["POST"]
    # What the message says to do: adopt it.
    apply(cluster, lora("cut", namespace, adoptServiceId=made["serviceId"]))
    assert wait_condition(cluster, "loradeployment", "cut", namespace)["status"]["serviceId"] == made["serviceId"]
    assert [m for m, _ in writes(alaya_api)[before:]] == ["POST"]


def test_two_replicas_one_acts(cluster: Cluster, alaya_api: LoggedEmulator, controller: Controller,
                               namespace: str, tmp_path) -> None:
    standby = Controller(cluster, alaya_api, tmp_path, "--namespace", "ctl-*").start(wait_acting=False)
    try:
        wait_for(lambda: "waits for the Lease" in standby.log_text(), "the standby to wait", TIMEOUT, standby.tail)
        apply(cluster, lora("one", namespace))
        wait_condition(cluster, "loradeployment", "one", namespace)
        assert not standby.acting() and "Created" not in standby.log_text()
        controller.kill()
        standby.wait_acting()
        apply(cluster, lora("two", namespace))
        wait_condition(cluster, "loradeployment", "two", namespace)
        assert "Created: created deployment" in standby.log_text()
        standby.stop()  # SIGTERM: a clean stop gives the Lease up for the next replica
        assert standby.process is not None and standby.process.popen.returncode == 0
        assert "stopped and released the Lease" in standby.log_text()
    finally:
        standby.stop()
        controller.start()


def test_a_burst_under_the_rate_limit_posts_once_each(cluster: Cluster, alaya_api: LoggedEmulator,
                                                      namespace: str) -> None:
    count = 50
    alaya_api.set_rate_limit(20, 20)
    try:
        before_posts = len(alaya_api.requests("/deployment/lora", "POST"))
        apply(cluster, *[lora(f"burst-{i}", namespace, resyncInterval="10m") for i in range(count)])
        cluster.kubectl("wait", "--for=condition=Ready", "--timeout=120s", "-n", namespace, "loradeployments",
                        "--all", timeout=150)
        answered = [r for r in alaya_api.requests("/deployment/lora", "POST")[before_posts:] if r["status"] == 200]
        assert len(answered) == count  # a POST refused with 429 was not made: the client retries it after
        ids = {get(cluster, "loradeployment", f"burst-{i}", namespace)["status"]["serviceId"] for i in range(count)}
        assert len(ids) == count
        assert alaya_api.throttling()["early"] == 0  # nobody came back before its Retry-After
    finally:
        alaya_api.set_rate_limit(0)


def test_a_lora_and_its_base_model_in_one_apply_by_reference(cluster: Cluster, alaya_api: LoggedEmulator,
                                                              namespace: str) -> None:
    """The manual's baseRef LoRA and its base model, in one apply: the LoRA waits for the base, then goes on its
    deployment; a spec with both baseServiceId and baseRef is refused by the CRD."""
    import yaml

    base, on_it = yaml.safe_load(block("controller-base-model")), yaml.safe_load(block("controller-base-ref"))
    base["spec"].update(name="qwen-by-ref", servedNames=["qwen-by-ref"])  # the API's name: not the manual test's
    before = len(writes(alaya_api))
    cluster.kubectl("apply", "-n", namespace, "-f", "-",
                    input=json.dumps({"apiVersion": "v1", "kind": "List", "items": [on_it, base]}))
    ready = wait_condition(cluster, "loradeployment", on_it["metadata"]["name"], namespace)
    base_id = get(cluster, "basemodeldeployment", base["metadata"]["name"], namespace)["status"]["serviceId"]
    with AlayaClient(alaya_api.access_key, alaya_api.secret_key, alaya_api.url) as client:
        assert client.lora_deployments.get(ready["status"]["serviceId"]).base_service_id == base_id
    assert [m for m, _ in writes(alaya_api)[before:]] == ["POST", "POST"]  # the base, then the LoRA: once each
    both = {**on_it, "metadata": {"name": "both"}, "spec": {**on_it["spec"], "baseServiceId": base_id}}
    refused = cluster.kubectl("apply", "-n", namespace, "-f", "-", input=json.dumps(both), check=False)
    assert refused.returncode != 0 and "set baseServiceId or baseRef, not both" in refused.stderr


def test_no_key_in_logs_events_or_status(cluster: Cluster, alaya_api: LoggedEmulator, controller: Controller,
                                         namespace: str) -> None:
    """Last: every key the tests' Secrets hold, and the secret key, appear nowhere else."""
    apply(cluster, lora("scan", namespace))
    wait_condition(cluster, "loradeployment", "scan", namespace)
    secrets = json.loads(cluster.kubectl("get", "secrets", "-A", "-o", "json").stdout)["items"]
    keys = {base64.b64decode(s["data"]["OPENAI_API_KEY"]).decode() for s in secrets
            if "OPENAI_API_KEY" in (s.get("data") or {})} | {alaya_api.secret_key}
    assert len(keys) >= 2  # this test's own deployment key and the secret key at least; earlier tests add more
    seen = {
        "controller log": controller.log_text(),
        "events": cluster.kubectl("get", "events", "-A", "-o", "json").stdout,
        "resources": cluster.kubectl("get", "loradeployments,basemodeldeployments", "-A", "-o", "json").stdout,
    }
    assert "DEBUG" in seen["controller log"]
    for what, text in seen.items():
        leaked = [key[:6] for key in keys if key and key in text]
        assert not leaked, f"{what} carries keys starting {leaked}"


def test_the_manuals_examples(cluster: Cluster, namespace: str) -> None:
    """manual/controller.md's resources, applied as written (in the test's namespace): both become Ready, and its
    Argo CD Application points at the kustomize base."""
    import yaml

    for kind, text in (("loradeployment", block("controller-lora")),
                       ("basemodeldeployment", block("controller-base-model"))):
        doc = yaml.safe_load(text)
        cluster.kubectl("apply", "-n", namespace, "-f", "-", input=json.dumps(doc))
        cluster.kubectl("wait", "--for=condition=Ready", "--timeout=30s", "-n", namespace,
                        f"{kind}/{doc['metadata']['name']}")
    assert secret(cluster, "support-bot-openai", namespace)["MODEL"] == "support-bot"
    application = yaml.safe_load(block("controller-argocd-application"))
    assert (ROOT / application["spec"]["source"]["path"] / "kustomization.yaml").exists()
