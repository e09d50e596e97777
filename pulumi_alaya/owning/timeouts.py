"""How long a resource operation may wait: the operation's own limit when the front end passes one (Pulumi's
``customTimeouts``, Terraform's ``timeouts`` block), else the resource's ``waitTimeout``. Shared by every owner,
so the rule and its error read the same everywhere: the error says which limit ran out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..client.errors import AlayaWaitTimeoutError

__all__ = ["Budget", "wait_timeout_passed"]

T = TypeVar("T")


def wait_timeout_passed(seconds: float) -> str:
    return f"waitTimeout ({seconds:g}s) passed."


class Budget:
    """One operation's wait budget: ``engine`` (the operation's own limit, seconds; 0 or None = not set) or
    ``fallback`` (waitTimeout)."""

    def __init__(self, engine: float | None, fallback: Any) -> None:
        self.from_engine = bool(engine and engine > 0)
        self.seconds = float(engine) if self.from_engine and engine else float(fallback)

    def run(self, wait: Callable[[float], T], service_id: str, operation: str) -> T:
        """Call ``wait(seconds)``; a timeout says which limit it was."""
        try:
            return wait(self.seconds)
        except AlayaWaitTimeoutError as error:
            limit = (f"The {operation} timeout ({self.seconds:g}s: customTimeouts or the timeouts block) passed."
                     if self.from_engine else wait_timeout_passed(self.seconds))
            raise AlayaWaitTimeoutError(f"{error.message} {limit}", service_id=service_id,
                                        last_status=error.last_status) from None
