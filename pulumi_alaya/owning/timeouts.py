"""How long a resource operation may wait: Pulumi's ``customTimeouts`` when the engine passes one, else the
resource's ``waitTimeout``. Shared by both owners, so the rule and its error read the same everywhere.

When the engine's limit passes, the wait stops and the deployment is left as it is (not deleted, not retried):
the user asked for a bound on the operation, not for the deployment to go away; the error names it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..client.errors import AlayaWaitTimeoutError

__all__ = ["Budget"]

T = TypeVar("T")


class Budget:
    """One operation's wait budget: ``engine`` (customTimeouts, seconds; 0 or None = not set) or ``fallback``."""

    def __init__(self, engine: float | None, fallback: Any) -> None:
        self.from_engine = bool(engine and engine > 0)
        self.seconds = float(engine) if self.from_engine and engine else float(fallback)

    def run(self, wait: Callable[[float], T], service_id: str, operation: str) -> T:
        """Call ``wait(seconds)``; a timeout under customTimeouts says the deployment was left as it is."""
        try:
            return wait(self.seconds)
        except AlayaWaitTimeoutError as error:
            if not self.from_engine:
                raise
            raise AlayaWaitTimeoutError(
                f"{error.message} The customTimeouts {operation} limit ({self.seconds:g}s) passed; deployment "
                f"{service_id} is left as it is: check it, then run the operation again or delete it.",
                service_id=service_id, last_status=error.last_status) from None
