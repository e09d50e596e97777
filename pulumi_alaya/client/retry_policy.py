"""What the request path does after each attempt: one table and one small function, no I/O.

Retried only where a repeat cannot do harm or the server asked for it (never 400/401/403/404: repeating them
gives the same answer and can lock an account):
  - 429: rate limited, the request was not processed (honour Retry-After);
  - 500/502/503/504: gateway or transient server trouble, on idempotent verbs only;
  - a connection refused before anything was sent, on any verb;
  - a reset, timeout or cut body after sending, on idempotent verbs only.
A write (POST) whose answer was lost after it may have reached the API is never repeated: it is "uncertain".
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["IDEMPOTENT", "RETRY_ANY_METHOD", "RETRY_IDEMPOTENT", "TRANSIENT_STATUSES", "Step", "decide", "outcome_of"]

RETRY_ANY_METHOD = frozenset({429})
RETRY_IDEMPOTENT = frozenset({500, 502, 503, 504})
TRANSIENT_STATUSES = RETRY_ANY_METHOD | RETRY_IDEMPOTENT  # what a wait polls through
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})

# What one attempt came to -> (may retry an idempotent call, may retry a write, what giving up means for a write).
# "answer": hand the HTTP answer to the caller; "fail": a transport or malformed-body error; "uncertain": the
# write may have been applied, say so instead of failing plainly. Idempotent calls give up as "answer"/"fail".
_TABLE: dict[str, tuple[bool, bool, str]] = {
    "answered": (False, False, "answer"),  # any other status: the caller maps it
    "throttled": (True, True, "answer"),  # 429
    "server_error": (True, False, "answer"),  # 500/502/503/504
    "refused": (True, True, "fail"),  # nothing was sent
    "lost": (True, False, "uncertain"),  # reset or timeout after sending
    "cut": (True, False, "uncertain"),  # the body broke off (transient)
    "unusable": (False, False, "uncertain"),  # a body that can never be read (too big, bad encoding)
}


class Step(NamedTuple):
    """The decision: ``action`` is "retry", "answer", "fail" or "uncertain"; ``sleep`` the seconds before a retry."""

    action: str
    sleep: float = 0.0


def outcome_of(status: int) -> str:
    """The table's row for an attempt that got an HTTP answer."""
    if status in RETRY_ANY_METHOD:
        return "throttled"
    return "server_error" if status in RETRY_IDEMPOTENT else "answered"


def decide(outcome: str, method: str, *, retries_left: int, time_left: float, backoff: float,
           retry_after: float | None = None, paced: bool = False) -> Step:
    """Retry (after ``sleep``) while the table allows it, attempts remain and the wait fits the time left.

    A Retry-After replaces the backoff. On a ``paced`` call the client's rate limiter holds the retry until
    then (for every call of the client alike), so no sleep here.
    """
    idempotent = method in IDEMPOTENT
    retry_idempotent, retry_write, give_up = _TABLE[outcome]
    wait = backoff if retry_after is None else retry_after
    if (retry_idempotent if idempotent else retry_write) and retries_left > 0 and wait < time_left:
        return Step("retry", 0.0 if paced and retry_after is not None else wait)
    if idempotent and give_up == "uncertain":
        return Step("fail")
    return Step(give_up)
