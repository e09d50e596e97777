"""The ``alaya`` command for pipelines: a thin adapter over the client (parse, call, print, exit code)."""

import gc

from ..client.lazy_import import collector_off_while_loading

# The command's modules (requests' included) load with the cyclic collector off and are frozen out of its way:
# about a tenth of `alaya lora get` (benchmarks/cli_cold_start.py). It runs as usual on what the command itself
# makes. What was garbage before (in a program importing this) is collected first, so the freeze keeps nothing
# that was already unreachable.
gc.collect()
with collector_off_while_loading():
    from .exit_codes import EXIT_CREATED_NOT_READY, EXIT_OK, exit_code_for
    from .main import main

__all__ = ["EXIT_CREATED_NOT_READY", "EXIT_OK", "exit_code_for", "main"]
