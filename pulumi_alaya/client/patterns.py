"""Regular expressions compiled the first time they are used, not when their module is imported.

The client's rules hold seventeen; compiling them all took about 2.4 ms of every ``alaya`` start, and a read uses
four (issue 31). ``pattern`` is the text schemas carry (OpenAPI, Terraform, CRDs), as ``re.Pattern`` has it.
"""

from __future__ import annotations

import re

__all__ = ["Pattern"]


class Pattern:
    """``re.compile(pattern)``'s matching methods, compiled on first use (two threads may both compile it once:
    the same pattern either way)."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def _regex(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern)
        return compiled

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self._regex().fullmatch(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self._regex().search(text)

    def sub(self, replacement: str, text: str) -> str:
        return self._regex().sub(replacement, text)

    def __repr__(self) -> str:
        return f"Pattern({self.pattern!r})"
