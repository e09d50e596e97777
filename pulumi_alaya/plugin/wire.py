"""Between the engine's ``PropertyValue`` maps (camelCase wire names) and the plain snake_case dicts of
``owning.Owner``: the plugin's only translation layer."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.runtime import rpc

from ..client.declaration import Input
from ..client.models import OutputField

__all__ = ["UNKNOWN", "Wire", "plain_value", "unknown_keys"]

UNKNOWN: Any = Computed()  # a value only known after an earlier resource exists (preview)


class Wire:
    """One resource's names on the wire: built from its inputs and outputs, each declared once."""

    def __init__(self, inputs: Sequence[Input], outputs: Sequence[OutputField],
                 extra: Mapping[str, str] | None = None) -> None:
        self.wire_for = {**{item.key: item.wire_name for item in inputs}, **{f.key: f.api_name for f in outputs},
                         **(extra or {})}
        self.key_for = {wire: key for key, wire in self.wire_for.items()}
        self._secret_outputs = frozenset(field.key for field in outputs if field.secret)

    def plain(self, properties: Mapping[str, PropertyValue]) -> dict[str, Any]:
        """snake_case keys and plain Python values (secrets unwrapped); names it does not know are dropped."""
        return {self.key_for[name]: plain_value(value) for name, value in properties.items() if name in self.key_for}

    def secret_keys(self, properties: Mapping[str, PropertyValue]) -> set[str]:
        """The keys whose value the program marked secret: they stay secret in state and outputs."""
        return {self.key_for[name] for name, value in properties.items()
                if name in self.key_for and value.contains_secret()}

    def to_wire(self, values: Mapping[str, Any], secret: Collection[str] = ()) -> dict[str, PropertyValue]:
        """Wire names and PropertyValues; the apiKey (and whatever the program made secret) as secrets."""
        wired = {}
        for key, value in values.items():
            if key not in self.wire_for or value is None:
                continue
            wired[self.wire_for[key]] = _wire_value(value).with_secret(key in self._secret_outputs or key in secret)
        return wired


def plain_value(value: PropertyValue) -> Any:
    inner = value.value
    if isinstance(inner, Computed):
        return UNKNOWN
    if isinstance(inner, Mapping):
        return {key: plain_value(item) for key, item in inner.items()}
    if isinstance(inner, Sequence) and not isinstance(inner, str):
        return [plain_value(item) for item in inner]
    return inner


def _contains_unknown(value: Any) -> bool:
    return value is UNKNOWN or (isinstance(value, list) and any(_contains_unknown(item) for item in value))


def unknown_keys(values: Mapping[str, Any]) -> set[str]:
    return {key for key, value in values.items() if _contains_unknown(value)}


def _wire_value(value: Any) -> PropertyValue:
    if value is UNKNOWN:
        # The wire's unknown sentinel: the SDK's PropertyValue.computed() cannot be marshalled (pulumi 3.272).
        return PropertyValue(rpc.UNKNOWN)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return PropertyValue(value)
    if isinstance(value, (int, float)):
        return PropertyValue(float(value))
    if isinstance(value, (list, tuple)):
        return PropertyValue([_wire_value(item) for item in value])
    raise TypeError(f"no wire form for {type(value).__name__}")

