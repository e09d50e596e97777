"""URL checks with the parser that actually sends (urllib3's), so what is checked is where keys go.

``urllib.parse`` and urllib3 disagree on URLs such as ``http://evil\\@127.0.0.1``: validating with one and
sending with the other is how a loopback check is bypassed.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from .errors import AlayaInputError
from .lazy_import import lazy_import
from .patterns import Pattern

__all__ = ["has_control_or_space", "is_loopback", "parse_http_url"]

_CONTROL_OR_SPACE = Pattern(r"[\x00-\x20\x7f]")


def has_control_or_space(text: str) -> bool:
    """Characters no URL we send to or name may hold: they split or hide what the parser sees."""
    return _CONTROL_OR_SPACE.search(text) is not None


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_http_url(url: Any, what: str, example: str) -> tuple[str, str, int | None, str]:
    """Split an http(s) URL as urllib3 (which sends it) does; refuse anything that could mean two hosts.

    Returns ``(scheme, host, port, path)``. Messages never echo the URL: it may carry a password.
    """
    if not isinstance(url, str) or not url.strip():
        raise AlayaInputError(f"{what} is empty. Write it like {example}.")
    text = url.strip()
    if has_control_or_space(text) or "\\" in text:
        raise AlayaInputError(f"{what} contains spaces, control characters or backslashes. Write it like {example}.")
    # urllib3, requests' own dependency: the parser whose reading is sent (its LocationParseError is a ValueError)
    parse_url = lazy_import("urllib3.util").parse_url
    try:
        parts = parse_url(text)
    except ValueError:
        raise AlayaInputError(f"{what} is not a valid URL. Write it like {example}.") from None
    if parts.scheme not in ("http", "https") or not parts.host or "://" not in text:
        raise AlayaInputError(f"{what} is not an http(s) URL with a host. Write it like {example}.")
    if parts.auth is not None or "@" in text:
        raise AlayaInputError(f"{what} contains user:password@ credentials; remove them (keys go in their own "
                              "options).")
    if parts.query is not None or parts.fragment is not None or "?" in text or "#" in text:
        raise AlayaInputError(f"{what} has a query string or fragment. Write it like {example}.")
    if parts.port is not None and not 0 < parts.port < 65536:
        raise AlayaInputError(f"{what} has port {parts.port}, outside 1-65535.")
    return parts.scheme, parts.host, parts.port, parts.path or ""
