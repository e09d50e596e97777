"""Serve ``AlayaProvider`` to the engine over gRPC, with every error of ours as one line.

``pulumi.provider.experimental.server`` reports any exception as its message plus a Python stack, which
``pulumi up`` would print in every language for an ordinary 404. Our errors (``AlayaError``) become their
one-line message; anything else (a bug) keeps the SDK's report with its stack.
"""

from __future__ import annotations

import asyncio
import os
import signal
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
from .partial import abort_partial, partial_failure

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
            partial, ours = partial_failure(error), _ours(error)
            if partial is None and ours is None:
                raise
        if partial is not None:
            await abort_partial(context, partial)
        await context.abort(grpc.StatusCode.UNKNOWN, str(ours))

    return call


class _Servicer(ProviderServicer):
    pass


for _name in _CALLS:
    setattr(_Servicer, _name, _one_line(getattr(ProviderServicer, _name)))


async def _orphaned(parent: int) -> None:
    """Return once the process that started us is gone (a reparented process has a new parent pid). The engine
    stops its plugins when it ends; after a SIGKILL of the CLI (``kill -9``, an OOM kill, a CI cancel) nobody would,
    and we would serve nobody for ever."""
    while os.getppid() == parent:
        await asyncio.sleep(_ORPHAN_CHECK_SECONDS)


def _on_stop_signals(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    """The engine ends a run by sending SIGINT to the plugin's process group (CTRL_BREAK on Windows, which Python
    sees as SIGBREAK); SIGTERM is how a container or a user asks. Each only sets ``stop``, so the server is stopped
    inside the loop: left to asyncio.run's KeyboardInterrupt, it printed a CancelledError and, from the grpc
    server's ``__del__`` once the loop was closed, "Exception ignored ... Event loop is closed"."""
    for name in ("SIGINT", "SIGTERM", "SIGBREAK"):
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            loop.add_signal_handler(number, stop.set)
        except NotImplementedError:  # Windows event loops have no add_signal_handler
            signal.signal(number, lambda *_: loop.call_soon_threadsafe(stop.set))


async def _serve(args: list[str]) -> None:
    parent = os.getppid()
    engine = next((arg for arg in args if not arg.startswith("-")), "")
    server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(
        _Servicer(args, __version__, AlayaProvider(), engine_address=engine), server)
    port = server.add_insecure_port("127.0.0.1:0")
    stop = asyncio.Event()
    _on_stop_signals(asyncio.get_running_loop(), stop)
    await server.start()
    # The engine reads the port from the first line of stdout.
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    orphaned = asyncio.create_task(_orphaned(parent))
    signalled = asyncio.create_task(stop.wait())
    await asyncio.wait({orphaned, signalled}, return_when=asyncio.FIRST_COMPLETED)
    orphaned.cancel()
    signalled.cancel()
    # Stopped here, on the running loop, so nothing is left for the server's __del__ after the loop closes.
    await server.stop(grace=None)


def serve(args: list[str] | None = None) -> None:
    """The plugin's entry point (``pulumi-resource-alaya ENGINE_ADDRESS``)."""
    asyncio.run(_serve(sys.argv[1:] if args is None else args))
