"""Serve ``AlayaProvider`` to the engine over gRPC, with every error of ours as one line.

``pulumi.provider.experimental.server`` reports any exception as its message plus a Python stack, which
``pulumi up`` would print in every language for an ordinary 404. Our errors (``AlayaError``) become their
one-line message; anything else (a bug) keeps the SDK's report with its stack.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import grpc  # type: ignore[import-untyped]
import grpc.aio  # type: ignore[import-untyped]
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2_grpc

from ..client import AlayaError
from ..client.version import VERSION as __version__
from .alaya_provider import AlayaProvider

__all__ = ["serve"]

Method = Callable[[Any, Any, Any], Awaitable[Any]]
_ORPHAN_CHECK_SECONDS = 1.0
_CALLS = ("CheckConfig", "Configure", "Check", "Diff", "Create", "Read", "Update", "Delete", "Invoke")


def _ours(error: BaseException) -> AlayaError | None:
    # The SDK re-raises inside its except block, so the original error is the new one's __context__.
    while error is not None:
        if isinstance(error, AlayaError):
            return error
        error = error.__context__  # type: ignore[assignment]
    return None


def _one_line(method: Method) -> Method:
    async def call(self: Any, request: Any, context: Any) -> Any:
        try:
            return await method(self, request, context)
        except grpc.aio.AbortError:
            raise
        except Exception as error:  # noqa: BLE001 - only ours are rewritten; the rest is re-raised as it was
            ours = _ours(error)
            if ours is None:
                raise
        await context.abort(grpc.StatusCode.UNKNOWN, str(ours))

    return call


class _Servicer(ProviderServicer):
    pass


for _name in _CALLS:
    setattr(_Servicer, _name, _one_line(getattr(ProviderServicer, _name)))


async def _stop_when_orphaned(server: grpc.aio.Server, parent: int) -> None:
    """Stop once the process that started us is gone (a reparented process has a new parent pid). The engine
    stops its plugins when it ends; after a SIGKILL of the CLI (``kill -9``, an OOM kill, a CI cancel) nobody would,
    and we would serve nobody for ever. The calls in flight still end (their waits keep their budgets)."""
    while os.getppid() == parent:
        await asyncio.sleep(_ORPHAN_CHECK_SECONDS)
    await server.stop(grace=None)


async def _serve(args: list[str]) -> None:
    parent = os.getppid()
    engine = next((arg for arg in args if not arg.startswith("-")), "")
    server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(
        _Servicer(args, __version__, AlayaProvider(), engine_address=engine), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    # The engine reads the port from the first line of stdout.
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    watch = asyncio.create_task(_stop_when_orphaned(server, parent))
    await server.wait_for_termination()
    watch.cancel()


def serve(args: list[str] | None = None) -> None:
    """The plugin's entry point (``pulumi-resource-alaya ENGINE_ADDRESS``)."""
    try:
        asyncio.run(_serve(sys.argv[1:] if args is None else args))
    except KeyboardInterrupt:
        pass
