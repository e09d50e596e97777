"""The engine's protocol messages (``pulumirpc.*``), without the Pulumi SDK.

Pulumi ships its generated protocol modules inside the SDK (``pulumi/runtime/proto``), and importing them the
ordinary way runs ``pulumi/__init__.py``: the whole SDK (the runtime, the Automation API, opentelemetry, semver),
about a hundred milliseconds of CPU before the first resource call of every ``preview`` can be answered. The
generated modules themselves need only protobuf; so they are loaded from that folder as a package of our own,
which runs no ``__init__``. Protobuf keeps one class per message type, so these are the very classes
``pulumi.runtime.proto`` has when the SDK is imported too (a test holds them identical).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any

from google.protobuf import empty_pb2, struct_pb2  # type: ignore[import-untyped]

__all__ = ["empty_pb2", "provider_pb2", "status_pb2", "struct_pb2"]

_PACKAGE = "pulumi_alaya.plugin._pulumi_proto"


def _generated(name: str) -> Any:
    """``pulumi/runtime/proto/<name>``: from the SDK's own package when it is imported, else from its folder."""
    if "pulumi.runtime.proto" in sys.modules:
        return importlib.import_module(f"pulumi.runtime.proto.{name}")
    if _PACKAGE not in sys.modules:
        spec = importlib.util.find_spec("pulumi")  # finds the package without running it
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError("pulumi is not installed", name="pulumi")
        package = types.ModuleType(_PACKAGE, __doc__)
        package.__path__ = [str(Path(next(iter(spec.submodule_search_locations)), "runtime", "proto"))]
        sys.modules[_PACKAGE] = package
    return importlib.import_module(f"{_PACKAGE}.{name}")


provider_pb2 = _generated("provider_pb2")
status_pb2 = _generated("status_pb2")  # the SDK's copy of google.rpc.Status
