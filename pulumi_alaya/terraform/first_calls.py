"""What tofu asks of every launch of the provider, answered without protobuf, the client or the rules.

tofu launches the provider three times per plan: the first launch only asks for the schema, and every launch
ends with ``StopProvider``. Those answers are fixed bytes: the schema's is ``schema.pb`` beside this file
(scripts/gen_terraform.py writes it from ``schema.json`` with the protocol's own messages, and checks it),
``StopProvider``'s and ``GetFunctions``' are empty messages. ``service.py`` loads the provider for anything else.
A test holds each to the protocol message it stands for, and the provider itself answers none of them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

__all__ = ["ANSWERS", "SCHEMA_RESPONSE_FILE"]

SCHEMA_RESPONSE_FILE = Path(__file__).with_name("schema.pb")


@functools.cache
def _schema_response() -> bytes:
    return SCHEMA_RESPONSE_FILE.read_bytes()


def _empty() -> bytes:
    return b""  # a message with no field set: StopProvider without an error, no functions


ANSWERS: dict[str, Callable[[], bytes]] = {
    "GetProviderSchema": _schema_response,
    "StopProvider": _empty,
    "GetFunctions": _empty,
}
