"""The plugin's Pulumi package schema, built from the one declaration of each field.

Inputs and outputs come from the kinds (``client/kinds.py``), provider settings from
``owning.provider_config.CONFIG``: no second list. ``scripts/gen_provider.py`` writes it to
``provider/cmd/pulumi-resource-alaya/schema.json`` and generates the SDKs from that file; a test holds
``pulumi package get-schema`` of the running plugin equal to the checked-in file.
"""

from __future__ import annotations

from typing import Any

from ..client.declaration import Input, Kind
from ..client.kinds import BASE_MODEL, KINDS, LORA
from ..client.models import OutputField
from ..client.settings import DEFAULT_WAIT_TIMEOUT
from ..client.version import VERSION as __version__
from ..owning.provider_config import CONFIG

__all__ = ["BASE_FUNCTION_TOKEN", "BASE_TOKEN", "FUNCTION_TOKEN", "LORA_TOKEN", "READ_INPUTS", "function_token",
           "schema", "token"]


def token(kind: Kind) -> str:
    return f"alaya:index:{kind.resource}"


def function_token(kind: Kind) -> str:
    return f"alaya:index:get{kind.resource}"


LORA_TOKEN = token(LORA)
FUNCTION_TOKEN = function_token(LORA)
BASE_TOKEN = token(BASE_MODEL)
BASE_FUNCTION_TOKEN = function_token(BASE_MODEL)
REPOSITORY = "https://github.com/pulumi-alaya/pulumi-alaya"
# The engine downloads the plugin from this repository's GitHub releases (github://HOST/ORG means ORG/pulumi-alaya),
# asset pulumi-resource-alaya-v{VERSION}-{os}-{arch}.tar.gz, as scripts/provider_archive.py names them.
PLUGIN_DOWNLOAD_URL = "github://api.github.com/pulumi-alaya"
# The function's inputs: (wire name, kind, description, default).
READ_INPUTS = (
    ("serviceId", "string", "The deployment's serviceId.", None),
    ("waitUntilRunning", "boolean", "Wait until the deployment is running before returning (default false: read "
     "it as it is).", False),
    ("waitTimeout", "number", f"Seconds the wait may take (default {DEFAULT_WAIT_TIMEOUT:g}).", None),
)
_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"}, "boolean": {"type": "boolean"}, "number": {"type": "number"},
    "integer": {"type": "integer"}, "strings": {"type": "array", "items": {"type": "string"}}}


def _property(kind: str, description: str, *, secret: bool = False, default: Any = None,
              env: str | None = None) -> dict[str, Any]:
    prop: dict[str, Any] = {**_TYPES[kind], "description": description}
    if default is not None:
        prop["default"] = default
    if env:
        prop["defaultInfo"] = {"environment": [env]}
    if secret:
        prop["secret"] = True
    return prop


def _outputs(fields: tuple[OutputField, ...]) -> dict[str, Any]:
    return {field.api_name: _property(field.kind, field.description, secret=field.secret) for field in fields}


def _always_there(field: OutputField) -> bool:
    """Whether every state has the output: not the apiKey (absent with storeApiKey false), not a count the API
    may leave out (a base model's workers or gpuCount); text and lists read "" and [] when the API is silent."""
    return not field.secret and (field.kind != "integer" or field.source == "derived")


def _input_always_there(item: Input) -> bool:
    return item.required or item.default is not None or item.kind == "strings"


def _resource(kind: Kind, description: str) -> dict[str, Any]:
    """A resource: its inputs, and in state its outputs then the inputs that are not outputs already. Only what
    every state holds is ``required``, so the typed SDKs promise no value that may be absent."""
    inputs = {item.wire_name: _property(item.kind, item.description, default=item.default) for item in kind.inputs}
    outputs = _outputs(kind.outputs)
    properties = {**outputs, **{name: prop for name, prop in inputs.items() if name not in outputs}}
    required = {field.api_name for field in kind.outputs if _always_there(field)}
    required |= {item.wire_name for item in kind.inputs if _input_always_there(item) and item.wire_name not in outputs}
    return {"description": description, "inputProperties": inputs,
            "requiredInputs": [item.wire_name for item in kind.inputs if item.required],
            "properties": properties, "required": sorted(required)}


def _function(description: str, fields: tuple[OutputField, ...]) -> dict[str, Any]:
    read_inputs = {name: _property(kind, text, default=default) for name, kind, text, default in READ_INPUTS}
    return {"description": description, "inputs": {"properties": read_inputs, "required": ["serviceId"]},
            "outputs": {"properties": _outputs(fields),
                        "required": sorted(field.api_name for field in fields if _always_there(field))}}


def _config() -> dict[str, Any]:
    return {item.key: _property(item.kind, item.description, secret=item.secret, env=item.env) for item in CONFIG}


# What the Pulumi docs say of each kind's resource beyond its declaration (how the engine orders, replaces and
# imports it); a kind without an entry gets the declaration's description with the rules every kind shares.
_RESOURCE_TEXT = {
    "lora": "A LoRA deployment the stack owns: created on a running base-model service by `up` (which waits until it "
            "runs), replaced create-before-delete when its model changes (delete-before-replace with an explicit "
            "name) unless offlineUpdate is set, deleted by `destroy`. Import an existing one with `pulumi import "
            "{token} NAME SERVICE_ID`. The customTimeouts resource option bounds each wait (waitTimeout when unset). "
            "A create whose wait fails keeps the deployment in state (a partial create): the next `up` resumes it, "
            "never creating it twice, and `destroy` deletes it.",
    "base_model": "A base-model deployment (QuickStart) the stack owns: the service LoRA deployments run on. Pass "
                  "its serviceId as a LoraDeployment's baseServiceId, so the engine creates it first and deletes it "
                  "last. vksId and namespace replace it; every other input changes offline (stopped, updated, "
                  "started). Import an existing one with `pulumi import {token} NAME SERVICE_ID`. customTimeouts "
                  "bound its waits, and a create whose wait fails is kept, as for a LoRA.",
}
_SHARED_TEXT = ("{description} The stack owns it: `up` creates it and waits until it runs, `destroy` deletes it; "
                "import an existing one with `pulumi import {token} NAME SERVICE_ID`. customTimeouts bound its waits, "
                "and a create whose wait fails is kept in state for the next `up` to resume.")


def _resource_text(kind: Kind) -> str:
    return _RESOURCE_TEXT.get(kind.name, _SHARED_TEXT).format(token=token(kind), description=kind.description)


def schema() -> dict[str, Any]:
    """The package schema as a JSON-ready dict."""
    return {
        "name": "alaya",
        "displayName": "Alaya NeW",
        "version": __version__,
        "description": "LoRA deployments on Alaya NeW serverless inference: deploy, own and read them, and wire "
                       "their serviceUrl, apiKey and served name into the next resource.",
        "keywords": ["pulumi", "alaya", "lora", "llm", "inference", "category/cloud", "kind/native"],
        "homepage": REPOSITORY,
        "repository": REPOSITORY,
        "license": "Apache-2.0",
        "publisher": "pulumi-alaya",
        "pluginDownloadURL": PLUGIN_DOWNLOAD_URL,
        "config": {"variables": _config()},
        "provider": {
            "description": "The Alaya provider: the Open API Key pair and how to reach the API.",
            "inputProperties": _config(),
            "properties": {key: prop for key, prop in _config().items() if key != "secretKey"},
        },
        "resources": {token(kind): _resource(kind, _resource_text(kind)) for kind in KINDS},
        "functions": {function_token(kind): _function(f"Read a {kind.title} by serviceId (one this stack does not "
                                                      "own).", kind.outputs) for kind in KINDS},
        "language": {
            "nodejs": {"packageName": "@pulumi-alaya/alaya", "packageDescription": "Alaya NeW LoRA deployments.",
                       "respectSchemaVersion": True},
            "go": {"importBasePath": "github.com/pulumi-alaya/pulumi-alaya/sdk/go/alaya",
                   "generateResourceContainerTypes": True, "respectSchemaVersion": True},
            "python": {"packageName": "pulumi_alaya_native", "respectSchemaVersion": True},
            # C# namespace PulumiAlaya.Alaya; the Pulumi SDK pinned (the generator's own floor) so that a build
            # restores the same package every time.
            "csharp": {"rootNamespace": "PulumiAlaya", "respectSchemaVersion": True,
                       "packageReferences": {"Pulumi": "3.76.1"}},
            # Java package com.pulumialaya.alaya (our own namespace, not Pulumi's com.pulumi), Maven coordinates
            # com.pulumialaya:alaya. No Gradle files: scripts/gen_provider.py writes a pom.xml from these
            # dependencies (gson and jsr305 are only runtime dependencies of com.pulumi:pulumi, the code needs
            # them to compile).
            "java": {"basePackage": "com.pulumialaya",
                     "dependencies": {"com.pulumi:pulumi": "0.11.0", "com.google.code.gson:gson": "2.10",
                                      "com.google.code.findbugs:jsr305": "3.0.2"}},
        },
    }
