"""What tofu shows the user: one diagnostic per failure, pointing at the attribute when one is to blame."""

from __future__ import annotations

from collections.abc import Sequence

from ..client.errors import AlayaError
from . import tfplugin6_pb2 as pb

__all__ = ["attribute_error", "error", "failure"]

_ERROR = pb.Diagnostic.ERROR


def _path(steps: Sequence[str]) -> pb.AttributePath:
    return pb.AttributePath(steps=[pb.AttributePath.Step(attribute_name=step) for step in steps])


def error(summary: str, detail: str = "") -> pb.Diagnostic:
    return pb.Diagnostic(severity=_ERROR, summary=summary, detail=detail)


def attribute_error(steps: Sequence[str], message: str) -> pb.Diagnostic:
    """A refused value: tofu prints the attribute and the configuration line it came from."""
    return pb.Diagnostic(severity=_ERROR, summary=f"Invalid {'.'.join(steps)}", detail=message,
                         attribute=_path(steps))


def failure(what: str, operation: str, problem: AlayaError) -> pb.Diagnostic:
    """An operation the API (or the way to it) refused: which deployment, what failed, the client's one line
    (which says what to do). The client's messages never hold a key (they are redacted where they are made)."""
    named = f" {problem.service_id}" if problem.service_id else ""
    return error(f"{what}{named}: {operation} failed", problem.message)


def path_of(steps: Sequence[str]) -> pb.AttributePath:
    return _path(steps)
