"""The ``alaya`` command for pipelines: a thin adapter over the client (parse, call, print, exit code)."""

from .exit_codes import EXIT_CREATED_NOT_READY, EXIT_OK, exit_code_for
from .main import main

__all__ = ["EXIT_CREATED_NOT_READY", "EXIT_OK", "exit_code_for", "main"]
