"""Typed errors of the Alaya client: one root, one class per thing a caller reacts to differently.

Every message is one line that names the serviceId and (where there was one) the HTTP status, and ends
with what to do. Messages are built by the client, which scrubs its secrets from them first, so no
message carries the secret key or a deployment's apiKey.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = [
    "AlayaCreatedNotReadyError",
    "AlayaError",
    "AlayaInputError",
    "AlayaAPIError",
    "AlayaAuthError",
    "AlayaForbiddenError",
    "AlayaNotFoundError",
    "AlayaRedirectError",
    "AlayaConflictError",
    "AlayaTransportError",
    "AlayaWriteUncertainError",
    "AlayaMalformedResponseError",
    "AlayaDeploymentFailedError",
    "AlayaWaitTimeoutError",
    "AlayaProbeError",
    "bug_report",
    "describe_service_id",
    "Subject",
]


def bug_report(error: BaseException, where: str) -> str:
    """The one line a front end shows for an error that is none of ours (a bug): its type, the call and the last
    line of ours it passed through (what a report needs to find it), never its text, which could hold anything
    (a key included)."""
    line = _last_line_of_ours(error)
    return f"{type(error).__name__} in {where}{f' at {line}' if line else ''}: a bug; report it with the command " \
           "that showed it."


_OUR_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _last_line_of_ours(error: BaseException) -> str | None:
    """``package/module.py:LINE`` of the innermost frame of the error's stack inside this package."""
    found = None
    trace = error.__traceback__
    while trace is not None:
        path = trace.tb_frame.f_code.co_filename
        if path.startswith(_OUR_PACKAGE + os.sep):
            found = f"{os.path.relpath(path, os.path.dirname(_OUR_PACKAGE))}:{trace.tb_lineno}"
        trace = trace.tb_next
    return found


def describe_service_id(service_id: Any) -> str:
    """A short, one-line, printable rendering of a (possibly hostile) serviceId for messages."""
    text = repr(service_id)
    if len(text) <= 48:
        return text
    return f"{text[:40]}... ({len(str(service_id))} chars)"


class Subject:
    """What one call is about, as its errors name it: a deployment by serviceId, or a create by name and base
    (it has no serviceId yet, so its errors carry none)."""

    __slots__ = ("phrase", "service_id")

    def __init__(self, phrase: str, service_id: str | None) -> None:
        self.phrase = phrase
        self.service_id = service_id

    @classmethod
    def deployment(cls, service_id: Any) -> Subject:
        return cls(f"serviceId {describe_service_id(service_id)}", service_id)

    def __repr__(self) -> str:
        return f"Subject({self.phrase!r})"


class AlayaError(Exception):
    """Root of every error this client raises. ``kind`` is a stable name the front ends map to exit codes."""

    kind = "error"

    def __init__(self, message: str, *, service_id: str | None = None, http_status: int | None = None):
        # One line, always: multi-line messages break Ansible's msg, CI annotations and log parsers.
        super().__init__(" ".join(line.strip() for line in str(message).splitlines()))
        self.service_id = service_id
        self.http_status = http_status

    @property
    def message(self) -> str:
        return str(self.args[0])

    def to_dict(self) -> dict[str, Any]:
        return {
            "error": self.kind,
            "message": self.message,
            "service_id": self.service_id,
            "http_status": self.http_status,
        }


class AlayaInputError(AlayaError, ValueError):
    """Refused before any request: a bad serviceId, missing credentials, an unsafe base URL."""

    kind = "input"


class AlayaAPIError(AlayaError):
    """The API answered with an error (HTTP status >= 400, or ``code`` other than 0 in the envelope)."""

    kind = "api"

    def __init__(
        self,
        message: str,
        *,
        service_id: str | None = None,
        http_status: int | None = None,
        code: Any = None,
        api_msg: str | None = None,
        path: str | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(message, service_id=service_id, http_status=http_status)
        self.code = code
        self.api_msg = api_msg
        self.path = path
        self.retry_after = retry_after


class AlayaAuthError(AlayaAPIError):
    """HTTP 401: the access key / secret key pair was rejected."""

    kind = "auth"


class AlayaForbiddenError(AlayaAPIError):
    """HTTP 403: the keys are valid but may not read this deployment."""

    kind = "forbidden"


class AlayaNotFoundError(AlayaAPIError):
    """HTTP 404: no deployment with this serviceId. Callers may treat absence as data."""

    kind = "not_found"


class AlayaRedirectError(AlayaAPIError):
    """HTTP 3xx: never followed, since a redirect would carry the keys to whatever host it names."""

    kind = "redirect"


class AlayaConflictError(AlayaAPIError):
    """The deployment is not in a state that allows the change (an offline update of a running deployment)."""

    kind = "conflict"


class AlayaTransportError(AlayaError, ConnectionError):
    """The request never got a usable HTTP answer: refused, reset, timed out (after the allowed retries).

    ``out_of_time``: it was cut short by its caller's own deadline (a wait's budget), not by the network; the
    wait then says that its time ran out, with the last status it saw.
    """

    kind = "transport"

    def __init__(self, message: str, *, service_id: str | None = None, http_status: int | None = None,
                 out_of_time: bool = False):
        super().__init__(message, service_id=service_id, http_status=http_status)
        self.out_of_time = out_of_time


class AlayaWriteUncertainError(AlayaTransportError):
    """A write may have reached the API but its answer was lost: it was not retried, to avoid a duplicate."""

    kind = "write_uncertain"


class AlayaMalformedResponseError(AlayaError, ValueError):
    """The API answered 2xx with a body that is not a deployment in any documented shape."""

    kind = "malformed"


class AlayaDeploymentFailedError(AlayaError):
    """The deployment reached a state it will not leave by itself (``failed``, ``stopped``)."""

    kind = "deployment_failed"

    def __init__(self, message: str, *, service_id: str | None = None, status: str | None = None):
        super().__init__(message, service_id=service_id)
        self.status = status


class AlayaWaitTimeoutError(AlayaError, TimeoutError):
    """``wait_until_running`` ran out of time; ``last_status`` says where the deployment stood."""

    kind = "wait_timeout"

    def __init__(self, message: str, *, service_id: str | None = None, last_status: str | None = None):
        super().__init__(message, service_id=service_id)
        self.last_status = last_status


class AlayaCreatedNotReadyError(AlayaError):
    """The API accepted a create, so the deployment exists (``service_id``), but what followed did not end in
    ``running``: ``cause`` says why (the wait's own time ran out, ``failed``, an interruption). It is never
    created again blindly: front ends keep it (Pulumi as a partial create, Terraform in state, the controller on
    its resource, the CLI on stdout) so the next run resumes or deletes it."""

    kind = "created_not_ready"

    def __init__(self, message: str, *, service_id: str, cause: AlayaError | None = None,
                 deployment: Any = None):
        super().__init__(message, service_id=service_id)
        self.cause = cause
        self.deployment = deployment  # the last Deployment read, when there was one


class AlayaProbeError(AlayaError):
    """The smoke test (one chat completion against the deployment) did not give a well-formed answer."""

    kind = "probe"
