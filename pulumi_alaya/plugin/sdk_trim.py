"""Modules the provider's imports load but its first calls never use, loaded on first use instead.

``pulumi/__init__.py`` ends with ``from . import runtime, dynamic, policy, automation``: the Automation API
(which brings yaml, semver's CLI and its workspaces) and the dynamic-provider support are about a quarter of
importing the SDK. ``requests`` (with urllib3, charset_normalizer, idna, ssl, cookies) is as much again, and the
client imports it at once although only a call that reaches the API uses it: a ``preview`` (config checks,
Check, Create and Diff in preview) never does. The plugin pays for all of it on the critical path of every
``preview`` and ``up``. Each is stood in for by a module that imports the real one the first time anything asks
it for a name, so nothing changes for code that does use them (``tests/pulumi_plugin/test_plugin_startup.py``).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from ..client.lazy_import import IMPORTING

__all__ = ["DEFERRED", "defer_unused_modules"]

DEFERRED = ("pulumi.automation", "pulumi.dynamic", "requests", "requests.adapters")
# The engine's calls arrive on grpc's worker threads: two first uses at once must load a module once, and
# another thread's import must not change sys.modules under the stand-ins' removal, nor requests' import (the
# client's own first-use imports take the same lock).
_LOADING = IMPORTING


class _Deferred(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        real = self.__dict__.get("_real_module") or _load(self.__name__)
        self.__dict__["_real_module"] = real  # a module that bound this stand-in keeps using it: one lookup more
        return getattr(real, name)


def _load(name: str) -> types.ModuleType:
    with _LOADING:
        # Every stand-in of the same package goes first: the real package imports its own submodules.
        top = name.partition(".")[0]
        for key, module in sys.modules.copy().items():  # a copy: one C call, so no other thread's import between
            if isinstance(module, _Deferred) and (key == top or key.startswith(top + ".")):
                sys.modules.pop(key, None)
        return importlib.import_module(name)  # binds it on the parent package too


def defer_unused_modules() -> None:
    """Call before anything imports them; a module whose package is imported already is left alone."""
    imported = {name for name in DEFERRED if name.partition(".")[0] in sys.modules}
    for name in DEFERRED:
        if name not in imported:
            sys.modules[name] = _Deferred(name)
