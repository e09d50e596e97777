"""Serve the provider to the engine over gRPC, paying for protobuf, the client and the rules only when a call
needs them, and never for the Pulumi SDK.

The engine starts the plugin for every ``preview`` and ``up`` (a YAML program's schema load starts one more that
is asked only for its info and schema) and waits for the port line. So nothing heavy is imported before it: the
server takes raw bytes, answers ``GetPluginInfo``, ``GetSchema`` and ``Handshake`` itself (``first_calls.py``;
``Handshake`` is unimplemented, as in Pulumi's servicer), and hands every other call to ``servicer.py`` over
``AlayaProvider``, imported in a worker thread on the first such call, with the engine's own request and response
types (``protocol.py``). ``tests/pulumi_plugin/test_plugin_startup.py`` fails when a module that must wait is
imported at start-up, or when a preview imports the Pulumi SDK.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from typing import Any, NoReturn

import grpc  # type: ignore[import-untyped]
import grpc.aio  # type: ignore[import-untyped]

from . import first_calls

__all__ = ["serve"]

SERVICE = "pulumirpc.ResourceProvider"
# Pulumi's servicer options (pulumi.runtime._grpc_settings._GRPC_CHANNEL_OPTIONS; a test holds them equal).
GRPC_OPTIONS = (("grpc.max_receive_message_length", 400 * 1024 * 1024),
                ("grpc.server_max_unrequested_time_in_server", 30 * 60))
# The service's only method that answers with a stream (a test holds this against Pulumi's descriptor).
STREAMING = frozenset({"List"})
_ORPHAN_CHECK_SECONDS = 1.0


class _Provider(grpc.GenericRpcHandler):  # type: ignore[misc]
    def __init__(self, args: list[str], engine: str) -> None:
        self._args, self._engine = args, engine
        self._sdk: asyncio.Future[Callable[[str], Any]] | None = None

    def sdk(self) -> asyncio.Future[Callable[[str], Any]]:
        """Pulumi's method handlers over ``AlayaProvider``, imported and built once, off the event loop."""
        if self._sdk is None:
            self._sdk = asyncio.get_running_loop().run_in_executor(None, self._load)
        return self._sdk

    async def _loaded(self, context: Any) -> Callable[[str], Any]:
        try:
            return await self.sdk()
        except Exception as error:  # noqa: BLE001 - a broken install: one line to the engine, on every call
            await context.abort(grpc.StatusCode.FAILED_PRECONDITION, _broken_install(error))
            raise  # abort raises; never reached

    def _load(self) -> Callable[[str], Any]:
        from ..client.lazy_import import collector_off_while_loading

        with collector_off_while_loading():
            from .sdk_trim import defer_unused_modules

            defer_unused_modules()
            from .servicer import method_handlers

            return method_handlers(self._args, self._engine)

    def service(self, handler_call_details: Any) -> Any:
        service, _, name = handler_call_details.method.lstrip("/").partition("/")
        if service != SERVICE:
            return None
        if name in STREAMING:
            return grpc.unary_stream_rpc_method_handler(self._stream(name))
        return grpc.unary_unary_rpc_method_handler(self._unary(name))

    def _unary(self, name: str) -> Callable[[bytes, Any], Any]:
        async def call(request: bytes, context: Any) -> bytes:
            if name == "GetPluginInfo":
                return first_calls.plugin_info()
            if name == "GetSchema":
                return first_calls.schema_response()
            if name == "Cancel" and self._sdk is None:
                return b""  # google.protobuf.Empty: nothing has started that could be cancelled
            if name == "Handshake":  # as Pulumi's generated servicer answers it: the engine carries on without
                _refuse(context, "Method not implemented!")
            handler = (await self._loaded(context))(name)
            if handler is None:
                _refuse(context, "Method not found!")
            answer = handler.unary_unary(handler.request_deserializer(request), context)
            serialized: bytes = handler.response_serializer(await answer if asyncio.iscoroutine(answer) else answer)
            return serialized

        return call

    def _stream(self, name: str) -> Callable[[bytes, Any], AsyncIterator[bytes]]:
        async def call(request: bytes, context: Any) -> AsyncIterator[bytes]:
            handler = (await self._loaded(context))(name)
            answers = handler.unary_stream(handler.request_deserializer(request), context)
            if asyncio.iscoroutine(answers):  # a servicer that only refuses (Pulumi's List) is a coroutine
                answers = await answers
            async for answer in answers:
                yield handler.response_serializer(answer)

        return call


def _broken_install(error: Exception) -> str:
    return (f"pulumi-resource-alaya could not load its provider ({type(error).__name__}: {error}): reinstall it "
            "(pip install --force-reinstall pulumi-alaya; for the plugin pulumi installed itself, "
            "'pulumi plugin rm resource alaya --yes', then run pulumi again)")


def _refuse(context: Any, details: str) -> NoReturn:
    context.set_code(grpc.StatusCode.UNIMPLEMENTED)
    context.set_details(details)
    raise NotImplementedError(details)


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
    server = grpc.aio.server(options=GRPC_OPTIONS)
    server.add_generic_rpc_handlers((_Provider(args, engine),))
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
