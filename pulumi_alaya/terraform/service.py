"""``tfplugin6.Provider`` as tofu dials it: the first calls answered from ``first_calls.py``, the rest by the
provider (``provider.py``: protobuf, the client, the rules), loaded on the first call that needs it.

A plan's schema-only launch never loads it. Its modules load with the cyclic collector off and are frozen out
of its way afterwards (``client.lazy_import.collector_off_while_loading``), as the Pulumi plugin's and the CLI's
are. A provider that cannot load (a broken install) answers each call with one line that says so.
"""

from __future__ import annotations

import threading
from typing import Any

import grpc  # type: ignore[import-untyped]

from ..client.lazy_import import collector_off_while_loading
from . import first_calls

__all__ = ["SERVICE", "ProviderService"]

SERVICE = "tfplugin6.Provider"


def _fixed(answer: Any) -> grpc.RpcMethodHandler:
    return grpc.unary_unary_rpc_method_handler(lambda request, context: answer())  # bytes in, bytes out


class ProviderService(grpc.GenericRpcHandler):  # type: ignore[misc]
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handlers: dict[str, grpc.RpcMethodHandler] | None = None
        self._broken = ""

    def service(self, handler_call_details: Any) -> grpc.RpcMethodHandler | None:
        service, _, name = handler_call_details.method.lstrip("/").partition("/")
        if service != SERVICE:
            return None
        answer = first_calls.ANSWERS.get(name)
        if answer is not None:
            return _fixed(answer)
        handlers = self._loaded()
        if handlers is None:
            return grpc.unary_unary_rpc_method_handler(self._refuse)
        return handlers.get(name)  # None: UNIMPLEMENTED, which tofu tolerates for calls it may skip

    def _loaded(self) -> dict[str, grpc.RpcMethodHandler] | None:
        with self._lock:
            if self._handlers is None and not self._broken:
                try:
                    with collector_off_while_loading():
                        from .provider import Provider  # noqa: PLC0415 - the point of this class

                        self._handlers = Provider().handlers()
                except ImportError as error:  # a dependency missing from the install
                    self._broken = f"{type(error).__name__}: {getattr(error, 'name', None) or 'a module'}"
        return self._handlers

    def _refuse(self, request: bytes, context: Any) -> bytes:
        context.abort(grpc.StatusCode.UNAVAILABLE,
                      f"terraform-provider-alaya cannot load ({self._broken}): reinstall it with `tofu init "
                      "-upgrade` (manual/terraform.md).")
        return b""  # never reached: abort raises
