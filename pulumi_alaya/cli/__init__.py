"""The ``alaya`` command for pipelines: a thin adapter over the client (parse, call, print, exit code)."""

from .main import EXIT_OK, exit_code_for, main

__all__ = ["EXIT_OK", "exit_code_for", "main"]
