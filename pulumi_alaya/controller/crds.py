"""The CustomResourceDefinitions, generated from ``client.kinds.KINDS`` (``scripts/gen_crds.py`` writes them to
``deploy/kubernetes/crds/``): each input's type, pattern, limits, choices, default and text, as declared once."""

from __future__ import annotations

from typing import Any

from ..client.declaration import Input
from .resource import GROUP, RESOURCES, VERSION, Resource, controller_fields, crd_inputs

__all__ = ["crd", "crds"]

_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
CONDITION_TYPES = ("Ready", "Reconciling", "Stalled")


def _scalar(item: Input, kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": _TYPES[kind]}
    if item.pattern and kind == "string":
        schema["pattern"] = f"^(?:{item.pattern})$"
    if item.choices:
        schema["enum"] = list(item.choices)
    if item.minimum is not None:
        schema["minimum"] = item.minimum if kind == "number" else int(item.minimum)
    if item.maximum is not None:
        schema["maximum"] = item.maximum if kind == "number" else int(item.maximum)
    return schema


def _input_schema(item: Input) -> dict[str, Any]:
    if item.kind == "strings":
        schema: dict[str, Any] = {"type": "array", "items": _scalar(item, "string")}
        if item.required:
            schema["minItems"] = 1
    else:
        schema = _scalar(item, item.kind)
    if item.default is not None:
        schema["default"] = item.default
    schema["description"] = item.description
    return schema


def _status_schema() -> dict[str, Any]:
    text = {"type": "string"}
    condition = {"type": "object", "required": ["type", "status"], "properties": {
        "type": {"type": "string", "enum": list(CONDITION_TYPES)},
        "status": {"type": "string", "enum": ["True", "False", "Unknown"]},
        "reason": text, "message": text, "lastTransitionTime": {"type": "string", "format": "date-time"},
        "observedGeneration": {"type": "integer"}}}
    return {"type": "object", "description": "What the controller last saw. Never the apiKey (it is in the Secret).",
            "properties": {
                "serviceId": {**text, "description": "The deployment the Secret points at."},
                "serviceUrl": text, "model": text,
                "alayaStatus": {**text, "description": "The deployment's status in the Alaya API."},
                "name": {**text, "description": "The deployment's name in the Alaya API."},
                "replacementServiceId": {**text, "description": "A new deployment being started to replace it."},
                "deletingServiceId": {**text, "description": "An old deployment being deleted."},
                "rotationToken": {**text, "description": "spec.rotationToken of the running deployment."},
                "secretName": text,
                "observedGeneration": {"type": "integer"},
                "conditions": {"type": "array", "items": condition,
                               "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"]}}}


def _validations(resource: Resource) -> list[dict[str, str]]:
    """What the schema alone cannot say: Observe needs serviceId, Manage the kind's required fields (or the
    reference that stands for one), never both a serviceId and its reference."""
    observe = "(has(self.managementPolicy) && self.managementPolicy == 'Observe')"
    referred = {ref.input.wire_name: ref.field for ref in resource.references}
    required = [item.wire_name for item in crd_inputs(resource.kind) if item.required]
    needs = [f"(has(self.{name}) || has(self.{referred[name]}))" if name in referred else f"has(self.{name})"
             for name in required]
    named = [f"{name} (or {referred[name]})" if name in referred else name for name in required]
    return [
        {"rule": f"!{observe} || has(self.serviceId)", "message": "managementPolicy Observe needs serviceId"},
        {"rule": f"{observe} || !has(self.serviceId)",
         "message": "serviceId is for managementPolicy Observe; use adoptServiceId to take over a deployment"},
        {"rule": f"{observe} || ({' && '.join(needs)})",
         "message": f"managementPolicy Manage needs {', '.join(named)}"},
        *({"rule": f"!(has(self.{name}) && has(self.{field}))", "message": f"set {name} or {field}, not both"}
          for name, field in referred.items()),
    ]


def crd(resource: Resource) -> dict[str, Any]:
    kind = resource.kind
    properties = {item.wire_name: _input_schema(item) for item in crd_inputs(kind)}
    for extra in controller_fields():
        properties[extra.name] = {**extra.schema, "description": extra.description}
    for ref in resource.references:
        properties[ref.field] = ref.schema
    spec = {"type": "object", "properties": properties, "x-kubernetes-validations": _validations(resource)}
    columns = [
        {"name": "Ready", "type": "string", "jsonPath": '.status.conditions[?(@.type=="Ready")].status'},
        {"name": "Reason", "type": "string", "jsonPath": '.status.conditions[?(@.type=="Ready")].reason'},
        {"name": "Service ID", "type": "string", "jsonPath": ".status.serviceId"},
        {"name": "Model", "type": "string", "jsonPath": ".status.model"},
        {"name": "Status", "type": "string", "jsonPath": ".status.alayaStatus"},
        {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
    ]
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{resource.plural}.{GROUP}"},
        "spec": {
            "group": GROUP, "scope": "Namespaced",
            "names": {"kind": resource.name, "plural": resource.plural, "singular": resource.name.lower(),
                      "listKind": resource.name + "List", "categories": ["alaya"]},
            "versions": [{
                "name": VERSION, "served": True, "storage": True,
                "subresources": {"status": {}}, "additionalPrinterColumns": columns,
                "schema": {"openAPIV3Schema": {
                    "type": "object", "description": kind.description,
                    "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                                   "metadata": {"type": "object"}, "spec": spec, "status": _status_schema()},
                    "required": ["spec"]}}}]}}


def crds() -> list[dict[str, Any]]:
    return [crd(resource) for resource in RESOURCES]
