"""What the engine asks a freshly started plugin, answered without the Pulumi SDK, protobuf or the client.

Every ``pulumi preview`` and ``up`` starts the plugin (a YAML program's schema load starts a second one that is
asked for nothing else), and the engine waits for its port line and then for ``GetPluginInfo`` and ``GetSchema``.
Both answers are one string field: the version and the schema, read from ``schema.json`` beside this file (a
copy of the checked-in ``provider/cmd/pulumi-resource-alaya/schema.json``, which ``scripts/gen_provider.py``
writes and checks, as it is generated from ``schema.schema()``). A test holds the bytes equal to what Pulumi's
own protobuf classes would write.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

__all__ = ["SCHEMA_FILE", "plugin_info", "schema_response", "schema_text", "version"]

SCHEMA_FILE = Path(__file__).with_name("schema.json")


@functools.cache
def schema_text() -> str:
    return SCHEMA_FILE.read_text(encoding="utf-8")


@functools.cache
def version() -> str:
    """The plugin's version: the schema's, which is the package's (tests/project/test_one_version.py)."""
    return str(json.loads(schema_text())["version"])


def _varint(number: int) -> bytes:
    out = bytearray()
    while number > 0x7F:
        out.append(number & 0x7F | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def _first_field(text: str) -> bytes:
    """A message whose only set field is string field 1 (tag 1, wire type 2: length-delimited)."""
    data = text.encode("utf-8")
    return b"\x0a" + _varint(len(data)) + data if data else b""


def plugin_info() -> bytes:
    """``pulumirpc.PluginInfo{version}``: what ``GetPluginInfo`` answers."""
    return _first_field(version())


@functools.cache
def schema_response() -> bytes:
    """``pulumirpc.GetSchemaResponse{schema}``: what ``GetSchema`` answers (the file ends in a newline; the
    schema the provider served before it was read from the file did not)."""
    return _first_field(schema_text().removesuffix("\n"))
