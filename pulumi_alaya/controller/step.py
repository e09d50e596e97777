"""One reconcile step's view of one custom resource: its spec as the owner's props, the create intent on it, and
the status changes the step made (written once, at the step's end)."""

from __future__ import annotations

import json
from typing import Any

from .resource import CREATE_PENDING, DEFAULT_RESYNC, Resource, parse_duration

__all__ = ["Step"]


class Step:
    """One step's view of one object, and the status changes it made."""

    def __init__(self, resource: Resource, obj: dict[str, Any]) -> None:
        self.resource = resource
        self.obj = obj
        self.meta: dict[str, Any] = obj["metadata"]
        self.spec: dict[str, Any] = obj.get("spec") or {}
        self.status: dict[str, Any] = dict(obj.get("status") or {})
        self.path = resource.path(self.meta["namespace"], self.meta["name"])
        self.props = resource.props(self.spec)
        self.title = f"{resource.name} {self.meta['namespace']}/{self.meta['name']}"

    @property
    def resync(self) -> float:
        return parse_duration(self.spec.get("resyncInterval") or DEFAULT_RESYNC) or 300.0

    @property
    def pending(self) -> dict[str, Any] | None:
        text = (self.meta.get("annotations") or {}).get(CREATE_PENDING)
        try:
            return dict(json.loads(text)) if text else None
        except ValueError:
            return {"name": "?", "role": "create"}

    @property
    def rotation(self) -> str:
        return str(self.spec.get("rotationToken") or "")
