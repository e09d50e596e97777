"""The inputs of a LoRA deployment resource, declared once: both Pulumi providers read them, the plugin's schema
and every SDK are generated from them, and ``with_defaults`` takes each default from here."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..client import DEFAULT_WAIT_TIMEOUT

__all__ = ["INPUTS", "INPUT_FOR", "SETTINGS", "SPEC_INPUTS", "ResourceInput", "with_defaults"]


@dataclasses.dataclass(frozen=True)
class ResourceInput:
    """One input of the LoRA deployment resource, as both providers (and the schema) describe it."""

    key: str
    wire_name: str
    kind: str  # "string", "strings", "boolean" or "number"
    description: str
    required: bool = False
    default: Any = None


# The inputs both providers take, in order; the plugin's schema and the SDKs are generated from this list.
INPUTS = (
    ResourceInput("base_service_id", "baseServiceId", "string",
                  "serviceId of the running base-model deployment the LoRA goes on.", required=True),
    ResourceInput("model_id", "modelId", "string", "The LoRA model to deploy.", required=True),
    ResourceInput("served_names", "servedNames", "strings",
                  "Names a chat request may put in model (the first is the model output).", required=True),
    ResourceInput("name", "name", "string",
                  "Display name, unique in the base service's namespace. Default: the resource name plus a random "
                  "suffix, so a replacement can be created before the old deployment is deleted."),
    ResourceInput("wait_until_running", "waitUntilRunning", "boolean",
                  "Wait after create and update until the deployment is running, and after delete until it is "
                  "gone.", default=True),
    ResourceInput("wait_timeout", "waitTimeout", "number", "Seconds each wait may take.",
                  default=DEFAULT_WAIT_TIMEOUT),
    ResourceInput("offline_update", "offlineUpdate", "boolean",
                  "Apply changes with the API's offline update (stop, update, start: the model is away meanwhile) "
                  "instead of a replacement (a new deployment first, then the old one deleted; its serviceUrl and "
                  "apiKey change).", default=False),
    ResourceInput("store_api_key", "storeApiKey", "boolean",
                  "Keep the deployment's apiKey in the stack's state as the apiKey output (encrypted as a secret). Set "
                  "false when something else hands the key to its users, such as External Secrets Operator in a "
                  "cluster: the apiKey output is then absent and the key is nowhere in the state.", default=True),
)

# Changing one of these is a new deployment (replace) unless offline_update allows the API's update.
SPEC_INPUTS = ("base_service_id", "model_id", "name", "served_names")
# The resource's input names where they differ from the client's (a list is plural in Pulumi's convention).
INPUT_FOR = {"served_name": "served_names"}
# Settings only the dynamic resource takes: adoption (the plugin has `pulumi import`) and the auto-name prefix.
SETTINGS = ("wait_until_running", "wait_timeout", "offline_update", "store_api_key", "adopt_service_id",
            "name_prefix")


def with_defaults(props: dict[str, Any]) -> dict[str, Any]:
    """The inputs with their defaults (each from its declaration above): what an unset input means."""
    inputs: dict[str, Any] = {}
    for item in INPUTS:
        value = props.get(item.key)
        if item.kind == "boolean":
            inputs[item.key] = value if isinstance(value, bool) else item.default
        elif item.kind == "strings":
            inputs[item.key] = list(value or [])
        else:
            inputs[item.key] = item.default if value is None else value
    # Outputs carry the API's name; "auto_named" says the program set none (so none to compare against).
    inputs["name"] = None if props.get("auto_named") else (props.get("name") or None)
    # Only the dynamic resource takes these: adoption (the plugin has `pulumi import`) and the auto-name prefix.
    inputs["adopt_service_id"] = props.get("adopt_service_id")
    inputs["name_prefix"] = props.get("name_prefix") or "lora"
    return inputs
