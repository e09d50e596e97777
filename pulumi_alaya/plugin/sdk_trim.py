"""Pulumi SDK subpackages that ``import pulumi`` loads but a provider never uses, loaded on first use instead.

``pulumi/__init__.py`` ends with ``from . import runtime, dynamic, policy, automation``: the Automation API
(which brings yaml, semver's CLI and its workspaces) and the dynamic-provider support are about a quarter of
importing the SDK, and the plugin pays for that import on the critical path of every ``preview`` and ``up``.
Each is stood in for by a module that imports the real one the first time anything asks it for a name, so
nothing changes for code that does use them (``tests/pulumi_plugin/test_plugin_startup.py`` holds both).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__all__ = ["DEFERRED", "defer_unused_sdk_parts"]

DEFERRED = ("pulumi.automation", "pulumi.dynamic")


class _Deferred(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        return getattr(_load(self.__name__), name)


def _load(name: str) -> types.ModuleType:
    placeholder = sys.modules.pop(name)
    try:
        real = importlib.import_module(name)  # binds it on the parent package too
    except BaseException:
        sys.modules[name] = placeholder
        raise
    return real


def defer_unused_sdk_parts() -> None:
    """Call before the first ``import pulumi``; afterwards it is too late and does nothing."""
    if "pulumi" in sys.modules:
        return
    for name in DEFERRED:
        sys.modules.setdefault(name, _Deferred(name))
