"""The inputs of a LoRA deployment resource (declared in ``client/lora_kind.py``) as both Pulumi providers take
them: ``with_defaults`` says what an unset input means."""

from __future__ import annotations

from typing import Any

from ..client.declaration import Input
from ..client.lora_kind import LORA

__all__ = ["INPUTS", "INPUT_FOR", "SETTINGS", "SPEC_INPUTS", "ResourceInput", "with_defaults"]


# The LoRA kind's inputs, declared in client/lora_kind.py: both providers, the schema and every SDK read them.
ResourceInput = Input
INPUTS = LORA.inputs

# Changing one of these is a new deployment (replace) unless offline_update allows the API's update.
SPEC_INPUTS = tuple(item.key for item in LORA.spec_inputs)
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
