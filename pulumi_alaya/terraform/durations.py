"""The timeouts block's values: Go durations as Terraform users write them (``90s``, ``10m``, ``1h30m``)."""

from __future__ import annotations

import re

__all__ = ["seconds"]

_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def seconds(text: str) -> float:
    """``text`` in seconds; ValueError naming the accepted form when it is not a positive duration."""
    parts = _PART.findall(text)
    if not text or "".join(number + unit for number, unit in parts) != text:
        raise ValueError(f"{text!r} is not a duration: write it like 30s, 10m or 1h30m.")
    total = sum(float(number) * _UNIT[unit] for number, unit in parts)
    if total <= 0:
        raise ValueError(f"{text!r} is not a positive duration.")
    return total
