"""Turning one HTTP answer into a value or the typed error it means: the API's error shapes, redirects,
bodies that are not JSON, and writes whose outcome is unknown. Shared by every call of the client."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from .errors import (
    AlayaAPIError,
    AlayaAuthError,
    AlayaError,
    AlayaForbiddenError,
    AlayaNotFoundError,
    AlayaProbeError,
    AlayaRedirectError,
    AlayaWriteUncertainError,
    Subject,
)
from .lazy_import import lazy_import
from .transport import Answer
from .urls import has_control_or_space

__all__ = ["error_from_response", "parse_json", "completion_text", "redirect_error", "retry_after",
           "throttled_error", "uncertain"]


def retry_after(answer: Answer) -> float | None:
    """Seconds a ``Retry-After`` header asks for (also "1.5" from lenient servers); None for a date or garbage."""
    value = answer.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return max(0.0, seconds) if math.isfinite(seconds) else None


def throttled_error(subject: Subject, seconds: float) -> AlayaAPIError:
    """Nothing sent: an earlier 429's Retry-After holds this client's requests past the call's time left."""
    seconds = max(0.0, seconds)
    return AlayaAPIError(
        f"Alaya API rate limited this client (HTTP 429): it asked to wait {seconds:.3g}s more, beyond the time "
        f"left for {subject.phrase}. Retry later or lower concurrency.",
        service_id=subject.service_id, http_status=429, retry_after=seconds)


def uncertain(method: str, subject: Subject, host: str) -> AlayaWriteUncertainError:
    return AlayaWriteUncertainError(
        f"{method} for {subject.phrase} to {host} lost its answer after it was sent; it was not "
        "retried, since the API may have acted on it. Check the deployment in the Alaya console before retrying.",
        service_id=subject.service_id)


def parse_json(body: bytes) -> tuple[Any, str]:
    """The JSON value and "" or None and what the body is instead."""
    if not body:
        return None, "empty"
    try:
        return json.loads(body), ""
    except RecursionError:
        return None, "JSON nested too deeply"
    except ValueError:
        return None, "not JSON"


def completion_text(answer: Any) -> str | None:
    try:
        content = answer["choices"][0]["message"]["content"]
    except (TypeError, KeyError, IndexError):
        return None
    return content if isinstance(content, str) else None


def _location_host(answer: Answer) -> str:
    """Where a redirect points, as host[:port] only: its path and query may carry tokens."""
    location = answer.headers.get("Location", "")
    if not location:
        return "nowhere (no Location header)"
    if location.startswith("/") and not location.startswith("//"):
        return "another path on the same host"
    try:
        parts = lazy_import("urllib3.util").parse_url(location)
    except ValueError:  # urllib3's LocationParseError is a ValueError
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.host or has_control_or_space(location):
        return "an address that is not a plain http(s) URL"
    return f"{parts.host}:{parts.port}" if parts.port else str(parts.host)


def redirect_error(answer: Answer, subject: Subject, hint: str, probe: bool = False) -> AlayaError:
    text = (f"HTTP {answer.status} redirect for {subject.phrase} to {_location_host(answer)} was not followed: "
            f"keys are never sent to another address. {hint}")
    if probe:
        return AlayaProbeError(f"Smoke test failed: {text}", service_id=subject.service_id,
                               http_status=answer.status)
    return AlayaRedirectError(f"Alaya API answered {text}", service_id=subject.service_id,
                              http_status=answer.status, path=urlsplit(answer.url).path)


_STATUS_ERRORS: dict[int, tuple[type[AlayaAPIError], str]] = {
    400: (AlayaAPIError, "Check the serviceId and request parameters."),
    401: (AlayaAuthError, "Check access_key/secret_key (ALAYA_ACCESS_KEY/ALAYA_SECRET_KEY)."),
    403: (AlayaForbiddenError, "Your keys may not read this deployment; use keys of the owning account."),
    404: (AlayaNotFoundError, "Check the serviceId, or that the deployment was not deleted."),
    429: (AlayaAPIError, "Rate limited: retry later or lower concurrency."),
}


def _is_api_error_shape(body: Any) -> bool:
    return isinstance(body, dict) and "code" in body and body.get("code") not in (0, "0") and "msg" in body


def error_from_response(answer: Answer, body: Any, subject: Subject, scrub: Callable[[str], str]) -> AlayaAPIError:
    status = answer.status
    cls, hint = _STATUS_ERRORS.get(status, (AlayaAPIError, "The Alaya API had a problem: retry later."))
    if subject.service_id is None and status == 400:
        hint = "Check the request parameters."  # nothing here has a serviceId yet (a create)
    if status == 404 and not _is_api_error_shape(body):
        # A proxy's or web server's 404 (wrong base path): not the API saying the deployment is gone.
        cls, hint = AlayaAPIError, "This 404 did not come from the Alaya API: check base_url and any proxy."
    asked = retry_after(answer) if status == 429 else None
    if asked is not None:
        hint = (f"Rate limited: the API asked to retry after {asked:g}s, beyond the time or retries left. "
                "Retry later.")
    msg = body.get("msg") if isinstance(body, dict) else None
    code = body.get("code") if isinstance(body, dict) else None
    api_msg = scrub(msg) if isinstance(msg, str) and msg else answer.reason or "no message"
    return cls(
        f"Alaya API answered HTTP {status} for {subject.phrase}: {api_msg[:200]}. {hint}",
        service_id=subject.service_id,
        http_status=status,
        code=code,
        api_msg=api_msg,
        path=urlsplit(answer.url).path if answer.url else None,
        retry_after=asked,
    )
