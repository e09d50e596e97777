"""The ``alaya`` command for pipelines: a thin adapter over the client (parse, call, print, exit code)."""

import gc

# The command's modules (requests' included) are a few hundred objects' worth of module state, none of it garbage:
# while they load, the cyclic collector would only scan them over and over (about a tenth of `alaya lora get`,
# benchmarks/cli_cold_start.py), and again at exit. Frozen once loaded, it never scans them; it runs as usual on
# what the command itself makes. What was garbage before (a program importing this) is collected first, so the
# freeze keeps nothing that was already unreachable.
_COLLECTING = gc.isenabled()  # a program importing this may have turned it off: left as it was
gc.collect()
gc.disable()
try:
    from .exit_codes import EXIT_CREATED_NOT_READY, EXIT_OK, exit_code_for
    from .main import main
finally:
    gc.freeze()
    if _COLLECTING:
        gc.enable()

__all__ = ["EXIT_CREATED_NOT_READY", "EXIT_OK", "exit_code_for", "main"]
