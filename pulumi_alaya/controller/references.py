"""A spec's references to other custom resources (``baseRef: {name: qwen}``), resolved to the serviceIds the
owner needs before a step decides anything: GitOps applies a LoRA and its base model in one commit."""

from __future__ import annotations

from typing import Any

from .kube import Kube
from .resource import Resource, resource_for
from .status import Outcome, condition

__all__ = ["resolve"]

LOOK_AGAIN = 2.0  # seconds between looks at a referred resource that is not Ready yet


def resolve(kube: Kube, resource: Resource, obj: dict[str, Any], props: dict[str, Any]) -> Outcome | None:
    """Put each referred resource's serviceId into ``props``; an Outcome (wait) when one has none to give yet.
    Once the resource has a deployment, the referred serviceId is followed even while that one is not Ready
    (a base model being replaced): the deployment is never held up by a wait it already passed."""
    spec, meta = obj.get("spec") or {}, obj["metadata"]
    has_deployment = bool((obj.get("status") or {}).get("serviceId"))
    for ref in resource.references:
        named = (spec.get(ref.field) or {}).get("name")
        if not named:
            continue
        found = kube.get(resource_for(ref.target).path(meta["namespace"], named))
        status = (found or {}).get("status") or {}
        ready = condition(found or {}, "Ready").get("status") == "True"
        if status.get("serviceId") and (ready or has_deployment):
            props[ref.input.key] = status["serviceId"]
            continue
        what = f"{ref.target} {meta['namespace']}/{named} (spec.{ref.field})"
        return Outcome("reconciling", "WaitingForReference",
                       f"waiting for {what} to {'exist' if found is None else 'be Ready'}", LOOK_AGAIN)
    return None
