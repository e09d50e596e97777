"""examples/gitops applied to a test namespace as a team would: the manual's commands, then `kubectl apply -k`.

Only what a test must change is changed, in a kustomization written on top of tests/gitops/overlay: the
namespace, the store's URL (the emulator on loopback) and, per test, the ExternalSecret's serviceId or
deletionPolicy.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import yaml

from ..doc_blocks import block
from .cluster import Cluster

OVERLAY = Path(__file__).resolve().parents[2] / "gitops" / "overlay"
CLUSTER_STORE_OVERLAY = Path(__file__).resolve().parents[2] / "gitops" / "overlay-cluster-store"
API_PATH = "/api/serverless-infer/v1/deployment/{{ .remoteRef.key }}"
SECRET = "support-bot-openai"
EXTERNAL_SECRET = "support-bot"


def _json_patch(kind: str, name: str | None, ops: list[dict[str, Any]]) -> dict[str, Any]:
    target: dict[str, Any] = {"kind": kind}
    if name:
        target["name"] = name
    return {"target": target, "patch": json.dumps(ops)}


class Recipe:
    """The recipe in one namespace of ``cluster``, its SecretStore pointed at ``api_url``."""

    def __init__(self, cluster: Cluster, namespace: str, folder: Path, api_url: str, access_key: str,
                 secret_key: str) -> None:
        self.cluster = cluster
        self.namespace = namespace
        self.folder = folder
        self.api_url = api_url
        self.access_key = access_key
        self.secret_key = secret_key

    def create_namespace(self) -> None:
        self.cluster.kubectl("create", "namespace", self.namespace)

    def create_credentials(self, secret_key: str | None = None, *, namespace: str | None = None) -> None:
        """The manual's one-time `kubectl create secret` (with its label), run as written, in our namespace."""
        script = block("gitops-credentials")
        assert "--namespace apps" in script, "the manual's credentials command no longer names --namespace apps"
        script = script.replace("--namespace apps", f"--namespace {namespace or self.namespace}")
        self.cluster.shell(script, env={"ALAYA_ACCESS_KEY": self.access_key,
                                        "ALAYA_SECRET_KEY": secret_key or self.secret_key})

    def kustomization(self, service_id: str, *, deletion_policy: str | None = None,
                      cluster_store_credentials: str | None = None, extra: list[dict[str, Any]] | None = None) -> Path:
        """Write the test's kustomization (namespace, URL, serviceId) over the committed overlay.

        With ``cluster_store_credentials`` (the namespace holding the credentials), the ClusterSecretStore
        variant, its ``conditions`` limited to our namespace; it sets no namespace (the store is cluster-scoped):
        `kubectl apply -n` places the rest.
        """
        cluster_store = cluster_store_credentials is not None
        folder = self.folder / f"kustomize-{self.namespace}"
        folder.mkdir(parents=True, exist_ok=True)
        store = "ClusterSecretStore" if cluster_store else "SecretStore"
        es_ops: list[dict[str, Any]] = [{"op": "replace", "path": "/spec/dataFrom/0/extract/key",
                                         "value": service_id}]
        if deletion_policy:
            es_ops.append({"op": "replace", "path": "/spec/target/deletionPolicy", "value": deletion_policy})
        patches = [
            _json_patch(store, "alaya", [{"op": "replace", "path": "/spec/provider/webhook/url",
                                          "value": self.api_url + API_PATH}]),
            _json_patch("ExternalSecret", EXTERNAL_SECRET, es_ops),
            *(extra or []),
        ]
        if cluster_store:
            patches.append(_json_patch(store, "alaya", [
                {"op": "replace", "path": "/spec/conditions/0/namespaces", "value": [self.namespace]},
                {"op": "replace", "path": "/spec/provider/webhook/secrets/0/secretRef/namespace",
                 "value": cluster_store_credentials}]))
        base = CLUSTER_STORE_OVERLAY if cluster_store else OVERLAY
        doc: dict[str, Any] = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
                               "resources": [os.path.relpath(base, folder)], "patches": patches,
                               "sortOptions": {"order": "fifo"}}  # the recipe's order: the store first
        if not cluster_store:
            doc["namespace"] = self.namespace
        (folder / "kustomization.yaml").write_text(json.dumps(doc, indent=1))
        return folder

    def apply(self, service_id: str, **options: Any) -> None:
        """`kubectl apply -k` of the recipe with ``service_id`` (re-applying is what Argo CD / Flux do)."""
        self.cluster.kubectl("apply", "-n", self.namespace, "-k", str(self.kustomization(service_id, **options)))

    def rendered(self, service_id: str, **options: Any) -> list[dict[str, Any]]:
        """The objects `kubectl kustomize` renders for the recipe (to derive more ExternalSecrets from)."""
        out = self.cluster.kubectl("kustomize", str(self.kustomization(service_id, **options))).stdout
        return [doc for doc in yaml.safe_load_all(out) if doc]

    def secret(self, name: str = SECRET) -> dict[str, str] | None:
        """The Secret's data, decoded; None when it does not exist. Never print it."""
        obj = self.cluster.get("secret", name, self.namespace)
        if obj is None:
            return None
        return {k: base64.b64decode(v).decode() for k, v in (obj.get("data") or {}).items()}

    def ready(self, name: str = EXTERNAL_SECRET) -> dict[str, Any]:
        """The ExternalSecret's Ready condition ({} before ESO wrote one)."""
        obj = self.cluster.get("externalsecret", name, self.namespace) or {}
        for condition in (obj.get("status") or {}).get("conditions") or []:
            if condition.get("type") == "Ready":
                return dict(condition)
        return {}

    def describe(self, name: str = EXTERNAL_SECRET, secret: str = SECRET) -> str:
        """What a failed wait reports: the condition, the events, which Secret keys exist (no values)."""
        data = self.secret(secret)
        keys = sorted(data) if data is not None else None
        return (f"ExternalSecret {self.namespace}/{name} Ready={self.ready(name)}; "
                f"events={self.cluster.events(self.namespace, name)[-3:]}; Secret keys={keys}")
