"""What a custom resource of the controller is: its group, its kinds (one per ``client.kinds.KINDS``), the spec
fields the controller adds to a kind's inputs, and the spec read back into the owner's snake_case props.

The CRDs (``crds.py``, ``deploy/kubernetes/crds/``) are generated from the same names, so the two cannot drift.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..client.declaration import Input, Kind
from ..client.kinds import KINDS

__all__ = ["API_VERSION", "GROUP", "PREFIX", "VERSION", "ControllerField", "Reference", "Resource",
           "controller_fields", "crd_inputs", "parse_duration", "resource_for"]

GROUP = "serverless.alayanew.com"
VERSION = "v1alpha1"
API_VERSION = f"{GROUP}/{VERSION}"
PREFIX = GROUP + "/"  # annotations and the finalizer
CREATE_PENDING = PREFIX + "create-pending"
FINALIZER = PREFIX + "finalizer"
DEFAULT_RESYNC = "5m"
# A kind's settings that mean something in a cluster. Left out: waitUntilRunning (the controller always waits,
# without blocking) and storeApiKey (the key goes to the Secret and nowhere else, never to the status).
_SETTINGS = ("offline_update", "wait_timeout")
_DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
DURATION_PATTERN = r"^([0-9]+h)?([0-9]+m)?([0-9]+s)?$"


@dataclasses.dataclass(frozen=True)
class ControllerField:
    """A spec field of the controller's own (not the API's): how it is owned, not what is deployed."""

    name: str
    schema: dict[str, Any]
    description: str


_SERVICE_ID = {"type": "string", "pattern": r"^[A-Za-z0-9._-]{1,128}$"}


def controller_fields() -> tuple[ControllerField, ...]:
    return (
        ControllerField("writeConnectionSecretToRef", {
            "type": "object", "properties": {"name": {
                "type": "string", "pattern": r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$",
                "description": "The Secret's name (default: the resource's name)."}}},
            "The Secret the controller writes OPENAI_BASE_URL, OPENAI_API_KEY, MODEL and the deployment's fields "
            "to, in the resource's namespace, owned by the resource."),
        ControllerField("deletionPolicy", {"type": "string", "enum": ["Delete", "Orphan"], "default": "Delete"},
                        "Delete: deleting the resource deletes the deployment and waits until it is gone. "
                        "Orphan: the deployment is left running."),
        ControllerField("managementPolicy", {"type": "string", "enum": ["Manage", "Observe"], "default": "Manage"},
                        "Manage: create, correct and delete the deployment. Observe: only read the deployment "
                        "named by serviceId and write its Secret; nothing is ever sent to the API but reads."),
        ControllerField("serviceId", _SERVICE_ID, "The deployment to observe (managementPolicy Observe only)."),
        ControllerField("adoptServiceId", _SERVICE_ID,
                        "Take over this existing deployment instead of creating one; it must match the spec."),
        ControllerField("resyncInterval", {"type": "string", "pattern": DURATION_PATTERN, "default": DEFAULT_RESYNC},
                        "How often the deployment is read again to find drift (30s, 5m, 1h)."),
        ControllerField("rotationToken", {"type": "string", "maxLength": 253},
                        "Change it to rotate the deployment's apiKey: a new deployment is created, the Secret "
                        "switches to it once it runs, then the old one is deleted."),
    )


def crd_inputs(kind: Kind) -> tuple[Input, ...]:
    """The kind's inputs a custom resource's spec carries: every field of the deployment, and the settings
    that mean something in a cluster."""
    return tuple(item for item in kind.inputs if item.is_spec or item.key in _SETTINGS)


def parse_duration(text: str) -> float:
    """Seconds of ``30s``, ``5m``, ``1h30m`` (the CRD's pattern has already refused anything else)."""
    match = _DURATION.fullmatch(text or "")
    if not text or match is None:
        raise ValueError(f"not a duration: {text!r} (use 30s, 5m or 1h)")
    hours, minutes, seconds = (int(group or 0) for group in match.groups())
    return float(hours * 3600 + minutes * 60 + seconds)


@dataclasses.dataclass(frozen=True)
class Reference:
    """A spec field naming another custom resource in the same namespace (``baseRef: {name: qwen}``) in place
    of an input that holds its deployment's serviceId (``baseServiceId``): GitOps applies both in one commit,
    before either serviceId exists."""

    field: str  # "baseRef"
    input: Input  # base_service_id
    target: str  # the referred resource's Kubernetes kind, "BaseModelDeployment"

    @property
    def schema(self) -> dict[str, Any]:
        return {"type": "object", "required": ["name"], "properties": {"name": {
            "type": "string", "pattern": r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$",
            "description": f"The {self.target}'s name."}},
            "description": f"A {self.target} in this namespace, instead of {self.input.wire_name}: its "
                           f"deployment's serviceId is used once it is Ready (set one of the two)."}


@dataclasses.dataclass(frozen=True)
class Resource:
    """One kind of custom resource: the Alaya kind it owns and its Kubernetes names."""

    kind: Kind

    @property
    def references(self) -> tuple[Reference, ...]:
        return tuple(Reference(item.wire_name.removesuffix("ServiceId") + "Ref", item,
                               next(kind.resource for kind in KINDS if kind.name == item.refers_to))
                     for item in crd_inputs(self.kind) if item.refers_to)

    @property
    def name(self) -> str:  # "LoraDeployment"
        return self.kind.resource

    @property
    def plural(self) -> str:
        return self.name.lower() + "s"

    def path(self, namespace: str, name: str) -> str:
        return f"/apis/{GROUP}/{VERSION}/namespaces/{namespace}/{self.plural}/{name}"

    def props(self, spec: dict[str, Any]) -> dict[str, Any]:
        """The spec as the owner's snake_case props (unset fields left out: the owner's defaults apply)."""
        return {item.key: spec[item.wire_name] for item in crd_inputs(self.kind)
                if spec.get(item.wire_name) is not None}

    def wire_name(self, key: str) -> str:
        """The spec field an owner's input key is (``served_names`` -> ``servedNames``)."""
        try:
            return self.kind.input(key).wire_name
        except KeyError:
            return key


RESOURCES = tuple(Resource(kind) for kind in KINDS)


def resource_for(kind_name: str) -> Resource:
    """The resource by its Kubernetes kind (``LoraDeployment``)."""
    return next(item for item in RESOURCES if item.name == kind_name)
