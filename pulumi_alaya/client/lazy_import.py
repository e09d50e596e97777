"""Modules the client imports on first use, imported under one lock.

The plugin's calls arrive on many threads, and whichever call first reaches the API imports the HTTP stack
(``requests``, urllib3). Two of its imports at once break: requests' own import walks ``sys.modules``
(``requests/packages.py``) and fails with a KeyError when another thread's import moves an urllib3 entry under
it, and urllib3's module locks can report a deadlock. A CI run's Go program met the first (its lookup and its
create were the plugin's first calls at the same moment). Every import of the stack takes this lock
(``test_the_http_stack_is_imported_under_the_one_lock``).
"""

from __future__ import annotations

import importlib
import threading
import types

__all__ = ["IMPORTING", "lazy_import"]

IMPORTING = threading.RLock()  # re-entrant: an import under it may import more through it


def lazy_import(name: str) -> types.ModuleType:
    with IMPORTING:
        return importlib.import_module(name)
