"""Auto-naming, as Pulumi names resources: ``<prefix>-<8 hex>``, fresh per create, so a create-before-delete
replacement never collides on the name; and recognising such a name again (``pulumi import`` of a cut create)."""

from __future__ import annotations

import re
import secrets

__all__ = ["auto_name", "is_auto_name"]


def _stem(prefix: str) -> str:
    return prefix[:55].rstrip("-_") or "lora"


def auto_name(prefix: str) -> str:
    return f"{_stem(prefix)}-{secrets.token_hex(4)}"


def is_auto_name(name: str, prefix: str | None) -> bool:
    """Whether ``name`` is what ``auto_name(prefix)`` makes (a create for that resource named it)."""
    return prefix is not None and re.fullmatch(re.escape(_stem(prefix)) + "-[0-9a-f]{8}", name) is not None
