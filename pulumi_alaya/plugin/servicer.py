"""``AlayaProvider`` behind the engine's ``pulumirpc.ResourceProvider`` calls, with every error of ours as one line.

The heavy half of the plugin (protobuf, the client, the rules): ``server.py`` imports it on the first call that
needs it. Each call is answered as Pulumi's ``pulumi.provider.experimental`` servicer answers it, over the same
``pulumirpc`` messages (``protocol.py``), without importing the Pulumi SDK. Every failure is one line (Pulumi's
servicer would add a Python stack, which ``pulumi up`` prints in every language for an ordinary 404): ours
(``AlayaError``) their message, anything else (a bug) a line that names its type and the call, as the Terraform
provider's does (its text could hold anything, a key included). A method of the service this provider does not
answer is refused as Pulumi's generated servicer refuses it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import grpc  # type: ignore[import-untyped]
import grpc.aio  # type: ignore[import-untyped]
from google.protobuf import message_factory  # type: ignore[import-untyped]

from ..client import AlayaError
from ..client.errors import bug_report
from .alaya_provider import AlayaProvider
from .partial import abort_partial, partial_failure
from .protocol import empty_pb2
from .protocol import provider_pb2 as pb

__all__ = ["method_handlers"]

SERVICE = pb.DESCRIPTOR.services_by_name["ResourceProvider"]


class Handler:
    """What ``server.py`` needs of a ``grpc.RpcMethodHandler``: read the request, answer, write the answer."""

    def __init__(self, request_type: Any, answer: Callable[[Any, Any], Awaitable[Any]]) -> None:
        self.request_deserializer = request_type.FromString
        self.unary_unary = answer
        self.unary_stream = answer

    @staticmethod
    def response_serializer(message: Any) -> bytes:
        serialized: bytes = message.SerializeToString()
        return serialized


def _one_line(name: str, method: Callable[[Any], Awaitable[Any]]) -> Callable[[Any, Any], Awaitable[Any]]:
    async def call(request: Any, context: Any) -> Any:
        try:
            return await method(request)
        except grpc.aio.AbortError:
            raise
        except Exception as error:  # noqa: BLE001 - every failure is one line
            partial = partial_failure(error)
            line = (str(error) if isinstance(error, AlayaError)
                    else f"pulumi-resource-alaya failed unexpectedly: {bug_report(error, name)}")
        if partial is not None:  # a deployment the API accepted: the engine keeps it (Pulumi's partial create)
            await abort_partial(context, partial)
        await context.abort(grpc.StatusCode.UNKNOWN, line)

    return call


async def _unimplemented(request: Any, context: Any) -> Any:
    context.set_code(grpc.StatusCode.UNIMPLEMENTED)
    context.set_details("Method not implemented!")
    raise NotImplementedError("Method not implemented!")


async def _cancelled(request: Any) -> Any:
    return empty_pb2.Empty()  # nothing to stop: each call's waits are bounded by its own timeout


def method_handlers(args: list[str], engine: str) -> Callable[[str], Handler | None]:
    """``ResourceProvider`` method name -> its handler over a new ``AlayaProvider`` (None for a method the service
    does not have)."""
    provider = AlayaProvider()

    async def deleted(request: Any) -> Any:
        await provider.delete(request)
        return empty_pb2.Empty()

    answers: dict[str, Callable[[Any], Awaitable[Any]]] = {
        "CheckConfig": provider.check_config, "DiffConfig": provider.diff_config, "Configure": provider.configure,
        "Check": provider.check, "Diff": provider.diff, "Create": provider.create, "Read": provider.read,
        "Update": provider.update, "Delete": deleted, "Invoke": provider.invoke, "Cancel": _cancelled,
    }
    handlers = {name: Handler(_request_type(method), _one_line(name, answers[name]))
                for name, method in SERVICE.methods_by_name.items() if name in answers}

    def handler(name: str) -> Handler | None:
        if name in handlers:
            return handlers[name]
        method = SERVICE.methods_by_name.get(name)
        return None if method is None else Handler(_request_type(method), _unimplemented)

    return handler


def _request_type(method: Any) -> Any:
    return message_factory.GetMessageClass(method.input_type)
