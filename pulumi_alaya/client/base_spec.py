"""The 0.4 module name of ``base_model_spec`` (kept for one minor release; removed in 0.6)."""

from __future__ import annotations

# Every name, as the 0.4 module had them.
from .base_model_spec import *  # noqa: F403 # pylint: disable=wildcard-import
from .base_model_spec import __all__  # noqa: F401 - re-exported: the star import takes the same list
