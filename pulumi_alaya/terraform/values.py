"""Terraform values on the wire (``DynamicValue``): msgpack as tofu sends them, with unknowns as extensions.

tofu encodes an object as a map of every attribute (nulls included) and a value not known until apply as a
msgpack extension (code 0; a refined unknown uses another code with a payload): both decode to ``UNKNOWN``. We
answer in msgpack too, every attribute present, so nothing depends on how cty fills in a missing key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import msgpack  # type: ignore[import-untyped]

from .tfplugin6_pb2 import DynamicValue

__all__ = ["UNKNOWN", "Unknown", "decode", "decode_json", "encode", "is_known"]


class Unknown:
    """A value tofu will know only at apply (another resource's output): compares equal to nothing but itself."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = Unknown()
# cty's plain unknown: fixext1, type 0, one zero byte (what tofu itself sends).
_UNKNOWN_EXT = msgpack.ExtType(0, b"\x00")


def is_known(value: Any) -> bool:
    """Whether ``value`` holds no unknown anywhere inside (a list with one unknown item is not known)."""
    if value is UNKNOWN:
        return False
    if isinstance(value, list):
        return all(is_known(item) for item in value)
    if isinstance(value, dict):
        return all(is_known(item) for item in value.values())
    return True


def _ext(code: int, data: bytes) -> Unknown:
    return UNKNOWN


def decode(value: DynamicValue) -> Any:
    """The Python value of a ``DynamicValue`` (dict for an object, None for null, ``UNKNOWN`` where unknown)."""
    if value.msgpack:
        return msgpack.unpackb(value.msgpack, ext_hook=_ext, raw=False, strict_map_key=False)
    if value.json:
        return json.loads(value.json)
    return None


def decode_json(raw: bytes) -> Any:
    """A state's attributes as tofu keeps them in its state file (``UpgradeResourceState``'s raw_state)."""
    return json.loads(raw) if raw else None


def _default(value: Any) -> Any:
    if value is UNKNOWN:
        return _UNKNOWN_EXT
    raise TypeError(f"cannot encode {type(value).__name__} for tofu")


def encode(value: Any) -> DynamicValue:
    """A ``DynamicValue`` tofu reads back as ``value`` (``UNKNOWN`` stays unknown)."""
    return DynamicValue(msgpack=msgpack.packb(value, default=_default, use_bin_type=True))


def shaped(value: Mapping[str, Any] | None, names: tuple[str, ...]) -> dict[str, Any]:
    """An object with exactly ``names`` (missing ones null, others dropped): what the schema says it holds."""
    value = value or {}
    return {name: value.get(name) for name in names}
