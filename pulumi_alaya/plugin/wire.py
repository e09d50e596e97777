"""Between the engine's property maps (``google.protobuf.Struct`` with camelCase wire names) and the plain
snake_case dicts of ``owning.Owner``: the plugin's only translation layer.

The engine writes three things inside a Struct that are not plain values, each as Pulumi's own SDK reads and
writes them (``pulumi.runtime.rpc``; ``tests/pulumi_plugin/test_wire.py`` holds the two to the same answers):
an unknown value (known only after an earlier resource exists, in a preview) is the string ``UNKNOWN_TEXT``; a
secret is ``{SIG_KEY: SECRET_SIG, "value": v}``; an output value (sent only to a provider that accepts outputs,
which this one does not say it does) is ``{SIG_KEY: OUTPUT_SIG, "value": v, "secret": b, ...}``, unknown when
it has no value. Assets, archives and resource references are inputs of no resource here: refused.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ..client.declaration import Input
from ..client.models import OutputField
from .protocol import struct_pb2

__all__ = ["OUTPUT_SIG", "SECRET_SIG", "SIG_KEY", "UNKNOWN", "UNKNOWN_TEXT", "Wire", "plain_map", "plain_value",
           "unknown_keys", "wire_value"]

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
UNKNOWN_TEXT = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()  # a value only known after an earlier resource exists (preview)


class Wire:
    """One resource's names on the wire: built from its inputs and outputs, each declared once."""

    def __init__(self, inputs: Sequence[Input], outputs: Sequence[OutputField],
                 extra: Mapping[str, str] | None = None) -> None:
        self.wire_for = {**{item.key: item.wire_name for item in inputs}, **{f.key: f.api_name for f in outputs},
                         **(extra or {})}
        self.key_for = {wire: key for key, wire in self.wire_for.items()}
        self._secret_outputs = frozenset(field.key for field in outputs if field.secret)

    def plain(self, properties: Any) -> dict[str, Any]:
        """snake_case keys and plain Python values (secrets unwrapped); names it does not know are dropped."""
        return {self.key_for[name]: plain_value(value) for name, value in properties.fields.items()
                if name in self.key_for}

    def secret_keys(self, properties: Any) -> set[str]:
        """The keys whose value the program marked secret: they stay secret in state and outputs."""
        return {self.key_for[name] for name, value in properties.fields.items()
                if name in self.key_for and _contains_secret(value)}

    def to_wire(self, values: Mapping[str, Any], secret: Collection[str] = ()) -> Any:
        """A Struct with wire names; the apiKey (and whatever the program made secret) as secrets."""
        wired = struct_pb2.Struct()
        for key, value in values.items():
            if key not in self.wire_for or value is None:
                continue
            wired.fields[self.wire_for[key]].CopyFrom(
                wire_value(value, secret=key in self._secret_outputs or key in secret))
        return wired


def plain_map(properties: Any) -> dict[str, Any]:
    """Every entry of a Struct as a plain value, under its own (wire) name."""
    return {name: plain_value(value) for name, value in properties.fields.items()}


def plain_value(value: Any) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return UNKNOWN if value.string_value == UNKNOWN_TEXT else value.string_value
    if kind == "number_value":
        return value.number_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "list_value":
        return [plain_value(item) for item in value.list_value.values]
    if kind == "struct_value":
        fields = value.struct_value.fields
        if SIG_KEY not in fields:
            return {key: plain_value(item) for key, item in fields.items()}
        if fields[SIG_KEY].string_value in (SECRET_SIG, OUTPUT_SIG):
            return plain_value(fields["value"]) if "value" in fields else UNKNOWN
        raise ValueError(f"no input of this provider takes a value of signature {fields[SIG_KEY].string_value}")
    return None  # null_value


def _contains_secret(value: Any) -> bool:
    kind = value.WhichOneof("kind")
    if kind == "list_value":
        return any(_contains_secret(item) for item in value.list_value.values)
    if kind != "struct_value":
        return False
    fields = value.struct_value.fields
    if SIG_KEY not in fields:
        return any(_contains_secret(item) for item in fields.values())
    if fields[SIG_KEY].string_value == SECRET_SIG:
        return True
    secret = fields.get("secret")
    return bool(secret is not None and secret.bool_value) or ("value" in fields and _contains_secret(fields["value"]))


def _contains_unknown(value: Any) -> bool:
    return value is UNKNOWN or (isinstance(value, list) and any(_contains_unknown(item) for item in value))


def unknown_keys(values: Mapping[str, Any]) -> set[str]:
    return {key for key, value in values.items() if _contains_unknown(value)}


def wire_value(value: Any, secret: bool = False) -> Any:
    """A plain value as a ``google.protobuf.Value``, wrapped as a secret when ``secret``."""
    if value is UNKNOWN:
        wired = struct_pb2.Value(string_value=UNKNOWN_TEXT)
    elif value is None:
        wired = struct_pb2.Value(null_value=struct_pb2.NULL_VALUE)
    elif isinstance(value, bool):
        wired = struct_pb2.Value(bool_value=value)
    elif isinstance(value, str):
        wired = struct_pb2.Value(string_value=value)
    elif isinstance(value, (int, float)):
        wired = struct_pb2.Value(number_value=float(value))
    elif isinstance(value, (list, tuple)):
        wired = struct_pb2.Value(list_value=struct_pb2.ListValue(values=[wire_value(item) for item in value]))
    else:
        raise TypeError(f"no wire form for {type(value).__name__}")
    if not secret:
        return wired
    return struct_pb2.Value(struct_value=struct_pb2.Struct(fields={
        SIG_KEY: struct_pb2.Value(string_value=SECRET_SIG), "value": wired}))
