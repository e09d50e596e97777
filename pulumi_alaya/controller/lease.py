"""One active replica: a coordination.k8s.io Lease, as controller-runtime's leader election does.

A replica acts only while it holds the Lease. Another takes it over once the holder has not renewed it for
``duration`` seconds, judged by this replica's own clock (when it last saw the record change), so the replicas'
clocks need not agree. Every write carries the resourceVersion it read: two replicas cannot both win.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from .kube import Conflict, Kube, KubeError

__all__ = ["Lease"]


def _micro_now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Lease:
    def __init__(self, kube: Kube, namespace: str, name: str, identity: str, duration: float) -> None:
        self.kube = kube
        self.path = f"/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}"
        self.collection = f"/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases"
        self.name = name
        self.identity = identity
        self.duration = duration
        self._seen: tuple[str, float] | None = None  # (resourceVersion, when this replica saw it appear)

    def _spec(self, acquired: str | None = None) -> dict[str, Any]:
        now = _micro_now()
        return {"holderIdentity": self.identity, "leaseDurationSeconds": max(1, int(self.duration)),
                "acquireTime": acquired or now, "renewTime": now}

    def try_acquire(self) -> bool:
        """Take the Lease if it is free, expired or ours (renewing it); False while another holds it."""
        try:
            lease = self.kube.get(self.path)
            if lease is None:
                self.kube.request("POST", self.collection, {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                                                            "metadata": {"name": self.name}, "spec": self._spec()})
                return True
            spec = lease.get("spec") or {}
            version = lease["metadata"]["resourceVersion"]
            ours = spec.get("holderIdentity") == self.identity
            if not ours and spec.get("holderIdentity"):
                if self._seen is None or self._seen[0] != version:
                    self._seen = (version, time.monotonic())
                    return False
                if time.monotonic() - self._seen[1] < float(spec.get("leaseDurationSeconds") or self.duration):
                    return False
            lease["spec"] = self._spec(spec.get("acquireTime") if ours else None)
            self.kube.request("PUT", self.path, lease)
            return True
        except (Conflict, KubeError):
            return False

    def release(self) -> None:
        """Give the Lease up at a clean stop, so a standby takes over at once."""
        try:
            lease = self.kube.get(self.path)
            if lease and (lease.get("spec") or {}).get("holderIdentity") == self.identity:
                lease["spec"] = {**lease["spec"], "holderIdentity": None}
                self.kube.request("PUT", self.path, lease)
        except KubeError:
            pass
