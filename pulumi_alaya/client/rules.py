"""Input rules checked before any request: serviceIds, base URLs, seconds, keys and counts. Written once; the
LoRA fields' own rules (``spec.py``) build on ``SERVICE_ID``."""

from __future__ import annotations

import math
from typing import Any

from .errors import AlayaInputError, describe_service_id
from .patterns import Pattern
from .settings import DEFAULT_BASE_URL
from .urls import is_loopback, parse_http_url

__all__ = ["SERVICE_ID", "check_key", "check_whole_number", "validate_base_url", "validate_seconds",
           "validate_service_id"]

# What a serviceId may be: what the console shows, and nothing that could change the URL it goes into.
SERVICE_ID = Pattern(r"[A-Za-z0-9._-]{1,128}")
_KEY = Pattern(r"[^\s,=\"]+")


def validate_service_id(service_id: Any) -> str:
    """Refuse, before any request, a serviceId that could not be a real one or would change the URL."""
    if not isinstance(service_id, str) or not service_id:
        raise AlayaInputError(
            f"serviceId {describe_service_id(service_id)} is empty or not a string. "
            "Pass the deployment's serviceId from the Alaya console."
        )
    if not SERVICE_ID.fullmatch(service_id) or set(service_id) == {"."}:
        raise AlayaInputError(
            f"serviceId {describe_service_id(service_id)} is invalid: use 1-128 characters from "
            "A-Z a-z 0-9 . _ - (as shown in the Alaya console).",
            service_id=service_id if len(service_id) <= 128 else None,
        )
    return service_id


def validate_base_url(url: Any, what: str = "base_url") -> str:
    """https anywhere; plain http only to loopback (the emulator), so keys never cross a network in clear."""
    example = f"{DEFAULT_BASE_URL} or the emulator's http://127.0.0.1:8780"
    scheme, host, _port, _path = parse_http_url(url, what, example)
    if scheme == "http" and not is_loopback(host):
        raise AlayaInputError(
            f"{what} uses plain http to a non-loopback host, which would send keys in clear. "
            "Use https (plain http is allowed only for 127.0.0.1/localhost)."
        )
    return str(url).strip().rstrip("/")


def validate_seconds(value: Any, what: str) -> float:
    # nan and inf pass "> 0" checks and then poll forever or never time out.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise AlayaInputError(f"{what} must be a positive, finite number of seconds, not {value!r}.")
    return float(value)


def check_key(value: Any, name: str, env: str) -> str:
    if not isinstance(value, str) or not value:
        raise AlayaInputError(f"{name} is missing. Set it (or the {env} environment variable).")
    if not _KEY.fullmatch(value):
        # Never echo the value: it may be the secret key.
        raise AlayaInputError(f"{name} contains spaces, commas, quotes or '='. Copy it again from the console.")
    return value


def check_whole_number(value: Any, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise AlayaInputError(f"{what} must be a whole number from {low} to {high}, not {value!r}.")
    return value
