"""A create (or update) the API accepted whose wait did not end in ``running``, told to the engine as Pulumi's
partial failure: the gRPC error carries ``pulumirpc.ErrorResourceInitFailed`` with the deployment's ID and
outputs, so the engine keeps the resource in state with its "initErrors", the next ``up`` resumes it (an update,
never a second create) and ``destroy`` deletes it. pulumi-kubernetes reports resources that never become ready
the same way."""

from __future__ import annotations

from typing import Any

import grpc  # type: ignore[import-untyped]
from google.protobuf import any_pb2  # type: ignore[import-untyped]

from .protocol import provider_pb2, status_pb2  # status_pb2: the SDK's own copy of google.rpc.Status

__all__ = ["PartialFailure", "abort_partial", "partial_failure"]


class PartialFailure(Exception):  # noqa: N818 - the engine's own word for it
    """What the engine records for a resource that exists but did not initialise."""

    def __init__(self, message: str, resource_id: str, properties: Any) -> None:  # properties: a Struct
        super().__init__(message)
        self.message = message
        self.resource_id = resource_id
        self.properties = properties


def partial_failure(error: BaseException | None) -> PartialFailure | None:
    # The SDK re-raises inside its except block, so the original error is the new one's __context__.
    while error is not None:
        if isinstance(error, PartialFailure):
            return error
        error = error.__context__
    return None


async def abort_partial(context: Any, partial: PartialFailure) -> None:
    """End the call with the engine's partial-failure detail (google.rpc.Status in the trailing metadata)."""
    detail = provider_pb2.ErrorResourceInitFailed(
        id=partial.resource_id, properties=partial.properties, reasons=[partial.message])
    packed = any_pb2.Any()
    packed.Pack(detail)
    status = status_pb2.Status(code=grpc.StatusCode.UNKNOWN.value[0], message=partial.message, details=[packed])
    await context.abort(grpc.StatusCode.UNKNOWN, partial.message,
                        trailing_metadata=(("grpc-status-details-bin", status.SerializeToString()),))
