"""Modules the client imports on first use, imported under one lock.

The plugin's calls arrive on many threads, and whichever call first reaches the API imports the HTTP stack
(``requests``, urllib3). Two of its imports at once break: requests' own import walks ``sys.modules``
(``requests/packages.py``) and fails with a KeyError when another thread's import moves an urllib3 entry under
it, and urllib3's module locks can report a deadlock. A CI run's Go program met the first (its lookup and its
create were the plugin's first calls at the same moment). Every import of the stack takes this lock
(``test_the_http_stack_is_imported_under_the_one_lock``).

The front ends that load many modules at once (the CLI, the plugin's heavy half, the Terraform provider) load them
inside ``collector_off_while_loading``.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import threading
import types
from collections.abc import Iterator

__all__ = ["IMPORTING", "collector_off_while_loading", "lazy_import"]

IMPORTING = threading.RLock()  # re-entrant: an import under it may import more through it


def lazy_import(name: str) -> types.ModuleType:
    with IMPORTING:
        return importlib.import_module(name)


@contextlib.contextmanager
def collector_off_while_loading() -> Iterator[None]:
    """Modules loaded inside are a few hundred modules' state, none of it garbage: the cyclic collector would only
    scan them over and over while they load (about a tenth of the time), and again at exit. It is off meanwhile,
    and what they made is frozen out of its way afterwards (``gc.freeze``); its own setting is then restored."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
