"""The plugin's Pulumi package schema, built from the one declaration of each field.

Outputs come from ``client.models.FIELDS``, inputs from ``owning.INPUTS``, provider settings from
``owning.provider_config.CONFIG``: no second list. ``scripts/gen_provider.py`` writes it to
``provider/cmd/pulumi-resource-alaya/schema.json`` and generates the SDKs from that file; a test holds
``pulumi package get-schema`` of the running plugin equal to the checked-in file.
"""

from __future__ import annotations

from typing import Any

from ..client.models import BASE_OUTPUTS, FIELDS, OutputField
from ..client.settings import DEFAULT_WAIT_TIMEOUT
from ..client.version import VERSION as __version__
from ..owning import BASE_INPUTS, INPUTS, ResourceInput
from ..owning.provider_config import CONFIG

__all__ = ["BASE_FUNCTION_TOKEN", "BASE_TOKEN", "FUNCTION_TOKEN", "LORA_TOKEN", "READ_INPUTS", "schema"]

LORA_TOKEN = "alaya:index:LoraDeployment"
FUNCTION_TOKEN = "alaya:index:getLoraDeployment"
BASE_TOKEN = "alaya:index:BaseModelDeployment"
BASE_FUNCTION_TOKEN = "alaya:index:getBaseModelDeployment"
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


def _outputs(fields: tuple[OutputField, ...] = FIELDS) -> dict[str, Any]:
    return {field.api_name: _property(field.kind, field.description, secret=field.secret) for field in fields}


def _resource(description: str, inputs_declared: tuple[ResourceInput, ...],
              fields: tuple[OutputField, ...]) -> dict[str, Any]:
    """A resource: its inputs, and in state its outputs then the inputs that are not outputs already."""
    inputs = {item.wire_name: _property(item.kind, item.description, default=item.default)
              for item in inputs_declared}
    outputs = _outputs(fields)
    properties = {**outputs, **{name: prop for name, prop in inputs.items() if name not in outputs}}
    return {"description": description, "inputProperties": inputs,
            "requiredInputs": [item.wire_name for item in inputs_declared if item.required],
            "properties": properties, "required": sorted(properties)}


def _function(description: str, fields: tuple[OutputField, ...]) -> dict[str, Any]:
    read_inputs = {name: _property(kind, text, default=default) for name, kind, text, default in READ_INPUTS}
    return {"description": description, "inputs": {"properties": read_inputs, "required": ["serviceId"]},
            "outputs": {"properties": _outputs(fields), "required": sorted(_outputs(fields))}}


def _config() -> dict[str, Any]:
    return {item.key: _property(item.kind, item.description, secret=item.secret, env=item.env) for item in CONFIG}


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
        "resources": {
            LORA_TOKEN: _resource(
                "A LoRA deployment the stack owns: created on a running base-model service by `up` (which waits "
                "until it runs), replaced create-before-delete when its model changes (delete-before-replace with "
                "an explicit name) unless offlineUpdate is set, deleted by `destroy`. Import an existing one with "
                f"`pulumi import {LORA_TOKEN} NAME SERVICE_ID`. The customTimeouts resource option bounds each "
                "wait (waitTimeout when unset); past it the deployment is left as it is and named in the error.",
                INPUTS, FIELDS),
            BASE_TOKEN: _resource(
                "A base-model deployment (QuickStart) the stack owns: the service LoRA deployments run on. Pass its "
                "serviceId as a LoraDeployment's baseServiceId, so the engine creates it first and deletes it "
                "last. vksId and namespace replace it; every other input changes offline (stopped, updated, "
                "started). Import an existing one with "
                f"`pulumi import {BASE_TOKEN} NAME SERVICE_ID`. customTimeouts bound its waits as for a LoRA.",
                BASE_INPUTS, BASE_OUTPUTS),
        },
        "functions": {
            FUNCTION_TOKEN: _function("Read a LoRA deployment by serviceId (one this stack does not own).", FIELDS),
            BASE_FUNCTION_TOKEN: _function("Read a base-model deployment by serviceId (one this stack does not own).",
                                           BASE_OUTPUTS),
        },
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
