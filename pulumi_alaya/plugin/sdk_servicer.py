"""``AlayaProvider`` behind ``pulumi.provider.experimental``'s servicer, with every error of ours as one line.

The heavy half of the plugin (the Pulumi SDK, protobuf, the client): ``server.py`` imports it on the first call
that needs it. ``pulumi.provider.experimental.server`` reports any exception as its message plus a Python
stack, which ``pulumi up`` would print in every language for an ordinary 404. Our errors (``AlayaError``)
become their one-line message; anything else (a bug) one line that names its type and the call, as the
Terraform provider's does (its text could hold anything, a key included).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast

import grpc  # type: ignore[import-untyped]
import grpc.aio  # type: ignore[import-untyped]
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime.proto import provider_pb2_grpc

from ..client import AlayaError
from ..client.errors import bug_report
from .alaya_provider import AlayaProvider
from .first_calls import version
from .partial import abort_partial, partial_failure

__all__ = ["method_handlers"]

Method = Callable[[Any, Any, Any], Awaitable[Any]]
_CALLS = ("CheckConfig", "Configure", "Check", "Diff", "Create", "Read", "Update", "Delete", "Invoke")


def _ours(error: BaseException) -> AlayaError | None:
    # The SDK re-raises inside its except block, so the original error is the new one's __context__.
    while error is not None:
        if isinstance(error, AlayaError):
            return error
        error = error.__context__  # type: ignore[assignment]
    return None


def _one_line(name: str, method: Method) -> Method:
    async def call(self: Any, request: Any, context: Any) -> Any:
        try:
            return await method(self, request, context)
        except grpc.aio.AbortError:
            raise
        except Exception as error:  # noqa: BLE001 - every failure is one line
            partial, ours = partial_failure(error), _ours(error)
            bug = f"pulumi-resource-alaya failed unexpectedly: {bug_report(error, name)}"
            line = str(ours) if ours is not None else bug
        if partial is not None:  # a deployment the API accepted: the engine keeps it (Pulumi's partial create)
            await abort_partial(context, partial)
        await context.abort(grpc.StatusCode.UNKNOWN, line)

    return call


class _Servicer(ProviderServicer):
    pass


for _name in _CALLS:
    setattr(_Servicer, _name, _one_line(_name, getattr(ProviderServicer, _name)))


class _Captured:
    """Stands in for a grpc server in Pulumi's generated ``add_ResourceProviderServicer_to_server``: keeps the
    handler it registers, with Pulumi's own request and response types."""

    handler: Any = None

    def add_generic_rpc_handlers(self, handlers: Any) -> None:
        (self.handler,) = handlers


class _Call:
    def __init__(self, method: str) -> None:
        self.method = method
        self.invocation_metadata: tuple[Any, ...] = ()


def method_handlers(args: list[str], engine: str) -> Callable[[str], Any]:
    """``ResourceProvider`` method name -> Pulumi's ``grpc.RpcMethodHandler`` for it, over a new
    ``AlayaProvider`` (None for a method the service does not have)."""
    captured = _Captured()
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(
        _Servicer(args, version(), AlayaProvider(), engine_address=engine), cast(Any, captured))
    handler = captured.handler
    return lambda name: handler.service(_Call(f"/pulumirpc.ResourceProvider/{name}"))
