"""The Terraform schema, derived from the kind declarations (``client.kinds.KINDS``) and the provider settings
(``owning.provider_config.CONFIG``): names, types, required/optional/computed, sensitive, defaults and rules in the
descriptions. ``scripts/gen_terraform.py`` writes it to ``schema.json`` (which the provider serves) and the
Registry-style docs; nothing here runs when the provider starts.

A schema here is plain data: ``{"attributes": [{name, type, description, required|optional|computed,
sensitive}], "block_types": [...]}`` with cty types in their JSON form (``"string"``, ``["list", "string"]``).
"""

from __future__ import annotations

from typing import Any

from ..client.declaration import REPLACE, Input, Kind
from ..client.kinds import KINDS, LORA
from ..client.models import OutputField
from ..owning.provider_config import CONFIG
from .names import EPHEMERAL_KEY, ID_DESCRIPTION, TIMEOUTS, type_name

__all__ = ["provider_schema"]

CTY = {"string": "string", "strings": ["list", "string"], "integer": "number", "number": "number",
       "boolean": "bool"}


def _snake(key: str) -> str:
    return "".join(f"_{char.lower()}" if char.isupper() else char for char in key)


def _rules(item: Input, kind: Kind) -> str:
    """What the schema's description adds to the declaration's text: the rule the provider holds values to."""
    notes = []
    if item.choices:
        notes.append("One of: " + ", ".join(f"`{choice}`" for choice in item.choices) + ".")
    if item.pattern:
        notes.append(f"Must match `^{item.pattern}$`" + (" (each item)." if item.kind == "strings" else "."))
    if item.minimum is not None:
        notes.append(f"At least {item.minimum:g}.")
    if item.maximum is not None:
        notes.append(f"At most {item.maximum:g}.")
    if item.default is not None:
        shown = str(item.default).lower() if isinstance(item.default, bool) else f"{item.default:g}" \
            if isinstance(item.default, float) else str(item.default)
        notes.append(f"Default: `{shown}`.")
    if kind.offline_opt_in and item.is_spec:
        notes.append("Changing it replaces the deployment unless `offline_update` is true.")
    elif item.change == REPLACE and "replaces" not in item.description:
        notes.append("Changing it replaces the deployment.")
    return " ".join([item.description, *notes])


def _attribute(name: str, kind: str, description: str, **flags: bool) -> dict[str, Any]:
    return {"name": name, "type": CTY[kind], "description": description,
            **{flag: True for flag, on in flags.items() if on}}


def _input(item: Input, kind: Kind) -> dict[str, Any]:
    # An unset input with a default (or the LoRA's auto-name) is filled in at plan: optional and computed.
    computed = not item.required and (item.default is not None or (kind.offline_opt_in and item.key == "name"))
    return _attribute(item.key, item.kind, _rules(item, kind), required=item.required,
                      optional=not item.required, computed=computed)


def _output(field: OutputField) -> dict[str, Any]:
    return _attribute(field.key, field.kind, field.description, computed=True, sensitive=field.secret)


def _id() -> dict[str, Any]:
    return _attribute("id", "string", ID_DESCRIPTION, computed=True)


def _timeouts() -> dict[str, Any]:
    text = ("How long {} may wait, as a duration (`30s`, `10m`, `1h`). Default: `wait_timeout`. Past it the "
            "deployment is left as it is and named in the error.")
    return {"type_name": "timeouts", "nesting": "SINGLE", "block": {"attributes": [
        _attribute(name, "string", text.format(what), optional=True) for name, what in TIMEOUTS]}}


def resource_schema(kind: Kind) -> dict[str, Any]:
    inputs = [_input(item, kind) for item in kind.inputs]
    taken = {item.key for item in kind.inputs}
    outputs = [_output(field) for field in kind.outputs if field.key not in taken]
    return {"version": 0, "description": kind.description,
            "block": {"attributes": [_id(), *inputs, *outputs], "block_types": [_timeouts()]}}


def data_source_schema(kind: Kind) -> dict[str, Any]:
    """Every field of an existing deployment, looked up by its serviceId."""
    reads = [_attribute("service_id", "string", f"The serviceId of the {kind.title} to read.", required=True)]
    taken = {"service_id"}
    for item in kind.spec_inputs:
        reads.append(_attribute(item.key, item.kind, item.description.split(" Changing it")[0], computed=True))
        taken.add(item.key)
    reads += [_output(field) for field in kind.outputs if field.key not in taken]
    return {"version": 0, "description": f"Reads an existing {kind.title} (never changes it).",
            "block": {"attributes": [_id(), *reads], "block_types": []}}


def ephemeral_key_schema() -> dict[str, Any]:
    """The apiKey of a LoRA deployment, read when needed and never written to a plan or the state."""
    api_key = next(field for field in LORA.outputs if field.key == "api_key")
    return {"version": 0,
            "description": "The apiKey of a LoRA deployment, read at each run and kept out of plans and state "
                           "(for `store_api_key = false`).",
            "block": {"attributes": [
                _attribute("service_id", "string", "The serviceId of the LoRA deployment.", required=True),
                _output(api_key)], "block_types": []}}


def provider_config_schema() -> dict[str, Any]:
    attributes = [_attribute(_snake(item.key), item.kind, f"{item.description} Default: the `{item.env}` "
                             "environment variable.", optional=True, sensitive=item.secret) for item in CONFIG]
    return {"version": 0, "description": "The Alaya NeW serverless inference API.",
            "block": {"attributes": attributes, "block_types": []}}


def provider_schema(version: str) -> dict[str, Any]:
    """The whole schema ``schema.json`` holds."""
    return {
        "version": version,
        "provider": provider_config_schema(),
        "resources": {type_name(kind): resource_schema(kind) for kind in KINDS},
        "data_sources": {type_name(kind): data_source_schema(kind) for kind in KINDS},
        "ephemeral_resources": {EPHEMERAL_KEY: ephemeral_key_schema()},
    }
